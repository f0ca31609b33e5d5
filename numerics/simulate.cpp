// numerics/simulate.cpp -- validation, threads, batching and the trial-ordered reduction behind
// run_simulation (numerics/simulate.hpp). The per-trial mathematics is numerics/simulation_engine.hpp,
// instantiated once per Real in simulate_<real>.cpp.
#include "numerics/simulate.hpp"
#include "numerics/cost.hpp"
#include "numerics/process_group.hpp"
#include "numerics/simulation_engine.hpp"
#include "numerics/variant_engine.hpp"
#include "theory/domain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <map>
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

trial_layout layout_of(const simulation_config& c) {
  trial_layout t;
  t.L = c.lambda.size();
  t.generations = static_cast<std::size_t>(std::max(c.n, 0)) + 1;
  t.downstream_count = c.record_downstream ? t.generations * t.L : 0;
  t.generator_offset = t.downstream_offset + t.downstream_count;
  t.generator_count = c.record_generator ? t.generations : 0;
  t.trace_offset = t.generator_offset + t.generator_count;
  t.trace_count = c.record_design_trace ? t.L : 0;
  t.columns = t.trace_offset + t.trace_count;
  return t;
}

namespace {

/// A size's contribution to memory, with the parameter that drives it (for the error message).
struct memory_term {
  const char* parameter;
  long double bytes;
};

/// What the run allocates, per code path (docs/simulation.md "Memory"). Counts of Real entries per
/// thread, by the matrices and vectors that simulation_engine.hpp really forms at once (one chain
/// state at a time), plus the batch buffers and moments shared by the threads.
std::vector<memory_term> memory_terms(const simulation_config& c, std::uint64_t stored_trials) {
  const long double d = dimension_of(c), T = c.T, T0 = c.T0, th = std::max(1u, c.threads);
  const long double b = real_size(c.precision) * th;
  const bool ref = c.engine == engine_kind::reference, rb = c.estimator == estimator_kind::rao_blackwell;
  std::vector<memory_term> out;
  out.push_back({"d", 10 * d * b});  // Σ, √Σ, 1/√Σ, w0, the materialised spectrum, two chain means
  const fast_path path = resolve_path(c);  // the scalable paths integrate the chain: nothing of its size
  if (c.n > 0 && path == fast_path::general) {
    if (ref) {  // X, its decomposition, X⁺ (T0 < d) or T⁻¹, P or (XᵀX)⁻¹, C_{k−1}, C_k
      out.push_back({"T0", 3 * T0 * d * b});
      out.push_back({"d", (rb ? 6 : 1) * d * d * b});
    } else if (T0 < d) {  // X, Xᵀ, its QR, Q; R, R⁻¹ and the T0×T0 inner covariance; C_{k−1}, C_k, QinnerQᵀ
      out.push_back({"T0", (4 * T0 * d + 4 * T0 * T0) * b});
      if (rb) out.push_back({"d", 3 * d * d * b});
    } else if (!rb) {
      out.push_back({"d", d * b});  // the noise vector z
    }
  }
  if (path == fast_path::isotropic_spectral) {  // the tridiagonal (diagonal, off-diagonal) and eigensolver work
    out.push_back({"T", 6 * std::min(T, d) * b});
  } else if (path == fast_path::dual_gram) {  // Xᵀ -> its QR in place -> Q₁ (d×T); R, P, SVD work, Gram matrices, H (T×T); a row block
    out.push_back({"T", (T * d + 12 * T * T + 256 * T) * b});
  } else if (c.record_downstream) {
    const bool all_zero = std::all_of(c.lambda.begin(), c.lambda.end(), [](const exact_number& l) { return l.value == 0; });
    if (ref || T < d) {  // X, the SVD's copy, U (T×m), V (d×m), m = min(T, d); r×r products
      const long double m = std::min(T, d);
      out.push_back({"T", (3 * T * d + T * m) * b});
      out.push_back({"d", (2 * d * m + 5 * m * m) * b});
    } else if (all_zero && !c.record_design_trace) {
      out.push_back({"d", 2 * d * b});  // the reduced OLS route: z and nothing of size d²
    } else {  // Bartlett L, Σ^{1/2}L, S, eigenvectors, eigensolver work, V; VᵀΣV, VᵀΣ⁻¹V, H, VᵀCV, WP
      out.push_back({"d", 11 * d * d * b});
    }
  }
  const std::size_t cols = layout_of(c).columns;
  const long double columns = cols, batch = std::max<std::uint64_t>(1, std::min<std::uint64_t>(max_batch, max_batch_values / cols));
  out.push_back({"n", columns * (batch * 8 + 64)});  // one batch of values (at most 2^22), running moments
  out.push_back({"trials", static_cast<long double>(stored_trials) * columns * 8});
  return out;
}

/// The largest value a per-trial result may reach without risking overflow in double: scales of
/// the problem above it are refused up front (the per-trial values fluctuate around the scale by
/// factors far below 1e18, e.g. 1/χ² variables).
constexpr long double max_scale = 1e290L;

/// Typical size of each term of the per-trial value, with the parameter that sets it.
struct scale_term {
  std::string parameter, value;
  long double size;
};

std::string spectrum_parameter(const spectrum_spec& s) {
  switch (s.type) {
    case spectrum_spec::kind::isotropic: return "w0norm2";
    case spectrum_spec::kind::powerlaw: return "beta";
    default: return "spectrum file";
  }
}
std::string spectrum_value(const spectrum_spec& s) {
  switch (s.type) {
    case spectrum_spec::kind::isotropic: return s.w0norm2.text;
    case spectrum_spec::kind::powerlaw: return s.beta.text;
    default: return s.path;
  }
}

std::vector<scale_term> scale_terms(const simulation_config& c) {
  std::vector<long double> eig, w2;
  materialize<long double>(c.spectrum, eig, w2, std::numeric_limits<long>::max());
  long double emax = 0, emin = std::numeric_limits<long double>::infinity(), signal = 0, w2max = 0;
  for (std::size_t j = 0; j < eig.size(); ++j) {
    emax = std::max(emax, eig[j]);
    emin = std::min(emin, eig[j]);
    signal += eig[j] * w2[j];
    w2max = std::max(w2max, w2[j]);
  }
  const long double d = eig.size(), kappa = emax / emin;
  const std::string sp = spectrum_parameter(c.spectrum), sv = spectrum_value(c.spectrum);
  std::vector<scale_term> out;
  // Σ, Σ⁻¹ and w0 themselves must be normal doubles (the engine forms Σ^{±1/2} and Σ⁻¹).
  out.push_back({sp, sv, std::max({emax, 1 / emin, w2max, kappa})});
  out.push_back({sp, sv, signal * kappa});                                   // bias: ≤ ‖w0‖²_Σ · cond(Σ)
  out.push_back({"sigma2", c.sigma2.text, to_real<long double>(c.sigma2.value) * d * kappa});    // noise of the fit
  out.push_back({"sigma02", c.sigma02.text, to_real<long double>(c.sigma02.value) * std::max<long double>(c.n, 1) * d * kappa});
  return out;
}

/// The parameter to blame for a non-finite value: the largest scale.
const scale_term& dominant_scale(const std::vector<scale_term>& terms) {
  return *std::max_element(terms.begin(), terms.end(), [](const scale_term& a, const scale_term& b) { return a.size < b.size; });
}

std::string size_text(long value) { return std::to_string(value); }

/// One row's regime from the sizes it involves (see moment_regime in simulate.hpp).
row_regime regime_of(long d, bool downstream_noise, long T, bool chain_noise, long T0) {
  row_regime r;
  auto check = [&](bool involved, long m, const char* name, const char* what) {
    if (!involved) return;
    // The Wishart behind it has (p, m) = (d, T) or (T, d): m − p = |T − d|; E[W⁻¹] needs m − p >= 2,
    // E[(W⁻¹)²] needs m − p >= 4.
    const long a = m >= d ? m - d : d - m;
    if (a <= 1 && r.mean_finite) {
      r.mean_finite = r.variance_finite = false;
      r.parameter = name;
      r.reason = std::string(name) + " = " + size_text(m) + " is within 1 of d = " + size_text(d) + " with " + what +
                 ": E[W^-1] of the Wishart behind the fit is infinite, so the mean is infinite";
    } else if (a <= 3 && r.variance_finite) {
      r.variance_finite = false;
      r.parameter = name;
      r.reason = std::string(name) + " = " + size_text(m) + " is within 3 of d = " + size_text(d) + " with " + what +
                 ": E[(W^-1)^2] is infinite, so the per-trial variance is infinite and a standard error means nothing";
    }
  };
  check(chain_noise, T0, "T0", "sigma02 > 0");
  check(downstream_noise, T, "T", "lambda = 0 and sigma2 > 0 (or a teacher shift)");
  return r;
}

/// Whether generation k's rows involve the generators' inverse Wishart moments: label noise in a
/// pseudo-inverse chain (a ridge generator, generator_lambda > 0, bounds them).
bool chain_noise_involved(const simulation_config& c, int k) { return k >= 1 && c.sigma02.value > 0 && c.generator_lambda.value == 0; }

}  // namespace

row_regime moment_regime(const simulation_config& c, int k, const exact_number& lambda) {
  const long d = c.spectrum.infinite() ? 0 : c.spectrum.dimension().convert_to<long>();
  // the downstream fit's inverse-Wishart moments enter with label noise, or with shifted-teacher rows (mixing)
  const bool downstream_noise = c.sigma2.value > 0 || (c.synthetic_fraction.value > 0 && c.teacher_shift.value > 0);
  return regime_of(d, lambda.value == 0 && downstream_noise, c.T, chain_noise_involved(c, k), c.T0);
}

row_regime generator_regime(const simulation_config& c, int k) {
  const long d = c.spectrum.infinite() ? 0 : c.spectrum.dimension().convert_to<long>();
  return regime_of(d, false, c.T, chain_noise_involved(c, k), c.T0);
}

long double memory_estimate(const simulation_config& c, std::uint64_t stored_trials) {
  long double total = 0;
  for (const auto& t : memory_terms(c, stored_trials)) total += t.bytes;
  return total;
}

long double flops_per_trial(const simulation_config& c) {
  const fast_path path = resolve_path(c);
  const long double d = dimension_of(c), T = c.T, L = static_cast<long double>(c.lambda.size());
  if (path == fast_path::dual_gram) {
    const bool both = (c.n > 0 && c.sigma02.value != 0) || c.record_design_trace;
    return (4 + (both ? 2 : 1)) * T * T * d + 10 * T * T * T + 20 * T * d;
  }
  if (path == fast_path::isotropic_spectral) {
    const long double m = std::min(T, d);
    return 30 * m * m + 40 * m + 10 * L * m;
  }
  return 0;
}

namespace {

void validate_sizes(const simulation_config& c, std::uint64_t stored_trials) {
  long double have = physical_memory();
  if (!(have > 0)) return;
  auto terms = memory_terms(c, stored_trials);
  long double need = 0;
  std::map<std::string, long double> by;
  for (const auto& t : terms) { need += t.bytes; by[t.parameter] += t.bytes; }
  if (need <= have / 2) return;
  auto worst = std::max_element(by.begin(), by.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  const std::string who = worst->first;
  std::string value = who == "d" ? c.spectrum.dimension().str() : who == "T" ? std::to_string(c.T) : who == "T0" ? std::to_string(c.T0)
                      : who == "n" ? std::to_string(c.n) : std::to_string(stored_trials);
  char buf[240];
  std::snprintf(buf, sizeof buf, "the run would allocate about %.3Lg GiB, %.3Lg GiB of it driven by %s; half the physical memory is %.3Lg GiB",
                need / (1u << 30), worst->second / (1u << 30), who.c_str(), have / 2 / (1u << 30));
  throw domain_error(who, value, "sizes whose working memory fits in half the physical memory", buf);
}

void validate_scales(const simulation_config& c) {
  constexpr long double dmax = std::numeric_limits<double>::max();
  for (const auto& l : c.lambda)
    if (to_real<long double>(l.value) > dmax) throw domain_error("lambda", l.text, "lambda <= 1.8e308 (a double)");
  for (const auto& t : scale_terms(c))
    if (!(t.size <= max_scale))
      throw domain_error(t.parameter, t.value, "values whose scale keeps every per-trial error below 1e290",
                         "the simulation computes in double, which overflows at 1.8e308");
}

void validate_regimes(const simulation_config& c) {
  for (int k = 0; k <= c.n; ++k) {
    row_regime r;
    if (c.record_downstream)
      for (const auto& l : c.lambda) {
        r = moment_regime(c, k, l);
        if (!r.mean_finite) break;
      }
    if (r.mean_finite && c.record_generator) r = generator_regime(c, k);
    if (!r.mean_finite)
      throw domain_error(r.parameter, std::to_string(r.parameter == "T" ? c.T : c.T0),
                         r.parameter + " <= d - 2 or " + r.parameter + " >= d + 2", r.reason);
    if (!r.variance_finite && c.target_rse > 0)
      throw domain_error("target-se", fmt::format("{}", c.target_rse), "trials K instead of a target standard error here",
                         r.reason);
  }
}

void validate_all(const simulation_config& c, std::uint64_t stored_trials) {
  validate(c.spectrum);
  if (c.spectrum.infinite())
    throw domain_error("d", "inf", "a finite integer d >= 1", "a simulation draws d-dimensional vectors");
  if (c.record_downstream && c.T < 1) throw domain_error("T", std::to_string(c.T), "an integer T >= 1");
  if (c.n < 0 || c.n > 100000) throw domain_error("n", std::to_string(c.n), "an integer 0 <= n <= 100000");
  if (c.n > 0 && c.T0 < 1) throw domain_error("T0", std::to_string(c.T0), "an integer T0 >= 1 (needed when n >= 1)");
  if (c.lambda.empty()) throw domain_error("lambda", "(empty)", "a non-empty list of values >= 0");
  for (const auto& l : c.lambda)
    if (l.infinite || l.value < 0) throw domain_error("lambda", l.text, "lambda >= 0 (0 = pseudo-inverse)");
  if (c.sigma2.infinite || c.sigma2.value < 0) throw domain_error("sigma2", c.sigma2.text, "sigma2 >= 0");
  if (c.sigma02.infinite || c.sigma02.value < 0) throw domain_error("sigma02", c.sigma02.text, "sigma02 >= 0");
  detail::validate_variant(c);  // issue-12 protocol variants (numerics/variant_engine.hpp)
  {  // an infinite mean has no Monte Carlo estimate (theory/domain.hpp, issue 7 kind 2); ridge generators have finite moments
    rational smallest_lambda = c.lambda.front().value;
    for (const auto& l : c.lambda) smallest_lambda = std::min(smallest_lambda, l.value);
    require_finite_mean(rational(c.spectrum.dimension()), c.T, c.T0, c.n, smallest_lambda, c.sigma2.value,
                        c.generator_lambda.value == 0 ? c.sigma02.value : rational(0));
  }
  if (c.trials != 0 && c.target_rse != 0)
    throw domain_error("trials", std::to_string(c.trials), "either trials or target-se, not both");
  if (c.trials == 0 && !(c.target_rse > 0))
    throw domain_error("trials", "0", "trials >= 2, or a target-se > 0", "no stopping rule given");
  if (c.trials == 1) throw domain_error("trials", "1", "trials >= 2", "a standard error needs two trials");
  if (c.target_rse != 0 && !(c.target_rse > 0 && c.target_rse < 1))
    throw domain_error("target-se", fmt::format("{}", c.target_rse), "0 < target-se < 1 (relative standard error)");
  if (c.max_trials < 2) throw domain_error("max-trials", std::to_string(c.max_trials), "max-trials >= 2");
  if (c.threads < 1 || c.threads > max_threads)
    throw domain_error("threads", std::to_string(c.threads), "1 <= threads <= " + std::to_string(max_threads));
  if (!c.record_downstream && !c.record_generator)
    throw domain_error("record_downstream", "false", "true, or record_generator = true", "nothing would be recorded");
  if (c.record_design_trace && !c.record_downstream)
    throw domain_error("record_design_trace", "true", "only with record_downstream", "the trace is of the downstream fit");
  if (c.sign_average && c.estimator != estimator_kind::rao_blackwell)
    throw domain_error("sign_average", "true", "only with the Rao-Blackwellised estimator");
  const long double d = dimension_of(c);
  if (c.sign_average && c.n > 0 && c.T0 < d)
    throw domain_error("T0", std::to_string(c.T0), "T0 >= d = " + c.spectrum.dimension().str() + " with sign_average",
                       "averaging over the signs of w0 needs a chain whose conditional mean is w0");
  resolve_chain(c);                  // a forced path, or an integrated chain, that does not apply (issue 9)
  validate_sizes(c, stored_trials);  // before anything of size d is formed
  validate_scales(c);
  validate_regimes(c);
}

}  // namespace

void validate(const simulation_config& c) { validate_all(c, 0); }

namespace {
std::unique_ptr<detail::trial_runner> make_runner(const simulation_config& c) {
  if (is_variant(c)) return detail::make_variant_runner(c);
  switch (c.precision) {
    case precision_kind::double_precision: return detail::make_trial_runner<double>(c);
    case precision_kind::long_double_precision: return detail::make_trial_runner<long double>(c);
    default: return detail::make_trial_runner<mp50>(c);
  }
}
}  // namespace

namespace {

/// Issue 10: the contiguous share [lo, hi) of a batch of `count` trials that rank `rank` of `size` computes.
struct batch_share {
  std::uint64_t lo = 0, hi = 0;
};
batch_share share_of(int rank, int size, std::uint64_t count) {
  return {count * rank / size, count * (rank + 1) / size};
}

/// Issue 10: collects every rank's share of a batch on the root (values in trial order there) with its
/// status ('0' computed, '1' failed + the message); returns the message of the first failed rank
/// ("" when none; on the other ranks always "").
std::string gather_batch(process_group& g, std::uint64_t count, std::size_t cols, std::vector<double>& values,
                         const std::exception_ptr& failure) {
  const batch_share mine = share_of(g.rank(), g.size(), count);
  std::string bytes = "0";
  if (failure) {
    bytes = "1";
    try { std::rethrow_exception(failure); } catch (const std::exception& e) { bytes += e.what(); } catch (...) { bytes += "unknown error"; }
  } else {
    bytes.append(reinterpret_cast<const char*>(values.data() + mine.lo * cols), (mine.hi - mine.lo) * cols * sizeof(double));
  }
  const auto all = g.gather(bytes);
  for (std::size_t r = 0; r < all.size(); ++r) {
    if (all[r].empty() || all[r][0] != '0') return fmt::format("rank {} of the MPI run failed: {}", r, all[r].empty() ? "no data" : all[r].substr(1));
    const batch_share s = share_of(static_cast<int>(r), g.size(), count);
    if (all[r].size() != 1 + (s.hi - s.lo) * cols * sizeof(double)) return fmt::format("rank {} of the MPI run sent a share of the wrong size", r);
    if (r > 0) std::memcpy(values.data() + s.lo * cols, all[r].data() + 1, all[r].size() - 1);
  }
  return "";
}

/// Runs trials in fixed batches (64, 128, ... 65536, capped so that a batch holds at most 2^22
/// values), on `threads` workers, and hands each finished batch to `consume(first, count, values)`
/// in trial order; consume returns true to stop. Non-finite values are refused here, naming the
/// parameter whose scale is largest, and negative ones naming the precision. Progress: done, the real total (trials, or max_trials with a
/// target), the projection `projected(done)` and an ETA at the running rate.
/// Trial t of the run uses the streams of trial `offset + t` (run_trial_range). With a process group
/// (issue 10) each rank computes its share of every batch; consume runs on the root only, which
/// broadcasts its verdict (continue, stop, or fail) at every batch end.
template <class Consume, class Project>
std::uint64_t drive(const simulation_config& c, const progress_callback& progress, Consume&& consume, Project&& projected,
                    std::chrono::steady_clock::time_point start, std::uint64_t offset = 0) {
  const trial_layout lay = layout_of(c);
  const std::size_t cols = lay.columns;
  const unsigned nthreads = c.threads;
  std::vector<std::unique_ptr<detail::trial_runner>> runners;
  for (unsigned t = 0; t < nthreads; ++t) runners.push_back(make_runner(c));
  const std::uint64_t cap = c.trials ? c.trials : c.max_trials;
  std::uint64_t done = 0;
  std::vector<double> values;
  process_group* group = c.group && c.group->size() > 1 ? c.group.get() : nullptr;
  const bool root = !group || group->rank() == 0;
  auto report = [&](std::uint64_t finished) {
    progress_info p;
    p.done = finished;
    p.total = cap;
    p.projected = std::min<std::uint64_t>(cap, std::max<std::uint64_t>(finished, projected(finished)));
    p.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (finished > 0 && p.projected > 0) p.eta_seconds = p.elapsed_seconds / finished * (p.projected - finished);
    progress(p);
  };
  for (std::uint64_t batch = 0; done < cap; ++batch) {
    const std::uint64_t first = done, count = std::min(batch_size(batch, cols), cap - done);
    const batch_share share = group ? share_of(group->rank(), group->size(), count) : batch_share{0, count};
    const std::uint64_t mine = share.hi - share.lo;
    values.assign(count * cols, 0.0);
    std::atomic<std::uint64_t> next{0}, finished{0};
    std::atomic<unsigned> running{nthreads};
    std::mutex m;
    std::condition_variable cv;
    std::exception_ptr failure;
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < nthreads; ++t) {
      pool.emplace_back([&, t] {
        try {
          for (std::uint64_t i; (i = next.fetch_add(1)) < mine;) {
            runners[t]->run(offset + first + share.lo + i, values.data() + (share.lo + i) * cols);
            finished.fetch_add(1);
          }
        } catch (...) {
          std::lock_guard lock(m);
          if (!failure) failure = std::current_exception();
          next.store(mine);
        }
        if (running.fetch_sub(1) == 1) { std::lock_guard lock(m); cv.notify_all(); }
      });
    }
    {
      std::unique_lock lock(m);
      while (running.load() != 0) {
        cv.wait_for(lock, std::chrono::milliseconds(100));
        if (progress && !failure) {
          // A callback may throw to cancel the run (the Python module's Ctrl-C): the workers stop after
          // their current trial and the exception is rethrown below, after they are joined.
          lock.unlock();
          std::exception_ptr cancelled;
          try { report(first + finished.load()); } catch (...) { cancelled = std::current_exception(); }
          lock.lock();
          if (cancelled) { failure = cancelled; next.store(mine); }
        }
      }
    }
    for (auto& th : pool) th.join();
    std::string peer_failure;  // issue 10: a failed rank fails every rank; the root names it
    if (group) peer_failure = gather_batch(*group, count, cols, values, failure);
    char verdict = 'g';  // go on, 's' stop, 'f' failed (broadcast by the root of a group)
    try {
      if (failure) std::rethrow_exception(failure);
      if (!peer_failure.empty()) throw std::runtime_error(peer_failure);
      if (root) {
        for (std::size_t i = 0; i < values.size(); ++i)
          if (!std::isfinite(values[i])) {
            const auto& s = dominant_scale(scale_terms(c));
            char buf[200];
            std::snprintf(buf, sizeof buf, "trial %llu gave a non-finite value in double (column %zu); the largest scale of the problem is %s",
                          static_cast<unsigned long long>(offset + first + i / cols), i % cols, s.parameter.c_str());
            throw domain_error(s.parameter, s.value, "a smaller scale (every per-trial value must be finite in double)", buf);
          } else if (values[i] < 0) {
            // Every recorded value is a squared error, an expected squared error or a trace: a negative one
            // is the engine's rounding error at this point, never a result (a confident wrong mean would
            // follow). Found by review: the first dual-gram path at beta = 4, d = 400, lambda = 0.
            char buf[240];
            std::snprintf(buf, sizeof buf, "trial %llu gave a negative squared error %.3g (column %zu) on path %s: rounding error "
                          "dominates at this point; use a higher --precision or --path general",
                          static_cast<unsigned long long>(offset + first + i / cols), values[i], i % cols, to_string(resolve_path(c)).c_str());
            throw domain_error("precision", to_string(c.precision), "one in which every per-trial squared error is non-negative", buf);
          }
        if (consume(first, count, values)) verdict = 's';
      }
    } catch (...) {
      if (group) group->broadcast("f");
      throw;
    }
    done += count;
    if (group) verdict = group->broadcast(std::string(1, verdict)).at(0);
    if (verdict == 'f') throw std::runtime_error("the MPI run failed on its root process");
    if (verdict == 's') break;
  }
  if (progress) report(done);
  return done;
}

/// Welford's running moments of every column, in trial order.
void accumulate(std::vector<running_moments>& moments, std::uint64_t count, const std::vector<double>& values) {
  const std::size_t cols = moments.size();
  for (std::uint64_t i = 0; i < count; ++i)  // trial order: the result is independent of the threads
    for (std::size_t r = 0; r < cols; ++r) moments[r].add(values[i * cols + r]);
}

/// The (generation, λ) rows of a run from the running moments of its downstream columns.
simulation_result result_of(const simulation_config& c, const std::vector<running_moments>& moments, std::uint64_t done) {
  const std::size_t L = c.lambda.size();
  simulation_result result;
  result.trials = done;
  result.path = resolve_path(c);
  for (int k = 0; k <= c.n; ++k)
    for (std::size_t l = 0; l < L; ++l) {
      const auto& mo = moments[k * L + l];
      estimate e;
      e.generation = k;
      e.lambda_text = c.lambda[l].text;
      e.lambda = to_real<double>(c.lambda[l].value);
      e.mean = static_cast<double>(mo.mean);
      e.trials = mo.count;
      const row_regime regime = moment_regime(c, k, c.lambda[l]);
      if (regime.variance_finite) {
        e.se = static_cast<double>(mo.se());
        e.variance = static_cast<double>(mo.variance());
        e.ci95_low = e.mean - z975 * e.se;
        e.ci95_high = e.mean + z975 * e.se;
      } else {
        e.interval = false;
        e.no_interval_reason = regime.reason;
        e.se = e.variance = e.ci95_low = e.ci95_high = std::numeric_limits<double>::quiet_NaN();
      }
      result.rows.push_back(e);
    }
  return result;
}

}  // namespace

simulation_result run_simulation(const simulation_config& c, const progress_callback& progress) {
  validate(c);
  auto start = std::chrono::steady_clock::now();
  std::vector<running_moments> moments(layout_of(c).columns);
  std::uint64_t projected_trials = c.trials;  // target_rse: from the running estimate, 0 until the first batch
  auto consume = [&](std::uint64_t, std::uint64_t count, const std::vector<double>& values) {
    accumulate(moments, count, values);
    if (c.trials) return false;
    // Stopping rule for a target relative standard error, decided only at batch ends (so it does not
    // depend on the thread count). A row with mean 0 and se 0 is exact; mean 0 with se > 0 never meets it.
    const std::uint64_t done = moments[0].count;
    long double worst_need = 0;
    bool reached = true;
    for (const auto& mo : moments) {
      long double se = mo.se();
      if (se == 0) continue;
      long double rse = mo.mean != 0 ? se / std::fabs(mo.mean) : std::numeric_limits<long double>::infinity();
      if (rse >= c.target_rse) reached = false;
      worst_need = std::max(worst_need, done * (rse / c.target_rse) * (rse / c.target_rse));
    }
    projected_trials = worst_need < 1e19L ? static_cast<std::uint64_t>(worst_need) : c.max_trials;
    if (reached) return true;
    if ((done >= 1024 && worst_need > 2.0L * c.max_trials) || done >= c.max_trials) {
      char buf[200];
      std::snprintf(buf, sizeof buf, "after %llu trials the worst row projects to %.3Lg trials, above max-trials = %llu",
                    static_cast<unsigned long long>(done), worst_need, static_cast<unsigned long long>(c.max_trials));
      throw domain_error("target-se", fmt::format("{}", c.target_rse), "a relative standard error reachable within max-trials", buf);
    }
    return false;
  };
  const std::uint64_t done = drive(c, progress, consume, [&](std::uint64_t) { return projected_trials; }, start);

  simulation_result result = result_of(c, moments, done);
  result.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

trial_table run_trials(const simulation_config& c, const progress_callback& progress) {
  if (c.target_rse != 0)
    throw domain_error("target-se", fmt::format("{}", c.target_rse), "0 (run_trials takes a fixed number of trials)");
  validate_all(c, c.trials);
  auto start = std::chrono::steady_clock::now();
  trial_table out;
  out.layout = layout_of(c);
  out.values.reserve(c.trials * out.layout.columns);
  auto consume = [&](std::uint64_t, std::uint64_t, const std::vector<double>& values) {
    out.values.insert(out.values.end(), values.begin(), values.end());
    return false;
  };
  out.trials = drive(c, progress, consume, [&](std::uint64_t) { return c.trials; }, start);
  out.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

trial_table run_trial_range(const simulation_config& config, std::uint64_t first, std::uint64_t count, const progress_callback& progress) {
  validate(config);
  if (config.trials == 0 || count < 1 || first > config.trials || count > config.trials - first)
    throw domain_error("shard", fmt::format("trials {}..{} of {}", first, first + count, config.trials),
                       "a non-empty range of the run's fixed --trials", "a shard covers part of a run with a fixed trial count");
  simulation_config c = config;
  c.trials = count;
  c.group.reset();
  validate_sizes(c, count);
  auto start = std::chrono::steady_clock::now();
  trial_table out;
  out.layout = layout_of(c);
  out.values.reserve(count * out.layout.columns);
  auto consume = [&](std::uint64_t, std::uint64_t, const std::vector<double>& values) {
    out.values.insert(out.values.end(), values.begin(), values.end());
    return false;
  };
  out.trials = drive(c, progress, consume, [&](std::uint64_t) { return count; }, start, first);
  out.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

simulation_result summarise_trials(const simulation_config& c, const trial_table& table) {
  validate(c);
  const trial_layout lay = layout_of(c);
  if (c.trials == 0 || table.trials != c.trials || table.layout.columns != lay.columns || table.values.size() != c.trials * lay.columns)
    throw domain_error("trials", std::to_string(table.trials), fmt::format("the run's {} trials of {} values each", c.trials, lay.columns),
                       "the table of per-trial values is incomplete");
  std::vector<running_moments> moments(lay.columns);
  accumulate(moments, table.trials, table.values);
  return result_of(c, moments, table.trials);
}

sample_moments moments_of(std::uint64_t trials, const std::function<double(std::uint64_t)>& f) {
  running_moments m;
  for (std::uint64_t t = 0; t < trials; ++t) m.add(f(t));
  sample_moments out;
  out.mean = static_cast<double>(m.mean);
  out.variance = static_cast<double>(m.variance());
  out.se = static_cast<double>(m.se());
  out.count = m.count;
  return out;
}

}  // namespace collapse::numerics
