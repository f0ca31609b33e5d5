// krr/kernel.cpp -- see kernel.hpp.
#include "krr/kernel.hpp"

#include "krr/symmetric_eigen.hpp"
#include "theory/errors.hpp"
#include "theory/rational.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace collapse::krr {

std::string kernel_spec::describe() const {
  if (type == kind::rbf)
    return median_factor == 1 ? fmt::format("rbf(h={:.6g})", bandwidth) : fmt::format("rbf(h={:.6g}, {:g} x median)", bandwidth, median_factor);
  return fmt::format("poly(degree={}, c={:.6g}, gamma=1/features)", degree, coef0);
}

namespace {
double positive_number(const std::string& name, const std::string& text, const std::string& range, bool allow_zero) {
  const auto x = parse_exact(name, text);
  const double v = to_real<double>(x.value);
  if (!std::isfinite(v) || v < 0 || (!allow_zero && v == 0) || v > 1e6) throw domain_error(name, text, range);
  return v;
}
}  // namespace

kernel_spec parse_kernel(const std::string& kernel, const std::string& bandwidth, const std::string& degree, const std::string& coef0) {
  kernel_spec k;
  if (kernel == "rbf") {
    k.type = kernel_spec::kind::rbf;
    const std::string range = "median, median*F (0 < F <= 1000) or a number 0 < h <= 1e6";
    if (bandwidth.rfind("median*", 0) == 0) {
      try {
        k.median_factor = positive_number("--bandwidth", bandwidth.substr(7), range, false);
      } catch (const domain_error&) {
        k.median_factor = 0;  // the factor's text alone would hide what was typed
      }
      if (!(k.median_factor > 0 && k.median_factor <= 1000)) throw domain_error("--bandwidth", bandwidth, range);
    } else if (bandwidth != "median") {
      k.bandwidth = positive_number("--bandwidth", bandwidth, range, false);
    }
  } else if (kernel == "poly") {
    k.type = kernel_spec::kind::poly;
    const auto d = parse_exact("--degree", degree);
    if (!is_integer(d.value) || d.value < 1 || d.value > 10) throw domain_error("--degree", degree, "an integer 1 <= degree <= 10");
    k.degree = static_cast<int>(boost::multiprecision::numerator(d.value).convert_to<long>());
    k.coef0 = positive_number("--coef0", coef0, "a number 0 <= c <= 1e6", true);
  } else {
    throw domain_error("--kernel", kernel, "rbf or poly");
  }
  return k;
}

double median_distance(const row_matrix& X) {
  const Eigen::Index m = std::min<Eigen::Index>(X.rows(), 1000);
  std::vector<double> d;
  d.reserve(std::size_t(m) * std::size_t(m - 1) / 2);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = i + 1; j < m; ++j) d.push_back((X.row(i) - X.row(j)).norm());
  if (d.empty()) throw domain_error("--bandwidth", "median", "a pool of at least 2 inputs");
  auto mid = d.begin() + std::ptrdiff_t(d.size() / 2);
  std::nth_element(d.begin(), mid, d.end());
  if (!(*mid > 0)) throw domain_error("--bandwidth", "median", "a number h > 0", "the median pairwise distance of the pool is 0");
  return *mid;
}

kernel_spec resolve_bandwidth(kernel_spec k, const row_matrix& pool) {
  if (k.type == kernel_spec::kind::rbf && k.bandwidth == 0) k.bandwidth = k.median_factor * median_distance(pool);
  return k;
}

matrix gram(const kernel_spec& k, const row_matrix& A, const row_matrix& B) {
  // G = A B^T by dgemm: a row-major m x p matrix is the column-major p x m matrix A^T, so G = (A^T)^T (B^T)
  if (A.cols() != B.cols()) throw std::invalid_argument("krr::gram: inputs of different dimensions");
  matrix G(A.rows(), B.rows());
  const int p = int(A.cols());
  multiply(true, false, int(A.rows()), int(B.rows()), p, A.data(), std::max(1, p), B.data(), std::max(1, p), G.data());
  if (k.type == kernel_spec::kind::rbf) {
    const Eigen::VectorXd a = A.rowwise().squaredNorm(), b = B.rowwise().squaredNorm();
    const double c = -1 / (2 * k.bandwidth * k.bandwidth);
    for (Eigen::Index j = 0; j < G.cols(); ++j)
      for (Eigen::Index i = 0; i < G.rows(); ++i) G(i, j) = std::exp(c * std::max(0.0, a(i) + b(j) - 2 * G(i, j)));
  } else {
    const double gamma = 1.0 / double(A.cols());
    G = (gamma * G.array() + k.coef0).pow(double(k.degree)).matrix();
  }
  return G;
}

}  // namespace collapse::krr
