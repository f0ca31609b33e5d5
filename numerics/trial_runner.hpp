// numerics/trial_runner.hpp -- the interface between the driver (numerics/simulate.cpp: threads,
// batches, reduction) and the per-trial engine (numerics/simulation_engine.hpp), without Eigen: the
// driver does not parse the engine (issue 15 item 7, build time). Implementation detail of
// numerics/simulate.hpp.
#pragma once

#include "numerics/simulate.hpp"

#include <cstdint>
#include <memory>

namespace collapse::numerics::detail {

/// Per-thread trial evaluator: run(trial, out) writes the layout_of(config).columns values of one
/// trial as double: the (n+1)·L downstream test errors generation-major, then (if recorded) the n+1
/// generator errors and the L design traces.
struct trial_runner {
  virtual ~trial_runner() = default;
  virtual void run(std::uint64_t trial, double* out) = 0;
};

/// The engine for one config in precision Real (double, long double, mp50), explicitly instantiated
/// in numerics/simulate_<real>.cpp. Errors: none beyond run_simulation's validation, done before.
template <class Real> std::unique_ptr<trial_runner> make_trial_runner(const simulation_config& config);

extern template std::unique_ptr<trial_runner> make_trial_runner<double>(const simulation_config&);
extern template std::unique_ptr<trial_runner> make_trial_runner<long double>(const simulation_config&);
extern template std::unique_ptr<trial_runner> make_trial_runner<mp50>(const simulation_config&);

}  // namespace collapse::numerics::detail
