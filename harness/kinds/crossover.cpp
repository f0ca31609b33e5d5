// harness/kinds/crossover.cpp -- kind "crossover" (§5.6): T* located on the minimised DE (the local
// slope of E*_n crossing the midpoint of the fast and slow rates; eval/powerlaw_scaling.hpp) lies within
// a factor max_factor of the §5.6 formula.
#include "harness/kinds/kind.hpp"

#include "eval/powerlaw_scaling.hpp"

namespace collapse::harness::kinds {

using namespace collapse::eval;

namespace {

suite_result run(const entries& suite, const suite_context& ctx) {
  suite_result res = header(suite);
  const auto set = suite.table("settings");
  const long pd_default = set.integer("per_decade", 2, 200, 6), pd_full = set.integer("per_decade_full", 2, 200, 16);
  const int per_decade = static_cast<int>(ctx.full ? pd_full : pd_default);
  res.rule = fmt::format("T* located on the DE (lambda optimised at each T, {} points per decade; local slope of E*_n crossing the "
                         "midpoint of the fast and slow rates, interpolated in log T) within each case's max_factor of the §5.6 formula",
                         per_decade);
  std::vector<std::pair<crossover_params, double>> cases;
  for (const auto& row : suite.tables("case")) {
    crossover_params p;
    p.beta = row.number("beta").value;
    p.r = row.number("r").value;
    p.n = row.number("n", "1").value;
    p.sigma02 = row.number("sigma02").value;
    p.phi0 = row.number("phi0", "1/2").value;
    p.c = row.number("c", "100").value;
    p.T_min = dbl(row.number("T_min", "10"));
    p.T_max = dbl(row.number("T_max", "1e8"));
    if (!(p.T_max > 10 * p.T_min)) row.fail("T_max", row.number("T_max", "1e8").text, "T_max >= 10 T_min", "at least one decade");
    p.per_decade = per_decade;
    cases.push_back({p, row.tolerance("max_factor", 1, 100)});
  }
  if (ctx.check_only) return res;
  std::vector<double> factors;
  for (const auto& [p, max_factor] : cases) {
    const std::string key = fmt::format("beta={},r={},n={},sigma02={},phi0={},c={},per_decade={}", rat_text(p.beta), rat_text(p.r),
                                        rat_text(p.n), rat_text(p.sigma02), rat_text(p.phi0), rat_text(p.c), per_decade);
    check_row cr;
    if (auto r = cached(ctx, key)) {
      cr = *r;
      res.rows.push_back(cr);
    } else {
      progress(ctx, "crossover: " + key);
      const auto x = locate_crossover(p);
      const double factor = std::max(x.ratio, 1 / x.ratio);
      cr = make_row(key,
                    {{"beta", rat_text(p.beta)}, {"r", rat_text(p.r)}, {"n", rat_text(p.n)}, {"sigma02", rat_text(p.sigma02)},
                     {"phi0", rat_text(p.phi0)}, {"d", rat_text(p.c) + "*T"}, {"sigma_eff2", rat_text(x.sigma_eff2_asym)}},
                    fmt::format("{:.6g}", x.T_formula), x.T_formula, x.T_de, 0, factor, "factor",
                    {{"factor", factor, max_factor, bound::factor_at_most}},
                    fmt::format("T*_DE/T*_formula = {:.4f}, allowed factor {}; slope crosses {:.4f} (midway between {:.4f} and {:.4f}); "
                                "{:.2f} s",
                                x.ratio, max_factor, x.mid, x.fast, x.slow, x.seconds));
      emit(ctx, res, cr);
    }
    factors.push_back(cr.observed / cr.theory_value);
  }
  res.extra["ratios_de_over_formula"] = factors;
  return res;
}

}  // namespace

suite_kind crossover_kind() {
  return {"crossover", "§5.6 T* on the minimised DE within max_factor of the formula", run};
}

}  // namespace collapse::harness::kinds
