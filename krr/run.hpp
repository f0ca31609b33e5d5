// krr/run.hpp -- one kernel-ridge experiment end to end (theory document §7, the six steps): load the data
// set, build the pool and its spectrum, run the real chain, evaluate the DE on the empirical spectrum beside
// every simulated point. Shared by `collapse krr` (cli/krr_command.cpp) and the suite kind krr
// (harness/kinds/krr.cpp), so both print the same numbers for the same options.
// \test tests/krr/test_krr_command.cpp (end to end through collapse krr), harness/kinds/krr.cpp (suite krr-digits)
#pragma once

#include "krr/experiment.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace collapse::krr {

struct run_config {
  std::string dataset = "digits";
  problem_config problem;
  chain_config chain;
};

/// One (generation, lambda) point: simulated pool and held-out errors, the DE and the discrepancy.
struct run_point {
  long n = 0;
  double lambda = 0;
  numerics::sample_moments pool, test;
  std::optional<double> de;  // absent when the DE is undefined there (reason in de_note)
  std::string de_note;
  std::optional<double> z;  // (pool mean - DE)/se; none when se = 0 (z is undefined, not 0)
  double rel = 0;  // (pool mean - DE)/DE
};

struct run_result {
  std::string dataset, kernel, target;
  long N = 0, M = 0, d = 0;          // pool, test, kept directions
  empirical_spectrum spectrum;
  std::vector<run_point> points;     // generation-major: n = 0..n, each lambda of the grid
  std::vector<numerics::sample_moments> generator;  // E_mu (f_n - f*)^2, n = 0..n
  std::vector<std::optional<double>> generator_de;
  double seconds_setup = 0, seconds_chain = 0, seconds_theory = 0;  // data + Gram + spectrum, chain, DE
  double cpu_seconds_chain = 0;  // CPU time of the chain, all threads (the load-insensitive cost)
};

/// Floating-point operations of the whole run (Gram matrices, eigendecomposition, chain) for `features`
/// input dimensions; the CLI refuses a run above its limit before loading anything heavy.
double run_flops(const run_config& c, long features);

/// What run() reports while it works, on the calling thread: `phase` when a step without a count starts
/// ("reading the data set", "Gram matrices", "pool spectrum", "theory"), `trials` during the chain
/// (run_chain's callback: done, total). Either may be empty.
struct run_progress {
  std::function<void(const std::string&)> phase;
  chain_progress trials;
};

/// Runs the experiment. Throws domain_error naming the option at fault (data set, sizes, kernel, chain).
run_result run(const run_config& c, const run_progress& progress = {});

}  // namespace collapse::krr
