// theory/overgen_de.hpp -- over-parameterised (T0 < d) min-norm generator chain for any spectrum:
// the deterministic-equivalent recursion of theory document §4.3, then downstream ridge.
//
//   κ0: df1(κ0) = T0;  s_j = λ_j/(λ_j+κ0),  g_j = λ_j/(λ_j+κ0)²,  G = Σ_j g_j
//   m_j^(k) = s_j² m_j^(k−1) + (κ0/G)(Σ_i g_i m_i^(k−1)) g_j + σ0² g_j/(κ0 G),   m^(0) = w2
//   E_test(ŵ_n) ≃ Σ_j λ_j (m_j^(n) − 2 s_jⁿ w2_j + w2_j)
//   E_n ≃ Σ_j λ_j [t_j² m_j − 2 t_j s_jⁿ w2_j + w2_j] + κ²(Σ_j λ_j m_j/(λ_j+κ)²)·df2/(T−df2) + σ² df2/(T−df2)
//
// The recursion is carried symbolically, for every spectrum including d = ∞:
//   m_j^(k) = w2_j s_j^{2k} + Σ_{i<k} γ_{k,i} g_j s_j^{2i},  γ_{k,i+1} = γ_{k−1,i},
//   γ_{k,0} = (κ0/G) Σ_j g_j m_j^(k−1) + σ0²/(κ0 G)   (all coefficients positive),
// and every bracket that would cancel is expanded into positive terms (§8.3):
//   1 − s^n = (κ0/λ) s Σ_{l<n} s^l,    1 − t sⁿ = (t/λ)[κ + κ0 Σ_{l<n} s^{l+1}].
// Regime: DE; exact for Σ = I in the proportional limit (§4.2); relative error ~1–2.5 % at d = 300.
// At λ = 0 and d = T the downstream terms are their λ → 0+ limits (theory/threshold.hpp): E_n → E_test(ŵ_n)
// when σ² = 0, refused when σ² > 0.
// Verified by: tests/theory/test_de.cpp (isotropic §4.1/§4.2 closed forms; §3.3 reduction),
// tests/theory/test_edge_sweep.cpp (Σ = I against §4.2 for T ∈ {d−1, …, d+2}, λ from 0 to 1e300; the threshold
// d = T on an explicit spectrum against the §4.3 recursion on direct sums).
// Build time (issue 15 item 7): this is the interface. The definitions are in theory/overgen_de_impl.hpp; inside
// this project's build (COLLAPSE_THEORY_INSTANCES) they are compiled once per scalar type of eval/ (double,
// mpfr_real) in theory/instances/overgen_de.cpp and every other translation unit sees only the declarations below,
// so editing a formula rebuilds one translation unit. Another scalar type: include theory/overgen_de_impl.hpp. An
// installed, header-only consumer gets the definitions through this header, as before.
#pragma once

#include "theory/kappa.hpp"

namespace collapse {

template <class Real> struct overgen_params {
  Real T0 = 0, n = 0, sigma02 = 0;
  // downstream (ignored by overgen_generator_risk)
  Real T = 0, lambda = 0, sigma2 = 0;
};

template <class Real> struct overgen_result {
  kappa_solution<Real> kappa0;
  kappa_solution<Real> kappa;  // downstream (zero when not computed)
  Real generator_error = 0;    // E_test(ŵ_n)
  Real shrinkage = 0;          // Σ_j λ_j w2_j s_j^n / ‖w0‖²_Σ : surviving fraction of the signal's mean
  Real bias = 0, variance = 0, collapse_variance = 0, total = 0;  // downstream pieces
};

/// E_test(ŵ_n) of the min-norm chain alone (§4.3).
/// Throws domain_error naming n, sigma02 or T0 (1 <= T0 < d); convergence_error if κ0 cannot be certified.
template <class Real> overgen_result<Real> overgen_generator_risk(const spectrum<Real>& s, const overgen_params<Real>& p);

/// E_n of downstream ridge (T, λ, σ²) trained on labels of the n-th min-norm generator (§4.3).
/// Throws as overgen_generator_risk, and domain_error naming sigma2, or lambda (λ = 0 at d = T with σ² > 0).
template <class Real> overgen_result<Real> overgen_risk(const spectrum<Real>& s, const overgen_params<Real>& p);

#define COLLAPSE_OVERGEN_DE_INSTANCES(EXTERN, R) \
  EXTERN template overgen_result<R> overgen_generator_risk<R>(const spectrum<R>&, const overgen_params<R>&); \
  EXTERN template overgen_result<R> overgen_risk<R>(const spectrum<R>&, const overgen_params<R>&);
#ifdef COLLAPSE_THEORY_INSTANCES
COLLAPSE_OVERGEN_DE_INSTANCES(extern, double)
COLLAPSE_OVERGEN_DE_INSTANCES(extern, mpfr_real)
#endif

}  // namespace collapse

#ifndef COLLAPSE_THEORY_INSTANCES
#include "theory/overgen_de_impl.hpp"
#endif
