// numerics/lapack.hpp -- the OpenBLAS routine the scalable paths use in double precision (issue 9;
// OpenBLAS is already a dependency of krr/): the root-free tridiagonal QR of the isotropic spectral path.
// Generic (long double, mp50) runs use Eigen. (The dual path's BLAS dsyrk Gram matrices were replaced by
// the R-SVD of the design at the merge: the Gram form squares X and loses half the digits.)
//
// \test tests/numerics/test_scalable_paths.cpp (against Eigen's results)
#pragma once

#include <vector>

namespace collapse::numerics {

/// The eigenvalues, ascending, of the symmetric tridiagonal matrix with diagonal `diag` (length m >= 1) and
/// off-diagonal `off` (length m − 1), by LAPACK dsterf (Pal–Walker–Kahan QL/QR, eigenvalues only, O(m²)).
/// `diag` is overwritten by the eigenvalues and `off` destroyed. Throws convergence_error when dsterf
/// reports a failure (info > 0: that many off-diagonal elements did not converge).
void tridiagonal_eigenvalues_lapack(std::vector<double>& diag, std::vector<double>& off);

}  // namespace collapse::numerics
