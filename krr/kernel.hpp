// krr/kernel.hpp -- the kernels of the kernel ridge experiment (issue 11, theory document §7) and their
// Gram matrices, in double.
//
//   rbf:  k(x, x') = exp(-|x - x'|^2 / (2 h^2)),  bandwidth h > 0; default (h = 0 given): the median
//         heuristic h = median of |x_i - x_j| over the pairs i < j of the first min(N, 1000) pool inputs
//         (Gretton et al. 2012; computed once per pool, deterministic), optionally times a factor F
//         (--bandwidth median*F: the universality sweep's 0.5x, 1x, 2x).
//   poly: k(x, x') = (gamma x.x' + c)^degree, gamma = 1/features (scikit-learn's default), c >= 0,
//         integer degree >= 1 (default 3, c = 1).
// Both are positive semi-definite, so K_pool/N has the Mercer eigenpairs of §7 for the uniform measure on
// the pool.
// \test tests/krr/test_kernel.cpp
#pragma once

#include <Eigen/Dense>

#include <string>

namespace collapse::krr {

using matrix = Eigen::MatrixXd;
using row_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct kernel_spec {
  enum class kind { rbf, poly };
  kind type = kind::rbf;
  double bandwidth = 0;  // rbf: h > 0, or 0 = median heuristic (resolved by resolve_bandwidth)
  double median_factor = 1;  // rbf with the median heuristic: h = median_factor x median distance
  int degree = 3;        // poly
  double coef0 = 1;      // poly
  /// "rbf(h=...)", "rbf(h=..., 0.5 x median)" when median_factor != 1, or "poly(degree=3, c=1, gamma=1/features)".
  std::string describe() const;
};

/// Parses --kernel (rbf | poly), --bandwidth (a number > 0, "median", or "median*F" with 0 < F <= 1000),
/// --degree (1..10), --coef0 (>= 0).
/// Throws domain_error naming the option.
kernel_spec parse_kernel(const std::string& kernel, const std::string& bandwidth, const std::string& degree, const std::string& coef0);

/// The median pairwise Euclidean distance of the first min(rows, 1000) rows of X (rows = inputs), > 0.
/// Throws domain_error naming --bandwidth when it is 0 (all inputs equal).
double median_distance(const row_matrix& X);

/// `k` with its bandwidth fixed: unchanged unless rbf with bandwidth 0, which becomes
/// median_factor x median_distance(pool).
kernel_spec resolve_bandwidth(kernel_spec k, const row_matrix& pool);

/// The Gram matrix K_ij = k(A_i, B_j) (A: m x p, B: n x p, rows = inputs); m x n, column-major. The inner
/// products A B^T are one OpenBLAS dgemm; the RBF distances come from |a|^2 + |b|^2 - 2 a.b, clamped at 0.
/// Throws std::invalid_argument when A and B have different numbers of columns (a programming error).
matrix gram(const kernel_spec& k, const row_matrix& A, const row_matrix& B);

}  // namespace collapse::krr
