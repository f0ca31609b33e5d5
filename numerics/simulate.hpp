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
#include <memory>
#include <string>
#include <vector>

namespace collapse::numerics {

class process_group;  // numerics/process_group.hpp

enum class engine_kind { reference, fast };
enum class estimator_kind { plain, rao_blackwell };
enum class precision_kind { double_precision, long_double_precision, mp50 };
/// Issue 12 protocol variants (docs/theory-extensions.md §A, §D): replace = §1 (each fit on its own
/// batch); accumulate = every fit, downstream included, is OLS on all batches so far (§A.1).
enum class protocol_kind { replace, accumulate };
/// Accumulate only: one design reused by every batch (§A.2 A1, needs T0 = T) or fresh designs (A2).
enum class design_kind { fresh, fixed };
/// The per-trial algorithm of the fast engine (docs/simulation.md "Paths"). `automatic` resolves to one
/// of the others by configuration (resolve_path); the others force it (refused where they do not apply).
///   general            -- the engine described above (Bartlett S and its eigendecomposition, O(d³) per
///                         trial with a λ > 0 grid; explicit T×d design and SVD for T < d).
///   isotropic_spectral -- Σ = I, Rao–Blackwell: the eigenvalues of S from the bidiagonal
///                         Dumitriu–Edelman model (O(min(T,d)) variates, O(min(T,d)²) per trial), the
///                         error averaged over the Haar eigenvectors, the label noise and an
///                         under-parameterised chain (§8.7; or the chain sampled, chain_kind); needs
///                         T0 >= d + 2 when the chain is noisy (T0 >= d when sampled).
///   dual_gram          -- T < d, Rao–Blackwell, any diagonal Σ: the T×T Gram matrices K_p = ZΣ^pZᵀ and
///                         one eigendecomposition of K_1 for the whole λ grid, O(T²d + T³) per trial,
///                         memory O(Td) (§8.7); the chain integrated or sampled (chain_kind) as above.
enum class fast_path { automatic, general, isotropic_spectral, dual_gram };
/// How a path treats an under-parameterised generator chain (T0 >= d, issue 9; docs/simulation.md "Paths").
///   sampled    -- each generation draws g_k ~ χ²_{T0−d+1} (the first variate of stream 2k) and the chain's
///                 conditional covariance is c_k Σ⁻¹, c_k = σ0² Σ_{i<=k} 1/g_i (§2.1: the step is
///                 σ0 Σ^{-1/2} z/√g in distribution, the Schur-complement identity of simulation_engine.hpp).
///                 This is what the general path always does; it presupposes no moment of the inverse Wishart.
///   integrated -- the scalable paths only: c_k = kσ0²/(T0 − d − 1), the exact inverse-Wishart mean (§2.1),
///                 so nothing is drawn for the chain (smaller variance), but a run takes that factor as given
///                 and cannot test it. Refused with the general path.
///   automatic  -- integrated on the scalable paths (their behaviour since issue 9), sampled on the general path.
enum class chain_kind { automatic, integrated, sampled };

std::string to_string(engine_kind);
std::string to_string(estimator_kind);
std::string to_string(precision_kind);
std::string to_string(protocol_kind);
std::string to_string(design_kind);
std::string to_string(fast_path);  ///< "auto", "general", "isotropic-spectral", "dual-gram"
std::string to_string(chain_kind);  ///< "auto", "integrated", "sampled"

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
  // ---- what a trial records besides the downstream error (used through run_trials) ----
  bool record_downstream = true;     ///< the downstream ridge fit (false: T and sigma2 are not used)
  bool record_generator = false;     ///< the generator's own error E_test(ŵ_k) = (ŵ_k − w0)ᵀΣ(ŵ_k − w0), k = 0..n
  bool record_design_trace = false;  ///< the §2.2 design-only trace tr[ΣAΣ⁻¹A] of the downstream fit, per λ
  /// Rao–Blackwell only: also average over the signs of w0 (the protocol is invariant under
  /// X_k → X_kD, X → XD, w0 → Dw0 for every diagonal sign matrix D), which replaces the bias term by
  /// Σ_j w0_j² [(A−I)Σ(A−I)]_jj. Needs a chain whose conditional mean is w0: n = 0 or T0 >= d.
  bool sign_average = false;
  // ---- issue 12 protocol variants (numerics/variant_engine.cpp; defaults = the §1 protocol above) ----
  protocol_kind protocol = protocol_kind::replace;  ///< accumulate: OLS on all batches so far (§A.1), every λ = 0
  design_kind design = design_kind::fresh;          ///< accumulate only: fixed = one design of T rows (T0 = T)
  exact_number generator_lambda;                    ///< λ0 >= 0: ridge generators (S_k+λ0)⁻¹X_kᵀy_k/T0 (§C.1); 0 = X_k⁺
  exact_number synthetic_fraction;                  ///< p2 in [0, 1], p2·T an integer: rows 1..p2·T of the downstream
                                                    ///< batch labelled by the shifted teacher w0 + Δ (§B.1; n = 0)
  exact_number teacher_shift;                       ///< ‖Δ‖²_Σ >= 0, Δ_j = sqrt(‖Δ‖²_Σ/(d λ_j)) in Σ's eigenbasis
  // ---- issue 10: several processes (MPI ranks) share the run; null = this process alone ----
  /// Each batch is split into contiguous shares, one per rank (computed with `threads` each), gathered
  /// on rank 0 in trial order and reduced there; rank 0 decides the target_rse stop and broadcasts
  /// it. Rank 0's result equals the single-process result bit for bit; the other ranks' results are
  /// empty. A failure on any rank fails every rank (the root's exception names the rank).
  std::shared_ptr<process_group> group;

  // ---- issue 9: scalable exact paths of the fast engine ----
  fast_path path = fast_path::automatic;            ///< automatic: resolve_path's rule; else forced (validate refuses misfits)
  chain_kind chain = chain_kind::automatic;         ///< the chain on the scalable paths (resolve_chain); sampled allows T0 >= d
};

/// The path a run takes (never `automatic`): `general` for the reference engine, the plain estimator,
/// variants and every configuration the scalable paths do not cover; otherwise, with path = automatic,
/// isotropic_spectral when Σ = I and dual_gram when T < d for a non-isotropic Σ, each only where it
/// replaces an O(d³) or explicit-SVD step (some λ > 0 or T < d) and d > scalable_path_min_d -- below
/// that every path costs well under a millisecond per trial and the general path keeps the random
/// streams of earlier releases (docs/simulation.md "Paths"). Both scalable paths need: Rao–Blackwell,
/// no record_generator, no sign_average, double or long-double or mp50 precision, and a chain that is
/// absent, noiseless or under-parameterised (T0 >= d + 2; T0 >= d with chain = sampled). A forced path that does not apply throws
/// domain_error("path", ...).
fast_path resolve_path(const simulation_config& config);
/// The chain treatment a run takes (never `automatic`): `sampled` on the general path, `integrated` on a
/// scalable path unless config.chain = sampled. Throws domain_error("chain", ...) for chain = integrated on
/// the general path (which samples every generation) -- and whatever resolve_path throws.
chain_kind resolve_chain(const simulation_config& config);
/// d above which path = automatic takes the scalable paths.
inline constexpr long scalable_path_min_d = 64;

/// True when `config` asks for an issue-12 variant (accumulate, λ0 > 0 or p2 > 0): such runs go
/// through numerics/variant_engine.cpp (double precision; the fast engine only for accumulate with a
/// fixed design), every other run through the §1 engines unchanged.
bool is_variant(const simulation_config& config);

/// Column layout of one trial's values (run_trials): the downstream errors generation-major
/// (k·L + l), then the generator errors (k = 0..n), then the design traces (l = 0..L−1); absent
/// blocks have count 0.
struct trial_layout {
  std::size_t L = 0, generations = 0;  ///< L = λ grid size, generations = n + 1
  std::size_t downstream_offset = 0, downstream_count = 0;
  std::size_t generator_offset = 0, generator_count = 0;
  std::size_t trace_offset = 0, trace_count = 0;
  std::size_t columns = 0;
};
trial_layout layout_of(const simulation_config& config);

/// One (generation, λ) row: Monte Carlo mean of the test error with its standard error
/// se = sd/sqrt(trials) and the normal-approximation 95 % interval mean ± 1.959964 se.
/// When the per-trial value has infinite variance (see moment_regime) a standard error means
/// nothing: `interval` is false, se, variance and the interval are NaN and `no_interval_reason` says
/// why; renderers must print them as absent, never as numbers.
struct estimate {
  int generation = 0;
  std::string lambda_text;  ///< λ as the user gave it
  double lambda = 0;
  double mean = 0, se = 0, ci95_low = 0, ci95_high = 0;
  double variance = 0;      ///< sample variance of the per-trial values (unbiased)
  std::uint64_t trials = 0;
  bool interval = true;            ///< false: se, variance, ci95 are NaN (infinite variance)
  std::string no_interval_reason;  ///< e.g. "T = 12 <= d + 3 = 13 with lambda = 0: E[(W^-1)^2] is infinite"
};

/// Which moments of one row's per-trial value exist, from the inverse-Wishart moments: with
/// W ~ Wishart_p(I, m), E[W⁻¹] is finite iff m − p − 1 > 0 and E[(W⁻¹)²] iff m − p − 3 > 0. The
/// downstream OLS/min-norm noise term σ² tr(Σ X⁺X⁺ᵀ) (λ = 0, σ² > 0) involves W = ZᵀZ (T >= d, p = d,
/// m = T) or ZZᵀ (T < d, p = T, m = d), within constant factors for a general Σ (λ_min(Σ)ZZᵀ ≤ XXᵀ ≤
/// λ_max(Σ)ZZᵀ); the chain (k >= 1, σ0² > 0) the same with T0. λ > 0 bounds the downstream amplification.
/// Hence the mean is finite iff every involved size is outside [d−1, d+1] and the variance iff outside
/// [d−3, d+3] -- for both engines and both estimators (the plain estimator's conditional variance
/// has the same second inverse moment; Rao–Blackwellisation integrates the noise, not the design).
struct row_regime {
  bool mean_finite = true, variance_finite = true;
  std::string parameter;  ///< "T" or "T0": the size responsible (empty when both moments are finite)
  std::string reason;     ///< one sentence, for messages and the output
};
/// The regime of row (generation k, λ) of `config` (any observable: generator rows use k and T0 only).
row_regime moment_regime(const simulation_config& config, int generation, const exact_number& lambda);
row_regime generator_regime(const simulation_config& config, int generation);

struct simulation_result {
  std::vector<estimate> rows;  ///< generation-major: rows[k * lambda.size() + l]
  fast_path path = fast_path::general;  ///< the path taken (resolve_path)
  std::uint64_t trials = 0;
  double elapsed_seconds = 0;
};

/// Progress of a run, reported on the calling thread about ten times a second. A callback that throws
/// cancels the run: the workers stop after their current trial and run_simulation/run_trials rethrow it.
struct progress_info {
  std::uint64_t done = 0;          ///< trials finished
  std::uint64_t total = 0;         ///< trials requested, or max_trials with a target_rse (an upper bound)
  std::uint64_t projected = 0;     ///< target_rse: the trials the current estimate projects (0 until known); else total
  double elapsed_seconds = 0;      ///< since run start
  double eta_seconds = -1;         ///< seconds left at the current rate towards `projected` (-1 until known)
};
using progress_callback = std::function<void(const progress_info&)>;

/// Checks every field against its domain; throws collapse::domain_error naming the parameter, its
/// value and the valid range (also for dimensions that would not fit in memory). Called by
/// run_simulation before anything is allocated.
void validate(const simulation_config& config);

/// Runs the simulation. Throws domain_error for bad input (see validate) and when target_rse cannot
/// be reached within max_trials (projected from the running estimate, or at the cap).
/// Every reported value is finite: a non-finite per-trial value throws domain_error naming the
/// parameter whose scale caused it (validate refuses the scales that would overflow up front).
simulation_result run_simulation(const simulation_config& config, const progress_callback& progress = {});

/// Every per-trial value of a fixed-trials run (target_rse is refused), trial-major, for paired
/// statistics across rows (common random numbers): value(t, c) = values[t·columns + c], columns as in
/// layout_of(config). Same streams and bit-identical values as run_simulation for the same config.
struct trial_table {
  trial_layout layout;
  std::uint64_t trials = 0;
  std::vector<double> values;
  double elapsed_seconds = 0;
  double downstream(std::uint64_t t, std::size_t k, std::size_t l) const {
    return values[t * layout.columns + layout.downstream_offset + k * layout.L + l];
  }
  double generator(std::uint64_t t, std::size_t k) const { return values[t * layout.columns + layout.generator_offset + k]; }
  double design_trace(std::uint64_t t, std::size_t l) const { return values[t * layout.columns + layout.trace_offset + l]; }
};
trial_table run_trials(const simulation_config& config, const progress_callback& progress = {});

/// Issue 10 (shards): the per-trial values of trials first .. first+count−1 of a fixed-trials run
/// (the Philox streams of those trials, so any split of 0..trials−1 gives the values of run_trials).
/// `config` is validated as a whole run; 1 <= count and first + count <= config.trials, else
/// domain_error naming "shard". Ignores config.group.
trial_table run_trial_range(const simulation_config& config, std::uint64_t first, std::uint64_t count,
                            const progress_callback& progress = {});

/// Issue 10 (merge): the result of run_simulation for a fixed-trials `config` from its complete table
/// of per-trial values (trial order): bit-identical to run_simulation's rows. elapsed_seconds is left 0.
/// Throws domain_error when the table does not have config.trials trials of layout_of(config).
simulation_result summarise_trials(const simulation_config& config, const trial_table& table);

/// Mean, unbiased variance and standard error of f(0..trials−1), accumulated in trial order (Welford,
/// long double): the same numbers for any thread count. trials >= 1.
struct sample_moments {
  double mean = 0, variance = 0, se = 0;
  std::uint64_t count = 0;
};
sample_moments moments_of(std::uint64_t trials, const std::function<double(std::uint64_t)>& f);

/// Bytes the run would allocate (all threads), the quantity validate() compares with memory.
/// `stored_trials`: per-trial values kept (run_trials) besides the batch buffers.
long double memory_estimate(const simulation_config& config, std::uint64_t stored_trials = 0);

}  // namespace collapse::numerics
