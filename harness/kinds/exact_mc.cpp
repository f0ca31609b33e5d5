// harness/kinds/exact_mc.cpp -- kind "exact-mc" (§2.3, §2.4, §4.1, §4.2, extensions §A.2, §B.2): Monte
// Carlo against an exact rational of theory/exact.hpp or theory/variants/ (the issue-12 protocols, simulated
// with the variant fields of numerics/simulate.hpp). Rule per grid point: |z| <= z_max, z = (MC mean - exact)/se, and
// se/exact <= se_rel_max (a simulation that became noisy fails too).
// Issue 13: [theory] may give `formula = "..."` (formula/formula.hpp, docs/formulas.md) instead of `quantity`: the
// §1 protocol is simulated and the formula evaluated at each grid point (exact when rational, else 30 certified
// digits). An optional `rival = "..."` formula must then miss the simulation by |z| >= rival_z_min at every grid
// point (rows "<case>/n=<n>/rival"): the suite settles which of two candidate formulas the data support.
#include "harness/kinds/kind.hpp"

#include "harness/kinds/theory_source.hpp"

#include "theory/exact.hpp"
#include "theory/variants/accumulate.hpp"
#include "theory/variants/mixing.hpp"

namespace collapse::harness::kinds {

namespace {

struct exact_case : case_base {
  using case_base::case_base;
  long d = 0, T = 0, T0 = 0, T2 = 0;
  exact_number sigma2, sigma02, w0norm2, delta_norm2;
  std::vector<long> ns;
  params_t params;
  case_spectrum sp;
};

const std::vector<std::string> exact_quantities = {"ols-exact", "iso-minnorm-exact", "overgen-iso-generator-exact", "overgen-iso-exact",
                                                   "accumulate-fixed-exact", "accumulate-fresh-exact", "mixing-exact"};

/// The simulated protocol of an issue-12 quantity (empty for the §1 ones): accumulate with a fixed design
/// (T0 = T) or fresh designs (extensions §A.1), or the downstream batch with T2 rows from the shifted
/// teacher (§B.1, synthetic fraction T2/T, teacher shift = delta_norm2 = |Delta|^2_Sigma).
std::function<void(numerics::simulation_config&)> variant_of(const std::string& quantity, const exact_case& k) {
  if (quantity == "accumulate-fixed-exact" || quantity == "accumulate-fresh-exact")
    return [fixed = quantity == "accumulate-fixed-exact"](numerics::simulation_config& c) {
      c.protocol = numerics::protocol_kind::accumulate;
      c.design = fixed ? numerics::design_kind::fixed : numerics::design_kind::fresh;
    };
  if (quantity == "mixing-exact")
    return [p2 = parse_exact("T2/T", rat_text(rational(k.T2) / rational(k.T))), shift = k.delta_norm2](numerics::simulation_config& c) {
      c.synthetic_fraction = p2;
      c.teacher_shift = shift;
    };
  return {};
}

/// What exact-mc offers a formula at generation n of case k (theory_source.hpp): the case's keys d, T, T0, T2,
/// sigma2, sigma02, w0norm2, delta_norm2, the generation n, and the case's spectrum.
formula_point point_at(const exact_case& k, long n) {
  formula_point p;
  for (const auto& [name, text] : k.params) p.values[name] = parse_exact(name, text);
  p.values["n"] = parse_exact("n", std::to_string(n));
  p.spectrum = k.sp.spec;
  p.offered = "d, T, T0, T2, sigma2, sigma02, w0norm2, delta_norm2 (the case's keys) and n";
  return p;
}

/// The exact value (theory/exact.hpp) of `quantity` at generation n.
rational exact_value(const std::string& quantity, const exact_case& k, long n) {
  const rational d(k.d), T(k.T), T0(k.T0), nq(n);
  if (quantity == "ols-exact") return exact::ols(d, T, T0, nq, k.sigma2.value, k.sigma02.value).total;
  if (quantity == "iso-minnorm-exact") return exact::iso_minnorm(d, T, T0, nq, k.sigma2.value, k.sigma02.value, k.w0norm2.value).total;
  if (quantity == "overgen-iso-generator-exact") return exact::overgen_iso_generator(d, T0, nq, k.sigma02.value, k.w0norm2.value).error;
  // the issue-12 quantities: observable downstream only (checked when the cases are read)
  if (quantity == "accumulate-fixed-exact") return variants::accumulate_fixed_ols<rational>(k.d, k.T, n, k.sigma2.value, k.sigma02.value).total;
  if (quantity == "accumulate-fresh-exact")
    return variants::accumulate_fresh_ols<rational>(k.d, k.T, k.T0, n, k.sigma2.value, k.sigma02.value).total;
  if (quantity == "mixing-exact") {
    if (n != 0) throw domain_error("n", std::to_string(n), "0", "mixing (extensions §B) is one fit, no generator chain");
    return variants::mixing_ols<rational>(k.d, k.T, k.T2, k.sigma2.value, k.sigma2.value, k.delta_norm2.value).total;
  }
  return exact::overgen_iso(d, T, T0, nq, k.sigma2.value, k.sigma02.value, k.w0norm2.value).total;
}

suite_result run(const entries& suite, const suite_context& ctx) {
  suite_result res = header(suite);
  const auto th = suite.table("theory");
  // issue 13: a formula instead of a catalogue quantity, and optionally a rival formula the data must reject
  const theory_source theory = read_theory(th, exact_quantities);
  const std::optional<formula::formula>& candidate = theory.formula;
  std::optional<formula::formula> rival;
  if (candidate && th.has("rival")) rival = formula_at(th, "rival");
  const std::string& quantity = theory.quantity;
  const std::string observable = th.choice("observable", {"downstream", "generator"}, true);
  const auto acc = suite.table("acceptance");
  const double zmax = acc.tolerance("z_max", 0, 10), se_rel_max = acc.tolerance("se_rel_max", 0, 0.5);
  const double rival_z_min = rival ? acc.tolerance("rival_z_min", 0, 1000) : 0;
  const sim_settings sim = read_simulation(suite, ctx);
  res.rule = fmt::format("|z| <= {} at every grid point, z = (MC mean - exact)/se, and se/exact <= {}; {} trials per case, "
                         "engine {}, estimator {}; seed = block_seed(--seed {}, offset {}, case)",
                         zmax, se_rel_max, sim.trials, sim.engine, sim.estimator, ctx.seed, sim.seed_offset);
  if (candidate) res.rule = "theory = the formula " + candidate->text() + "; " + res.rule;
  if (rival)
    res.rule += fmt::format("; the rival formula {} must miss by |z| >= {} at every grid point (rows .../rival)", rival->text(), rival_z_min);
  auto theory_at = [&](const exact_case& k, long n) {
    return candidate ? formula_value(*candidate, k.c, point_at(k, n)) : exact_value(quantity, k, n);
  };
  const auto cases = read_cases<exact_case>(suite, [&](exact_case& k) {
    const entries& c = k.c;
    k.d = whole(c, "d", c.number("d"));
    if (observable == "downstream") {
      k.T = whole(c, "T", c.number("T"));
      k.sigma2 = c.number("sigma2");
    }
    if (c.has("T0")) k.T0 = whole(c, "T0", c.number("T0"));
    k.sigma02 = c.number("sigma02", "0");
    k.w0norm2 = c.number("w0norm2", "1");
    if (quantity == "mixing-exact") {
      k.T2 = whole(c, "T2", c.number("T2"));
      k.delta_norm2 = c.number("delta_norm2");
    }
    const bool variant = quantity == "accumulate-fixed-exact" || quantity == "accumulate-fresh-exact" || quantity == "mixing-exact";
    if (variant && observable != "downstream")
      th.fail("observable", observable, "downstream with " + quantity, "the suite compares the downstream fit's error");
    if (quantity == "accumulate-fixed-exact" && k.T0 != k.T)
      c.fail("T0", std::to_string(k.T0), "T0 = T = " + std::to_string(k.T), "one design of T rows serves every batch (extensions §A.2)");
    k.ns = generations(c, 0, 1000);
    for (const char* key : {"d", "T", "T0", "T2", "sigma2", "sigma02", "w0norm2", "delta_norm2"})
      if (c.has(key)) k.params[key] = c.number(key).text;
    k.sp = read_spectrum(c, k.d);
    for (long n : k.ns) {  // domain, before anything runs
      at_case(c, candidate ? "formula" : quantity, [&] { return theory_at(k, n); });
      if (rival) formula_value(*rival, k.c, point_at(k, n));
    }
  });
  if (ctx.check_only) return res;
  for (std::size_t ci = 0; ci < cases.size(); ++ci) {
    const auto& k = cases[ci];
    std::vector<std::string> keys;
    for (long n : k.ns) keys.push_back(fmt::format("{}/n={}", k.label, n));
    if (rival)
      for (long n : k.ns) keys.push_back(fmt::format("{}/n={}/rival", k.label, n));
    if (auto rows = all_cached(ctx, keys)) {
      for (auto& r : *rows) res.rows.push_back(r);
      continue;
    }
    block_request b;
    b.c = &k.c;
    b.sp = &k.sp;
    b.observable = observable;
    b.T = k.T;
    b.T0 = k.T0;
    b.sigma02 = k.sigma02;
    b.sigma2 = k.sigma2;
    b.ns = k.ns;
    b.variant = candidate ? std::function<void(numerics::simulation_config&)>() : variant_of(quantity, k);
    b.seed = block_seed(ctx.seed, sim.seed_offset, static_cast<long>(ci));
    progress(ctx, fmt::format("{} ({}): {} trials, d = {}, n = {}, engine {}", k.label, k.sp.describe, sim.trials, k.d,
                              fmt::join(k.ns, ","), sim.engine));
    const auto results = simulate_block(sim, ctx, b);
    for (std::size_t i = 0; i < k.ns.size(); ++i) {
      params_t pi = k.params;
      pi["n"] = std::to_string(k.ns[i]);
      pi["spectrum"] = k.sp.describe;
      const rational exact = theory_at(k, k.ns[i]);
      const double t = to_real<double>(exact);
      const auto& ms = results[i];
      auto z_of = [&](double theory) { return ms.se > 0 ? (ms.mean - theory) / ms.se : (ms.mean == theory ? 0.0 : INFINITY); };
      const double z = z_of(t);
      const double se_rel = t != 0 ? ms.se / std::fabs(t) : ms.se;
      // a formula's value is exact when rational, else its 30 certified digits (as an exact decimal)
      const bool rational_value = !candidate || formula_is_exact(*candidate, k.c, point_at(k, k.ns[i]));
      const std::string shown = rational_value ? fmt::format("{:.17g} (= {})", t, rat_text(exact)) : fmt::format("{:.17g} (formula)", t);
      std::string note = fmt::format("seed {}; se/exact = {:.2g}", b.seed, se_rel);
      double zr = 0, tr = 0;
      if (rival) {
        tr = to_real<double>(formula_value(*rival, k.c, point_at(k, k.ns[i])));
        zr = z_of(tr);
        note += fmt::format("; rival {} misses by z = {:.3g}", rival->text(), zr);
      }
      emit(ctx, res,
           make_row(keys[i], pi, shown, t, ms.mean, ms.se, z, "z",
                    {{"z", z, zmax, bound::abs_at_most}, {"se/exact", se_rel, se_rel_max, bound::at_most}}, note));
      if (rival)
        emit(ctx, res,
             make_row(keys[k.ns.size() + i], pi, fmt::format("{:.17g} (rival: {})", tr, rival->text()), tr, ms.mean, ms.se, zr, "z",
                      {{"|z| of the rival", std::fabs(zr), rival_z_min, bound::at_least}},
                      fmt::format("seed {}; the rival formula misses the simulation by {:.3g} standard errors (formula: z = {:.3g})", b.seed,
                                  zr, z)));
    }
  }
  return res;
}

}  // namespace

suite_kind exact_mc_kind() {
  return {"exact-mc", "Monte Carlo vs an exact rational (§2.3, §2.4, §4.1, §4.2, extensions §A.2, §B.2): |z| <= z_max and se/exact <= se_rel_max",
          run};
}

}  // namespace collapse::harness::kinds
