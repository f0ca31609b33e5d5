// harness/crossover_mc.hpp -- the §5.6 fast → slow crossover seen in simulation (issue 9): on the T grid of
// eval::locate_crossover (d = c·T, T0 = d/φ0, σ = 0, n generations of collapse noise σ0²), the simulated
// optimally tuned learning curve E*_sim(T) = min over a λ grid (λ = 0 included) of the Monte Carlo mean of
// E_n at that λ -- common random numbers across λ: every λ of a trial shares its designs -- and T* located
// on it by the same midpoint-slope rule as on the DE (eval::locate_midpoint_crossing). Used by
// `collapse crossover --simulate`, the suite kind "crossover-mc" and `collapse plot crossover-mc`.
//
// Simulation: numerics::run_trials with the fast engine, Rao–Blackwell, chain = sampled (each generation
// draws its χ²_{T0−d+1} variable, as the general path does, so nothing about the collapse term's factor
// 1/(T0 − d − 1) is presupposed), path = automatic (dual Gram for d > 64, T < d; general below).
// Interval: a bootstrap over trials. Within each T the trials are resampled with replacement as whole trials
// (all λ of a trial together, so the common-random-numbers structure is kept); different T are independent
// simulations and are resampled independently. Every replicate recomputes the curve E*_sim (minimum over
// λ of the resampled means), its T* and its window slopes; the interval is the percentile interval
// (2.5 %, 97.5 %) of the replicates, the slope standard errors their standard deviations.
//
// \test tests/harness/test_crossover_mc.cpp
#pragma once

#include "eval/powerlaw_scaling.hpp"
#include "numerics/simulate.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace collapse::harness {

struct crossover_mc_params {
  eval::crossover_params de;                 ///< β, r, n, σ0², φ0, c and the T grid (T_min, T_max, per_decade); digits must be 0
  std::vector<exact_number> lambda;          ///< the λ grid of the minimum: each >= 0, 0 included, at least 2 values
  long trials = 0;                           ///< trials at the largest T (>= 2; 0: the DE only); at T, trials_at(p, T)
  std::uint64_t seed = 1;                    ///< T_i is simulated with seed harness::block_seed(seed, seed_offset, i)
  long seed_offset = 0;
  unsigned threads = 1;
  long bootstrap = 1000;                     ///< replicates, 100..100000; T_i's resampling draws from the Philox stream
                                             ///< (block_seed(seed, seed_offset, 1000000 + i), trial = replicate, 0)
  double window_decades = 0.5;               ///< the slope windows: round(window_decades·per_decade) grid steps at each end
};

/// One T of the grid.
struct crossover_mc_point {
  long T = 0, d = 0, T0 = 0;
  double E_sim = 0, se = 0;                  ///< E*_sim(T) (the minimum over λ of the means) and the se of that λ's mean
  double ci_lo = 0, ci_hi = 0;               ///< bootstrap 95 % percentile interval of E*_sim(T)
  std::size_t lambda_index = 0;              ///< the minimising λ of the simulation
  double E0_sim = 0;                         ///< simulated clean error at λ = 0 (generation 0): the fast-rate reference
  double E_de_grid = 0;                      ///< the §3.3 DE at the same (d, T, T0), minimised over the same λ grid
  std::size_t de_lambda_index = 0;
  double E_de = 0, lambda_de = 0;            ///< the DE minimised over λ >= 0 (eval::locate_crossover), its λ*
  long trials = 0;
  double seconds = 0;
};

/// A slope over a window [T_lo, T_hi] of grid points: the secant log(E(T_hi)/E(T_lo))/log(T_hi/T_lo).
struct crossover_mc_window {
  double T_lo = 0, T_hi = 0;
  double sim = 0, se = 0;                    ///< simulated, with its bootstrap standard error
  double de_grid = 0, de = 0;                ///< the DE curves' secants (λ grid; λ >= 0 continuous)
};

struct crossover_mc_result {
  crossover_mc_params params;
  eval::crossover_result de;                 ///< T* of the DE (midpoint rule), the formula, the rates
  std::vector<crossover_mc_point> points;
  std::vector<std::pair<double, double>> slopes_sim, slopes_de_grid;  ///< local slopes (mid-T, slope)
  std::optional<double> T_sim;               ///< T* of the simulated curve (empty: its slopes never cross the midpoint)
  std::optional<double> T_de_grid;           ///< T* of the DE minimised over the λ grid
  double T_sim_lo = 0, T_sim_hi = 0;         ///< bootstrap percentile 95 % interval (valid when interval_defined)
  bool interval_defined = false;             ///< at most 2.5 % of the replicates lacked a crossing
  long bootstrap_no_crossing = 0;            ///< replicates whose slopes never crossed the midpoint
  crossover_mc_window before, after;         ///< the first and last windows (window_decades)
  long trials = 0;
  double simulation_seconds = 0, seconds = 0;
};

/// The regime of data/suites/crossover-mc.toml's default case, the defaults of `collapse crossover
/// --simulate` and the parameters of `collapse plot crossover-mc` (trials 0: set by the caller): β = 2,
/// r = 2/5, n = 1, σ0² = 2e-3, φ0 = 1/2, d = 4T, T = 5..500 at 4 points per decade (T*_DE ≈ 48), λ ∈ {0} ∪
/// {10^(k/4)·1e-7 : k = 0..24} (1e-7..1e-1), windows of half a decade. The suite file says why.
crossover_mc_params default_crossover_mc_params();

/// The λ grid {0} ∪ {10^(lo + k/per_decade)} for k = 0..(hi − lo)·per_decade, as exact decimals of 4 digits.
std::vector<exact_number> log_lambda_grid(int lo, int hi, int per_decade);

/// Progress: (trials done, trials in total, estimated seconds left or -1), called from the calling thread.
using crossover_mc_progress = std::function<void(std::uint64_t, std::uint64_t, double)>;

/// Throws domain_error naming the first bad parameter: those of eval::validate_crossover; digits != 0;
/// T0 = d/φ0 not an integer at some T of the grid ("phi0"); a λ grid without 0, with a negative value or
/// fewer than 2 values ("lambda"); trials 1 or above 1e7; bootstrap outside 100..100000; window_decades
/// outside (0, half the grid's span], windows of no grid step or overlapping ("window-decades"); and, when
/// trials > 0, numerics::validate of the largest T's simulation (memory: refused naming T).
void validate(const crossover_mc_params& p);

/// Trials at grid point T: ceil(trials · T_last / T), T_last the grid's largest T. The per-trial relative
/// variance of E*_sim falls steeply with T (measured ≈ T^-1.6 at d = 4T) while the dual path's cost grows like
/// T³, so the small T get more trials at little cost and every window's slope a comparable standard error.
long trials_at(const crossover_mc_params& p, long T);

/// The simulation configuration of grid point T (validated by the caller's run): powerlaw(β, r) at
/// d = c·T, T0 = d/φ0, n, σ² = 0, σ0², the λ grid, trials_at(p, T), seed block_seed(seed, seed_offset, index).
numerics::simulation_config crossover_mc_config(const crossover_mc_params& p, long T, std::size_t index);

/// Cost of a run before it starts: seconds from a pilot (2 trials at increasing T of the grid until one
/// pilot takes >= 0.05 s at a T whose work T²d + T³ is >= 1e6; the rest by that work model of the dual path) and the peak
/// memory in bytes (numerics::memory_estimate at the largest T with its stored trials, plus every T's
/// stored per-trial values).
struct crossover_mc_cost {
  double seconds = 0, bytes = 0;
  double pilot_seconds = 0;
  long pilot_T = 0;
};
crossover_mc_cost estimate_cost(const crossover_mc_params& p);

/// Runs the DE (eval::locate_crossover, which throws convergence_error when the DE never crosses) and, when
/// trials > 0, the simulation and the bootstrap. Deterministic for given params (any thread count).
crossover_mc_result simulate_crossover(const crossover_mc_params& p, const crossover_mc_progress& progress = {});

}  // namespace collapse::harness
