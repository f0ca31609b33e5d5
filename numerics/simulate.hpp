// numerics/simulate.hpp -- finite-sample Monte Carlo of the iterated-synthetic-data regression
// protocol (theory document §1), the public entry point used by `collapse simulate` and by the
// verification harness. Stable API: fields are only ever added, with defaults.
//
// What one trial is (§1): the chain ŵ_0 = w0, ŵ_k = X_k⁺(X_k ŵ_{k-1} + E_k) for k = 1..n with
// X_k ∈ R^{T0×d} (rows N(0, Σ)) and E_k ~ N(0, σ0² I); then for each generation k = 0..n and each λ
// of the grid the downstream ridge fit ŵ = (S + λI)⁻¹XᵀY/T, S = XᵀX/T, Y = Xŵ_k + E, X ∈ R^{T×d},
// E ~ N(0, σ² I), λ = 0 read as the pseudo-inverse; the recorded value is the test error
// (ŵ − w0)ᵀΣ(ŵ − w0). All generations and all λ of one trial share the same draws (common random
// numbers, §8.6), so differences between rows are far more precise than the rows themselves.
//
// Engines (docs/simulation.md derives each identity):
//   reference -- the protocol literally: explicit X_k, E_k, X, E; X_k⁺ by a complete orthogonal
//                decomposition, the downstream fit by a thin SVD of X.
//   fast      -- exact in distribution, in Σ's eigenbasis: for T0 >= d each generation is
//                ŵ_k = ŵ_{k-1} + σ0 Σ^{-1/2} z_k / sqrt(g_k), z_k ~ N(0, I_d), g_k ~ χ²_{T0-d+1}
//                (the Bartlett factor's triangular solve done in distribution); for T0 < d the
//                explicit design with a Householder QR; downstream S = Σ^{1/2}LLᵀΣ^{1/2}/T with L the
//                Bartlett factor (T >= d) or the explicit design's SVD (T < d), and, when every λ is 0
//                and T >= d, the same reduction as the chain (O(d) per trial).
// Estimators:
//   plain          -- every label noise sampled: the error of one run of the protocol.
//   rao_blackwell  -- chain and downstream label noise integrated analytically given the designs
//                     (§8.6 extended to the chain noise, which is Gaussian given the designs):
//                     E[err | designs] = (A m_k − w0)ᵀΣ(A m_k − w0) + tr(AΣAC_k) + (σ²/T) tr(ΣRSR),
//                     m_k, C_k the conditional mean and covariance of ŵ_k. Same mean, smaller variance.
//
// Reproducibility: same build + same config (threads excepted) ⇒ bit-identical results
// (numerics/random.hpp; trials reduced in trial order in fixed batches).
//
// \test tests/numerics/test_simulate.cpp (§2.3, §2.4, §4.1 closed forms for both engines; fast vs
//       reference two-sample z; RB vs plain; thread-count invariance; precisions; bad input).
#pragma once

#include "theory/rational.hpp"
#include "theory/spectrum_spec.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace collapse::numerics {

enum class engine_kind { reference, fast };
enum class estimator_kind { plain, rao_blackwell };
enum class precision_kind { double_precision, long_double_precision, mp50 };

std::string to_string(engine_kind);
std::string to_string(estimator_kind);
std::string to_string(precision_kind);

struct simulation_config {
  spectrum_spec spectrum;            ///< finite d (isotropic, power law §5.1, or explicit list)
  long T = 0;                        ///< downstream sample size, >= 1
  long T0 = 0;                       ///< generator sample size, >= 1
  int n = 0;                         ///< generations; rows are reported for k = 0..n
  std::vector<exact_number> lambda;  ///< ridge grid, each >= 0 (0 = pseudo-inverse); non-empty
  exact_number sigma2;               ///< σ², downstream label-noise variance, >= 0
  exact_number sigma02;              ///< σ0², generator label-noise variance, >= 0
  std::uint64_t trials = 0;          ///< fixed trial count (>= 2); 0 means: use target_rse
  double target_rse = 0;             ///< > 0 (with trials = 0): stop once se/|mean| < target_rse for every row
  std::uint64_t max_trials = 1000000;///< cap for target_rse; unreachable target => domain_error
  std::uint64_t seed = 0;
  unsigned threads = 1;              ///< worker threads (results do not depend on it)
  engine_kind engine = engine_kind::fast;
  estimator_kind estimator = estimator_kind::rao_blackwell;
  precision_kind precision = precision_kind::double_precision;
};

/// One (generation, λ) row: Monte Carlo mean of the test error with its standard error
/// se = sd/sqrt(trials) and the normal-approximation 95 % interval mean ± 1.959964 se.
struct estimate {
  int generation = 0;
  std::string lambda_text;  ///< λ as the user gave it
  double lambda = 0;
  double mean = 0, se = 0, ci95_low = 0, ci95_high = 0;
  double variance = 0;      ///< sample variance of the per-trial values (unbiased)
  std::uint64_t trials = 0;
};

struct simulation_result {
  std::vector<estimate> rows;  ///< generation-major: rows[k * lambda.size() + l]
  std::uint64_t trials = 0;
  double elapsed_seconds = 0;
};

/// Called on the calling thread about ten times a second: (trials finished, trials planned).
/// With a target_rse the plan is the current batch's end, so it grows.
using progress_callback = std::function<void(std::uint64_t done, std::uint64_t planned)>;

/// Checks every field against its domain; throws collapse::domain_error naming the parameter, its
/// value and the valid range (also for dimensions that would not fit in memory). Called by
/// run_simulation before anything is allocated.
void validate(const simulation_config& config);

/// Runs the simulation. Throws domain_error for bad input (see validate) and when target_rse cannot
/// be reached within max_trials (projected from the running estimate, or at the cap).
simulation_result run_simulation(const simulation_config& config, const progress_callback& progress = {});

/// Bytes the run would allocate (all threads), the quantity validate() compares with memory.
long double memory_estimate(const simulation_config& config);

}  // namespace collapse::numerics
