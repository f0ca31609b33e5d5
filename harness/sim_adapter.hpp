// harness/sim_adapter.hpp -- the suites' route into the issue-3 simulator (numerics/simulate.hpp):
// downstream test error per recorded generation at one λ, with its standard error.
#pragma once

#include "harness/mc_engine.hpp"

#include "theory/spectrum_spec.hpp"

#include <string>
#include <vector>

namespace collapse::harness {

struct sim_request {
  spectrum_spec spectrum;
  long T = 0, T0 = 0;
  std::vector<long> n;        // generations to report (ascending)
  std::string lambda = "0";   // exact text
  std::string sigma2 = "0", sigma02 = "0";
  long trials = 0;
  std::uint64_t seed = 0;
  int threads = 1;
  std::string engine = "fast";            // "fast" | "reference"
  std::string estimator = "rao-blackwell";  // "rao-blackwell" | "plain"
};

/// Mean and standard error of the downstream error at each requested generation (run_simulation);
/// throws collapse::domain_error for bad input, as the simulator does.
std::vector<mean_se> simulate_downstream(const sim_request& r, double* seconds = nullptr);

}  // namespace collapse::harness
