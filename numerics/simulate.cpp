// numerics/simulate.cpp -- validation, threads, batching and the trial-ordered reduction behind
// run_simulation (numerics/simulate.hpp). The per-trial mathematics is numerics/simulation_engine.hpp,
// instantiated once per Real in simulate_<real>.cpp.
#include "numerics/simulate.hpp"
#include "numerics/simulation_engine.hpp"
#include "theory/domain.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace collapse::numerics {

namespace detail {
extern template std::unique_ptr<trial_runner> make_trial_runner<double>(const simulation_config&);
extern template std::unique_ptr<trial_runner> make_trial_runner<long double>(const simulation_config&);
extern template std::unique_ptr<trial_runner> make_trial_runner<mp50>(const simulation_config&);
}  // namespace detail

std::string to_string(engine_kind e) { return e == engine_kind::reference ? "reference" : "fast"; }
std::string to_string(estimator_kind e) { return e == estimator_kind::plain ? "plain" : "rb"; }
std::string to_string(precision_kind p) {
  switch (p) {
    case precision_kind::double_precision: return "double";
    case precision_kind::long_double_precision: return "long-double";
    default: return "mp50";
  }
}

namespace {

constexpr double z975 = 1.959963984540054;  // Φ⁻¹(0.975)
constexpr unsigned max_threads = 256;
constexpr std::uint64_t first_batch = 64, max_batch = 65536;
constexpr std::uint64_t max_batch_values = std::uint64_t(1) << 22;  // per-trial values held at once

long double real_size(precision_kind p) {
  switch (p) {
    case precision_kind::double_precision: return sizeof(double);
    case precision_kind::long_double_precision: return sizeof(long double);
    default: return sizeof(mp50);
  }
}

/// Physical memory in bytes (0 if unknown).
long double physical_memory() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<long double>(pages) * page : 0;
}

long double dimension_of(const simulation_config& c) {
  if (c.spectrum.infinite()) return std::numeric_limits<long double>::infinity();
  return c.spectrum.dimension().convert_to<long double>();
}

std::uint64_t batch_size(std::uint64_t index, std::size_t rows) {
  std::uint64_t b = first_batch << std::min<std::uint64_t>(index, 20);
  b = std::min(b, max_batch);
  return std::max<std::uint64_t>(1, std::min<std::uint64_t>(b, max_batch_values / std::max<std::size_t>(rows, 1)));
}

/// Welford's running mean and sum of squared deviations, updated in trial order (deterministic).
struct running_moments {
  std::uint64_t count = 0;
  long double mean = 0, m2 = 0;
  void add(long double x) {
    ++count;
    long double delta = x - mean;
    mean += delta / count;
    m2 += delta * (x - mean);
  }
  long double variance() const { return count > 1 ? m2 / (count - 1) : 0; }
  long double se() const { return count > 0 ? std::sqrt(variance() / count) : 0; }
};

}  // namespace

long double memory_estimate(const simulation_config& c) {
  long double d = dimension_of(c), T = c.T, T0 = c.T0, n = c.n;
  bool ref = c.engine == engine_kind::reference, rb = c.estimator == estimator_kind::rao_blackwell;
  long double entries = (n + 4) * d;                                   // chain means, w0, Σ
  if (rb && (ref || T0 < d)) entries += (n + 1) * d * d;               // explicit chain covariances
  if (c.n > 0) {
    if (ref) entries += 3 * T0 * d + 3 * d * d;                          // X, COD, X⁺, P
    else if (T0 < d) entries += 4 * T0 * d + 2 * d * d;                  // Xᵀ, QR, Q
  }
  if (ref || T < d) entries += 3 * T * d + 2 * d * d;                    // X, U, V, SVD work
  else entries += 6 * d * d;                                            // L, Σ^{1/2}L, S, eigenvectors, work
  entries += 4 * d * d;                                                 // VᵀΣV, VᵀΣ⁻¹V, Hadamard products
  long double per_thread = entries * real_size(c.precision);
  long double rows = (n + 1) * static_cast<long double>(c.lambda.size());
  return per_thread * std::max(1u, c.threads) + rows * max_batch * 8 + rows * 64;
}

void validate(const simulation_config& c) {
  validate(c.spectrum);
  if (c.spectrum.infinite())
    throw domain_error("d", "inf", "a finite integer d >= 1", "a simulation draws d-dimensional vectors");
  if (c.T < 1) throw domain_error("T", std::to_string(c.T), "an integer T >= 1");
  if (c.n < 0 || c.n > 100000) throw domain_error("n", std::to_string(c.n), "an integer 0 <= n <= 100000");
  if (c.n > 0 && c.T0 < 1) throw domain_error("T0", std::to_string(c.T0), "an integer T0 >= 1 (needed when n >= 1)");
  if (c.lambda.empty()) throw domain_error("lambda", "(empty)", "a non-empty list of values >= 0");
  for (const auto& l : c.lambda)
    if (l.infinite || l.value < 0) throw domain_error("lambda", l.text, "lambda >= 0 (0 = pseudo-inverse)");
  if (c.sigma2.infinite || c.sigma2.value < 0) throw domain_error("sigma2", c.sigma2.text, "sigma2 >= 0");
  if (c.sigma02.infinite || c.sigma02.value < 0) throw domain_error("sigma02", c.sigma02.text, "sigma02 >= 0");
  {  // an infinite mean has no Monte Carlo estimate (theory/domain.hpp, issue 7 kind 2)
    rational smallest_lambda = c.lambda.front().value;
    for (const auto& l : c.lambda) smallest_lambda = std::min(smallest_lambda, l.value);
    require_finite_mean(rational(c.spectrum.dimension()), c.T, c.T0, c.n, smallest_lambda, c.sigma2.value, c.sigma02.value);
  }
  if (c.trials != 0 && c.target_rse != 0)
    throw domain_error("trials", std::to_string(c.trials), "either trials or target-se, not both");
  if (c.trials == 0 && !(c.target_rse > 0))
    throw domain_error("trials", "0", "trials >= 2, or a target-se > 0", "no stopping rule given");
  if (c.trials == 1) throw domain_error("trials", "1", "trials >= 2", "a standard error needs two trials");
  if (c.target_rse != 0 && !(c.target_rse > 0 && c.target_rse < 1))
    throw domain_error("target-se", std::to_string(c.target_rse), "0 < target-se < 1 (relative standard error)");
  if (c.max_trials < 2) throw domain_error("max-trials", std::to_string(c.max_trials), "max-trials >= 2");
  if (c.threads < 1 || c.threads > max_threads)
    throw domain_error("threads", std::to_string(c.threads), "1 <= threads <= " + std::to_string(max_threads));
  long double need = memory_estimate(c), have = physical_memory();
  if (have > 0 && need > have / 2) {
    // Name the size that dominates: only the reference engine (and the explicit routes for T < d or
    // T0 < d, whose footprint is then bounded by d) allocates in proportion to T or T0.
    long double d = dimension_of(c);
    std::string who = "d", value = c.spectrum.dimension().str();
    if (c.engine == engine_kind::reference && c.T > d && c.T >= c.T0) { who = "T"; value = std::to_string(c.T); }
    else if (c.engine == engine_kind::reference && c.n > 0 && c.T0 > d) { who = "T0"; value = std::to_string(c.T0); }
    char buf[200];
    std::snprintf(buf, sizeof buf, "the run would allocate about %.3Lg GiB; half the physical memory is %.3Lg GiB",
                  need / (1u << 30), have / 2 / (1u << 30));
    throw domain_error(who, value, "sizes whose working memory fits in half the physical memory", buf);
  }
}

namespace {
std::unique_ptr<detail::trial_runner> make_runner(const simulation_config& c) {
  switch (c.precision) {
    case precision_kind::double_precision: return detail::make_trial_runner<double>(c);
    case precision_kind::long_double_precision: return detail::make_trial_runner<long double>(c);
    default: return detail::make_trial_runner<mp50>(c);
  }
}
}  // namespace

simulation_result run_simulation(const simulation_config& c, const progress_callback& progress) {
  validate(c);
  auto start = std::chrono::steady_clock::now();
  const std::size_t L = c.lambda.size(), rows = (c.n + 1) * L;
  const unsigned nthreads = c.threads;
  std::vector<std::unique_ptr<detail::trial_runner>> runners;
  for (unsigned t = 0; t < nthreads; ++t) runners.push_back(make_runner(c));

  std::vector<running_moments> moments(rows);
  const std::uint64_t cap = c.trials ? c.trials : c.max_trials;
  std::uint64_t done = 0;
  std::vector<double> values;
  for (std::uint64_t batch = 0; done < cap; ++batch) {
    const std::uint64_t first = done, count = std::min(batch_size(batch, rows), cap - done);
    values.assign(count * rows, 0.0);
    std::atomic<std::uint64_t> next{0}, finished{0};
    std::atomic<unsigned> running{nthreads};
    std::mutex m;
    std::condition_variable cv;
    std::exception_ptr failure;
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < nthreads; ++t) {
      pool.emplace_back([&, t] {
        try {
          for (std::uint64_t i; (i = next.fetch_add(1)) < count;) {
            runners[t]->run(first + i, values.data() + i * rows);
            finished.fetch_add(1);
          }
        } catch (...) {
          std::lock_guard lock(m);
          if (!failure) failure = std::current_exception();
          next.store(count);
        }
        if (running.fetch_sub(1) == 1) { std::lock_guard lock(m); cv.notify_all(); }
      });
    }
    {
      std::unique_lock lock(m);
      while (running.load() != 0) {
        cv.wait_for(lock, std::chrono::milliseconds(100));
        if (progress) { lock.unlock(); progress(first + finished.load(), first + count); lock.lock(); }
      }
    }
    for (auto& th : pool) th.join();
    if (failure) std::rethrow_exception(failure);
    for (std::uint64_t i = 0; i < count; ++i)  // trial order: the result is independent of the threads
      for (std::size_t r = 0; r < rows; ++r) moments[r].add(values[i * rows + r]);
    done += count;
    if (c.trials) continue;
    // Stopping rule for a target relative standard error, decided only at batch ends (so it does not
    // depend on the thread count). A row with mean 0 and se 0 is exact; mean 0 with se > 0 never meets it.
    long double worst_need = 0;
    bool reached = true;
    for (const auto& mo : moments) {
      long double se = mo.se();
      if (se == 0) continue;
      long double rse = mo.mean != 0 ? se / std::fabs(mo.mean) : std::numeric_limits<long double>::infinity();
      if (rse >= c.target_rse) reached = false;
      worst_need = std::max(worst_need, done * (rse / c.target_rse) * (rse / c.target_rse));
    }
    if (reached) break;
    if ((done >= 1024 && worst_need > 2.0L * c.max_trials) || done >= c.max_trials) {
      char buf[200];
      std::snprintf(buf, sizeof buf, "after %llu trials the worst row projects to %.3Lg trials, above max-trials = %llu",
                    static_cast<unsigned long long>(done), worst_need, static_cast<unsigned long long>(c.max_trials));
      throw domain_error("target-se", std::to_string(c.target_rse), "a relative standard error reachable within max-trials", buf);
    }
  }
  if (progress) progress(done, done);

  simulation_result result;
  result.trials = done;
  for (int k = 0; k <= c.n; ++k)
    for (std::size_t l = 0; l < L; ++l) {
      const auto& mo = moments[k * L + l];
      estimate e;
      e.generation = k;
      e.lambda_text = c.lambda[l].text;
      e.lambda = to_real<double>(c.lambda[l].value);
      e.mean = static_cast<double>(mo.mean);
      e.se = static_cast<double>(mo.se());
      e.variance = static_cast<double>(mo.variance());
      e.ci95_low = e.mean - z975 * e.se;
      e.ci95_high = e.mean + z975 * e.se;
      e.trials = mo.count;
      result.rows.push_back(e);
    }
  result.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace collapse::numerics
