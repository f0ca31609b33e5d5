// numerics/trial_runner.hpp -- the per-thread trial evaluator interface shared by the engines
// (simulation_engine.hpp, scalable_engine.hpp, variant_engine.cpp). Implementation detail of simulate.cpp.
#pragma once

#include <cstdint>

namespace collapse::numerics::detail {

/// Per-thread trial evaluator: run(trial, out) writes the layout_of(config).columns values of one
/// trial as double: the (n+1)·L downstream test errors generation-major, then (if recorded) the n+1
/// generator errors and the L design traces.
struct trial_runner {
  virtual ~trial_runner() = default;
  virtual void run(std::uint64_t trial, double* out) = 0;
};

}  // namespace collapse::numerics::detail
