// eval/powerlaw_scaling.hpp -- the power-law scaling laws of theory/model-collapse-regression.md §5:
// the exact exponent table of §5.4 (as rationals) next to the local log-log slopes of the §3.3
// deterministic equivalent at large T, and the fast → slow crossover T* of §5.6 (formula vs DE).
//
// The exact part (§5.4, §5.5: coupling, predicted_exponents, ell_crit) is theory/exponents.hpp.
// Measured part: E_n of theory/ridge_de.hpp at T_k ≈ 10^k, d = ∞ for the clean couplings and
// d = c·T^a (an integer; T is then solved from d so the coupling holds exactly) with T0 = d/φ0 for the
// collapse couplings, in MPFR at enough digits that the slope log(E_k/E_(k−1))/log(T_k/T_(k−1)) is
// limited by the asymptotics (subleading powers of T), never by rounding: its numerical error is
// reported from the spectral sums' own error estimates.
// Verified by: tests/eval/test_exponents.cpp, tests/eval/test_crossover.cpp.
#pragma once

#include "eval/digits.hpp"
#include "theory/exponents.hpp"
#include "theory/rational.hpp"

#include <optional>
#include <string>
#include <vector>

namespace collapse::eval {

using collapse::coupling;
using collapse::predicted_exponents;
using collapse::predict_exponents;
using collapse::ell_crit;

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

/// Throws domain_error naming the first parameter of `p` outside its range (β > 1, 0 < r, r ≠ 1, n ≥ 1
/// integer, σ0² > 0, 0 < φ0 < 1, c ≥ 1 integer, 2 <= T-min, 10 T-min < T-max, c T-max <= 1e18,
/// 2 <= per-decade <= 64, digits 0 or 20..200).
void validate_crossover(const crossover_params& p);

/// The T grid of locate_crossover: T_i = round(10^(log10 T_min + i/per_decade)) while <= T_max (+1e-12
/// in the exponent), duplicates dropped -- strictly increasing integers. Needs validate_crossover(p).
std::vector<long long> crossover_grid(const crossover_params& p);

/// The §5.6 rates of the crossover: fast −2βr̲, slow −2βr̲/(2βr̲+1) and their mean (the midpoint rule's level).
struct crossover_rates {
  double fast = 0, slow = 0, mid = 0;
};
crossover_rates crossover_rates_of(const rational& beta, const rational& r);

/// The midpoint-slope rule, the one definition of a located T* for every curve of the project (the DE's
/// here, a simulated curve's in harness/crossover_mc.hpp): the local slopes
/// s_i = log(E_{i+1}/E_i)/log(T_{i+1}/T_i) at the geometric midpoints √(T_iT_{i+1}); T* is the first
/// upward crossing of `level` by consecutive slopes (s_{i−1} <= level < s_i), interpolated linearly in
/// log T between their midpoints. T strictly increasing, E > 0 and finite, at least 3 points (else
/// domain_error naming "curve"); T* is empty when the slopes never cross.
struct midpoint_crossing {
  std::vector<std::pair<double, double>> slopes;  // (geometric mid-T, local slope)
  std::optional<double> T_star;
};
midpoint_crossing locate_midpoint_crossing(const std::vector<double>& T, const std::vector<double>& E, double level);

/// Validates the parameters (validate_crossover) and locates T* on the DE curve (theory/lambda_opt.hpp at
/// each T of crossover_grid) by locate_midpoint_crossing, next to the formula (powerlaw_asymptotics.hpp).
/// Throws convergence_error when the DE's slopes never cross the midpoint on the grid.
crossover_result locate_crossover(const crossover_params& p);


}  // namespace collapse::eval
