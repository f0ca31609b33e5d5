// theory/variants/mixing.hpp -- mixing real and synthetic data (issue 12; Dohmatob, Feng, Subramonyam &
// Kempe 2024, "Strong Model Collapse"), OLS downstream. Derivation: docs/theory-extensions.md §B.
//
// Protocol (§B.1). One OLS fit on T rows x_r ~ N(0, Σ): T1 = T − T2 real rows labelled x·w0 + N(0, σ1²),
// T2 synthetic rows labelled x·(w0 + Δ) + N(0, σ2²); p2 = T2/T, p1 = 1 − p2. Then (§B.2, EXACT, any Σ)
//   E_test(ŵ) = (p1σ1² + p2σ2²)·d/(T−d−1) + ‖Δ‖²_Σ · [ p2² + p1p2 · c(d, T) ],
//   c(d, T) = (T²d + T² − Td − 5T + 2d + 2) / ((T−1)(T+2)(T−d−1)),
// from ŵ − w0 = W⁻¹W2Δ + W⁻¹XᵀE (W = XᵀX, W2 the synthetic rows' part), exchangeability of the rows,
// E[tr W · tr W⁻¹] = (Td−2)·d/(T−d−1) (Stein's lemma) and the Haar/Beta law of one row of the polar factor.
// Proportional limit (ASYMPTOTIC, the formula): c → φ/(1−φ), giving σ²φ/(1−φ) + ‖Δ‖²(p2² + p1p2 φ/(1−φ)).
// The floor p2²‖Δ‖²_Σ remains as T → ∞ at fixed p2.
// Verified by: tests/theory/test_variants.cpp (Monte Carlo of the literal protocol with z-rule, the d = 1
// Beta closed form in exact rationals, the p2 ∈ {0, 1} limits), generator tests/theory/variants_mc/variants_mc.py.
#pragma once

#include "theory/errors.hpp"
#include "theory/real.hpp"

#include <string>

namespace collapse::variants {

template <class Real> struct mixing_result {
  Real total;
  Real variance;  // (p1σ1² + p2σ2²)·d/(T−d−1)
  Real bias;      // ‖Δ‖²_Σ [p2² + p1p2 c]
  Real floor;     // p2²‖Δ‖²_Σ: the part of the bias no amount of data removes at fixed p2
};

namespace detail {
template <class Real> void require_nonneg_mix(const char* name, const Real& v) {
  if (!(v >= 0)) throw domain_error(name, value_text(v), std::string(name) + " >= 0");
}
}  // namespace detail

/// c(d, T) of §B.2: E‖W⁻¹Z Δ‖²/(p1p2‖Δ‖²) with Z = p1W2 − p2W1; → φ/(1−φ) in the proportional limit.
/// Inputs: integers d ≥ 1, T ≥ d + 2 (checked by the callers).
template <class Real> Real mixing_excess_factor(long d, long T) {
  const Real t(T), dd(d);
  return (t * t * dd + t * t - t * dd - 5 * t + 2 * dd + 2) / ((t - 1) * (t + 2) * (t - dd - 1));
}

/// Exact finite-sample test error of OLS on a mix of T − T2 real and T2 synthetic rows (§B.2, EXACT for
/// every Σ > 0 and Gaussian rows). `delta_norm2` = ‖Δ‖²_Σ = ΔᵀΣΔ (for Σ = I, ‖Δ‖²);
/// sigma2_real = σ1², sigma2_synth = σ2² (the setting has σ1 = σ2 = σ).
/// Inputs: integers d ≥ 1, T ≥ d + 2, 0 ≤ T2 ≤ T; all variances ≥ 0.
/// Throws domain_error naming T (T ≤ d + 1: E tr W⁻¹ infinite or OLS undefined), T2, d, or the variance.
template <class Real>
mixing_result<Real> mixing_ols(long d, long T, long T2, const Real& sigma2_real, const Real& sigma2_synth, const Real& delta_norm2) {
  if (d < 1) throw domain_error("d", std::to_string(d), "d >= 1");
  if (T < d + 2)
    throw domain_error("T", std::to_string(T), "T >= d + 2 = " + std::to_string(d + 2),
                       "OLS on T rows: E tr(X'X)^-1 is infinite or undefined for T <= d + 1 (§2.3)");
  if (T2 < 0 || T2 > T) throw domain_error("T2", std::to_string(T2), "0 <= T2 <= T = " + std::to_string(T));
  detail::require_nonneg_mix("sigma2_real", sigma2_real);
  detail::require_nonneg_mix("sigma2_synth", sigma2_synth);
  detail::require_nonneg_mix("delta_norm2", delta_norm2);
  const Real p2 = Real(T2) / Real(T), p1 = Real(T - T2) / Real(T);
  mixing_result<Real> r;
  r.variance = (p1 * sigma2_real + p2 * sigma2_synth) * Real(d) / Real(T - d - 1);
  r.floor = p2 * p2 * delta_norm2;
  r.bias = r.floor + delta_norm2 * p1 * p2 * mixing_excess_factor<Real>(d, T);
  r.total = r.variance + r.bias;
  return r;
}

/// The proportional limit (ASYMPTOTIC; d, T → ∞, d/T → φ ∈ (0, 1), p2 fixed): the formula
///   E ≃ σ²φ/(1−φ) + ‖Δ‖²_Σ (p2² + p1p2 φ/(1−φ)),   σ² = p1σ1² + p2σ2² when the two noises differ.
/// Relative error O(1/(T−d)) against mixing_ols (§B.3). Throws domain_error naming phi, p2 or a variance.
template <class Real>
mixing_result<Real> mixing_ols_proportional(const Real& phi, const Real& p2, const Real& sigma2, const Real& delta_norm2) {
  if (!(phi > 0 && phi < 1)) throw domain_error("phi", value_text(phi), "0 < phi < 1", "OLS needs T > d");
  if (!(p2 >= 0 && p2 <= 1)) throw domain_error("p2", value_text(p2), "0 <= p2 <= 1");
  detail::require_nonneg_mix("sigma2", sigma2);
  detail::require_nonneg_mix("delta_norm2", delta_norm2);
  const Real ratio = phi / (1 - phi), p1 = 1 - p2;
  mixing_result<Real> r;
  r.variance = sigma2 * ratio;
  r.floor = p2 * p2 * delta_norm2;
  r.bias = r.floor + delta_norm2 * p1 * p2 * ratio;
  r.total = r.variance + r.bias;
  return r;
}

}  // namespace collapse::variants
