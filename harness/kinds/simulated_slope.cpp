// harness/kinds/simulated_slope.cpp -- kind "simulated-slope" (§5.4): for a power law at finite d and
// λ = T^-ℓ, the test error is simulated (numerics/simulate.hpp: fast engine, Rao–Blackwell) at a window
// of T and its log-log slope fitted by weighted least squares (numerics/slope_fit.hpp). The §3.3 DE at
// the same (d, T, λ) is fitted with the *same* weights, so the two slopes differ only by Monte Carlo
// error and the DE's finite-size bias. Rule: |slope_MC − slope_DE| <= k·se(slope_MC) + bias and
// se(slope_MC) <= se_max. The asymptotic exponent −γ(ℓ) of §5.4 is printed beside them; a case with
// `exponent_tol` also requires the slope's normal 95 % interval (± 1.96 se) within exponent_tol of −γ(ℓ):
// |slope_MC + γ| + 1.96·se(slope_MC) <= exponent_tol. A case with run = "full" runs only under --full.
// Issue 13: an optional [theory] table may give `formula = "..."` (harness/kinds/theory_source.hpp) instead of the
// default `quantity = "ridge-risk"`: the formula, at T, lambda = T^-ell, sigma2, d, beta, r and the power-law
// spectrum, is then the curve whose slope is compared.
#include "harness/kinds/kind.hpp"
#include "harness/kinds/theory_source.hpp"

#include "eval/powerlaw_scaling.hpp"
#include "numerics/simulate.hpp"
#include "numerics/slope_fit.hpp"
#include "theory/ridge_de.hpp"
#include "theory/spectrum.hpp"

#include <cmath>

namespace collapse::harness::kinds {

using namespace collapse::numerics;
using namespace collapse::eval;

namespace {

struct slope_case {
  entries c;
  spectrum_spec sp;
  rational ell;
  std::string ell_text;
  exact_number sigma2;
  std::vector<long> Ts;
  long trials = 0;
  double k = 0, bias = 0, se_max = 0;
  double exponent_tol = 0;  // 0: no check against the asymptotic exponent
  bool full_only = false;   // run = "full"
};

suite_result run(const entries& suite, const suite_context& ctx) {
  suite_result res = header(suite);
  const auto sim = suite.table("simulation");
  const long seed_offset = sim.integer("seed_offset", 0, 1000000, 0);
  theory_source theory;
  theory.quantity = "ridge-risk";
  if (auto th = suite.optional_table("theory")) theory = read_theory(*th, {"ridge-risk"}, true);
  std::vector<slope_case> cases;
  for (const auto& row : suite.tables("case")) {
    slope_case k{row};
    k.sp.type = spectrum_spec::kind::powerlaw;
    k.sp.beta = row.number("beta");
    k.sp.r = row.number("r");
    k.sp.d = row.number("d");
    at_case(row, "spectrum", [&] { validate(k.sp); });
    k.ell_text = row.text("ell", "crit");
    k.ell = k.ell_text == "crit" ? ell_crit(k.sp.beta.value, k.sp.r.value) : at_case(row, "ell", [&] { return parse_exact("ell", k.ell_text).value; });
    k.sigma2 = row.number("sigma2");
    k.Ts = row.integers("T", 2, 100000000);
    if (k.Ts.size() < 3) row.fail("T", fmt::format("{} values", k.Ts.size()), "at least 3 sample sizes", "a slope with a standard error");
    const long trials = row.integer("trials", 2, 100000000), full = row.integer("trials_full", 2, 100000000, trials);
    k.trials = ctx.full ? full : trials;
    k.k = row.tolerance("k", 0, 10);
    k.bias = row.tolerance("bias", 0, 0.5, true);
    k.se_max = row.tolerance("se_max", 0, 1);
    if (row.has("exponent_tol")) k.exponent_tol = row.tolerance("exponent_tol", 0, 0.5);
    k.full_only = row.choice("run", {"always", "full"}, true) == "full";
    cases.push_back(k);
  }
  res.rule = fmt::format("{}simulated slope (fast engine, Rao-Blackwell, weighted log-log fit) within k se + bias of the DE slope fitted with "
                         "the same weights, se below se_max (k, bias, se_max per case); seed = block_seed(--seed {}, offset {}, case*100 + T index)",
                         theory.formula ? "DE = " + theory.describe() + "; " : "", ctx.seed, seed_offset);
  if (ctx.check_only) return res;
  for (std::size_t ci = 0; ci < cases.size(); ++ci) {
    const auto& k = cases[ci];
    if (k.full_only && !ctx.full) continue;
    const std::string key = fmt::format("beta={},r={},d={},ell={},T={}..{}", k.sp.beta.text, k.sp.r.text, k.sp.d.text, k.ell_text,
                                        k.Ts.front(), k.Ts.back());
    if (auto r = cached(ctx, key)) {
      res.rows.push_back(*r);
      continue;
    }
    progress(ctx, fmt::format("simulated-slope: {}, {} trials per T", key, k.trials));
    spectrum<double> sd(k.sp);
    std::vector<double> Ts, mean, se, de;
    for (std::size_t ti = 0; ti < k.Ts.size(); ++ti) {
      const double T = static_cast<double>(k.Ts[ti]);
      // λ = T^-ℓ, passed to both sides as the same exact decimal
      const exact_number lam = parse_exact("lambda", fmt::format("{:.17g}", std::pow(T, -k.ell.convert_to<double>())));
      numerics::simulation_config c;
      c.spectrum = k.sp;
      c.T = k.Ts[ti];
      c.T0 = k.sp.dimension().convert_to<long>() + 2;
      c.n = 0;
      c.lambda = {lam};
      c.sigma2 = k.sigma2;
      c.sigma02 = parse_exact("sigma02", "0");
      c.trials = static_cast<std::uint64_t>(k.trials);
      c.seed = block_seed(ctx.seed, seed_offset, static_cast<long>(100 * ci + ti));
      c.threads = static_cast<unsigned>(std::max(1, ctx.threads));
      c.path = numerics::fast_path::general;  // the suite's recorded streams (see common.cpp simulation_of)
      // = run_simulation(c) bit for bit; through ctx.trials a shared run splits the trials (issue 10)
      const auto sr = numerics::summarise_trials(c, simulate_trials(ctx, c));
      Ts.push_back(T);
      mean.push_back(sr.rows.front().mean);
      se.push_back(sr.rows.front().se);
      ridge_params<double> p;
      p.T = T;
      p.lambda = to_real<double>(lam.value);
      p.sigma2 = dbl(k.sigma2);
      formula_point at;
      at.values = {{"T", parse_exact("T", std::to_string(k.Ts[ti]))}, {"lambda", lam}, {"sigma2", k.sigma2}, {"d", k.sp.d},
                   {"beta", k.sp.beta}, {"r", k.sp.r}, {"n", parse_exact("n", "0")}};
      at.spectrum = k.sp;
      at.offered = "T, lambda = T^-ell, sigma2, d, beta, r, n = 0 and the power-law spectrum";
      de.push_back(theory.value(k.c, at, [&] { return ridge_risk(sd, p).total; }));
    }
    const auto fit_mc = windowed_slope_fit(Ts, mean, se, Ts.front(), Ts.back());
    std::vector<double> de_se(se.size());
    for (std::size_t i = 0; i < se.size(); ++i) de_se[i] = se[i] / mean[i] * de[i];  // same relative weights
    const auto fit_de = windowed_slope_fit(Ts, de, de_se, Ts.front(), Ts.back());
    const auto e = predict_exponents(k.sp.beta.value, k.sp.r.value, coupling::clean_noisy(), k.ell);
    const double diff = fit_mc.slope - fit_de.slope;
    const double exponent = -e.gamma.convert_to<double>();
    std::vector<criterion> checks = {{"slope_MC - slope_DE", diff, k.k * fit_mc.se + k.bias, bound::abs_at_most},
                                 {"se(slope_MC)", fit_mc.se, k.se_max, bound::at_most}};
    if (k.exponent_tol > 0)
      checks.push_back({"|slope_MC - exponent| + 1.96 se", std::abs(fit_mc.slope - exponent) + 1.96 * fit_mc.se, k.exponent_tol, bound::at_most});
    emit(ctx, res,
         make_row(key,
                  {{"beta", k.sp.beta.text}, {"r", k.sp.r.text}, {"d", k.sp.d.text}, {"ell", rat_text(k.ell)},
                   {"trials", std::to_string(k.trials)}, {"T", fmt::format("{}..{}", Ts.front(), Ts.back())}},
                  fmt::format("{:.5f}", fit_de.slope), fit_de.slope, fit_mc.slope, fit_mc.se, diff / fit_mc.se, "z",
                  checks,
                  fmt::format("MC slope {:.5f} ± {:.5f} (95% CI [{:.5f}, {:.5f}]) vs DE slope {:.5f} on the same window; "
                              "asymptotic exponent {} = {:.5f}; rule |diff| <= {}·se + {} and se <= {}{}",
                              fit_mc.slope, fit_mc.se, fit_mc.ci95_lo, fit_mc.ci95_hi, fit_de.slope, rat_text(rational(-e.gamma)), exponent,
                              k.k, k.bias, k.se_max,
                              k.exponent_tol > 0 ? fmt::format(", and the 95% CI within {} of the exponent", k.exponent_tol) : std::string())));
  }
  return res;
}

}  // namespace

suite_kind simulated_slope_kind() {
  return {"simulated-slope", "§5.4 simulated log-log slope vs the DE slope over the same window (k se + bias)", run};
}

}  // namespace collapse::harness::kinds
