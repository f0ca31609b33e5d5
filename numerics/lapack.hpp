// numerics/lapack.hpp -- the two OpenBLAS routines the scalable paths use in double precision (issue 9;
// OpenBLAS is already a dependency of krr/): the symmetric rank-k product of the dual Gram path and the
// root-free tridiagonal QR of the isotropic spectral path. Generic (long double, mp50) runs use Eigen.
//
// \test tests/numerics/test_scalable_paths.cpp (against Eigen's results)
#pragma once

#include <vector>

namespace collapse::numerics {

/// K = A Aᵀ (rows × rows, column-major, both triangles filled) for A column-major rows × cols, by BLAS dsyrk
/// (lower triangle) and a copy to the upper one. rows, cols >= 1; K has room for rows² doubles.
void gram_blas(const double* A, long rows, long cols, double* K);

/// The eigenvalues, ascending, of the symmetric tridiagonal matrix with diagonal `diag` (length m >= 1) and
/// off-diagonal `off` (length m − 1), by LAPACK dsterf (Pal–Walker–Kahan QL/QR, eigenvalues only, O(m²)).
/// `diag` is overwritten by the eigenvalues and `off` destroyed. Throws convergence_error when dsterf
/// reports a failure (info > 0: that many off-diagonal elements did not converge).
void tridiagonal_eigenvalues_lapack(std::vector<double>& diag, std::vector<double>& off);

}  // namespace collapse::numerics
