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

#include <algorithm>
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

/// One Newton step for a root of P_n at the current precision of the mpfr_t's; returns P_n'(x) in dp.
inline void legendre_newton_mpfr(int n, mpfr_t x, mpfr_t dp, mpfr_t p0, mpfr_t p1, mpfr_t p2, mpfr_t t, bool step) {
  mpfr_set_ui(p0, 1, MPFR_RNDN);
  mpfr_set(p1, x, MPFR_RNDN);
  for (int k = 1; k < n; ++k) {
    mpfr_mul(t, x, p1, MPFR_RNDN);
    mpfr_mul_ui(t, t, 2 * k + 1, MPFR_RNDN);
    mpfr_mul_ui(p2, p0, k, MPFR_RNDN);
    mpfr_sub(t, t, p2, MPFR_RNDN);
    mpfr_div_ui(p2, t, k + 1, MPFR_RNDN);
    mpfr_swap(p0, p1);
    mpfr_swap(p1, p2);
  }
  // P_n'(x) = n (x P_n − P_{n−1}) / (x² − 1)
  mpfr_mul(t, x, p1, MPFR_RNDN);
  mpfr_sub(t, t, p0, MPFR_RNDN);
  mpfr_mul_ui(t, t, n, MPFR_RNDN);
  mpfr_sqr(p2, x, MPFR_RNDN);
  mpfr_sub_ui(p2, p2, 1, MPFR_RNDN);
  mpfr_div(dp, t, p2, MPFR_RNDN);
  if (step) {
    mpfr_div(t, p1, dp, MPFR_RNDN);
    mpfr_sub(x, x, t, MPFR_RNDN);
  }
}

/// MPFR: Newton in double, then one step per doubling of the precision (quadratic convergence), so
/// a node costs about three full-precision evaluations of P_n instead of ten.
template <class Real> gauss_legendre_rule<Real> compute_gauss_legendre_mpfr(int n) {
  gauss_legendre_rule<Real> r;
  r.n = n;
  r.bits = digits2<Real>();
  const mpfr_prec_t full = r.bits;
  std::vector<mpfr_prec_t> ladder;
  for (mpfr_prec_t b = full; b > 60; b = b / 2 + 4) ladder.push_back(b);
  std::reverse(ladder.begin(), ladder.end());
  mpfr_t x, dp, p0, p1, p2, t;
  mpfr_inits2(full, x, dp, p0, p1, p2, t, static_cast<mpfr_ptr>(nullptr));
  const int half = (n + 1) / 2;
  const double pi = 3.14159265358979323846;
  for (int i = 1; i <= half; ++i) {
    double xd = std::cos(pi * (i - 0.25) / (n + 0.5));
    for (int it = 0; it < 8; ++it) {  // Newton in double
      double q0 = 1, q1 = xd;
      for (int k = 1; k < n; ++k) { double q2 = ((2 * k + 1) * xd * q1 - k * q0) / (k + 1); q0 = q1; q1 = q2; }
      const double d = n * (xd * q1 - q0) / (xd * xd - 1);
      xd -= q1 / d;
    }
    mpfr_set_prec(x, 64);
    mpfr_set_d(x, xd, MPFR_RNDN);
    for (mpfr_prec_t b : ladder) {
      mpfr_prec_round(x, b, MPFR_RNDN);
      for (mpfr_ptr v : {dp, p0, p1, p2, t}) mpfr_set_prec(v, b);
      legendre_newton_mpfr(n, x, dp, p0, p1, p2, t, true);
    }
    mpfr_prec_round(x, full, MPFR_RNDN);
    for (mpfr_ptr v : {dp, p0, p1, p2, t}) mpfr_set_prec(v, full);
    legendre_newton_mpfr(n, x, dp, p0, p1, p2, t, true);   // one safety step at full precision
    legendre_newton_mpfr(n, x, dp, p0, p1, p2, t, false);  // P_n'(x) at the final node
    Real xr, w;
    mpfr_set(xr.backend().data(), x, MPFR_RNDN);
    // w = 2 / ((1 − x²) P_n'(x)²)
    mpfr_sqr(t, x, MPFR_RNDN);
    mpfr_ui_sub(t, 1, t, MPFR_RNDN);
    mpfr_sqr(p0, dp, MPFR_RNDN);
    mpfr_mul(t, t, p0, MPFR_RNDN);
    mpfr_ui_div(t, 2, t, MPFR_RNDN);
    mpfr_set(w.backend().data(), t, MPFR_RNDN);
    r.x.push_back(xr);
    r.w.push_back(w);
  }
  mpfr_clears(x, dp, p0, p1, p2, t, static_cast<mpfr_ptr>(nullptr));
  return r;
}

template <class Real> gauss_legendre_rule<Real> compute_gauss_legendre(int n) {
  if constexpr (is_mpfr<Real>::value) return compute_gauss_legendre_mpfr<Real>(n);
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
