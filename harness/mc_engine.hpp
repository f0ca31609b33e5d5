// harness/mc_engine.hpp -- the harness's own small Monte Carlo of the iterated-synthetic-data chain
// (theory document §1, §2.1, §4, §8.6), exact in distribution, used by the suites until the simulator
// of issue 3 (branch `sim`) is merged, and kept afterwards as an independent route for the §2.2
// design-only trace E_X tr[ΣAΣ⁻¹A], which the simulator does not expose.
//
// Per trial, with common random numbers across the recorded generations n and the ridge penalties λ:
//   chain   ŵ_0 = w0; ŵ_k = X_k⁺(X_k ŵ_{k−1} + E_k).
//           T0 ≥ d: ŵ_k = ŵ_{k−1} + δ_k, δ_k | X_k ~ N(0, σ0²(X_kᵀX_k)⁻¹); X_kᵀX_k = L Lᵀ with
//           L = Σ^{1/2} B and B the Bartlett factor of a Wishart(I, T0) (B_ii² ~ χ²_{T0−i}, B_ij ~ N(0,1)),
//           so δ_k = σ0 L⁻ᵀ ξ costs O(d²) -- exact in distribution.
//           T0 < d: X_k drawn explicitly, ŵ_k = X_kᵀ(X_kX_kᵀ)⁻¹(X_k ŵ_{k−1} + E_k).
//   downstream  S = XᵀX/T (Bartlett when T ≥ d, explicit X otherwise) = V diag(μ) Vᵀ;
//           A = V diag(μ/(μ+λ)) Vᵀ, and the label noise is integrated out (Rao–Blackwell, §8.6):
//           E_E[err] = (Aŵ_n − w0)ᵀΣ(Aŵ_n − w0) + (σ²/T) Σ_k μ_k/(μ_k+λ)² (VᵀΣV)_kk.
//           λ = 0 is the pseudo-inverse: eigenvalues μ ≤ d·μ_max·2⁻⁴⁰ are treated as zero.
// Optional further Rao–Blackwellisation (rao_blackwell_chain; under-parameterised chain T0 ≥ d+2 only):
//   the problem is invariant under X_k → X_k D, w0 → D w0 for every sign matrix D (Σ diagonal), and
//   given the designs δ_n ~ N(0, σ0² C_n) with C_n = Σ_{k≤n} (X_kᵀX_k)⁻¹. Averaging the error over the
//   signs of w0 and over the generator noise given the designs gives the unbiased, lower-variance
//     E_{D,E_k,E}[err] = Σ_j w0_j² [(A−I)Σ(A−I)]_jj + σ0² tr[AΣA C_n] + (σ²/T) tr(ΣRSR),
//   evaluated in the eigenbasis of S as (h−1)ᵀ(W∘P)(h−1) + σ0² hᵀ(W∘K_n)h + ..., with W = VᵀΣV,
//   P = Vᵀ diag(w0²) V, K_n = Vᵀ C_n V; the generator error becomes σ0² tr(Σ C_n).
// Every trial has its own generator seeded from (seed, trial), so the per-trial values -- and every
// mean -- are the same for any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace collapse::verify {

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

/// Runs the chain and the downstream fits; throws domain_error for T0 or T within one of d.
mc_samples run_mc(const mc_config& c);

/// Mean and standard error of the mean of f(t) over the trials.
struct mean_se { double mean = 0, se = 0; long count = 0; };
mean_se mean_and_se(long trials, const std::function<double(long)>& f);

}  // namespace collapse::verify
