// harness/kinds/identity.cpp -- kind "identity" (§2.2): for λ > 0,
//   E_n − E_0 = n σ0²/(T0−d−1) E_X tr[ΣAΣ⁻¹A],
// checked trial by trial on the same designs and chains (the difference D has mean zero exactly):
// |mean D|/se <= z_max and se/identity <= se_rel_max; and the identity's trace against the §3.3 DE
// collapse term n σ0² ρ (theory/ridge_de.hpp) within de_rel_max (a finite-size bound).
#include "harness/kinds/kind.hpp"

#include "theory/ridge_de.hpp"
#include "theory/spectrum.hpp"

namespace collapse::harness::kinds {

namespace {

struct identity_case : chain_case {
  using chain_case::chain_case;
  std::vector<long> ns;
  std::vector<exact_number> lambdas;
  params_t params;
  case_spectrum sp;
};

/// The §3.3 DE collapse term n σ0² ρ = E_n − E_0 of the DE at λ.
double de_collapse(const identity_case& k, const exact_number& lambda, long n) {
  spectrum<double> s(k.sp.spec);
  ridge_params<double> p;
  p.T = static_cast<double>(k.T);
  p.lambda = dbl(lambda);
  p.sigma2 = dbl(k.sigma2);
  p.T0 = static_cast<double>(k.T0);
  p.sigma02 = dbl(k.sigma02);
  p.n = static_cast<double>(n);
  const double en = ridge_risk(s, p).total;
  p.n = 0;
  return en - ridge_risk(s, p).total;
}

suite_result run(const entries& suite, const suite_context& ctx) {
  suite_result res = header(suite);
  const auto acc = suite.table("acceptance");
  const double zmax = acc.tolerance("z_max", 0, 10), se_rel_max = acc.tolerance("se_rel_max", 0, 0.5);
  const double de_rel_max = acc.tolerance("de_rel_max", 0, 0.5);
  const sim_settings sim = read_simulation(suite, ctx);
  res.rule = fmt::format(
      "per trial D = (E_n - E_0) - n sigma0^2/(T0-d-1) tr[Sigma A Sigma^-1 A] on the same design and chain (mean 0 exactly by "
      "§2.2); |mean D|/se <= {} and se/identity <= {}; the identity vs the §3.3 DE collapse term within {:.1f} % (finite-size "
      "bound at this d); {} trials, seed = block_seed(--seed {}, offset {}, case)",
      zmax, se_rel_max, 100 * de_rel_max, sim.trials, ctx.seed, sim.seed_offset);
  const auto cases = read_cases<identity_case>(suite, [&](identity_case& k) {
    const entries& c = k.c;
    read_chain(k);
    k.ns = generations(c, 1, 1000);
    k.lambdas = c.numbers("lambda");
    for (const auto& l : k.lambdas)
      if (l.value <= 0) c.fail("lambda", l.text, "lambda > 0", "the §2.2 identity is for ridge; lambda = 0 has its own exact suites");
    for (const char* key : {"d", "T", "T0", "sigma2", "sigma02"}) k.params[key] = c.number(key).text;
    k.sp = read_spectrum(c, k.d);
    at_case(c, "ridge-risk", [&] { return de_collapse(k, k.lambdas.front(), k.ns.front()); });
  });
  if (ctx.check_only) return res;
  for (std::size_t ci = 0; ci < cases.size(); ++ci) {
    const auto& k = cases[ci];
    std::vector<std::string> keys;
    for (const auto& l : k.lambdas)
      for (long n : k.ns) {
        keys.push_back(fmt::format("{}/lambda={}/n={}", k.label, l.text, n));
        keys.push_back(fmt::format("{}/lambda={}/n={}/vs-DE", k.label, l.text, n));
      }
    if (auto rows = all_cached(ctx, keys)) {
      for (auto& r : *rows) res.rows.push_back(r);
      continue;
    }
    std::vector<long> ns = {0};
    ns.insert(ns.end(), k.ns.begin(), k.ns.end());
    const std::uint64_t seed = block_seed(ctx.seed, sim.seed_offset, static_cast<long>(ci));
    numerics::simulation_config config = simulation_of(sim, ctx, k.sp, k.T0, k.sigma02, ns.back(), seed);
    config.T = k.T;
    config.sigma2 = k.sigma2;
    config.lambda = k.lambdas;
    config.record_design_trace = true;
    progress(ctx, fmt::format("{} ({}): {} trials, design trace on", k.label, k.sp.describe, config.trials));
    const numerics::trial_table tab = run_case(k.c, config, ctx);
    const double prefactor = to_real<double>(k.sigma02.value / rational(k.T0 - k.d - 1));
    std::size_t kk = 0;
    for (std::size_t l = 0; l < k.lambdas.size(); ++l)
      for (std::size_t i = 1; i < ns.size(); ++i) {
        const auto g = static_cast<std::size_t>(ns[i]);
        const double n = static_cast<double>(ns[i]);
        params_t pi = k.params;
        pi["lambda"] = k.lambdas[l].text;
        pi["n"] = std::to_string(ns[i]);
        pi["spectrum"] = k.sp.describe;
        auto diff = moments(tab, [&](std::uint64_t t) { return tab.downstream(t, g, l) - tab.downstream(t, 0, l); });
        auto ident = moments(tab, [&](std::uint64_t t) { return n * prefactor * tab.design_trace(t, l); });
        auto D = moments(tab, [&](std::uint64_t t) { return tab.downstream(t, g, l) - tab.downstream(t, 0, l) - n * prefactor * tab.design_trace(t, l); });
        const double z = D.mean / D.se;
        const double se_rel = D.se / ident.mean;
        emit(ctx, res,
             make_row(keys[kk++], pi, fmt::format("{:.6g} ± {:.2g} (n sigma0^2/(T0-d-1) x MC trace)", ident.mean, ident.se), ident.mean,
                      diff.mean, D.se, z, "z", {{"z", z, zmax, bound::abs_at_most}, {"se/identity", se_rel, se_rel_max, bound::at_most}},
                      fmt::format("seed {}; E_n - E_0 = {:.6g} ± {:.2g}; paired se/identity = {:.2g}", seed, diff.mean, diff.se, se_rel)));
        const double de = de_collapse(k, k.lambdas[l], ns[i]);
        const double rel = (ident.mean - de) / de;
        emit(ctx, res,
             make_row(keys[kk++], pi, fmt::format("{:.10g} (§3.3 DE, n sigma0^2 rho)", de), de, ident.mean, ident.se, rel, "rel",
                      {{"rel", rel, de_rel_max, bound::abs_at_most}}, "finite-size DE check (informative: the DE is asymptotic)"));
      }
  }
  return res;
}

}  // namespace

suite_kind identity_kind() {
  return {"identity", "§2.2 identity trial by trial (|z| <= z_max, se bounded) and vs the §3.3 DE collapse term", run};
}

}  // namespace collapse::harness::kinds
