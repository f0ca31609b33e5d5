// krr/symmetric_eigen.hpp -- eigendecomposition of a symmetric matrix by LAPACK's dsyevd (divide and
// conquer) from OpenBLAS: measured 15-30x faster than Eigen's SelfAdjointEigenSolver at n = 1000-4000 on
// this project's machines (README "kernel ridge" table; bench/krr_peer.py times numpy's eigh beside it).
// \test tests/krr/test_kernel.cpp (against Eigen's solver on a random symmetric matrix)
#pragma once

#include <Eigen/Dense>

namespace collapse::krr {

/// A = V diag(values) V^T with values ascending and V orthogonal (columns = eigenvectors); A symmetric
/// n x n (only its lower triangle is read). Throws convergence_error when dsyevd reports a failure.
struct symmetric_eigen {
  Eigen::VectorXd values;
  Eigen::MatrixXd vectors;
  explicit symmetric_eigen(Eigen::MatrixXd A);
};

/// Runs `f` with OpenBLAS limited to `threads` threads, restoring its previous count afterwards (per-trial
/// work is parallel over trials, so each decomposition there runs on one thread: no oversubscription, and
/// the same arithmetic whatever --threads is).
class blas_threads {
public:
  explicit blas_threads(int threads);
  ~blas_threads();
  blas_threads(const blas_threads&) = delete;
  blas_threads& operator=(const blas_threads&) = delete;

private:
  int previous_;
};

}  // namespace collapse::krr
