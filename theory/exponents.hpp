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
// The same algebra as formulas (symbolic::expr, printed by `collapse exponents --symbolic`):
// exponent_formulas() below, written out regime by regime (ℓ < β vs ℓ ≥ β, ℓ/β < a vs ℓ/β ≥ a, and
// r < 1 vs r ≥ 1 inside r̲), kept next to predict_exponents so that a change of one shows in the other.
// Verified by: tests/eval/test_exponents.cpp (exact table vs DE slopes at T up to 1e12),
// tests/theory/test_symbolic_exponents.cpp (every formula = the exact table on a grid of rationals).
#pragma once

#include "theory/errors.hpp"
#include "theory/rational.hpp"
#include "theory/symbolic.hpp"

#include <optional>
#include <string>
#include <vector>

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
  std::string latex() const;  // "$T_0 \propto T$", "$T_0 \asymp T^{3/5}$", "$T_0$ fixed", "clean, $\sigma>0$", "clean, $\sigma=0$"
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

inline std::string coupling::latex() const {
  switch (type) {
    case kind::proportional: return "$T_0 \\propto T$";
    case kind::power: return "$T_0 \\asymp T^{" + fraction_string(a) + "}$";
    case kind::fixed: return "$T_0$ fixed";
    case kind::clean_noisy: return "clean, $\\sigma>0$";
    case kind::clean_noiseless: return "clean, $\\sigma=0$";
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

// ---- the same exponents as formulas (§5.4, §5.5) ------------------------------------------------------

/// One quantity of the symbolic table: its key (as in the JSON of `collapse exponents`), its name, its
/// formula in β, r, a, ℓ (regimes as piecewise pieces) and what a value means when it is not a rate.
struct exponent_formula {
  std::string key;       // "r_under", "ell_crit", "gamma", "bias_exponent", "variance_exponent", "collapse_exponent", "best_ell", "best_gamma"
  std::string quantity;  // "r̲", "ℓ_crit", "rate γ(ℓ)", ...
  std::string latex_quantity;  // LaTeX text mode: "rate $\\gamma(\\ell)$"
  symbolic::expr formula;
  std::string note;      // "constant λ (ℓ = 0)", "any ℓ ≥ β", ...
  std::string latex_note;
};

/// r̲ = min(r, 1), written as its two regimes r < 1 and r ≥ 1 (§5.1).
inline symbolic::expr r_under_formula() {
  using namespace symbolic;
  return named("r̲", "\\underline{r}", piecewise({{var(symbol::r) < num(1), var(symbol::r)}, {std::nullopt, num(1)}}));
}

/// The §5.4/§5.5 exponents of coupling kind `k` as formulas: the algebra of predict_exponents with
/// ℓ' = min(ℓ, β) written as the regimes ℓ < β | ℓ ≥ β and min(ℓ'/β, a) as ℓ/β < a | ℓ/β ≥ a (for
/// T0 ∝ T, a = 1 and ℓ/β < 1 is ℓ < β). The 'power' coupling keeps a as a symbol (0 < a < 1).
/// Rows: r̲, ℓ_crit, γ(ℓ), bias exponent, variance exponent (clean σ > 0), collapse exponent (the
/// three collapse couplings), best ℓ, best γ.
inline std::vector<exponent_formula> exponent_formulas(coupling::kind k) {
  using namespace symbolic;
  const expr beta = var(symbol::beta), ell = var(symbol::ell), ru = r_under_formula();
  const expr two_beta_r = num(2) * beta * ru;
  const expr lcrit = beta / (num(1) + two_beta_r);                       // §5.5
  const expr slow = two_beta_r / (two_beta_r + num(1));                  // 2βr̲/(2βr̲ + 1)
  const condition below = ell < beta;                                    // λ ≫ T^-β: κ ≍ λ (§5.2)
  std::vector<exponent_formula> f = {
      {"r_under", "r̲", "$\\underline{r}$", ru, "min(r, 1)", "$\\min(r, 1)$"},
      {"ell_crit", "ℓ_crit", "$\\ell_{\\mathrm{crit}}$", lcrit, "", ""},
  };
  const exponent_formula bias{"bias_exponent", "bias exponent", "bias exponent",
                              piecewise({{below, -(num(2) * ell * ru)}, {std::nullopt, -two_beta_r}}), "bias ∝ T^(exponent)",
                              "bias $\\propto T^{\\text{exponent}}$"};
  switch (k) {
    case coupling::kind::proportional:
    case coupling::kind::power: {
      const bool prop = k == coupling::kind::proportional;
      const expr a = prop ? num(1) : var(symbol::a);
      const condition small = prop ? below : ell / beta < a;             // df2 ≍ T^(ℓ/β) below d ≍ T^a
      f.push_back({"gamma", "rate γ(ℓ)", "rate $\\gamma(\\ell)$", piecewise({{small, min(num(2) * ell * ru, a - ell / beta)}, {std::nullopt, num(0)}}),
                   "E_n ≍ T^(−γ)", "$E_n \\asymp T^{-\\gamma}$"});
      f.push_back(bias);
      f.push_back({"collapse_exponent", "collapse exponent", "collapse exponent",
                   piecewise({{small, ell / beta - a}, {std::nullopt, num(0)}}), "collapse term ∝ T^(exponent)", "collapse term $\\propto T^{\\text{exponent}}$"});
      f.push_back({"best_ell", "best ℓ", "best $\\ell$", a * beta / (num(1) + two_beta_r), prop ? "ℓ_crit" : "a·ℓ_crit",
                   prop ? "$\\ell_{\\mathrm{crit}}$" : "$a\\,\\ell_{\\mathrm{crit}}$"});
      f.push_back({"best_gamma", "best γ", "best $\\gamma$", num(2) * a * beta * ru / (two_beta_r + num(1)), "", ""});
      break;
    }
    case coupling::kind::fixed:
      f.push_back({"gamma", "rate γ(ℓ)", "rate $\\gamma(\\ell)$", num(0), "floor: E_n does not go to 0", "floor: $E_n \\not\\to 0$"});
      f.push_back(bias);
      f.push_back({"collapse_exponent", "collapse exponent", "collapse exponent", num(0),
                   "grows like T^(ℓ/β) until it saturates at d",
                   "grows like $T^{\\ell/\\beta}$ until it saturates at $d$"});
      f.push_back({"best_ell", "best ℓ", "best $\\ell$", num(0), "constant λ (ℓ = 0)", "constant $\\lambda$ ($\\ell = 0$)"});
      f.push_back({"best_gamma", "best γ", "best $\\gamma$", num(0), "floor ≍ (nσ0²/T0)^(2βr̲/(2βr̲+1))",
                   "floor $\\asymp (n\\sigma_0^2/T_0)^{2\\beta\\underline{r}/(2\\beta\\underline{r}+1)}$"});
      break;
    case coupling::kind::clean_noisy:
      f.push_back({"gamma", "rate γ(ℓ)", "rate $\\gamma(\\ell)$",
                   piecewise({{below, min(num(2) * ell * ru, num(1) - ell / beta)}, {std::nullopt, num(0)}}), "E_n ≍ T^(−γ)", "$E_n \\asymp T^{-\\gamma}$"});
      f.push_back(bias);
      f.push_back({"variance_exponent", "variance exponent", "variance exponent",
                   piecewise({{below, ell / beta - num(1)}, {std::nullopt, num(0)}}), "variance ∝ σ² T^(exponent)", "variance $\\propto \\sigma^2 T^{\\text{exponent}}$"});
      f.push_back({"best_ell", "best ℓ", "best $\\ell$", lcrit, "ℓ_crit", "$\\ell_{\\mathrm{crit}}$"});
      f.push_back({"best_gamma", "best γ", "best $\\gamma$", slow, "slow rate", "slow rate"});
      break;
    case coupling::kind::clean_noiseless:
      f.push_back({"gamma", "rate γ(ℓ)", "rate $\\gamma(\\ell)$", piecewise({{below, num(2) * ell * ru}, {std::nullopt, two_beta_r}}),
                   "E_n ≍ T^(−γ)", "$E_n \\asymp T^{-\\gamma}$"});
      f.push_back(bias);
      f.push_back({"best_ell", "best ℓ", "best $\\ell$", beta, "any ℓ ≥ β (λ → 0)", "any $\\ell \\ge \\beta$ ($\\lambda \\to 0$)"});
      f.push_back({"best_gamma", "best γ", "best $\\gamma$", two_beta_r, "fast rate", "fast rate"});
      break;
  }
  return f;
}

}  // namespace collapse
