// harness/mc_engine.hpp -- the suites' historical Monte Carlo interface (theory document §1, §2.1,
// §2.2, §4, §8.6), now a thin adapter over the one simulator, numerics/simulate.hpp (run_trials):
// Philox streams keyed by (seed, trial), the project's own samplers, the Bartlett/design code of
// numerics/simulation_engine.hpp. Kept only so that harness/suite_kinds.cpp needs no edit while the
// harness is restructured; to be deleted once the suites call numerics::run_trials directly.
//
// Mapping: generations n (ascending) → rows k = n_i of a run with n = max n_i; lambdas → the λ grid;
// eig, w0 → an explicit spectrum (w2_j = w0_j²); generator error → record_generator; design_trace →
// record_design_trace; T = 0 → record_downstream = false.
// Estimators: the downstream and generator values are always Rao–Blackwellised given the designs
// (numerics' estimator rao_blackwell: the chain noise is integrated too, an unbiased conditional
// expectation); rao_blackwell_chain adds the average over the signs of w0 (sign_average), which needs
// T0 >= d + 2 when max n >= 1, as before, and runs the reference engine, whose rb conditions on the
// full designs (the fast engine's on one χ² per generation: unbiased but far noisier here).
// Per-trial values depend only on (seed, trial): the same for any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace collapse::harness {

struct mc_config {
  std::vector<double> eig;  // Σ = diag(eig)
  std::vector<double> w0;   // w0 in Σ's eigenbasis
  long T0 = 0;              // generator sample size (needed when max n ≥ 1)
  double sigma0 = 0;        // generator label-noise std
  std::vector<int> n;       // generations to record (ascending), e.g. {0, 2, 4}
  long T = 0;               // downstream sample size; 0 = no downstream fit (generator error only)
  double sigma = 0;         // downstream label-noise std
  std::vector<double> lambdas;  // downstream ridge penalties (0 = pseudo-inverse)
  bool design_trace = false;    // also record tr[ΣAΣ⁻¹A] per (trial, λ)   (§2.2)
  bool rao_blackwell_chain = false;  // also integrate out the signs of w0 and the generator noise
  long trials = 0;
  std::uint64_t seed = 0;
  int threads = 1;
};

/// Per-trial values, trial-major: downstream[(t*N + i)*L + l] for trial t, generation index i, λ index l.
struct mc_samples {
  long trials = 0;
  std::size_t N = 0, L = 0;
  std::vector<double> downstream;  // E_E[err] of the downstream ridge fit on ŵ_{n_i}
  std::vector<double> generator;   // generator[t*N + i] = (ŵ_{n_i} − w0)ᵀΣ(ŵ_{n_i} − w0)
  std::vector<double> trace;       // trace[t*L + l] = tr[Σ A Σ⁻¹ A]  (when design_trace)
  double seconds = 0;
  double down(long t, std::size_t i, std::size_t l) const { return downstream[(t * N + i) * L + l]; }
  double gen(long t, std::size_t i) const { return generator[t * N + i]; }
  double tr(long t, std::size_t l) const { return trace[t * L + l]; }
};

/// Runs the chain and the downstream fits (numerics::run_trials); throws domain_error as the simulator
/// does (T0 or T within one of d with noise: infinite mean; sizes; scales).
mc_samples run_mc(const mc_config& c);

/// Mean and standard error of the mean of f(t) over the trials (numerics::moments_of, trial order).
struct mean_se { double mean = 0, se = 0; long count = 0; };
mean_se mean_and_se(long trials, const std::function<double(long)>& f);

}  // namespace collapse::harness
