// harness/trial_parts.hpp -- issue 10: the trials of one large simulation of a verify run split into
// contiguous trial ranges ("parts") that several processes compute (MPI ranks, or the jobs of
// `verify --shard`), and the per-trial table rebuilt from them in trial order. The values of trial t
// depend only on (seed, t) (numerics/random.hpp, numerics::run_trial_range), so the rebuilt table -- and
// every mean, standard error, fit and verdict a kind computes from it -- equals numerics::run_trials'
// bit for bit, whoever computed which part. harness/runner.cpp hands the parts out (row_sharing::take).
#pragma once

#include "numerics/simulate.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace collapse::harness {

/// Trials [first, first + count) of a simulation, as computed by one process: count × columns doubles,
/// trial-major (numerics::trial_table::values). `values` empty: the process that took the part failed to
/// compute it (e.g. a non-finite value); whoever assembles the table computes it again and reports the error.
struct trial_part {
  std::uint64_t first = 0, count = 0;
  std::vector<double> values;
};

/// The parts of one simulation received so far, by first trial.
using part_set = std::map<std::uint64_t, trial_part>;

/// The name of a simulation within a suite: FNV-1a 64 (hex) of a canonical text of every field of
/// `config` that determines its per-trial values (spectrum, sizes, exact parameters as rationals, trials,
/// seed, engine, estimator, precision, recorded blocks, variant fields, path) -- not the threads. Two
/// configurations with the same name give the same table, so a part computed under one serves the other.
std::string simulation_key(const numerics::simulation_config& config);

/// A rough cost model of one trial in seconds: ~10 d^3 + 4 (T + n T0) d^2 floating-point operations (the
/// eigendecomposition or SVD of the downstream fit and the chain's factorisations) at 2e9 per second.
/// Within a factor of a few of the measured times (simulated-slope --full: d = 200, ~20 ms per trial).
/// Only the number of parts and the order of the work depend on it, never a value.
double estimated_trial_seconds(const numerics::simulation_config& config);

/// How many parts a shared run splits `config` into: about estimated seconds / part_seconds, at least 1,
/// at most trials / 4 (parts of >= 4 trials) and at most 4096. 1 = the simulation is one unit of work.
long parts_of(const numerics::simulation_config& config, double part_seconds);

/// Trials [first, first + count) of part p (0 <= p < parts) of `trials`: contiguous, in part order,
/// sizes differing by at most one.
std::pair<std::uint64_t, std::uint64_t> part_range(std::uint64_t trials, long parts, long p);

/// The per-trial table of `config` from `parts` (trial order): each range that no received part covers
/// exactly, or whose part failed, is computed here by numerics::run_trial_range (so an error is the one
/// numerics::run_trials reports, at the same trial); overlapping parts are skipped. Equal to
/// numerics::run_trials(config) bit for bit. `computed_here` (if given) is increased by the trials
/// computed here.
numerics::trial_table assemble_parts(const numerics::simulation_config& config, const part_set& parts,
                                     std::uint64_t* computed_here = nullptr);

/// A stand-in table of the right layout for a process that did not compute every part (the first pass
/// of a shared run): value 1 or 1.5 by trial parity in every column (finite, positive, non-zero variance,
/// so a kind goes on to its next point). Rows computed from it are never delivered or reported.
numerics::trial_table placeholder_table(const numerics::simulation_config& config);

}  // namespace collapse::harness
