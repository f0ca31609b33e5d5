// theory/gauss_legendre.hpp -- Gauss–Legendre nodes and weights at the working precision of Real.
//
// Provenance: nodes are the roots of P_n, found by Newton's method on the three-term recurrence
// (k+1) P_{k+1} = (2k+1) x P_k − k P_{k−1}, started from the Tricomi asymptotic guess
// cos(π(i − 1/4)/(n + 1/2)); weights w_i = 2/((1 − x_i²) P_n'(x_i)²). Used by theory/powerlaw_sum.hpp
// for the middle (transition) region of the Euler–Maclaurin integral (theory document §8.4(a)).
// Verified by tests/theory/test_powerlaw_sum.cpp (∫ polynomials of degree 2n−1 exactly, and the
// β = 2 closed form).
#pragma once

#include "theory/errors.hpp"
#include "theory/real.hpp"

#include <boost/math/constants/constants.hpp>

#include <cmath>
#include <deque>
#include <vector>

namespace collapse {

/// Nodes x_i ∈ (0,1) and weights of the symmetric n-point rule on [−1,1]; only the nonnegative half
/// is stored (x_i, w_i for i < ceil(n/2)); when n is odd the last node is 0.
template <class Real> struct gauss_legendre_rule {
  int n = 0;
  int bits = 0;
  std::vector<Real> x, w;
};

namespace detail {
template <class Real> gauss_legendre_rule<Real> compute_gauss_legendre(int n) {
  using std::abs; using std::cos;
  gauss_legendre_rule<Real> r;
  r.n = n;
  r.bits = digits2<Real>();
  const int half = (n + 1) / 2;
  const Real tol = epsilon<Real>() * 4;
  const double pi = 3.14159265358979323846;
  for (int i = 1; i <= half; ++i) {
    Real x = Real(std::cos(pi * (i - 0.25) / (n + 0.5)));
    Real dp = 0;
    bool done = false;
    for (int it = 0; it < 100; ++it) {
      Real p0 = 1, p1 = x;
      for (int k = 1; k < n; ++k) {
        Real p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
        p0 = std::move(p1);
        p1 = std::move(p2);
      }
      // P_n'(x) = n (x P_n − P_{n−1}) / (x² − 1)
      dp = n * (x * p1 - p0) / (x * x - 1);
      Real dx = p1 / dp;
      x -= dx;
      if (done) break;              // one extra step after convergence: quadratic, so full precision
      if (abs(dx) <= tol) done = true;
    }
    if (!done) throw convergence_error("gauss_legendre: Newton did not converge for a node");
    r.x.push_back(x);
    r.w.push_back(Real(2) / ((1 - x * x) * dp * dp));
  }
  return r;
}
}  // namespace detail

/// The n-point Gauss–Legendre rule at the current precision of Real, cached per thread and per
/// (precision, n).
template <class Real> const gauss_legendre_rule<Real>& gauss_legendre(int n) {
  thread_local std::deque<gauss_legendre_rule<Real>> cache;  // deque: references stay valid
  const int bits = digits2<Real>();
  for (const auto& r : cache) if (r.n == n && r.bits == bits) return r;
  if (cache.size() >= 16) cache.pop_front();
  cache.push_back(detail::compute_gauss_legendre<Real>(n));
  return cache.back();
}

}  // namespace collapse
