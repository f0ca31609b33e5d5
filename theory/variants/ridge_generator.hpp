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
#pragma once

#include "theory/ridge_de.hpp"

#include <string>
#include <vector>

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

namespace detail {

template <class Real> void check_ridge_generator(const spectrum<Real>& s, const ridge_generator_params<Real>& p) {
  if (!(p.n >= 0) || p.n != static_cast<long>(p.n) || p.n > 10000)
    throw domain_error("n", value_text(p.n), "an integer 0 <= n <= 10000");
  if (!(p.sigma02 >= 0)) throw domain_error("sigma02", value_text(p.sigma02), "sigma02 >= 0");
  if (!(p.T0 >= 1)) throw domain_error("T0", value_text(p.T0), "T0 >= 1");
  if (!(p.lambda0 >= 0)) throw domain_error("lambda0", value_text(p.lambda0), "lambda0 >= 0");
  if (p.lambda0 == 0 && !s.infinite() && !(p.T0 < s.dimension()))
    throw domain_error("lambda0", "0", "lambda0 > 0 when T0 >= d = " + value_text(s.dimension()),
                       "an OLS generator (T0 >= d + 2) has the exact §2 results: use ols-exact or ridge-risk");
}

/// γ_{n,i}, i = 0..n−1, of m^(n) = w2 s^{2n} + Σ_i γ_{n,i} g s^{2i}, with coupling κ0²/D0 and noise σ0²/D0.
template <class Real>
std::vector<Real> ridge_chain_gammas(const spectrum<Real>& s, const Real& k0, const Real& coupling, const Real& noise, long n) {
  std::vector<Real> gamma;
  for (long k = 1; k <= n; ++k) {
    // Σ_j g_j m_j^(k−1) = Σ λ⁻¹ w2 s^{2k} + Σ_i γ_{k−1,i} Σ λ⁻² s^{2i+4}   (g = s²/λ)
    Real weighted = s.value({-1, 1, {{k0, static_cast<int>(2 * k)}}});
    for (std::size_t i = 0; i < gamma.size(); ++i)
      weighted += gamma[i] * s.value({-2, 0, {{k0, static_cast<int>(2 * i + 4)}}});
    gamma.insert(gamma.begin(), coupling * weighted + noise);
  }
  return gamma;
}

/// c_u = #{(l, l') : l + l' = u, 0 ≤ l, l' < n}: (Σ_{l<n} x^l)² = Σ_{u=0}^{2n−2} c_u x^u.
inline long pair_count(long u, long n) { return (u < n ? u : 2 * n - 2 - u) + 1; }

}  // namespace detail

/// E_test(ŵ_n) of the ridge-generator chain alone (§C.2, DE). For λ0 = 0 requires T0 < d (then §4.3).
/// Throws domain_error naming n, sigma02, T0 or lambda0; convergence_error if κ0 cannot be certified.
template <class Real>
ridge_generator_result<Real> ridge_generator_chain(const spectrum<Real>& s, const ridge_generator_params<Real>& p) {
  detail::check_ridge_generator(s, p);
  ridge_generator_result<Real> r;
  r.kappa0 = p.lambda0 > 0 ? solve_kappa(s, p.T0, p.lambda0) : solve_kappa0(s, p.T0);
  const Real& k0 = r.kappa0.kappa;
  const long n = static_cast<long>(p.n);
  const Real G = tr_sigma_Q2(s, k0);
  r.D0 = (p.lambda0 > 0 ? Real(p.T0 * p.lambda0 / k0) : Real(0)) + k0 * G;
  const auto gamma = detail::ridge_chain_gammas(s, k0, Real(k0 * k0 / r.D0), Real(p.sigma02 / r.D0), n);
  // Σ λ w2 (1 − sⁿ)² = κ0² Σ_u c_u Σ λ⁻¹ w2 s^{u+2};   Σ_j λ_j Σ_i γ_i g_j s_j^{2i} = Σ_i γ_i df_{2i+2}(κ0)
  Real e = 0;
  for (long u = 0; u <= 2 * n - 2; ++u) e += Real(detail::pair_count(u, n)) * s.value({-1, 1, {{k0, static_cast<int>(u + 2)}}});
  e *= k0 * k0;
  for (long i = 0; i < n; ++i) e += gamma[static_cast<std::size_t>(i)] * df(s, k0, static_cast<int>(2 * i + 2));
  r.generator_error = e;
  r.shrinkage = n == 0 ? Real(1) : Real(s.value({1, 1, {{k0, static_cast<int>(n)}}}) / signal_norm(s));
  r.total = e;
  return r;
}

/// E_n of downstream ridge (T, λ, σ²) trained on labels of the n-th ridge generator (§C.2, DE).
/// Throws as ridge_generator_chain, and domain_error naming sigma2 or lambda (λ = 0 at d = T).
template <class Real>
ridge_generator_result<Real> ridge_generator_risk(const spectrum<Real>& s, const ridge_generator_params<Real>& p) {
  if (!(p.sigma2 >= 0)) throw domain_error("sigma2", value_text(p.sigma2), "sigma2 >= 0");
  if (!(p.T >= 1)) throw domain_error("T", value_text(p.T), "T >= 1");
  if (p.lambda == 0 && !s.infinite() && s.dimension() == p.T)
    throw domain_error("lambda", "0", "lambda > 0 when d = T", "the ridgeless variance is infinite at d = T (§8.2)");
  ridge_generator_result<Real> r = ridge_generator_chain(s, p);
  const Real& k0 = r.kappa0.kappa;
  const long n = static_cast<long>(p.n);
  const auto gamma = detail::ridge_chain_gammas(s, k0, Real(k0 * k0 / r.D0), Real(p.sigma02 / r.D0), n);
  r.kappa = solve_kappa(s, p.T, p.lambda);
  const Real& k = r.kappa.kappa;
  const auto pc = ridge_pieces_at(s, p.T, k, p.lambda, false);
  // Σ λ w2 (1 − t sⁿ)² = κ² Σλ⁻¹w2 t² + 2κκ0 Σ_{l<n} Σλ⁻¹w2 t² s^{l+1} + κ0² Σ_u c_u Σλ⁻¹w2 t² s^{u+2}
  auto signal = [&](int m0) { return s.value({-1, 1, {{k, 2}, {k0, m0}}}); };
  Real bias = k * k * s.value({-1, 1, {{k, 2}}});
  for (long l = 0; l < n; ++l) bias += 2 * k * k0 * signal(static_cast<int>(l + 1));
  for (long u = 0; u <= 2 * n - 2; ++u) bias += k0 * k0 * Real(detail::pair_count(u, n)) * signal(static_cast<int>(u + 2));
  // the chain's fluctuation seen through the downstream hat matrix: Σ_i γ_i Σ t² s^{2i+2}
  Real fluctuation = 0;
  for (long i = 0; i < n; ++i) fluctuation += gamma[static_cast<std::size_t>(i)] * s.value({0, 0, {{k, 2}, {k0, static_cast<int>(2 * i + 2)}}});
  // κ² Σ λ m/(λ+κ)² = κ² [Σ λ⁻¹ w2 t² s^{2n} + Σ_i γ_i Σ λ⁻² t² s^{2i+2}]
  Real second_moment = 0;
  if (k > 0) {
    second_moment = signal(static_cast<int>(2 * n));
    for (long i = 0; i < n; ++i) second_moment += gamma[static_cast<std::size_t>(i)] * s.value({-2, 0, {{k, 2}, {k0, static_cast<int>(2 * i + 2)}}});
    second_moment *= k * k;
  }
  const Real variance_factor = pc.df2 / pc.T_minus_df2;
  r.bias = bias + second_moment * variance_factor;
  r.collapse_variance = fluctuation;
  r.variance = p.sigma2 * variance_factor;
  r.total = r.bias + r.collapse_variance + r.variance;
  return r;
}

}  // namespace collapse::variants
