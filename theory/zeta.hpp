// theory/zeta.hpp -- Riemann and Hurwitz zeta functions at the working precision of Real, the
// special functions of the independent power-law routes (theory document §8.4(b), §8.4(c)).
//
// riemann_zeta(s): any s ≠ 1 (negative s too). MPFR's mpfr_zeta for mpfr_real (correctly rounded),
//   except at negative non-integers where the reflection formula around mpfr_zeta(1−s) is ten
//   times faster (error a few |s|·eps); boost::math::zeta otherwise.
// hurwitz_zeta(s, q) = Σ_{n≥0} (q+n)^(−s): q > 0, s ≠ 1; for s < 1 the value is the analytic
//   continuation (so that Σ_{j=1}^{d} j^(−s) = ζ(s) − ζ(s, d+1) holds for every s ≠ 1).
//   Method: Euler–Maclaurin in q (DLMF 25.11.5 generalised): shift q up to Q ≥ q_min by direct
//   summation, then
//     ζ(s,Q) = Q^(1−s)/(s−1) + Q^(−s)/2 + Σ_{k≥1} (B_2k/(2k)!) (s)_{2k−1} Q^(−s−2k+1),
//   truncated when the terms fall below eps·|ζ| (error ≈ first omitted term; for real s > −1 the
//   terms are those of a completely monotone function and the remainder is bounded by it).
//   Verified by tests/theory/test_powerlaw_sum.cpp against GSL's gsl_sf_hzeta (double) and against
//   ζ(s) − Σ_{j<q} j^(−s) at 100 digits.
#pragma once

#include "theory/bernoulli.hpp"
#include "theory/errors.hpp"
#include "theory/real.hpp"

#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/zeta.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

namespace collapse {

template <class Real> struct zeta_result { Real value; Real error; int terms = 0; };

/// Riemann ζ(s) for any real s ≠ 1 (throws collapse::domain_error at s = 1).
template <class Real> Real riemann_zeta(const Real& s) {
  if (s == 1) throw domain_error("s", "1", "s ≠ 1", "pole of the Riemann zeta function");
  if constexpr (is_mpfr<Real>::value) {
    using boost::multiprecision::floor; using boost::multiprecision::pow; using boost::multiprecision::sin;
    if (s < 0 && s != floor(s)) {
      // Reflection (DLMF 25.4.1): ζ(s) = 2^s π^(s−1) sin(πs/2) Γ(1−s) ζ(1−s). mpfr_zeta is about ten
      // times slower at negative non-integers; the reflection costs a few |s|·eps relative.
      const Real pi = boost::math::constants::pi<Real>();
      Real z1, g, one_minus_s = 1 - s;
      mpfr_zeta(z1.backend().data(), one_minus_s.backend().data(), MPFR_RNDN);
      mpfr_gamma(g.backend().data(), one_minus_s.backend().data(), MPFR_RNDN);
      return pow(Real(2), s) * pow(pi, s - 1) * sin(pi * s / 2) * g * z1;
    }
    Real r;
    mpfr_zeta(r.backend().data(), s.backend().data(), MPFR_RNDN);
    return r;
  } else {
    return boost::math::zeta(s);
  }
}

namespace detail {

template <class Real> std::string to_str(const Real& x) {
  std::ostringstream os;
  os.precision(std::min(digits10<Real>(), 20));
  os << x;
  return os.str();
}

/// ζ(s, q) with an absolute error estimate; see the header comment for the method. With
/// `scaled` = true it returns q^s ζ(s, q) = Σ_n (1 + n/q)^(−s) instead (no overflow/underflow for
/// huge s or q; used by the Hurwitz tail of theory/powerlaw_sum.hpp).
/// `rel_tol` > eps asks for less relative accuracy (the Hurwitz tail needs its K-th term only to
/// eps·2^K); the error estimate stays honest for whatever accuracy is delivered.
template <class Real>
zeta_result<Real> hurwitz_zeta_em(const Real& s, const Real& q, bool scaled = false, double rel_tol = 0) {
  using std::abs; using std::pow; using std::log;
  using boost::multiprecision::abs; using boost::multiprecision::pow;
  if (!(q > 0)) throw domain_error("q", to_str(q), "q > 0", "Hurwitz zeta");
  if (s == 1) throw domain_error("s", "1", "s ≠ 1", "pole of the Hurwitz zeta function");
  const Real eps0 = epsilon<Real>();
  const double bits0 = digits2<Real>();
  const double bits = (rel_tol > 0 && std::log2(rel_tol) > -bits0) ? std::max(8.0, -std::log2(rel_tol)) : bits0;
  const Real eps = bits < bits0 ? Real(rel_tol) : eps0;
  const double sd = static_cast<double>(s);
  // The k-th Euler–Maclaurin term behaves like (s+2k)^(2k)/(2πQ)^(2k): it decreases to about
  // exp(−2πQ) when Q ≥ (s + 2k)/(2π). Q ≥ 0.17·bits + |s|/4 reaches eps with margin.
  double qmin = 0.17 * bits + 0.25 * std::abs(sd) + 4;
  for (int attempt = 0; attempt < 8; ++attempt, qmin *= 2) {
    const double qd = static_cast<double>(q);
    long shift = qd >= qmin ? 0 : static_cast<long>(std::ceil(qmin - qd));
    // Large s against q: the terms (q+n)^(−s) fall like exp(−s n/q), so plain summation wins over a
    // long Euler–Maclaurin shift. Remainder after the last term t_n: ≤ t_n (q+n)/(s−1) (integral test).
    if (attempt == 0 && sd > 2 && shift > 0 && qd * bits * 0.7 / (sd - 1) + 2 < shift) {
      Real sum = 0, t, bound;
      for (long n = 0; n < 100000; ++n) {
        t = scaled ? pow((q + n) / q, -s) : pow(q + n, -s);
        sum += t;
        bound = t * (q + n) / (s - 1);
        if (bound <= eps * sum / 4) return {sum, bound + 4 * eps0 * sum, static_cast<int>(n + 1)};
      }
    }
    Real head = 0, mag = 0;
    for (long n = 0; n < shift; ++n) {
      Real t = scaled ? pow((q + n) / q, -s) : pow(q + n, -s);
      head += t;
      mag += abs(t);
    }
    const Real Q = q + shift;
    const Real Qs = scaled ? pow(Q / q, -s) : pow(Q, -s);
    Real tail = Q * Qs / (s - 1) + Qs / 2;
    mag += abs(Q * Qs / (s - 1)) + Qs / 2;
    const Real invQ2 = 1 / (Q * Q);
    Real r = s / Q;  // (s)_{2k−1} / (2k−1)! · Q^(−2k+1)
    Real prev = -1, err = 0;
    bool converged = false;
    const int kmax = 2000;
    const std::vector<Real>* b = &bernoulli_em_coefficients<Real>(24);
    int k = 1;
    for (; k < kmax; ++k) {
      if (k >= static_cast<int>(b->size())) b = &bernoulli_em_coefficients<Real>(std::min(kmax, 2 * k));
      Real t = (*b)[k] * r * Qs;  // B_2k/(2k) · (s)_{2k−1}/(2k−1)! · Q^(−s−2k+1)  [= B_2k/(2k)! (s)_{2k−1} Q^(−s−2k+1)]
      Real at = abs(t);
      if (at <= eps * abs(head + tail) / 4) { err = at; converged = true; break; }
      if (prev >= 0 && at > prev) break;  // asymptotic terms started growing: shift further
      tail += t;
      mag += at;
      prev = at;
      r *= (s + (2 * k - 1)) * (s + 2 * k) * invQ2 / ((2 * k) * (2 * k + 1));
    }
    if (!converged) continue;
    Real value = head + tail;
    return {value, err + 4 * eps0 * mag, k};
  }
  throw convergence_error("hurwitz_zeta: Euler–Maclaurin did not converge for s = " + to_str(s) +
                          ", q = " + to_str(q));
}

}  // namespace detail

/// Hurwitz ζ(s, q) = Σ_{n≥0} (q+n)^(−s) for q > 0, s ≠ 1 (analytic continuation for s < 1).
template <class Real> Real hurwitz_zeta(const Real& s, const Real& q) {
  return detail::hurwitz_zeta_em(s, q).value;
}

// Build time (issue 15 item 7): see theory/powerlaw_sum.hpp; instantiated in theory/instances/.
#define COLLAPSE_ZETA_INSTANCES(EXTERN, R)        \
  EXTERN template R riemann_zeta<R>(const R&);    \
  EXTERN template R hurwitz_zeta<R>(const R&, const R&);
#ifdef COLLAPSE_THEORY_INSTANCES
COLLAPSE_ZETA_INSTANCES(extern, double)
COLLAPSE_ZETA_INSTANCES(extern, mpfr_real)
#endif

}  // namespace collapse
