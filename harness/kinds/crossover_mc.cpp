// harness/kinds/crossover_mc.cpp -- kind "crossover-mc" (§5.6, issue 9): the fast → slow crossover in
// simulation (harness/crossover_mc.hpp). Three rows per case, from one simulation of the T grid:
//   T*        the DE's T* (eval::locate_crossover, λ >= 0 optimised, midpoint-slope rule) lies inside the
//             bootstrap 95 % interval of the simulated curve's T* (same rule): statistic "position" =
//             log(T*_DE/T*_sim)/log(end/T*_sim) towards the end on T*_DE's side, |position| <= 1;
//   before    the simulated secant slope over the first window_decades agrees with the DE's (the DE minimised
//             over the same λ grid) within k·se + slope_allowance (z-rule with a stated finite-size
//             allowance), and lies at least toward_min of the way from the midpoint rate to the fast rate;
//   after     the same over the last window, toward the slow rate.
// slope_allowance is the measured finite-size difference between the DE and the simulation's mean at these
// sizes (the suite file gives its measurement).
#include "harness/kinds/kind.hpp"

#include "harness/crossover_mc.hpp"

#include <cmath>
#include <limits>

namespace collapse::harness::kinds {

namespace {

struct mc_case : case_base {
  using case_base::case_base;
  crossover_mc_params p;
  double k = 0, allowance = 0, toward_min = 0;
  bool full_only = false;  // run = "full": only under --full
};

std::string key_of(const mc_case& k, const std::string& what) {
  const auto& d = k.p.de;
  return fmt::format("beta={},r={},n={},sigma02={},phi0={},c={},T={}..{}/{},trials={}:{}", rat_text(d.beta), rat_text(d.r), rat_text(d.n),
                     rat_text(d.sigma02), rat_text(d.phi0), rat_text(d.c), d.T_min, d.T_max, d.per_decade, k.p.trials, what);
}

suite_result run(const entries& suite, const suite_context& ctx) {
  suite_result res = header(suite);
  const auto sim = suite.table("simulation");
  const long seed_offset = sim.integer("seed_offset", 0, 1000000, 0);
  const long bootstrap = sim.integer("bootstrap", 100, 100000, 1000);
  auto cases = read_cases<mc_case>(suite, [&](mc_case& k) {
    auto& d = k.p.de;
    k.full_only = k.c.choice("run", {"always", "full"}, true) == "full";
    d.beta = k.c.number("beta").value;
    d.r = k.c.number("r").value;
    d.n = k.c.number("n", "1").value;
    d.sigma02 = k.c.number("sigma02").value;
    d.phi0 = k.c.number("phi0", "1/2").value;
    d.c = k.c.number("c").value;
    d.T_min = dbl(k.c.number("T_min"));
    const double T_max = dbl(k.c.number("T_max")), T_max_full = dbl(k.c.number("T_max_full", k.c.number("T_max").text));
    d.T_max = ctx.full ? T_max_full : T_max;
    const long pd = k.c.integer("per_decade", 2, 64), pd_full = k.c.integer("per_decade_full", 2, 64, pd);
    d.per_decade = static_cast<int>(ctx.full ? pd_full : pd);
    k.p.lambda = k.c.numbers("lambda");
    const long trials = k.c.integer("trials", 2, 10000000), trials_full = k.c.integer("trials_full", 2, 10000000, trials);
    k.p.trials = ctx.full ? trials_full : trials;
    k.p.window_decades = k.c.tolerance("window_decades", 0, 5);
    k.p.bootstrap = bootstrap;
    k.p.seed = ctx.seed;
    k.p.threads = static_cast<unsigned>(std::max(1, ctx.threads));
    k.k = k.c.tolerance("k", 0, 10);
    k.allowance = k.c.tolerance("slope_allowance", 0, 0.5, true);
    k.toward_min = k.c.tolerance("toward_min", 0, 1);
    at_case(k.c, "crossover-mc", [&] { validate(k.p); });
  });
  for (std::size_t i = 0; i < cases.size(); ++i) cases[i].p.seed_offset = seed_offset + 1000 * static_cast<long>(i);
  res.rule = fmt::format(
      "T*_DE (lambda >= 0 optimised, midpoint-slope rule) inside the bootstrap 95% interval of T* on the simulated curve (minimum over "
      "the lambda grid, lambda = 0 included, common random numbers; chain sampled; trials ceil(trials T_last/T); same rule; {} replicates "
      "resampling whole trials per T); "
      "secant slopes over the first and last windows within k se + slope_allowance of the DE's on the lambda grid, and at least toward_min "
      "of the way from the midpoint rate to the fast (first) or slow (last) rate; seed = block_seed(--seed {}, offset {} + 1000 case, T index)",
      bootstrap, ctx.seed, seed_offset);
  if (ctx.check_only) return res;
  for (const auto& k : cases) {
    if (k.full_only && !ctx.full) continue;
    const std::vector<std::string> keys = {key_of(k, "T*"), key_of(k, "before"), key_of(k, "after")};  // trials = at the largest T
    if (auto rows = all_cached(ctx, keys)) {
      for (auto& r : *rows) res.rows.push_back(r);
      continue;
    }
    progress(ctx, fmt::format("crossover-mc: {} ({} trials at the largest T, more below)", k.label, k.p.trials));
    const auto x = at_case(k.c, "crossover-mc", [&] { return simulate_crossover(k.p); });
    const auto& d = k.p.de;
    params_t params = {{"beta", rat_text(d.beta)}, {"r", rat_text(d.r)}, {"n", rat_text(d.n)}, {"sigma02", rat_text(d.sigma02)},
                       {"phi0", rat_text(d.phi0)}, {"d", rat_text(d.c) + "*T"}, {"T", fmt::format("{}..{}", d.T_min, d.T_max)},
                       {"trials", std::to_string(k.p.trials)}};
    {  // T*
      double position = std::numeric_limits<double>::infinity();
      if (x.T_sim && x.interval_defined) {
        const double end = x.de.T_de >= *x.T_sim ? x.T_sim_hi : x.T_sim_lo;
        position = x.de.T_de == *x.T_sim ? 0 : std::log(x.de.T_de / *x.T_sim) / std::log(end / *x.T_sim);
      }
      const double no_cross = double(x.bootstrap_no_crossing) / double(k.p.bootstrap);
      emit(ctx, res,
           make_row(keys[0], params, fmt::format("{:.6g}", x.de.T_de), x.de.T_de, x.T_sim.value_or(0), 0, position, "position",
                    {{"position", position, 1, bound::abs_at_most}},
                    fmt::format("T*_sim = {} with 95% bootstrap interval {}; T*_DE = {:.4g} (lambda >= 0), {} on the lambda grid; "
                                "formula {:.4g}; {} of {} replicates without a crossing ({:.1f}%); simulation {:.1f} s",
                                x.T_sim ? fmt::format("{:.4g}", *x.T_sim) : std::string("none (the simulated slopes never cross)"),
                                x.interval_defined ? fmt::format("[{:.4g}, {:.4g}]", x.T_sim_lo, x.T_sim_hi) : std::string("undefined"),
                                x.de.T_de, x.T_de_grid ? fmt::format("{:.4g}", *x.T_de_grid) : std::string("none"), x.de.T_formula,
                                x.bootstrap_no_crossing, k.p.bootstrap, 100 * no_cross, x.simulation_seconds)));
    }
    for (int w = 0; w < 2; ++w) {
      const auto& win = w == 0 ? x.before : x.after;
      const double rate = w == 0 ? x.de.fast : x.de.slow;
      const double diff = win.sim - win.de_grid, toward = (win.sim - x.de.mid) / (rate - x.de.mid);
      auto p2 = params;
      p2["window"] = fmt::format("{}..{}", win.T_lo, win.T_hi);
      emit(ctx, res,
           make_row(keys[1 + w], p2, fmt::format("{:.5f}", win.de_grid), win.de_grid, win.sim, win.se, win.se > 0 ? diff / win.se : 0, "z",
                    {{"slope_sim - slope_DE", diff, k.k * win.se + k.allowance, bound::abs_at_most},
                     {w == 0 ? "toward fast" : "toward slow", toward, k.toward_min, bound::at_least}},
                    fmt::format("secant slope over T = {}..{}: simulated {:.4f} ± {:.4f} (bootstrap se) vs DE {:.4f} on the lambda grid "
                                "({:.4f} with lambda >= 0); {} rate {:.4f}, midpoint {:.4f}: {:.0f}% of the way from the midpoint; "
                                "rule |diff| <= {}·se + {}",
                                win.T_lo, win.T_hi, win.sim, win.se, win.de_grid, win.de, w == 0 ? "fast" : "slow", rate, x.de.mid,
                                100 * toward, k.k, k.allowance)));
    }
  }
  return res;
}

}  // namespace

suite_kind crossover_mc_kind() {
  return {"crossover-mc", "§5.6 T* located on the simulated optimally tuned curve (bootstrap interval) vs the DE's, and the end slopes", run};
}

}  // namespace collapse::harness::kinds
