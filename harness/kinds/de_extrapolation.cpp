// harness/kinds/de_extrapolation.cpp -- kind "de-extrapolation" (§3, §4.3): at fixed T/d, T0/d the
// relative discrepancy rel_d = (MC − DE)/DE is measured at increasing d and fitted as a + c/d
// (numerics/extrapolate.hpp); pass when |a| <= k se(a), se(a) <= se_max and every |rel_d| <= rel_max.
// The DE is evaluated in double through theory/ridge_de.hpp, theory/overgen_de.hpp or, for ridge generators
// (extensions §C.2, simulated with simulation_config::generator_lambda), theory/variants/ridge_generator.hpp.
// Issue 13: [theory] may give `formula = "..."` instead (harness/kinds/theory_source.hpp): the §1 protocol is
// simulated (a case may not give lambda0) and the formula, at d, T, T0, n, lambda, sigma2, sigma02 and the case's spectrum, is the DE.
#include "harness/kinds/kind.hpp"
#include "harness/kinds/theory_source.hpp"

#include "numerics/extrapolate.hpp"
#include "theory/overgen_de.hpp"
#include "theory/ridge_de.hpp"
#include "theory/spectrum.hpp"
#include "theory/variants/ridge_generator.hpp"

namespace collapse::harness::kinds {

using namespace collapse::numerics;

namespace {

struct de_case : case_base {
  using case_base::case_base;
  std::vector<long> ds, ns;
  rational T_per_d, T0_per_d;
  bool has_T0 = false;
  exact_number lambda, sigma2, sigma02, lambda0;
  params_t base;
};

/// The DE of `quantity` at dimension d (spectrum sp), T, T0 and generation n.
double de_value(const std::string& quantity, const de_case& k, const case_spectrum& sp, long T, long T0, long n) {
  spectrum<double> s(sp.spec);
  if (quantity == "ridge-risk") {
    ridge_params<double> p;
    p.T = static_cast<double>(T);
    p.lambda = dbl(k.lambda);
    p.sigma2 = dbl(k.sigma2);
    p.n = static_cast<double>(n);
    if (k.has_T0) p.T0 = static_cast<double>(T0);
    p.sigma02 = dbl(k.sigma02);
    return ridge_risk(s, p).total;
  }
  if (quantity == "ridge-generator-risk") {
    variants::ridge_generator_params<double> p;
    p.T0 = static_cast<double>(T0);
    p.lambda0 = dbl(k.lambda0);
    p.n = static_cast<double>(n);
    p.sigma02 = dbl(k.sigma02);
    p.T = static_cast<double>(T);
    p.lambda = dbl(k.lambda);
    p.sigma2 = dbl(k.sigma2);
    return variants::ridge_generator_risk(s, p).total;
  }
  overgen_params<double> p;
  p.T0 = static_cast<double>(T0);
  p.n = static_cast<double>(n);
  p.sigma02 = dbl(k.sigma02);
  if (quantity == "overgen-generator-risk") return overgen_generator_risk(s, p).generator_error;
  p.T = static_cast<double>(T);
  p.lambda = dbl(k.lambda);
  p.sigma2 = dbl(k.sigma2);
  return overgen_risk(s, p).total;
}

/// What de-extrapolation offers a formula at dimension d (theory_source.hpp).
formula_point point_at(const de_case& k, const case_spectrum& sp, long d, long T, long T0, long n) {
  formula_point p;
  for (const auto& [name, text] : k.base) p.values[name] = parse_exact(name, text);
  p.values["d"] = parse_exact("d", std::to_string(d));
  p.values["T"] = parse_exact("T", std::to_string(T));
  if (k.has_T0) p.values["T0"] = parse_exact("T0", std::to_string(T0));
  p.values["n"] = parse_exact("n", std::to_string(n));
  p.spectrum = sp.spec;
  p.offered = "d, T = d T_per_d, T0 = d T0_per_d, n, lambda, sigma2, sigma02 (the case's keys) and the case's spectrum";
  return p;
}

/// T = d·T_per_d and T0 = d·T0_per_d, which must be integers.
std::pair<long, long> sizes(const de_case& k, long d) {
  const rational Tq = k.T_per_d * rational(d), T0q = k.T0_per_d * rational(d);
  if (!is_integer(Tq) || (k.has_T0 && !is_integer(T0q)))
    k.c.fail("d", std::to_string(d), "a d for which T = d*T_per_d and T0 = d*T0_per_d are integers");
  return {boost::multiprecision::numerator(Tq).convert_to<long>(), k.has_T0 ? boost::multiprecision::numerator(T0q).convert_to<long>() : 0};
}

suite_result run(const entries& suite, const suite_context& ctx) {
  suite_result res = header(suite);
  const auto th = suite.table("theory");
  const theory_source theory = read_theory(th, {"ridge-risk", "overgen-risk", "overgen-generator-risk", "ridge-generator-risk"});
  const std::string& quantity = theory.quantity;
  auto de_at = [&](const de_case& k, const case_spectrum& sp, long d, long T, long T0, long n) {
    return theory.value(k.c, point_at(k, sp, d, T, T0, n), [&] { return de_value(quantity, k, sp, T, T0, n); });
  };
  const std::string observable = th.choice("observable", {"downstream", "generator"}, true);
  const auto acc = suite.table("acceptance");
  const double k_max = acc.tolerance("k", 0, 10), rel_max = acc.tolerance("rel_max", 0, 0.5);
  const double se_max = acc.tolerance("se_max", 0, 1);
  const sim_settings sim = read_simulation(suite, ctx);
  res.rule = fmt::format(
      "{}at fixed T/d, T0/d: rel = (MC - DE)/DE at each d (|rel| <= {:.1f} % as a sanity bound), fitted as a + c/d by weighted "
      "least squares (se widened by sqrt(chi2/dof) when > 1); pass when |a| <= {} se(a) and se(a) <= {:.2g} (the resolution "
      "the suite promises); {} trials per d, engine {}, estimator {}, seed = block_seed(--seed {}, offset {}, block)",
      theory.formula ? "DE = " + theory.describe() + "; " : "", 100 * rel_max, k_max, se_max, sim.trials, sim.engine, sim.estimator, ctx.seed, sim.seed_offset);
  const auto cases = read_cases<de_case>(suite, [&](de_case& k) {
    const entries& c = k.c;
    const auto d_default = c.integers("d", 4, 100000);
    const auto d_full = c.has("full_d") ? c.integers("full_d", 4, 100000) : d_default;
    k.ds = ctx.full ? d_full : d_default;
    if (k.ds.size() < 2) c.fail("d", std::to_string(k.ds.size()) + " values", "at least 2 dimensions", "a + c/d has two parameters");
    k.ns = generations(c, 0, quantity == "ridge-risk" ? 1000000 : 200);
    k.T_per_d = c.number("T_per_d").value;
    k.has_T0 = c.has("T0_per_d");
    if (k.has_T0) k.T0_per_d = c.number("T0_per_d").value;
    if (observable == "downstream") {
      k.lambda = c.number("lambda");
      k.sigma2 = c.number("sigma2");
    }
    k.sigma02 = c.number("sigma02", "0");
    if (quantity == "ridge-generator-risk") {
      if (observable != "downstream") c.fail("observable", observable, "downstream with ridge-generator-risk");
      k.lambda0 = c.number("lambda0");
    }
    if (theory.formula && c.has("lambda0"))
      c.fail("lambda0", c.number("lambda0").text, "no lambda0 with a formula", "a formula's suite simulates the §1 protocol (OLS generators)");
    for (const char* key : {"lambda", "sigma2", "sigma02", "lambda0"})
      if (c.has(key)) k.base[key] = c.number(key).text;
    for (long d : k.ds) {  // every size and every DE value in the domain before anything runs
      const auto [T, T0] = sizes(k, d);
      const auto sp = read_spectrum(c, d);
      for (long n : k.ns) at_case(c, theory.formula ? "formula" : quantity, [&] { return de_at(k, sp, d, T, T0, n); });
    }
  });
  if (ctx.check_only) return res;
  nlohmann::json fits = nlohmann::json::array();
  long block = 0;
  for (const auto& k : cases) {
    std::map<long, std::vector<double>> fd, fy, fse;  // per n: the relative discrepancy at each d
    for (long d : k.ds) {
      const auto [T, T0] = sizes(k, d);
      const auto sp = read_spectrum(k.c, d);
      params_t p = k.base;
      p["d"] = std::to_string(d);
      p["T"] = std::to_string(T);
      if (k.has_T0) p["T0"] = std::to_string(T0);
      p["spectrum"] = sp.describe;
      std::vector<std::string> keys;
      for (long n : k.ns) keys.push_back(fmt::format("{}/n={}/d={}", k.label, n, d));
      std::vector<check_row> rows;
      if (auto found = all_cached(ctx, keys)) {
        rows = *found;
        for (auto& r : rows) res.rows.push_back(r);
      } else {
        block_request b;
        b.c = &k.c;
        b.sp = &sp;
        b.observable = observable;
        b.T = T;
        b.T0 = T0;
        b.sigma02 = k.sigma02;
        b.sigma2 = k.sigma2;
        b.lambda = k.lambda;
        b.ns = k.ns;
        if (quantity == "ridge-generator-risk") b.variant = [l0 = k.lambda0](numerics::simulation_config& c) { c.generator_lambda = l0; };
        b.seed = block_seed(ctx.seed, sim.seed_offset, block);
        progress(ctx, fmt::format("{} ({}): d = {}, T = {}, T0 = {}, {} trials, engine {}", k.label, sp.describe, d, T, T0, sim.trials,
                                  sim.engine));
        const auto results = simulate_block(sim, ctx, b);
        for (std::size_t i = 0; i < k.ns.size(); ++i) {
          params_t pi = p;
          pi["n"] = std::to_string(k.ns[i]);
          const double de = de_at(k, sp, d, T, T0, k.ns[i]);
          const auto& ms = results[i];
          const double rel = (ms.mean - de) / de;
          auto r = make_row(keys[i], pi, fmt::format("{:.12g}", de), de, ms.mean, ms.se, rel, "rel",
                            {{"rel", rel, rel_max, bound::abs_at_most}},
                            fmt::format("seed {}; rel se {:.2g}", b.seed, ms.se / de));  // no wall time: a row is reproducible
          emit(ctx, res, r);
          rows.push_back(r);
        }
      }
      ++block;
      for (std::size_t i = 0; i < k.ns.size(); ++i) {
        fd[k.ns[i]].push_back(static_cast<double>(d));
        fy[k.ns[i]].push_back(rows[i].discrepancy);
        fse[k.ns[i]].push_back(rows[i].se / rows[i].theory_value);
      }
    }
    for (long n : k.ns) {
      auto f = fit_inverse_d(fd[n], fy[n], fse[n]);
      const double z = f.intercept / f.intercept_se;
      params_t pf = k.base;
      pf["n"] = std::to_string(n);
      pf["T/d"] = rat_text(k.T_per_d);
      if (k.has_T0) pf["T0/d"] = rat_text(k.T0_per_d);
      pf["d"] = fmt::format("{}", fmt::join(fd[n], ","));
      emit(ctx, res,
           make_row(fmt::format("{}/n={}/d->inf", k.label, n), pf, "0 (DE exact as d -> inf)", 0.0, f.intercept, f.intercept_se, z, "z",
                    {{"z(a)", z, k_max, bound::abs_at_most}, {"se(a)", f.intercept_se, se_max, bound::at_most}},
                    fmt::format("rel = a + c/d: a = {:.3g} ± {:.2g}, c = {:.3g} ± {:.2g}, chi2/dof = {:.3g}/{}", f.intercept,
                                f.intercept_se, f.slope, f.slope_se, f.chi2, f.dof)));
      fits.push_back({{"case", k.label}, {"n", n}, {"d", fd[n]}, {"rel", fy[n]}, {"rel_se", fse[n]}, {"intercept", f.intercept},
                      {"intercept_se", f.intercept_se}, {"slope", f.slope}, {"slope_se", f.slope_se}, {"chi2", f.chi2}, {"dof", f.dof}});
    }
  }
  res.extra["fits"] = fits;
  return res;
}

}  // namespace

suite_kind de_extrapolation_kind() {
  return {"de-extrapolation", "(MC - DE)/DE at increasing d fitted as a + c/d (§3, §4.3): |a| <= k se(a), se(a) <= se_max", run};
}

}  // namespace collapse::harness::kinds
