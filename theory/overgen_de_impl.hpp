// theory/overgen_de_impl.hpp -- the definitions of theory/overgen_de.hpp (its header comment gives the formulas, §
// references and verification). Inside this project's build only theory/instances/overgen_de.cpp and tests that
// need other scalar types include this file (issue 15 item 7).
// Verified by: tests/theory/test_de.cpp (isotropic §4.1/§4.2 closed forms; §3.3 reduction),
// tests/theory/test_edge_sweep.cpp (Σ = I against §4.2 for T ∈ {d−1, …, d+2}, λ from 0 to 1e300; the threshold
// d = T on an explicit spectrum against the §4.3 recursion on direct sums).
#pragma once

#include "theory/overgen_de.hpp"
#include "theory/ridge_de_impl.hpp"

#include "theory/ridge_de.hpp"

#include <utility>
#include <vector>

namespace collapse {
namespace detail {

/// γ_{n,i}, i = 0..n−1, of m^(n) = w2 s^{2n} + Σ_i γ_{n,i} g s^{2i} (§4.3 recursion), with the chain's
/// coupling and noise coefficients: γ_{k,0} = coupling·Σ_j g_j m_j^(k−1) + noise, γ_{k,i+1} = γ_{k−1,i}.
/// The min-norm chain of §4.3 has coupling κ0/G and noise σ0²/(κ0 G); a ridge generator (theory/variants/
/// ridge_generator.hpp) κ0²/D0 and σ0²/D0.
template <class Real>
std::vector<Real> chain_gammas(const spectrum<Real>& s, const Real& kappa0, const Real& coupling, const Real& noise, long n) {
  std::vector<Real> gamma;  // current generation's coefficients
  for (long k = 1; k <= n; ++k) {
    // Σ_j g_j m_j^(k−1) = Σ λ^-1 w2 s^{2k} + Σ_i γ_{k−1,i} Σ λ^-2 s^{2i+4}   (g = s²/λ)
    Real M = s.value({-1, 1, {{kappa0, static_cast<int>(2 * k)}}});
    for (std::size_t i = 0; i < gamma.size(); ++i) M += gamma[i] * s.value({-2, 0, {{kappa0, static_cast<int>(2 * i + 4)}}});
    gamma.insert(gamma.begin(), coupling * M + noise);
  }
  return gamma;
}

/// c_u = #{(l, l') : l + l' = u, 0 ≤ l, l' < n}: (Σ_{l<n} x^l)² = Σ_{u=0}^{2n−2} c_u x^u.
inline long pair_count(long u, long n) { return (u < n ? u : 2 * n - 2 - u) + 1; }

/// E_test(ŵ_n) of a chain with mean shrinkage sⁿ and coefficients γ (§4.3):
/// Σ λ w2 (1−sⁿ)² = κ0² Σ_{u=0}^{2n−2} c_u Σ λ^-1 w2 s^{u+2}, plus Σ λ Σ_i γ_i g s^{2i} = Σ_i γ_i df_{2i+2}(κ0).
template <class Real> Real chain_generator_error(const spectrum<Real>& s, const Real& k0, const std::vector<Real>& gamma, long n) {
  Real e = 0;
  for (long u = 0; u <= 2 * n - 2; ++u) e += Real(pair_count(u, n)) * s.value({-1, 1, {{k0, static_cast<int>(u + 2)}}});
  e *= k0 * k0;
  for (long i = 0; i < n; ++i) e += gamma[static_cast<std::size_t>(i)] * df(s, k0, static_cast<int>(2 * i + 2));
  return e;
}

/// The downstream ridge (T, λ, σ²) on the labels of a chain given by (κ0, γ, n) (§4.3, last line): fills
/// kappa, bias, collapse_variance, variance and total of `r`. At λ = 0 and d = T the amplified terms are
/// their λ → 0+ limits (theory/threshold.hpp). Throws domain_error naming lambda (σ² > 0 at d = T).
template <class Real, class Result>
void chain_downstream(const spectrum<Real>& s, const Real& k0, const std::vector<Real>& gamma, long n, const Real& T,
                      const Real& lambda, const Real& sigma2, Result& r) {
  r.kappa = solve_kappa(s, T, lambda);
  const Real& k = r.kappa.kappa;
  auto pc = ridge_pieces_at(s, T, k, lambda, false);
  // Σ λ w2 (1 − t sⁿ)² = κ² Σλ^-1 w2 t² + 2κκ0 Σ_{l<n} Σλ^-1 w2 t² s^{l+1} + κ0² Σ_u c_u Σλ^-1 w2 t² s^{u+2}
  Real bias = k * k * s.value({-1, 1, {{k, 2}}});
  for (long l = 0; l < n; ++l) bias += 2 * k * k0 * s.value({-1, 1, {{k, 2}, {k0, static_cast<int>(l + 1)}}});
  for (long u = 0; u <= 2 * n - 2; ++u)
    bias += k0 * k0 * Real(pair_count(u, n)) * s.value({-1, 1, {{k, 2}, {k0, static_cast<int>(u + 2)}}});
  // + Σ_i γ_i Σ t² s^{2i+2}   (the chain's noise seen through the downstream hat matrix)
  Real chain_noise = 0;
  for (long i = 0; i < n; ++i) chain_noise += gamma[static_cast<std::size_t>(i)] * s.value({0, 0, {{k, 2}, {k0, static_cast<int>(2 * i + 2)}}});
  // κ² Σ λ m/(λ+κ)² = κ² [Σ λ^-1 w2 t² s^{2n} + Σ_i γ_i Σ λ^-2 t² s^{2i+2}]
  Real weighted_m = 0;
  if (k > 0) {
    weighted_m = s.value({-1, 1, {{k, 2}, {k0, static_cast<int>(2 * n)}}});
    for (long i = 0; i < n; ++i) weighted_m += gamma[static_cast<std::size_t>(i)] * s.value({-2, 0, {{k, 2}, {k0, static_cast<int>(2 * i + 2)}}});
    weighted_m *= k * k;
  }
  // At the threshold d = T with λ = 0 (theory/threshold.hpp): κ² Σλm/(λ+κ)² · df2/(T − df2) → 0 (the
  // square downstream design interpolates ŵ_n, so E_n → E_test(ŵ_n)); σ² df2/(T − df2) is refused unless σ² = 0.
  const auto gap = pc.gap();
  r.bias = bias + gap.vanishing_over(weighted_m * pc.df2);
  r.collapse_variance = chain_noise;
  r.variance = gap.noise_over(sigma2, pc.df2);
  r.total = r.bias + r.collapse_variance + r.variance;
}

template <class Real> void check_overgen(const spectrum<Real>& s, const overgen_params<Real>& p) {
  if (!(p.n >= 0)) throw domain_error("n", value_text(p.n), "n >= 0");
  if (!(p.sigma02 >= 0)) throw domain_error("sigma02", value_text(p.sigma02), "sigma02 >= 0");
  if (!(p.T0 >= 1)) throw domain_error("T0", value_text(p.T0), "1 <= T0 < d");
  if (!s.infinite() && !(p.T0 < s.dimension()))
    throw domain_error("T0", value_text(p.T0), "T0 < d = " + value_text(s.dimension()) + " (over-parameterised generator)", "for T0 >= d + 2 use ridge-risk (§3.3)");
}

}  // namespace detail

namespace detail {

/// The min-norm chain of §4.3 evaluated once: the result's κ0, generator error and shrinkage, and the γ
/// coefficients the downstream step needs (so overgen_risk does not solve the chain twice).
template <class Real> std::pair<overgen_result<Real>, std::vector<Real>> overgen_chain(const spectrum<Real>& s, const overgen_params<Real>& p) {
  check_overgen(s, p);
  overgen_result<Real> r;
  r.kappa0 = solve_kappa0(s, p.T0);
  const Real& k0 = r.kappa0.kappa;
  const long n = static_cast<long>(p.n);
  const Real G = tr_sigma_Q2(s, k0);
  auto gamma = chain_gammas(s, k0, Real(k0 / G), Real(p.sigma02 / (k0 * G)), n);
  r.generator_error = chain_generator_error(s, k0, gamma, n);
  r.shrinkage = n == 0 ? Real(1) : s.value({1, 1, {{k0, static_cast<int>(n)}}}) / signal_norm(s);
  r.total = r.generator_error;
  return {std::move(r), std::move(gamma)};
}

}  // namespace detail

// overgen_generator_risk: documented in theory/overgen_de.hpp
template <class Real> overgen_result<Real> overgen_generator_risk(const spectrum<Real>& s, const overgen_params<Real>& p) {
  return detail::overgen_chain(s, p).first;
}

// overgen_risk: documented in theory/overgen_de.hpp
template <class Real> overgen_result<Real> overgen_risk(const spectrum<Real>& s, const overgen_params<Real>& p) {
  detail::check_overgen(s, p);
  if (!(p.sigma2 >= 0)) throw domain_error("sigma2", value_text(p.sigma2), "sigma2 >= 0");
  auto [r, gamma] = detail::overgen_chain(s, p);
  detail::chain_downstream(s, r.kappa0.kappa, gamma, static_cast<long>(p.n), p.T, p.lambda, p.sigma2, r);
  return r;
}

}  // namespace collapse
