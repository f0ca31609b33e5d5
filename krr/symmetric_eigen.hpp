// krr/symmetric_eigen.hpp -- the dense linear algebra of the kernel ridge experiment, on OpenBLAS/LAPACK:
// the eigendecomposition of a symmetric matrix by dsyevd (divide and conquer), matrix products by dgemm and
// positive-definite solves by dpotrf/dpotrs. The rest of the project is compiled for baseline x86-64, where
// Eigen's own products and factorisations run on SSE2 only; OpenBLAS picks its kernel for the CPU at run time
// (AVX2/FMA here), measured 4-8x faster on the chain's products (README "kernel ridge" table;
// bench/krr_peer.py times numpy's eigh beside dsyevd).
// \test tests/krr/test_kernel.cpp (against Eigen's solver and products on random matrices)
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

/// op(A) op(B) by dgemm, op(X) = X^T when the flag is set (column-major Eigen matrices; the inner
/// dimensions must agree -- checked with std::invalid_argument, a programming error, never user input).
/// Result rows(op(A)) x cols(op(B)); an empty inner dimension gives zeros.
Eigen::MatrixXd multiply(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, bool transpose_a = false, bool transpose_b = false);

/// The same product on raw column-major storage: C (m x n, leading dimension m) = op(A) op(B), op(A) m x k,
/// op(B) k x n, with the leading dimensions lda, ldb of A and B as stored (BLAS conventions).
void multiply(bool transpose_a, bool transpose_b, int m, int n, int k, const double* A, int lda, const double* B, int ldb, double* C);

/// Solves A x = b in place (b := x) for a symmetric positive-definite A (lower triangle read) by Cholesky
/// (LAPACK dpotrf + dpotrs). Returns false, leaving b unchanged, when A is not numerically positive
/// definite (dpotrf's info > 0); the caller then falls back to an eigendecomposition.
bool cholesky_solve(Eigen::MatrixXd A, Eigen::VectorXd& b);

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
