// numerics/lapack.cpp -- see lapack.hpp.
#include "numerics/lapack.hpp"

#include "theory/errors.hpp"

#include <limits>
#include <string>

extern "C" {
void dsterf_(const int* n, double* d, double* e, int* info);
}

namespace collapse::numerics {

namespace {
int blas_int(long v, const char* what) {
  if (v < 1 || v > std::numeric_limits<int>::max()) throw domain_error(what, std::to_string(v), "1 <= size <= 2^31 - 1 (BLAS integers)");
  return static_cast<int>(v);
}
}  // namespace

void tridiagonal_eigenvalues_lapack(std::vector<double>& diag, std::vector<double>& off) {
  const int n = blas_int(static_cast<long>(diag.size()), "tridiagonal size");
  if (off.size() + 1 < diag.size()) off.resize(diag.size() - 1);
  if (off.empty()) off.push_back(0);  // dsterf reads no off-diagonal for n = 1, but wants a valid pointer
  int info = 0;
  dsterf_(&n, diag.data(), off.data(), &info);
  if (info != 0) throw convergence_error("LAPACK dsterf failed with info = " + std::to_string(info));
}

}  // namespace collapse::numerics
