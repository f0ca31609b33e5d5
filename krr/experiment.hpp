// krr/experiment.hpp -- kernel ridge regression on real data, theory document §7: the pool, its empirical
// spectrum, the real generator chain, and the deterministic equivalents on that spectrum.
//
// Protocol (§7, steps 1-6), with the choices the theory document leaves open stated here:
//   * The data set (IDX files: their first N + test samples) is split by a Philox permutation keyed by
//     --seed: the first N samples are the pool, the
//     next M the held-out test inputs. The input distribution mu is UNIFORM ON THE POOL: every fit draws its
//     inputs iid (with replacement) from the pool, so that the Mercer eigenpairs of K_pool/N are exactly
//     those of mu and the DE applies with Sigma = diag(lambda_j) (d = N directions).
//   * Target (default "label"): the digit label minus its pool mean; "class:C": the indicator of class C
//     minus its pool mean. f*(x) is this value at the pool (and test) inputs.
//   * Spectrum: K_pool/N = sum_j lambda_j u_j u_j^T (u_j unit vectors); e_j = sqrt(N) u_j is orthonormal in
//     L2(mu) and f* = sum_j <f*, e_j> e_j with <f*, e_j> = u_j.y/sqrt(N), so w2_j = (u_j.y)^2/(N lambda_j)
//     (lambda_j w2_j = <f*, e_j>^2). Directions with lambda_j <= 1e-10 lambda_1 are dropped (their share of
//     |f*|^2 is reported; the DE adds it as the unlearnable part of the bias).
//   * KRR with the §7 convention: f(x) = k_x^T (K + m lambda I)^-1 y on m points; lambda = 0 is the
//     minimum-norm interpolator (pseudo-inverse, eigenvalues below m eps max dropped).
//   * Generation k >= 1: T0 pool inputs iid, labels f_{k-1}(x) + N(0, sigma0^2), ridge fit with lambda0
//     (lambda0 = 0: interpolator). f_0 = f*. Downstream: T pool inputs iid, labels f_n(x) + N(0, sigma^2),
//     fits for every lambda of the grid; its label noise is integrated out analytically (Rao-Blackwell):
//     E_noise |f - f*|^2 = |f_clean - f*|^2 + sigma^2 sum_j |P_j|^2/(D_j + T lambda)^2.
//   * Errors: "pool" = E_mu (f - f*)^2 = mean over the N pool inputs (what the DE predicts), "test" = mean
//     over the M held-out inputs against their clean target (the generalisation the DE does not model).
//   * Common random numbers: one chain and one downstream design per trial serve every generation 0..n and
//     every lambda. Streams: Philox (seed, trial, numerics::streams) -- chain_design(k), chain_noise(k),
//     downstream_design -- so a trial's numbers do not depend on the thread that runs it.
// \test tests/krr/test_experiment.cpp
#pragma once

#include "krr/dataset.hpp"
#include "krr/kernel.hpp"
#include "numerics/simulate.hpp"
#include "theory/spectrum_spec.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace collapse::krr {

struct problem_config {
  long N = 1000;     // pool size (1 <= N)
  long test = 500;   // held-out inputs (>= 1); N + test <= samples
  kernel_spec kernel;
  std::string target = "label";  // "label" or "class:C"
  std::uint64_t seed = 20240707;
};

/// The pool, its Gram matrices and the clean target.
struct problem {
  std::string dataset;
  kernel_spec kernel;        // bandwidth resolved
  std::string target;
  matrix K_pool;             // N x N, k(pool_i, pool_j)
  matrix K_test;             // M x N, k(test_i, pool_j)
  Eigen::VectorXd f_pool, f_test;
  long N() const { return static_cast<long>(K_pool.rows()); }
  long M() const { return static_cast<long>(K_test.rows()); }
};

/// Splits `d` (Philox permutation keyed by cfg.seed), builds the target and the Gram matrices.
/// Throws domain_error naming --N, --test or --target.
problem make_problem(const dataset& d, const problem_config& cfg);

/// Spectrum of K_pool/N and the target's w2 (see above), eigenvalues in decreasing order.
struct empirical_spectrum {
  std::vector<double> eig, w2;  // kept directions, lambda_j > 1e-10 lambda_1
  long dropped = 0;             // directions dropped
  double signal = 0;            // |f*|^2 in L2(mu) = mean of f_pool^2
  double dropped_signal = 0;    // its part on the dropped directions
  double seconds = 0;           // time of the eigendecomposition
};
empirical_spectrum pool_spectrum(const problem& p);

/// The spectrum as the exact spec of theory/ (each double through its shortest round-trip decimal, the text
/// write_spectrum_csv prints, so `collapse eval --spectrum file:` sees the same numbers).
spectrum_spec to_spec(const empirical_spectrum& s, const std::string& path);

/// Writes `eig,w2` CSV (eval/spectrum_input.hpp's format) with '#' comment lines `comments` first.
void write_spectrum_csv(const empirical_spectrum& s, const std::string& path, const std::vector<std::string>& comments);

struct chain_config {
  long T = 100, T0 = 100, n = 3;
  std::vector<double> lambdas{0.001};
  double lambda0 = 0, sigma2 = 0, sigma02 = 0;
  /// The downstream label noise: integrated out analytically (Rao-Blackwell, default; see above), or sampled
  /// as the protocol states -- one N(0, sigma2) draw per design point from the stream downstream_noise, the
  /// same for every generation (what a scikit-learn loop does; same expectation, larger variance, and no
  /// (N - s + M) x s x s noise product).
  bool sampled_noise = false;
  std::uint64_t trials = 20, seed = 20240707;
  unsigned threads = 1;
};

/// Floating-point operations of run_chain (the cost estimate the CLI refuses huge runs by).
double chain_flops(long N, long M, const chain_config& c);

/// Per generation g = 0..n: the generator's own pool error; per (g, lambda): the downstream pool and test
/// errors -- mean and standard error over trials (reduced in trial order: identical for any thread count).
struct chain_moments {
  std::vector<numerics::sample_moments> generator;          // [g]
  std::vector<std::vector<numerics::sample_moments>> pool;  // [g][l]
  std::vector<std::vector<numerics::sample_moments>> test;  // [g][l]
  double seconds = 0;
  double cpu_seconds = 0;  // CPU time of the whole process during the chain (all threads; std::clock)
};
/// Progress of run_chain: (trials done, trials requested), called on the calling thread about ten times a
/// second while the workers run, and once with done = total at the end. A callback that throws cancels the
/// run: the workers stop after their current trial and run_chain rethrows it.
using chain_progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Runs the chain (see above) over c.trials trials on c.threads threads (one OpenBLAS thread each; with a
/// progress callback the calling thread only reports, without one it runs trials too). Throws domain_error
/// naming T, T0, n, lambda, lambda0, sigma2, sigma02, trials when out of range (check_chain).
chain_moments run_chain(const problem& p, const chain_config& c, const chain_progress& progress = {});

/// The ranges run_chain accepts: T, T0 in 1..N; n in 0..100; at least one lambda; each lambda and lambda0 finite in
/// [0, 1e6]; variances in [0, 1e6]; trials in 2..1e6. Throws domain_error naming the field (the suite files'
/// key; `collapse krr` names the option, --T etc.).
void check_chain(const problem& p, const chain_config& c);

/// One trial's values, the summands of run_chain: [generator error g = 0..n] then [pool error (g, l)] then
/// [test error (g, l)], (g, l) generation-major. Its cost: per generation a T0 x T0 fit (dpotrf, or dsyevd
/// when lambda0 = 0) and an N x s0 matrix-vector product, s0 the draw's distinct points (fits on a draw with
/// repeats are fits on its distinct points with multiplicities: exact, see distinct_draw in experiment.cpp);
/// downstream one s x s dsyevd (s ~ N(1 - e^-T/N) distinct points of the T draws), the products U^T Y
/// (s x s x G), U Cm (s x s x GL), X_R (U Cm) ((N - s + M) x s x GL) and, when sigma2 > 0 is integrated, X_R U
/// ((N - s + M) x s x s) for the Rao-Blackwellised noise term -- the s drawn pool points' rows of these
/// products come from the eigendecomposition itself -- all dgemm, one OpenBLAS thread (the caller's
/// setting). Kernel values are only read from p.K_pool and p.K_test, never recomputed. Throws as check_chain.
std::vector<double> trial_values(const problem& p, const chain_config& c, std::uint64_t trial);

/// The DE (§4.3 recursion with kappa0 -> kappa(lambda0, T0) and the ridge-generator coefficients of
/// theory/variants/ridge_generator.hpp; lambda0 = 0 is §4.3 itself) on the empirical spectrum, plus the
/// dropped directions' signal. `total` = downstream E_n at lambda, `generator` = E_test(w_n).
///
/// Where it does not apply (`unreliable` non-empty, the reason; the numbers are then not to be shown): n >= 1
/// and the generator's DE uses more effective directions than its draws have distinct inputs,
///   df2(kappa0) = sum_j (lambda_j/(lambda_j + kappa0))^2  >  N (1 - (1 - 1/N)^T0)  (expected distinct points).
/// The DE counts the T0 draws as T0 independent samples; from a pool of N they repeat. As lambda0 -> 0 with
/// T0 >= d it tends to its interpolation threshold (D0 = T0 - df2(kappa0) -> 0, the DE -> infinity: §2's
/// 1/(T0 - d) at T0 = d), which a generator fitted to repeated pool points never reaches. Measured (8x8
/// digits, N = 300, T0 = 300, T = 100, lambda = 1e-2, docs/krr.md): df2 = 31, 244, 298, 300 against 190
/// distinct at lambda0 = 1e-3, 1e-6, 1e-9, 1e-12, where rel = MC/DE - 1 is -2 %, -5 %, -42...-58 %, -96...-98 %
/// at n = 1, 2; krr-digits' interpolating case has df2 = 216 against 226 distinct (rel within 4 %).
struct de_value {
  double total = 0, generator = 0;
  std::string unreliable;
};
de_value de_risk(const empirical_spectrum& s, const spectrum_spec& spec, const chain_config& c, long n, double lambda);

}  // namespace collapse::krr
