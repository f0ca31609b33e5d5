// bench/bench_simulation.cpp -- seconds per trial of the simulation engines at the anchor
// point (d = 300, T0 = 600, T = 1000, n = 5, λ = 0, Σ = I, ‖w0‖² = 1, σ² = σ0² = 1), the
// Rao–Blackwell variance reduction there, and the peak resident memory of the fast engine.
// Prints a markdown table; with --numpy-seconds S (bench/numpy_protocol.py's seconds per trial) it
// adds the ratio to numpy. Run by bench/run_simulation_bench.sh. Never timed in tests.
//
// usage: bench_simulation [--numpy-seconds S] [--seconds-per-case 3] [--reference-variance-trials 16]
#include "numerics/simulate.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace collapse;
using namespace collapse::numerics;

namespace {

exact_number exact(const std::string& s) { return parse_exact("bench", s); }

simulation_config anchor(engine_kind engine, estimator_kind est, unsigned threads, std::uint64_t trials,
                         std::vector<std::string> lambda = {"0"}) {
  simulation_config c;
  c.spectrum.type = spectrum_spec::kind::isotropic;
  c.spectrum.d = exact("300");
  c.spectrum.w0norm2 = exact("1");
  c.T = 1000;
  c.T0 = 600;
  c.n = 5;
  for (auto& l : lambda) c.lambda.push_back(exact(l));
  c.sigma2 = exact("1");
  c.sigma02 = exact("1");
  c.trials = trials;
  c.seed = 12345;
  c.threads = threads;
  c.engine = engine;
  c.estimator = est;
  return c;
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

struct timing { double seconds_per_trial; simulation_result result; };

/// Doubles the trial count until one run takes at least `budget` seconds (at least 2 trials).
timing time_case(simulation_config c, double budget) {
  std::uint64_t trials = 2;
  for (;;) {
    c.trials = trials;
    auto r = run_simulation(c);
    if (r.elapsed_seconds >= budget || trials >= (1ull << 26)) return {r.elapsed_seconds / trials, r};
    double scale = r.elapsed_seconds > 0 ? budget / r.elapsed_seconds : 64;
    trials = static_cast<std::uint64_t>(trials * std::min(64.0, std::max(2.0, 1.2 * scale)));
  }
}

}  // namespace

int main(int argc, char** argv) {
  double numpy = 0, budget = 3;
  std::uint64_t reference_variance_trials = 16;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--numpy-seconds")) numpy = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--reference-variance-trials")) reference_variance_trials = std::atoll(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seconds-per-case")) budget = std::atof(argv[i + 1]);
  }
  struct row { std::string label; timing t; unsigned threads; };
  std::vector<row> rows;
  long rss_before = peak_rss_kib();
  for (auto est : {estimator_kind::plain, estimator_kind::rao_blackwell})
    for (unsigned th : {1u, 2u})
      rows.push_back({"fast, " + to_string(est), time_case(anchor(engine_kind::fast, est, th, 0), budget), th});
  long rss_fast = peak_rss_kib();
  // The general path (λ grid: Bartlett S + symmetric eigendecomposition per trial), for honesty.
  for (unsigned th : {1u, 2u})
    rows.push_back({"fast, rb, lambda grid {0, 1e-2, 1e-1}",
                    time_case(anchor(engine_kind::fast, estimator_kind::rao_blackwell, th, 0, {"0", "1/100", "1/10"}), budget), th});
  long rss_grid = peak_rss_kib();
  for (auto est : {estimator_kind::plain, estimator_kind::rao_blackwell})
    for (unsigned th : {1u, 2u})
      rows.push_back({"reference, " + to_string(est), time_case(anchor(engine_kind::reference, est, th, 0), budget), th});

  std::printf("| engine, estimator | threads | trials timed | seconds / trial | numpy / this | mean at n=5 (λ=0) | se |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& r : rows) {
    const auto& e = r.t.result.rows[5 * r.t.result.rows.size() / 6];  // generation 5, first λ
    char ratio[32] = "–";
    if (numpy > 0) std::snprintf(ratio, sizeof ratio, "%.3g", numpy / r.t.seconds_per_trial);
    std::printf("| %s | %u | %llu | %.3g | %s | %.5f | %.2g |\n", r.label.c_str(), r.threads,
                static_cast<unsigned long long>(r.t.result.trials), r.t.seconds_per_trial, ratio, e.mean, e.se);
  }
  if (numpy > 0) std::printf("| numpy protocol (bench/numpy_protocol.py) | – | – | %.3g | 1 | | |\n", numpy);

  // Variance reduction of Rao–Blackwellisation at the anchor point, generation by generation, from
  // dedicated runs with enough trials for a sample variance (2 threads, seed 12345 for both), and the
  // work-normalised gain (plain variance × plain seconds) / (rb variance × rb seconds).
  std::printf("\nRao–Blackwell variance reduction at the anchor (plain variance / rb variance of the per-trial "
              "error; last column: the same times plain/rb seconds per trial):\n\n");
  std::printf("| engine | trials | n=0 | n=1 | n=2 | n=3 | n=4 | n=5 | n=5 work-normalised |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (auto engine : {engine_kind::fast, engine_kind::reference}) {
    std::uint64_t trials = engine == engine_kind::fast ? 20000 : reference_variance_trials;
    auto plain = run_simulation(anchor(engine, estimator_kind::plain, 2, trials));
    auto rb = run_simulation(anchor(engine, estimator_kind::rao_blackwell, 2, trials));
    std::printf("| %s | %llu |", to_string(engine).c_str(), static_cast<unsigned long long>(trials));
    for (int k = 0; k <= 5; ++k) std::printf(" %.3g |", plain.rows[k].variance / rb.rows[k].variance);
    std::printf(" %.3g |\n", plain.rows[5].variance * plain.elapsed_seconds / (rb.rows[5].variance * rb.elapsed_seconds));
  }
  std::printf("\nexact mean at n=5: %.5f\n", 300.0 / 699 + 5 * 300.0 / 299);
  std::printf("peak RSS: %ld KiB at start, %ld KiB after the fast engine at λ = 0 (2 threads), %ld KiB after the λ grid "
              "(d² = %d doubles = %ld KiB)\n",
              rss_before, rss_fast, rss_grid, 300 * 300, 300L * 300 * 8 / 1024);
  return 0;
}
