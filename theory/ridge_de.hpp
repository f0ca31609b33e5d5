// theory/ridge_de.hpp -- deterministic equivalent of the ridge test error after n generations of an
// under-parameterised generator (theory document §3.2–§3.3), for any spectrum.
//
//   Bias ≃ B(κ)/(1 − df2/T),   Var ≃ σ² df2/(T − df2),
//   E_n ≃ Bias + Var + n σ0² ρ,   ρ = df2 (T + d − 2df1) / [(T0 − d − 1)(T − df2)],
//   σ_eff² = σ² + n σ0² (T + d − 2df1)/(T0 − d − 1),   so   E_n ≃ Bias + σ_eff² df2/(T − df2).
// Cancellation-free forms (§8.2–8.3), exact at the root of the κ equation:
//   T − df2 = Tλ/κ + κ tr(ΣQ²),   T + d − 2df1 = Tλ/κ + Σ_j κ/(λ_j+κ),   B summed as positive terms.
// Regime: DE (relative error O(1/d) in the proportional regime); λ = 0 with d ≥ T is the
// interpolation limit κ → κ_0. The prefactor 1/(T0−d−1) is exact (§2.2); needs T0 ≥ d + 2 when n ≥ 1 and σ0² > 0
// (σ0² = 0 with T0 ≥ d: the generators reproduce w0, no collapse term). At λ = 0 and d = T every term
// is its λ → 0+ limit (theory/threshold.hpp): finite unless σ² > 0.
// Verified by: tests/theory/test_de.cpp (isotropic closed form §3.5, λ → 0 limits = §2.3/§2.4),
// tests/theory/test_edge_sweep.cpp (the λ → 0+ limit at d = T, an explicit spectrum spanning 1e±120).
// Build time (issue 15 item 7): this is the interface. The definitions are in theory/ridge_de_impl.hpp; inside this
// project's build (COLLAPSE_THEORY_INSTANCES) they are compiled once per scalar type of eval/ (double, mpfr_real)
// in theory/instances/ridge_de.cpp and every other translation unit sees only the declarations below, so editing a
// formula rebuilds one translation unit. Another scalar type: include theory/ridge_de_impl.hpp. An installed,
// header-only consumer gets the definitions through this header, as before.
#pragma once

#include "theory/kappa.hpp"

namespace collapse {

template <class Real> struct ridge_params {
  Real T = 0, lambda = 0, sigma2 = 0;
  Real n = 0;                // number of generator steps (integer ≥ 0)
  Real T0 = 0, sigma02 = 0;  // generator sample size and noise (used when n ≥ 1)
};

template <class Real> struct ridge_risk_result {
  kappa_solution<Real> kappa;
  Real df1 = 0, df2 = 0;
  Real bias = 0, variance = 0, collapse = 0, rho = 0, sigma_eff2 = 0, total = 0;
};

/// The §3.3 deterministic equivalent of E_n for ridge with λ ≥ 0.
template <class Real> ridge_risk_result<Real> ridge_risk(const spectrum<Real>& s, const ridge_params<Real>& p);

/// The effective label-noise variance of §3.3, σ_eff² = σ² + n σ0² (T + d − 2df1)/(T0 − d − 1): with it in
/// place of σ², E_n ≃ Bias + σ_eff² df2/(T − df2). Computed in the cancellation-free form of ridge_risk
/// (same domain and errors, except that σ² > 0 at the threshold d = T with λ = 0 is not refused: σ_eff² does not
/// amplify it, and there T + d − 2df1 → 0, so σ_eff² → σ²); σ_eff² = σ² when n = 0.
template <class Real> Real effective_noise(const spectrum<Real>& s, const ridge_params<Real>& p);

#define COLLAPSE_RIDGE_DE_INSTANCES(EXTERN, R) \
  EXTERN template ridge_risk_result<R> ridge_risk<R>(const spectrum<R>&, const ridge_params<R>&); \
  EXTERN template R effective_noise<R>(const spectrum<R>&, const ridge_params<R>&);
#ifdef COLLAPSE_THEORY_INSTANCES
COLLAPSE_RIDGE_DE_INSTANCES(extern, double)
COLLAPSE_RIDGE_DE_INSTANCES(extern, mpfr_real)
#endif

}  // namespace collapse

#ifndef COLLAPSE_THEORY_INSTANCES
#include "theory/ridge_de_impl.hpp"
#endif
