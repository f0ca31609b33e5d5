// harness/crossover_mc.cpp -- see crossover_mc.hpp.
#include "harness/crossover_mc.hpp"

#include "harness/suite.hpp"
#include "numerics/random.hpp"
#include "theory/errors.hpp"
#include "theory/ridge_de.hpp"
#include "theory/spectrum.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace collapse::harness {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

spectrum_spec powerlaw_at(const eval::crossover_params& p, long d) {
  spectrum_spec s;
  s.type = spectrum_spec::kind::powerlaw;
  s.beta = parse_exact("beta", fraction_string(p.beta));
  s.r = parse_exact("r", fraction_string(p.r));
  s.d = parse_exact("d", std::to_string(d));
  return s;
}

long dimension_at(const eval::crossover_params& p, long long T) {
  return static_cast<long>(T * boost::multiprecision::numerator(p.c).convert_to<long long>());  // c is an integer (validated)
}

/// T0 = d/φ0 when it is an integer.
std::optional<long> generator_size(const eval::crossover_params& p, long d) {
  const rational T0 = rational(d) / p.phi0;
  if (!is_integer(T0)) return std::nullopt;
  return boost::multiprecision::numerator(T0).convert_to<long>();
}

long long largest_T(const crossover_mc_params& p) { return eval::crossover_grid(p.de).back(); }

/// Per-trial work of the dual path (three T×d Gram products and T×T eigen-work), in units of flops/…: the
/// ratio between grid points is what the estimates use.
double work(long T, long d) { return double(T) * T * d + double(T) * T * T; }

/// The smallest work(T, d) a pilot must reach before its time is extrapolated (T ≈ 60 at d = 4T: ~1 ms a trial).
constexpr double min_pilot_work = 1e6;

/// The secant slope of a curve between grid indices a < b.
double secant(const std::vector<double>& T, const std::vector<double>& E, std::size_t a, std::size_t b) {
  return std::log(E[b] / E[a]) / std::log(T[b] / T[a]);
}

/// Grid indices of the first and last windows, [0, a] and [b, last]: round(decades · per_decade) steps of
/// the log-spaced grid each (the integer rounding of the grid makes a comparison of decades fragile).
std::pair<std::size_t, std::size_t> window_ends(std::size_t points, double decades, int per_decade) {
  const auto steps = static_cast<std::size_t>(std::lround(decades * per_decade));
  return {steps, points - 1 >= steps ? points - 1 - steps : 0};
}

}  // namespace

std::vector<exact_number> log_lambda_grid(int lo, int hi, int per_decade) {
  std::vector<exact_number> out = {parse_exact("lambda", "0")};
  for (int k = 0; k <= (hi - lo) * per_decade; ++k)
    out.push_back(parse_exact("lambda", fmt::format("{:.4g}", std::pow(10.0, lo + double(k) / per_decade))));
  return out;
}

crossover_mc_params default_crossover_mc_params() {
  crossover_mc_params p;
  p.de.beta = rational(2);
  p.de.r = rational(2, 5);
  p.de.n = rational(1);
  p.de.sigma02 = rational(2, 1000);
  p.de.phi0 = rational(1, 2);
  p.de.c = rational(4);
  p.de.T_min = 5;
  p.de.T_max = 500;
  p.de.per_decade = 4;
  p.lambda = log_lambda_grid(-7, -1, 4);
  p.window_decades = 0.5;
  return p;
}

void validate(const crossover_mc_params& p) {
  eval::validate_crossover(p.de);
  if (p.de.digits != 0) throw domain_error("digits", std::to_string(p.de.digits), "0 (double) with --simulate", "the simulated curve is in double");
  const auto grid = eval::crossover_grid(p.de);
  for (long long T : grid) {
    const long d = dimension_at(p.de, T);
    if (!generator_size(p.de, d))
      throw domain_error("phi0", fraction_string(p.de.phi0), "phi0 with T0 = d/phi0 an integer at every T of the grid",
                         fmt::format("at T = {}, d = {}: d/phi0 = {} is not an integer", T, d, fraction_string(rational(d) / p.de.phi0)));
  }
  if (p.lambda.size() < 2) throw domain_error("lambda", std::to_string(p.lambda.size()) + " values", "at least 2 values, 0 among them");
  bool zero = false;
  for (const auto& l : p.lambda) {
    if (l.infinite || l.value < 0) throw domain_error("lambda", l.text, "lambda >= 0 (0 = pseudo-inverse)");
    zero = zero || l.value == 0;
  }
  if (!zero) throw domain_error("lambda", "(no 0)", "a grid with lambda = 0", "below T* interpolation (lambda -> 0) is optimal (§5.6)");
  if (p.trials == 1 || p.trials < 0 || p.trials > 10000000)
    throw domain_error("trials", std::to_string(p.trials), "0 (the DE only) or 2 <= trials <= 1e7", "a standard error needs two trials");
  if (p.bootstrap < 100 || p.bootstrap > 100000)
    throw domain_error("bootstrap", std::to_string(p.bootstrap), "100 <= bootstrap <= 100000", "replicates of the percentile interval");
  const double span = std::log10(double(grid.back()) / double(grid.front()));
  if (!(p.window_decades > 0) || !(p.window_decades <= span / 2))
    throw domain_error("window-decades", fmt::format("{}", p.window_decades), fmt::format("0 < window-decades <= {:.3g} (half the grid's span)", span / 2));
  const auto [a, b] = window_ends(grid.size(), p.window_decades, p.de.per_decade);
  if (a < 1 || a >= b)
    throw domain_error("window-decades", fmt::format("{}", p.window_decades), "windows of at least one grid step at each end, not overlapping",
                       "window-decades x per-decade grid steps, rounded");
  // the largest simulation of the grid (memory, scales, moments): refused here, before any pilot runs
  if (p.trials > 0) numerics::validate(crossover_mc_config(p, static_cast<long>(grid.back()), grid.size() - 1));
}

numerics::simulation_config crossover_mc_config(const crossover_mc_params& p, long T, std::size_t index) {
  const long d = dimension_at(p.de, T);
  numerics::simulation_config c;
  c.spectrum = powerlaw_at(p.de, d);
  c.T = T;
  c.T0 = generator_size(p.de, d).value_or(0);
  c.n = static_cast<int>(boost::multiprecision::numerator(p.de.n).convert_to<long>());
  c.lambda = p.lambda;
  c.sigma2 = parse_exact("sigma2", "0");
  c.sigma02 = parse_exact("sigma02", fraction_string(p.de.sigma02));
  c.trials = static_cast<std::uint64_t>(trials_at(p, T));
  c.seed = block_seed(p.seed, p.seed_offset, static_cast<long>(index));
  c.threads = std::max(1u, p.threads);
  c.engine = numerics::engine_kind::fast;
  c.estimator = numerics::estimator_kind::rao_blackwell;
  c.chain = numerics::chain_kind::sampled;
  return c;
}

long trials_at(const crossover_mc_params& p, long T) {
  const double scaled = std::ceil(double(p.trials) * double(largest_T(p)) / double(T) - 1e-9);
  return static_cast<long>(std::min(scaled, 1e7));
}

crossover_mc_cost estimate_cost(const crossover_mc_params& p) {
  validate(p);
  crossover_mc_cost out;
  if (p.trials == 0) return out;
  const auto grid = eval::crossover_grid(p.de);
  double per_work = 0;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    auto c = crossover_mc_config(p, static_cast<long>(grid[i]), i);
    c.trials = 2;
    const auto t0 = std::chrono::steady_clock::now();
    numerics::run_trials(c);
    const double s = seconds_since(t0);
    out.pilot_seconds += s;
    out.pilot_T = static_cast<long>(grid[i]);
    const double w = work(c.T, dimension_at(p.de, c.T));
    per_work = s / (2 * w);
    // Stop once a pilot is long enough to time AND large enough that the work model, not the per-run
    // overhead, sets its time: on a loaded machine 2 trials at T = 5 (d = 20) took 0.05 s, and extrapolating
    // that by T²d + T³ to T = 500 estimated 2.8 days for a run of 24 s.
    if (s >= 0.05 && w >= min_pilot_work) break;
  }
  double total_work = 0, stored = 0;
  for (long long T : grid) {
    total_work += double(trials_at(p, static_cast<long>(T))) * work(static_cast<long>(T), dimension_at(p.de, T));
    stored += double(trials_at(p, static_cast<long>(T)));
  }
  out.seconds = per_work * total_work;
  const auto last = crossover_mc_config(p, static_cast<long>(grid.back()), grid.size() - 1);
  out.bytes = static_cast<double>(numerics::memory_estimate(last, last.trials));
  out.bytes += stored * double(numerics::layout_of(last).columns) * 8;
  return out;
}

crossover_mc_result simulate_crossover(const crossover_mc_params& p, const crossover_mc_progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  validate(p);
  crossover_mc_result out;
  out.params = p;
  out.trials = p.trials;
  out.de = eval::locate_crossover(p.de);
  const auto grid = eval::crossover_grid(p.de);
  const std::size_t G = grid.size(), L = p.lambda.size();
  const int n = static_cast<int>(boost::multiprecision::numerator(p.de.n).convert_to<long>());
  std::vector<double> Ts;
  for (long long T : grid) Ts.push_back(double(T));

  // ---- the DE on the λ grid (what the simulation estimates, up to finite-size corrections) ----
  std::vector<double> de_grid(G);
  for (std::size_t i = 0; i < G; ++i) {
    const long T = static_cast<long>(grid[i]), d = dimension_at(p.de, T);
    crossover_mc_point pt;
    pt.T = T;
    pt.d = d;
    pt.T0 = *generator_size(p.de, d);
    spectrum<double> s(powerlaw_at(p.de, d));
    pt.E_de_grid = std::numeric_limits<double>::infinity();
    for (std::size_t l = 0; l < L; ++l) {
      ridge_params<double> rp;
      rp.T = double(T);
      rp.lambda = to_real<double>(p.lambda[l].value);
      rp.sigma2 = 0;
      rp.n = double(n);
      rp.T0 = double(pt.T0);
      rp.sigma02 = to_real<double>(p.de.sigma02);
      const double E = ridge_risk(s, rp).total;
      if (E < pt.E_de_grid) {
        pt.E_de_grid = E;
        pt.de_lambda_index = l;
      }
    }
    pt.E_de = out.de.points[i].E;
    pt.lambda_de = out.de.points[i].lambda;
    de_grid[i] = pt.E_de_grid;
    out.points.push_back(pt);
  }
  const auto de_cross = eval::locate_midpoint_crossing(Ts, de_grid, out.de.mid);
  out.slopes_de_grid = de_cross.slopes;
  out.T_de_grid = de_cross.T_star;
  const auto [wa, wb] = window_ends(G, p.window_decades, p.de.per_decade);
  std::vector<double> de_cont;
  for (const auto& q : out.de.points) de_cont.push_back(q.E);
  out.before = {Ts[0], Ts[wa], 0, 0, secant(Ts, de_grid, 0, wa), secant(Ts, de_cont, 0, wa)};
  out.after = {Ts[wb], Ts[G - 1], 0, 0, secant(Ts, de_grid, wb, G - 1), secant(Ts, de_cont, wb, G - 1)};
  if (p.trials == 0) {
    out.seconds = seconds_since(t0);
    return out;
  }

  // ---- the simulation: one run_trials per T, generation n's L columns kept (trial-major) ----
  const auto ts = std::chrono::steady_clock::now();
  std::vector<std::vector<double>> values(G);  // values[i][t·L + l]
  double total_work = 0, done_work = 0;
  std::uint64_t total_trials = 0, trials_before = 0;
  std::vector<long> K(G);  // trials at each T
  for (std::size_t i = 0; i < G; ++i) {
    K[i] = trials_at(p, out.points[i].T);
    total_work += double(K[i]) * work(out.points[i].T, out.points[i].d);
    total_trials += std::uint64_t(K[i]);
  }
  for (std::size_t i = 0; i < G; ++i) {
    auto& pt = out.points[i];
    pt.trials = K[i];
    const auto c = crossover_mc_config(p, pt.T, i);
    const double w = work(pt.T, pt.d);
    const auto tp = std::chrono::steady_clock::now();
    numerics::progress_callback cb;
    if (progress)
      cb = [&](const numerics::progress_info& info) {
        const double done = done_work + double(info.done) * w, elapsed = seconds_since(ts);
        progress(trials_before + info.done, total_trials, done > 0 ? elapsed * (total_work - done) / done : -1);
      };
    const numerics::trial_table tab = numerics::run_trials(c, cb);
    pt.seconds = seconds_since(tp);
    done_work += double(K[i]) * w;
    trials_before += std::uint64_t(K[i]);
    auto& v = values[i];
    v.resize(std::size_t(K[i]) * L);
    for (long t = 0; t < K[i]; ++t)
      for (std::size_t l = 0; l < L; ++l) v[std::size_t(t) * L + l] = tab.downstream(std::uint64_t(t), std::size_t(n), l);
    // means in trial order (numerics::moments_of: the same numbers for any thread count)
    pt.E_sim = std::numeric_limits<double>::infinity();
    for (std::size_t l = 0; l < L; ++l) {
      const auto m = numerics::moments_of(std::uint64_t(K[i]), [&](std::uint64_t t) { return v[t * L + l]; });
      if (m.mean < pt.E_sim) {
        pt.E_sim = m.mean;
        pt.se = m.se;
        pt.lambda_index = l;
      }
    }
    std::size_t zero = 0;
    while (p.lambda[zero].value != 0) ++zero;
    pt.E0_sim = numerics::moments_of(std::uint64_t(K[i]), [&](std::uint64_t t) { return tab.downstream(t, 0, zero); }).mean;
    if (progress) progress(trials_before, total_trials, -1);
  }
  out.simulation_seconds = seconds_since(ts);
  std::vector<double> sim(G);
  for (std::size_t i = 0; i < G; ++i) sim[i] = out.points[i].E_sim;
  const auto cross = eval::locate_midpoint_crossing(Ts, sim, out.de.mid);
  out.slopes_sim = cross.slopes;
  out.T_sim = cross.T_star;
  out.before.sim = secant(Ts, sim, 0, wa);
  out.after.sim = secant(Ts, sim, wb, G - 1);

  // ---- bootstrap over whole trials, independently per T ----
  const long B = p.bootstrap;
  std::vector<double> stars, before(B), after(B);
  std::vector<std::vector<double>> curve_at(G, std::vector<double>(B));
  std::vector<double> curve(G), sum(L);
  for (long b = 0; b < B; ++b) {
    for (std::size_t i = 0; i < G; ++i) {
      numerics::philox_stream rng(block_seed(p.seed, p.seed_offset, 1000000 + static_cast<long>(i)), std::uint64_t(b), 0);
      std::fill(sum.begin(), sum.end(), 0.0);
      const auto& v = values[i];
      for (long t = 0; t < K[i]; ++t) {
        const auto pick = std::min<std::size_t>(std::size_t(K[i]) - 1, static_cast<std::size_t>(rng.uniform() * double(K[i])));
        const double* row = v.data() + pick * L;
        for (std::size_t l = 0; l < L; ++l) sum[l] += row[l];
      }
      curve[i] = *std::min_element(sum.begin(), sum.end()) / double(K[i]);
      curve_at[i][std::size_t(b)] = curve[i];
    }
    const auto c = eval::locate_midpoint_crossing(Ts, curve, out.de.mid);
    if (c.T_star) stars.push_back(*c.T_star);
    before[std::size_t(b)] = secant(Ts, curve, 0, wa);
    after[std::size_t(b)] = secant(Ts, curve, wb, G - 1);
  }
  const auto sd = [](const std::vector<double>& x) {
    double m = 0, s = 0;
    for (double v : x) m += v;
    m /= double(x.size());
    for (double v : x) s += (v - m) * (v - m);
    return std::sqrt(s / double(x.size() - 1));
  };
  out.before.se = sd(before);
  out.after.se = sd(after);
  const auto quantile = [](std::vector<double> x, double q) {  // the order statistic at rank ceil(q·N), 1-based
    std::sort(x.begin(), x.end());
    const auto k = static_cast<std::size_t>(std::max(1.0, std::ceil(q * double(x.size()))));
    return x[std::min(k, x.size()) - 1];
  };
  for (std::size_t i = 0; i < G; ++i) {
    out.points[i].ci_lo = quantile(curve_at[i], 0.025);
    out.points[i].ci_hi = quantile(curve_at[i], 0.975);
  }
  out.bootstrap_no_crossing = B - static_cast<long>(stars.size());
  // The interval's ends are the order statistics of rank ceil(0.025 B) from below and from above. Replicates
  // without a crossing could lie on either side: they are counted as −∞ for the lower end and as +∞ for the
  // upper end (conservative), so the interval exists only when they are fewer than ceil(0.025 B).
  const long m = out.bootstrap_no_crossing, tail = static_cast<long>(std::ceil(0.025 * double(B)));
  if (m < tail) {
    std::sort(stars.begin(), stars.end());
    const auto k = static_cast<std::size_t>(tail - m);  // 1-based rank among the replicates that crossed
    out.T_sim_lo = stars[k - 1];
    out.T_sim_hi = stars[stars.size() - k];
    out.interval_defined = true;
  }
  out.seconds = seconds_since(t0);
  return out;
}

}  // namespace collapse::harness
