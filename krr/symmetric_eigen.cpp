// krr/symmetric_eigen.cpp -- see symmetric_eigen.hpp.
#include "krr/symmetric_eigen.hpp"

#include "theory/errors.hpp"

#include <string>
#include <vector>

extern "C" {
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w, double* work, const int* lwork,
             int* iwork, const int* liwork, int* info);
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
}

namespace collapse::krr {

symmetric_eigen::symmetric_eigen(Eigen::MatrixXd A) : values(A.rows()), vectors(std::move(A)) {
  const int n = static_cast<int>(vectors.rows());
  if (n == 0) return;
  int info = 0, lwork = -1, liwork = -1, iwork_size = 0;
  double work_size = 0;
  dsyevd_("V", "L", &n, vectors.data(), &n, values.data(), &work_size, &lwork, &iwork_size, &liwork, &info);  // workspace query
  lwork = static_cast<int>(work_size);
  liwork = iwork_size;
  std::vector<double> work(static_cast<std::size_t>(lwork));
  std::vector<int> iwork(static_cast<std::size_t>(liwork));
  dsyevd_("V", "L", &n, vectors.data(), &n, values.data(), work.data(), &lwork, iwork.data(), &liwork, &info);
  if (info != 0) throw convergence_error("krr: LAPACK dsyevd failed with info = " + std::to_string(info));
}

blas_threads::blas_threads(int threads) : previous_(openblas_get_num_threads()) { openblas_set_num_threads(threads); }
blas_threads::~blas_threads() { openblas_set_num_threads(previous_); }

}  // namespace collapse::krr
