// verify/powerlaw_scaling.hpp -- the power-law scaling laws of theory/model-collapse-regression.md §5:
// the exact exponent table of §5.4 (as rationals) next to the local log-log slopes of the §3.3
// deterministic equivalent at large T, and the fast → slow crossover T* of §5.6 (formula vs DE).
//
// Exact part (§5.4, §5.5). With λ = T^-ℓ, ℓ' = min(ℓ, β) (κ ≍ max(λ, T^-β), §5.2), r̲ = min(r, 1):
//   bias     ≍ T^(-2ℓ'r̲)                         (B(κ) ≍ κ^(2r̲), §5.3)
//   variance ≍ σ² T^(ℓ'/β − 1)                     (df2 ≍ κ^(-1/β), §5.3; clean σ > 0 only)
//   collapse ≍ T^(min(ℓ'/β, a) − a)  with T0 ≍ T^a (d = φ0 T0): df2 saturates at d when T^(ℓ'/β) ≫ d,
//             so a = 1 gives ℓ/β − 1, 0 < a < 1 gives ℓ/β − a while ℓ/β < a, and a fixed T0 (a = 0)
//             gives the floor 0 (the doc's "grows like T^(ℓ/β) until it saturates").
//   γ(ℓ) = −(largest exponent present) = min(2ℓ'r̲, 1 − ℓ'/β, a − min(ℓ'/β, a)),
//   ℓ_crit = β/(1 + 2βr̲), best γ = 2βr̲/(2βr̲+1) (× a for T0 ≍ T^a; 0 for fixed T0; 2βr̲ when clean
//   and noiseless, at any ℓ ≥ β).
// Measured part: E_n of theory/ridge_de.hpp at T_k ≈ 10^k, d = ∞ for the clean couplings and
// d = c·T^a (an integer; T is then solved from d so the coupling holds exactly) with T0 = d/φ0 for the
// collapse couplings, in MPFR at enough digits that the slope log(E_k/E_(k−1))/log(T_k/T_(k−1)) is
// limited by the asymptotics (subleading powers of T), never by rounding: its numerical error is
// reported from the spectral sums' own error estimates.
// Verified by: tests/verify/test_exponents.cpp, tests/verify/test_crossover.cpp.
#pragma once

#include "theory/rational.hpp"

#include <optional>
#include <string>
#include <vector>

namespace collapse::verify {

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

/// Settings of the slope measurement (defaults: the doc's §5.4 numerical check).
struct slope_settings {
  int log10_T_max = 12;       // slopes over the decades ending at T ≈ 10^k, k ≤ log10_T_max
  int decades = 3;            // how many decade windows to report (the last one is "the" slope)
  int digits = 0;             // MPFR working digits; 0 = automatic (40 + 2·log10_T_max)
  rational sigma2{1};         // downstream noise for "clean σ > 0"
  rational n{1};              // generator steps (collapse couplings; σ² = 0 there: collapse only)
  rational sigma02{1};        // generator noise
  rational phi0{1, 2};        // d = φ0 T0
  rational c{1};              // d = c·T^a (proportional: d = c·T)
  rational d_fixed{4000};     // d for "T0 fixed"
};

struct slope_window {
  double T_lo = 0, T_hi = 0;
  double total = 0;                    // local slope of E_n
  std::optional<double> collapse;      // local slope of the collapse term nσ0²ρ
  double numerical_error = 0;          // bound from the sums' error estimates (not the asymptotics)
};

struct slope_measurement {
  std::vector<slope_window> windows;   // increasing T; back() is the reported slope
  int digits = 0;
  double seconds = 0;
};

/// Local log-log slopes of the §3.3 DE of E_n (and of its collapse term) at λ = T^-ℓ.
slope_measurement measure_slopes(const rational& beta, const rational& r, const coupling& c, const rational& ell,
                                 const slope_settings& s);

/// −log10 |measured − exact| / |exact| (absolute when exact = 0), capped at 99.
double agreeing_digits(double measured, const rational& exact);

// ---- §5.6 fast → slow crossover -------------------------------------------------------------------

struct crossover_params {
  rational beta{2}, r{2, 5};
  rational n{1}, sigma02{1, 1000000}, phi0{1, 2};
  rational c{100};               // d = c·T (integer T grid), T0 = d/φ0, σ = 0
  double T_min = 10, T_max = 1e8;
  int per_decade = 8;
  int digits = 0;                // 0: double; else MPFR digits for every DE minimisation
};

struct crossover_point {
  double T = 0, lambda = 0, E = 0, E0 = 0;  // λ* (0 if interpolation is optimal), E*_n, E_0 (λ → 0, clean)
  bool boundary = false;
};

struct crossover_result {
  crossover_params params;
  rational sigma_eff2_asym;      // nσ0²(1 + 1/c)/(1/φ0 − 1): the T → ∞ value of σ_eff² with df1 ≪ T, d
  double T_formula = 0;          // §5.6 formula with σ_eff2_asym
  double T_de = 0;               // where the local slope of E*_n(T) crosses the midpoint rate
  double ratio = 0;              // T_de / T_formula
  double fast = 0, slow = 0, mid = 0;  // −2βr̲, −2βr̲/(2βr̲+1), their mean
  std::vector<crossover_point> points;
  std::vector<std::pair<double, double>> slopes;  // (geometric mid-T, local slope of E*_n)
  double seconds = 0;
};

/// Validates the parameters (β > 1, 0 < r, r ≠ 1, n ≥ 1, σ0² > 0, 0 < φ0 < 1, c ≥ 1, grid) and locates
/// T* on the DE curve (theory/lambda_opt.hpp at each T) next to the formula (powerlaw_asymptotics.hpp).
crossover_result locate_crossover(const crossover_params& p);

/// Parses a comma-separated list of exact numbers ("1.5,2,3" or "3/2,2"), naming `parameter` on error.
std::vector<exact_number> parse_exact_list(const std::string& parameter, const std::string& text);

}  // namespace collapse::verify
