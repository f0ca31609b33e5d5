// krr/symmetric_eigen.cpp -- see symmetric_eigen.hpp.
#include "krr/symmetric_eigen.hpp"

#include "theory/errors.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w, double* work, const int* lwork,
             int* iwork, const int* liwork, int* info);
void dgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k, const double* alpha, const double* a,
            const int* lda, const double* b, const int* ldb, const double* beta, double* c, const int* ldc);
void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info);
void dpotrs_(const char* uplo, const int* n, const int* nrhs, const double* a, const int* lda, double* b, const int* ldb, int* info);
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

void multiply(bool transpose_a, bool transpose_b, int m, int n, int k, const double* A, int lda, const double* B, int ldb, double* C) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    std::fill(C, C + std::ptrdiff_t(m) * n, 0.0);
    return;
  }
  const double one = 1, zero = 0;
  dgemm_(transpose_a ? "T" : "N", transpose_b ? "T" : "N", &m, &n, &k, &one, A, &lda, B, &ldb, &zero, C, &m);
}

Eigen::MatrixXd multiply(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, bool transpose_a, bool transpose_b) {
  const auto m = transpose_a ? A.cols() : A.rows(), k = transpose_a ? A.rows() : A.cols();
  const auto kb = transpose_b ? B.cols() : B.rows(), n = transpose_b ? B.rows() : B.cols();
  if (k != kb) throw std::invalid_argument("krr::multiply: inner dimensions " + std::to_string(k) + " and " + std::to_string(kb));
  Eigen::MatrixXd C(m, n);
  multiply(transpose_a, transpose_b, int(m), int(n), int(k), A.data(), int(std::max<Eigen::Index>(1, A.rows())), B.data(),
           int(std::max<Eigen::Index>(1, B.rows())), C.data());
  return C;
}

bool cholesky_solve(Eigen::MatrixXd A, Eigen::VectorXd& b) {
  const int n = static_cast<int>(A.rows()), one = 1;
  if (n == 0) return true;
  int info = 0;
  dpotrf_("L", &n, A.data(), &n, &info);
  if (info != 0) return false;
  dpotrs_("L", &n, &one, A.data(), &n, b.data(), &n, &info);
  return info == 0;
}

blas_threads::blas_threads(int threads) : previous_(openblas_get_num_threads()) { openblas_set_num_threads(threads); }
blas_threads::~blas_threads() { openblas_set_num_threads(previous_); }

}  // namespace collapse::krr
