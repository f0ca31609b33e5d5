// theory/powerlaw_asymptotics.hpp -- continuum constants and asymptotic optima for power-law spectra
// λ_j = j^-β, λ_j w2_j = j^(-1-2βr) (theory document §5.2, §5.3, §5.5, §5.6).
//
//   C1 = (π/β)/sin(π/β)            df1 ≍ C1 κ^(-1/β)            (§5.2; ∫_0^∞ y^(1/β−1)/(1+y) dy / β)
//   C2 = (1 − 1/β) C1              df2 ≍ C2 κ^(-1/β)            (§5.2)
//   B_r = Γ(2r)Γ(2−2r)/β (0<r<1)   B(κ) ≍ B_r κ^(2r)             (§5.3; ∫ y^(1−2r)/(1+y)² dy / β)
//   B_r = ζ(1 + 2β(r−1))  (r > 1)  B(κ) ≍ B_r κ²;  at r = 1 a log factor appears (no constant)
//   κ* = (σ_eff² C2 / (2r̲β B_r T))^(β/(2βr̲+1)),  E* ≈ B_r κ*^(2r̲)(1 + 2βr̲)          (§5.5)
//   T* = [2r̲β B_r C1^(2βr̲+1) / (C2 σ_eff²)]^(1/(2βr̲))                               (§5.6)
// Regime: ASYMPTOTIC (κ → 0, T → ∞, d = ∞). Verified by: tests/theory/test_asymptotics.cpp
// (local log-slopes of the full sums; the doc's numbers T* ≈ 1.23e4, λ*/κ* → 1).
#pragma once

#include "theory/errors.hpp"
#include "theory/powerlaw_sum.hpp"
#include "theory/special.hpp"

namespace collapse {

template <class Real> struct powerlaw_constants {
  Real C1, C2, B;
  bool has_B = true;  // false at r = 1 (B(κ) ~ κ² log(1/κ)/β: no constant)
};

template <class Real> powerlaw_constants<Real> powerlaw_constants_of(const Real& beta, const Real& r) {
  using std::sin; using std::pow;
  if (!(beta > 1)) throw domain_error("beta", value_text(beta), "beta > 1", "C1 = (pi/beta)/sin(pi/beta) needs the d = inf sums to converge");
  if (!(r > 0)) throw domain_error("r", value_text(r), "r > 0");
  powerlaw_constants<Real> c;
  const Real pib = pi_const<Real>() / beta;
  c.C1 = pib / sin(pib);
  c.C2 = (1 - 1 / beta) * c.C1;
  if (r < 1) c.B = gamma_fn<Real>(2 * r) * gamma_fn<Real>(2 - 2 * r) / beta;
  else if (r > 1) c.B = riemann_zeta<Real>(1 + 2 * beta * (r - 1));
  else { c.has_B = false; c.B = 0; }
  return c;
}

/// r̲ = min(r, 1)
template <class Real> Real r_under(const Real& r) { return r < 1 ? r : Real(1); }

template <class Real> struct kappa_opt_asymptotic { Real kappa, risk; };

template <class Real> kappa_opt_asymptotic<Real> kappa_opt_asymptotic_of(const Real& beta, const Real& r, const Real& T, const Real& sigma_eff2) {
  using std::pow;
  auto c = powerlaw_constants_of(beta, r);
  if (!c.has_B) throw domain_error("r", "1", "r != 1", "at r = 1 the bias is ~ kappa^2 log(1/kappa): no power-law constant B_r");
  if (!(T > 0)) throw domain_error("T", value_text(T), "T > 0");
  if (!(sigma_eff2 > 0)) throw domain_error("sigma-eff2", value_text(sigma_eff2), "sigma-eff2 > 0");
  const Real ru = r_under(r);
  kappa_opt_asymptotic<Real> k;
  k.kappa = pow(sigma_eff2 * c.C2 / (2 * ru * beta * c.B * T), beta / (2 * beta * ru + 1));
  k.risk = c.B * pow(k.kappa, 2 * ru) * (1 + 2 * beta * ru);
  return k;
}

/// T* = base^exponent (§5.6): base = 2 r_ beta B_r C1^(2 beta r_+1)/(C2 sigma_eff2), exponent = 1/(2 beta r_).
template <class Real> struct crossover_power { Real base, exponent; };

/// The two parts of T* (§5.6). Throws domain_error for r = 1 (no constant B_r) and sigma_eff2 <= 0.
template <class Real> crossover_power<Real> crossover_power_of(const Real& beta, const Real& r, const Real& sigma_eff2) {
  using std::pow;
  auto c = powerlaw_constants_of(beta, r);
  if (!c.has_B) throw domain_error("r", "1", "r != 1", "at r = 1 the bias is ~ kappa^2 log(1/kappa): no power-law constant B_r");
  if (!(sigma_eff2 > 0)) throw domain_error("sigma-eff2", value_text(sigma_eff2), "sigma-eff2 > 0");
  const Real ru = r_under(r);
  return {2 * ru * beta * c.B * pow(c.C1, 2 * beta * ru + 1) / (c.C2 * sigma_eff2), 1 / (2 * beta * ru)};
}

template <class Real> Real crossover_T(const Real& beta, const Real& r, const Real& sigma_eff2) {
  using std::pow;
  const auto p = crossover_power_of(beta, r, sigma_eff2);
  return Real(pow(p.base, p.exponent));
}

/// log10 T* without forming T* (which overflows any number format as r -> 0, growing like 10^(c/r)).
template <class Real> Real crossover_log10_T(const Real& beta, const Real& r, const Real& sigma_eff2) {
  using std::log10;
  const auto p = crossover_power_of(beta, r, sigma_eff2);
  return Real(log10(p.base) * p.exponent);
}

}  // namespace collapse
