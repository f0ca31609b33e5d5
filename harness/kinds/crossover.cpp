// harness/kinds/crossover.cpp -- kind "crossover" (§5.6): T* located on the minimised DE (the local
// slope of E*_n crossing the midpoint of the fast and slow rates; eval/powerlaw_scaling.hpp) lies within
// a factor max_factor of the §5.6 formula.
// Issue 13: an optional [theory] table may give `formula = "..."` (harness/kinds/theory_source.hpp) for T* instead of
// the default `quantity = "crossover"` (the catalogue quantity: theory/powerlaw_asymptotics.hpp crossover_T): the formula at beta, r, n,
// sigma02, phi0 and sigma_eff2 = n sigma02 (1 + 1/c)/(1/phi0 - 1) is then the T* the located one is compared with.
#include "harness/kinds/kind.hpp"
#include "harness/kinds/theory_source.hpp"

#include "eval/powerlaw_scaling.hpp"

namespace collapse::harness::kinds {

using namespace collapse::eval;

namespace {

suite_result run(const entries& suite, const suite_context& ctx) {
  suite_result res = header(suite);
  const auto set = suite.table("settings");
  const long pd_default = set.integer("per_decade", 2, 200, 6), pd_full = set.integer("per_decade_full", 2, 200, 16);
  const int per_decade = static_cast<int>(ctx.full ? pd_full : pd_default);
  theory_source theory;
  theory.quantity = "crossover";
  if (auto th = suite.optional_table("theory")) theory = read_theory(*th, {"crossover"}, true);
  res.rule = fmt::format("T* located on the DE (lambda optimised at each T, {} points per decade; local slope of E*_n crossing the "
                         "midpoint of the fast and slow rates, interpolated in log T) within each case's max_factor of {}",
                         per_decade, theory.formula ? "T* = " + theory.describe() : std::string("the §5.6 formula"));
  struct crossover_case {
    crossover_params p;
    double max_factor;
    entries c;
  };
  std::vector<crossover_case> cases;
  /// What crossover offers a formula for T* (theory_source.hpp): the case's §5.6 parameters.
  auto point_at = [](const crossover_params& p, const rational& sigma_eff2) {
    formula_point at;
    for (const auto& [name, v] : std::map<std::string, rational>{
             {"beta", p.beta}, {"r", p.r}, {"n", p.n}, {"sigma02", p.sigma02}, {"phi0", p.phi0}, {"sigma_eff2", sigma_eff2}})
      at.values[name] = parse_exact(name, rat_text(v));
    at.offered = "beta, r, n, sigma02, phi0 and sigma_eff2 = n sigma02 (1 + 1/c)/(1/phi0 - 1)";
    return at;
  };
  auto sigma_eff2_of = [](const crossover_params& p) { return p.n * p.sigma02 * (1 + 1 / p.c) / (1 / p.phi0 - 1); };
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
    cases.push_back({p, row.tolerance("max_factor", 1, 100), row});
    if (theory.formula) formula_value(*theory.formula, row, point_at(p, sigma_eff2_of(p)));  // domain, before anything runs
  }
  if (ctx.check_only) return res;
  std::vector<double> factors;
  for (const auto& [p, max_factor, c] : cases) {
    const std::string key = fmt::format("beta={},r={},n={},sigma02={},phi0={},c={},per_decade={}", rat_text(p.beta), rat_text(p.r),
                                        rat_text(p.n), rat_text(p.sigma02), rat_text(p.phi0), rat_text(p.c), per_decade);
    check_row cr;
    if (auto r = cached(ctx, key)) {
      cr = *r;
      res.rows.push_back(cr);
    } else {
      progress(ctx, "crossover: " + key);
      auto x = locate_crossover(p);
      x.T_formula = theory.value(c, point_at(p, x.sigma_eff2_asym), [&] { return x.T_formula; });
      x.ratio = x.T_de / x.T_formula;
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
