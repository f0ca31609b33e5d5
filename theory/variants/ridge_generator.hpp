// theory/variants/ridge_generator.hpp -- ridge-regularised generators (issue 12; theory document §7):
// ŵ_k = (S_k + λ0)⁻¹ X_kᵀ(X_k ŵ_{k−1} + E_k)/T0, any T0 (above or below d), then downstream ridge (T, λ, σ²).
// Derivation: docs/theory-extensions.md §C.
//
// Deterministic equivalent (§C.2), κ0 = κ(λ0, T0) of §3.1, s_j = λ_j/(λ_j+κ0), g_j = λ_j/(λ_j+κ0)², G = Σ g_j,
//   D0 = T0 − df2(κ0) = T0λ0/κ0 + κ0 G     (positive form, §8.2),
//   m_j^(k) = s_j² m_j^(k−1) + (κ0²/D0)(Σ_i g_i m_i^(k−1)) g_j + σ0² g_j/D0,   m^(0) = w2,
//   E[ŵ_n]_j ≃ s_jⁿ w0_j,   E_test(ŵ_n) ≃ Σ_j λ_j (m_j^(n) − 2 s_jⁿ w2_j + w2_j),
//   E_n ≃ Σ_j λ_j [t_j² m_j − 2 t_j s_jⁿ w2_j + w2_j] + κ²(Σ_j λ_j m_j/(λ_j+κ)²)·df2/(T−df2) + σ² df2/(T−df2).
// This is §4.3 with κ0 → κ(λ0, T0) AND G → D0/κ0 = G + T0λ0/κ0² in its two scalar coefficients: the
// literal substitution "κ0 → κ(λ0, T0)" of §7 keeps κ0/G and σ0²/(κ0G), which is wrong for λ0 > 0 (§C.3,
// Monte Carlo: off by 5–60 %). λ0 = 0 with T0 < d is exactly §4.3 (D0 = κ0G); λ0 → 0 with T0 > d gives §2
// with the DE prefactor 1/(T0−d) in place of the exact 1/(T0−d−1).
// The recursion is carried symbolically as in theory/overgen_de.hpp (so d = ∞ works):
//   m_j^(k) = w2_j s_j^{2k} + Σ_{i<k} γ_{k,i} g_j s_j^{2i},  γ_{k,i+1} = γ_{k−1,i},
//   γ_{k,0} = (κ0²/D0) Σ_j g_j m_j^(k−1) + σ0²/D0,
// with every cancelling bracket expanded into positive terms: 1 − sⁿ = (κ0/λ) s Σ_{l<n} s^l,
// 1 − t sⁿ = (t/λ)[κ + κ0 Σ_{l<n} s^{l+1}].
// Status: DE (relative error O(1/d)); for Σ = I the chain reduces EXACTLY to three Wishart spectral moments
// (§C.1), whose DEs are the isotropic closed forms of §4.2 at (φ0, κ0).
// Verified by: tests/theory/test_variants.cpp (Monte Carlo of the literal protocol, isotropic closed form,
// λ0 = 0 against theory/overgen_de.hpp), generator tests/theory/variants_mc/variants_mc.py.
// Build time (issue 15 item 7): this is the interface. The definitions are in
// theory/variants/ridge_generator_impl.hpp; inside this project's build (COLLAPSE_THEORY_INSTANCES) they are
// compiled once per scalar type of eval/ (double, mpfr_real) in theory/instances/ridge_generator.cpp and every
// other translation unit sees only the declarations below, so editing a formula rebuilds one translation unit.
// Another scalar type: include theory/variants/ridge_generator_impl.hpp. An installed, header-only consumer gets
// the definitions through this header, as before.
#pragma once

#include "theory/kappa.hpp"

namespace collapse::variants {

template <class Real> struct ridge_generator_params {
  Real T0 = 0, lambda0 = 0, n = 0, sigma02 = 0;  // the generators
  Real T = 0, lambda = 0, sigma2 = 0;            // downstream (ignored by ridge_generator_chain)
};

template <class Real> struct ridge_generator_result {
  kappa_solution<Real> kappa0;  // κ(λ0, T0)
  kappa_solution<Real> kappa;   // downstream κ(λ, T) (zero when not computed)
  Real D0 = 0;                  // T0 − df2(κ0)
  Real generator_error = 0;     // E_test(ŵ_n)
  Real shrinkage = 0;           // Σ_j λ_j w2_j s_jⁿ / ‖w0‖²_Σ: surviving fraction of the signal's mean
  Real bias = 0, variance = 0, collapse_variance = 0, total = 0;  // downstream pieces
};

template <class Real> struct ridge_generator_lambda_opt_result {
  Real lambda = 0;                 // λ* of the downstream ridge fit
  ridge_generator_result<Real> at; // the DE pieces at λ* (at.total = E_n(λ*))
  int iterations = 0;
};

/// E_test(ŵ_n) of the ridge-generator chain alone (§C.2, DE). For λ0 = 0 requires T0 < d (then §4.3).
/// Throws domain_error naming n, sigma02, T0 or lambda0; convergence_error if κ0 cannot be certified.
template <class Real>
ridge_generator_result<Real> ridge_generator_chain(const spectrum<Real>& s, const ridge_generator_params<Real>& p);

/// E_n of downstream ridge (T, λ, σ²) trained on labels of the n-th ridge generator (§C.2, DE).
/// Throws as ridge_generator_chain, and domain_error naming sigma2, or lambda (λ = 0 at d = T with σ² > 0;
/// with σ² = 0 the threshold gives its λ → 0+ limit, theory/threshold.hpp).
template <class Real>
ridge_generator_result<Real> ridge_generator_risk(const spectrum<Real>& s, const ridge_generator_params<Real>& p);

/// λ* = argmin over λ > 0 of the downstream E_n(λ) of ridge_generator_risk (extensions §C.4, DE): how the
/// optimal λ of §6 moves when the n generators are ridge(λ0) fits. `p.lambda` is ignored.
/// Method: E_n on a log grid of 321 points λ = s·10^(−8 … 8), s = tr Σ/T + 1, in double brackets the smallest
/// grid value; Brent's minimisation (boost::math::tools::brent_find_minima) on log λ refines it in Real to
/// half its digits (an interior minimum is flat: λ* carries about half the digits of E_n(λ*)).
/// Throws as ridge_generator_risk, and convergence_error when Brent's minimum is at an end of its bracket, when
/// E_n(λ*) is not below the null predictor's ‖w0‖²_Σ (λ* = ∞), or when the smallest grid value is at an end of the grid:
/// at the top the DE keeps decreasing up to λ = 1e8·s (the best downstream model is the null predictor,
/// λ* = ∞: no finite optimum to report), at the bottom the optimum is below 1e-8·s (not resolved here).
template <class Real>
ridge_generator_lambda_opt_result<Real> ridge_generator_lambda_opt(const spectrum<Real>& s, ridge_generator_params<Real> p);

#define COLLAPSE_RIDGE_GENERATOR_INSTANCES(EXTERN, R) \
  EXTERN template ridge_generator_result<R> ridge_generator_chain<R>(const spectrum<R>&, const ridge_generator_params<R>&); \
  EXTERN template ridge_generator_result<R> ridge_generator_risk<R>(const spectrum<R>&, const ridge_generator_params<R>&); \
  EXTERN template ridge_generator_lambda_opt_result<R> ridge_generator_lambda_opt<R>(const spectrum<R>&, ridge_generator_params<R>);
#ifdef COLLAPSE_THEORY_INSTANCES
COLLAPSE_RIDGE_GENERATOR_INSTANCES(extern, double)
COLLAPSE_RIDGE_GENERATOR_INSTANCES(extern, mpfr_real)
#endif

}  // namespace collapse::variants

#ifndef COLLAPSE_THEORY_INSTANCES
#include "theory/variants/ridge_generator_impl.hpp"
#endif
