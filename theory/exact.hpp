// theory/exact.hpp -- the finite-sample identities of theory document §2.3, §2.4, §4.1 and §4.2 (λ = 0),
// in exact rational arithmetic: every input is an exact rational and so is every result.
// Domains are checked exactly (the inverse-Wishart means need T − d − 1 ≥ 1, T0 − d − 1 ≥ 1, or
// d − T − 1 ≥ 1, d − T0 − 1 ≥ 1); a value at or beyond a threshold is a domain_error, never ∞ or NaN.
// Verified by: tests/numerics/test_simulate.cpp (Monte Carlo within statistical error), tests/theory/test_exact.cpp
// (proportional limits against theory/isotropic.hpp), tests/theory/test_domain.cpp (the finite-mean thresholds).
#pragma once

#include "theory/domain.hpp"
#include "theory/errors.hpp"
#include "theory/rational.hpp"

#include <string>

namespace collapse::exact {

struct decomposition {
  rational total;
  rational clean;     // n = 0 part
  rational collapse;  // the part growing with n
};

namespace detail {
inline std::string str(const rational& q) { return fraction_string(q); }
inline void require_integer(const char* name, const rational& v, const rational& lo) {
  if (!is_integer(v) || v < lo)
    throw domain_error(name, str(v), "an integer >= " + str(lo));
}
inline void require_nonneg(const char* name, const rational& v) {
  if (v < 0) throw domain_error(name, str(v), std::string(name) + " >= 0");
}
/// The under-parameterised OLS generators of §2.1 (n ≥ 1): T0 an integer ≥ d + 2 (any T0 ≥ d when
/// σ0² = 0, where each generator returns its input exactly), σ0² ≥ 0. Infinite means are refused by the
/// shared check of theory/domain.hpp.
inline void require_ols_generator(const rational& d, const rational& T0, const rational& sigma02) {
  require_nonneg("sigma02", sigma02);
  require_integer("T0", T0, 1);
  require_finite_mean(d, d + 2, T0, 1, 1, 0, sigma02);  // the generator part of the check only
  if (T0 < d)
    throw domain_error("T0", str(T0), "T0 >= d + 2 = " + str(d + 2) + " when n >= 1",
                       "T0 < d is the over-parameterised min-norm chain (§4): use overgen-iso-exact or overgen-risk");
}
/// n σ0² d/(T0 − d − 1) (§2.1), 0 without generator noise (T0 ∈ {d, d+1} is then allowed).
inline rational ols_generator_error(const rational& d, const rational& T0, const rational& n, const rational& sigma02) {
  return sigma02 == 0 ? rational(0) : rational(n * sigma02 * d / (T0 - d - 1));
}
/// n^k for a rational base and integer exponent k ≥ 0.
inline rational pow_int(rational q, long k) {
  rational r = 1;
  while (k) { if (k & 1) r *= q; q *= q; k >>= 1; }
  return r;
}
}  // namespace detail

/// §2.3: λ = 0 downstream OLS after n OLS generators, any Σ:
///   E_n = σ² d/(T−d−1) + n σ0² d/(T0−d−1)     (T ≥ d+2; T0 ≥ d+2 when n ≥ 1)
inline decomposition ols(const rational& d, const rational& T, const rational& T0, const rational& n,
                         const rational& sigma2, const rational& sigma02) {
  using namespace detail;
  require_integer("d", d, 1);
  require_integer("T", T, 1);
  require_integer("n", n, 0);
  require_nonneg("sigma2", sigma2);
  require_finite_mean(d, T, T0, n, 0, sigma2, sigma02);
  if (T < d)
    throw domain_error("T", str(T), "T >= d + 2 = " + str(d + 2) + " (T >= d when sigma2 = 0)",
                       "T < d: OLS is not defined; use iso-minnorm-exact or ridge-risk");
  decomposition r;
  r.clean = sigma2 == 0 ? rational(0) : rational(sigma2 * d / (T - d - 1));  // σ² = 0: ŵ = ŵ_n exactly
  if (n > 0) {
    require_ols_generator(d, T0, sigma02);
    r.collapse = ols_generator_error(d, T0, n, sigma02);
  }
  r.total = r.clean + r.collapse;
  return r;
}

/// §2.4: Σ = I, min-norm downstream (T ≤ d−2) after n OLS generators (T0 ≥ d+2):
///   E_n = ‖w0‖²(1 − T/d) + σ² T/(d−T−1) + n σ0² T/(T0−d−1)
inline decomposition iso_minnorm(const rational& d, const rational& T, const rational& T0, const rational& n,
                                 const rational& sigma2, const rational& sigma02, const rational& w0norm2) {
  using namespace detail;
  require_integer("d", d, 1);
  require_integer("T", T, 1);
  require_integer("n", n, 0);
  require_nonneg("sigma2", sigma2);
  require_nonneg("w0norm2", w0norm2);
  require_finite_mean(d, T, T0, n, 0, sigma2, sigma02);
  if (T >= d)
    throw domain_error("T", str(T), "1 <= T <= d - 2 = " + str(d - 2) + " (T <= d - 1 when sigma2 = 0)", "T >= d: use ols-exact");
  decomposition r;
  r.clean = w0norm2 * (1 - T / d) + (sigma2 == 0 ? rational(0) : rational(sigma2 * T / (d - T - 1)));
  if (n > 0) {
    require_ols_generator(d, T0, sigma02);
    r.collapse = sigma02 == 0 ? rational(0) : rational(n * sigma02 * T / (T0 - d - 1));
  }
  r.total = r.clean + r.collapse;
  return r;
}

/// §4.1: isotropic over-parameterised min-norm chain (d ≥ T0 + 2), error of ŵ_n itself:
///   E_test(ŵ_n) = (1 − (T0/d)ⁿ) [‖w0‖² + σ0² T0 d/((d−T0)(d−T0−1))]
struct overgen_chain { rational q, c0, a_n, b_n, error; };
inline overgen_chain overgen_iso_generator(const rational& d, const rational& T0, const rational& n,
                                           const rational& sigma02, const rational& w0norm2) {
  using namespace detail;
  require_integer("d", d, 1);
  require_integer("T0", T0, 1);
  require_integer("n", n, 0);
  require_nonneg("sigma02", sigma02);
  require_nonneg("w0norm2", w0norm2);
  require_finite_mean(d, d + 2, T0, n, 1, 0, sigma02);
  if (T0 > d - 2)
    throw domain_error("T0", str(T0), "1 <= T0 <= d - 2 = " + str(d - 2), "the over-parameterised chain needs T0 < d - 1 (§4.1)");
  if (n > 100000) throw domain_error("n", str(n), "0 <= n <= 100000", "exact rational powers (T0/d)^n grow too large");
  overgen_chain r;
  r.q = T0 / d;
  r.c0 = T0 / (d - T0 - 1);
  rational qn = pow_int(r.q, numerator(n).convert_to<long>());
  r.b_n = qn * w0norm2;
  r.a_n = qn * w0norm2 + sigma02 * r.c0 * (1 - qn) / (1 - r.q);
  r.error = (1 - qn) * (w0norm2 + sigma02 * T0 * d / ((d - T0) * (d - T0 - 1)));
  return r;
}

/// §4.2 with λ = 0: isotropic OLS (T ≥ d+2) or min-norm (T ≤ d−2) downstream after the chain (any T when
/// σ² = 0: then V = 0 and α = 1 for T ≥ d, T/d for T < d):
///   E_n = α2 a_n − 2α1 b_n + ‖w0‖² + V,  α1 = α2 = 1, V = σ²d/(T−d−1)  or  α1 = α2 = T/d, V = σ²T/(d−T−1).
struct overgen_downstream { overgen_chain chain; rational alpha, V, total; };
inline overgen_downstream overgen_iso(const rational& d, const rational& T, const rational& T0, const rational& n,
                                      const rational& sigma2, const rational& sigma02, const rational& w0norm2) {
  using namespace detail;
  require_integer("T", T, 1);
  require_nonneg("sigma2", sigma2);
  overgen_downstream r;
  r.chain = overgen_iso_generator(d, T0, n, sigma02, w0norm2);
  require_finite_mean(d, T, T0, n, 0, sigma2, sigma02);
  if (T >= d + 2) { r.alpha = 1; r.V = sigma2 * d / (T - d - 1); }
  else if (T <= d - 2) { r.alpha = T / d; r.V = sigma2 * T / (d - T - 1); }
  else { r.alpha = T >= d ? rational(1) : rational(T / d); r.V = 0; }  // σ² = 0 (else refused above): A = I or P
  r.total = r.alpha * r.chain.a_n - 2 * r.alpha * r.chain.b_n + w0norm2 + r.V;
  return r;
}

}  // namespace collapse::exact
