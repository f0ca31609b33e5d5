// theory/exponents.hpp -- the exact exponent algebra of power-law scaling (theory document §5.4, §5.5).
//
// With λ = T^-ℓ, ℓ' = min(ℓ, β) (κ ≍ max(λ, T^-β), §5.2), r̲ = min(r, 1):
//   bias     ≍ T^(-2ℓ'r̲)                         (B(κ) ≍ κ^(2r̲), §5.3)
//   variance ≍ σ² T^(ℓ'/β − 1)                     (df2 ≍ κ^(-1/β), §5.3; clean σ > 0 only)
//   collapse ≍ T^(min(ℓ'/β, a) − a)  with T0 ≍ T^a (d = φ0 T0): df2 saturates at d when T^(ℓ'/β) ≫ d,
//             so a = 1 gives ℓ/β − 1, 0 < a < 1 gives ℓ/β − a while ℓ/β < a, and a fixed T0 (a = 0)
//             gives the floor 0 (the doc's "grows like T^(ℓ/β) until it saturates").
//   γ(ℓ) = −(largest exponent present) = min(2ℓ'r̲, 1 − ℓ'/β, a − min(ℓ'/β, a)),
//   ℓ_crit = β/(1 + 2βr̲), best γ = 2βr̲/(2βr̲+1) (× a for T0 ≍ T^a; 0 for fixed T0; 2βr̲ when clean
//   and noiseless, at any ℓ ≥ β).
// Every entry is an exact rational (GMP); the measured counterpart (local slopes of the DE at large T)
// is eval/powerlaw_scaling.hpp.
// Verified by: tests/eval/test_exponents.cpp (exact table vs DE slopes at T up to 1e12).
#pragma once

#include "theory/errors.hpp"
#include "theory/rational.hpp"

#include <optional>
#include <string>

namespace collapse {

namespace detail {
inline rational rmin(const rational& x, const rational& y) { return x < y ? x : y; }
inline void check_beta_r(const rational& beta, const rational& r) {
  if (!(beta > 1) || beta > 64)
    throw domain_error("beta", fraction_string(beta), "1 < beta <= 64", "the d = inf sums of §5.2 need beta > 1");
  if (!(r > 0)) throw domain_error("r", fraction_string(r), "r > 0", "source condition lambda_j w2_j = j^(-1-2 beta r) (§5.1)");
}

}  // namespace detail

/// How T0 (hence d = φ0 T0) grows with T (§5.4 table rows).
struct coupling {
  enum class kind { proportional, power, fixed, clean_noisy, clean_noiseless };
  kind type = kind::proportional;
  rational a{1};  // T0 ≍ T^a: 1 for proportional, 0 < a < 1 for power, 0 for fixed
  bool collapse() const { return type == kind::proportional || type == kind::power || type == kind::fixed; }
  std::string name() const;   // "T0 ∝ T", "T0 ≍ T^3/5", "T0 fixed", "clean σ>0", "clean σ=0"
  std::string ascii() const;  // "T0~T", "T0~T^3/5", "T0-fixed", "clean-noisy", "clean-noiseless"
  static coupling proportional() { return {kind::proportional, rational(1)}; }
  static coupling power(const rational& a);  // validates 0 < a ≤ 1
  static coupling fixed() { return {kind::fixed, rational(0)}; }
  static coupling clean_noisy() { return {kind::clean_noisy, rational(1)}; }
  static coupling clean_noiseless() { return {kind::clean_noiseless, rational(1)}; }
};

/// The §5.4 exponents at one (β, r, coupling, ℓ), every entry an exact rational.
struct predicted_exponents {
  rational beta, r, r_under, ell;
  rational ell_crit;                  // β/(1 + 2βr̲) (§5.5)
  rational bias_exponent;             // bias ∝ T^(−2ℓ'r̲)
  std::optional<rational> variance_exponent;  // ℓ'/β − 1 (clean σ > 0)
  std::optional<rational> collapse_exponent;  // min(ℓ'/β, a) − a (collapse couplings)
  rational gamma;                     // E_n ≍ T^(−γ) at this ℓ
  rational best_ell;                  // maximiser of γ(ℓ) (for clean σ = 0: β, meaning any ℓ ≥ β)
  std::string best_ell_text;          // "ℓ_crit", "a·ℓ_crit", "constant λ", "any ℓ ≥ β"
  rational best_gamma;
};

/// Validates β > 1 (β ≤ 64), r > 0, ℓ > 0 and returns the exact exponents (§5.4).
predicted_exponents predict_exponents(const rational& beta, const rational& r, const coupling& c, const rational& ell);

/// ℓ_crit = β/(1 + 2βr̲).
rational ell_crit(const rational& beta, const rational& r);

// ---- coupling ---------------------------------------------------------------------------------------

inline coupling coupling::power(const rational& a) {
  if (!(a > 0) || a > 1)
    throw domain_error("a", fraction_string(a), "0 < a <= 1", "T0 grows like T^a (§5.4); a fixed T0 is the coupling 'fixed'");
  if (a == 1) return proportional();
  return {kind::power, a};
}

inline std::string coupling::name() const {
  switch (type) {
    case kind::proportional: return "T0 ∝ T";
    case kind::power: return "T0 ≍ T^" + fraction_string(a);
    case kind::fixed: return "T0 fixed";
    case kind::clean_noisy: return "clean σ>0";
    case kind::clean_noiseless: return "clean σ=0";
  }
  return "?";
}

inline std::string coupling::ascii() const {
  switch (type) {
    case kind::proportional: return "T0~T";
    case kind::power: return "T0~T^" + fraction_string(a);
    case kind::fixed: return "T0-fixed";
    case kind::clean_noisy: return "clean-noisy";
    case kind::clean_noiseless: return "clean-noiseless";
  }
  return "?";
}

// ---- exact exponents (§5.4, §5.5) -------------------------------------------------------------------

inline rational ell_crit(const rational& beta, const rational& r) {
  detail::check_beta_r(beta, r);
  const rational ru = detail::rmin(r, rational(1));
  return beta / (1 + 2 * beta * ru);
}

inline predicted_exponents predict_exponents(const rational& beta, const rational& r, const coupling& c, const rational& ell) {
  detail::check_beta_r(beta, r);
  if (!(ell > 0)) throw domain_error("ell", fraction_string(ell), "ell > 0", "lambda = T^-ell");
  predicted_exponents e;
  e.beta = beta; e.r = r; e.ell = ell;
  e.r_under = detail::rmin(r, rational(1));
  e.ell_crit = beta / (1 + 2 * beta * e.r_under);
  const rational ellp = detail::rmin(ell, beta);          // κ ≍ max(λ, T^-β) (§5.2)
  const rational eff_dim = ellp / beta;           // df2 ≍ T^(ℓ'/β)
  e.bias_exponent = -2 * ellp * e.r_under;        // B(κ) ≍ κ^(2r̲) (§5.3)
  e.gamma = 2 * ellp * e.r_under;
  const rational slow = 2 * beta * e.r_under / (2 * beta * e.r_under + 1);
  switch (c.type) {
    case coupling::kind::clean_noisy:
      e.variance_exponent = eff_dim - 1;
      e.gamma = detail::rmin(e.gamma, 1 - eff_dim);
      e.best_ell = e.ell_crit; e.best_ell_text = "ℓ_crit"; e.best_gamma = slow;
      break;
    case coupling::kind::clean_noiseless:
      e.best_ell = beta; e.best_ell_text = "any ℓ ≥ β"; e.best_gamma = 2 * beta * e.r_under;
      break;
    case coupling::kind::proportional:
    case coupling::kind::power:
    case coupling::kind::fixed:
      // collapse term ≈ nσ0² df2 (1/T + 1/d)·φ0/(1−φ0) with df2 ≍ min(T^(ℓ'/β), d), d ≍ T^a (§5.3, §5.4)
      e.collapse_exponent = detail::rmin(eff_dim, c.a) - c.a;
      e.gamma = detail::rmin(e.gamma, -*e.collapse_exponent);
      if (c.type == coupling::kind::fixed) {
        e.best_ell = 0; e.best_ell_text = "constant λ"; e.best_gamma = 0;
      } else {
        e.best_ell = c.a * e.ell_crit; e.best_ell_text = c.a == 1 ? "ℓ_crit" : "a·ℓ_crit"; e.best_gamma = c.a * slow;
      }
      break;
  }
  return e;
}

}  // namespace collapse
