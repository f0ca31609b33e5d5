// harness/kinds/common.cpp -- see kind.hpp.
#include "harness/kinds/kind.hpp"

#include "harness/sim_adapter.hpp"

#include <cmath>

namespace collapse::harness::kinds {

suite_result header(const entries& suite) {
  suite_result res;
  res.result = suite.text("result");
  res.section = suite.text("section");
  return res;
}

sim_settings read_simulation(const entries& suite, const suite_context& ctx, const char* harness_only_because) {
  const auto s = suite.table("simulation");
  sim_settings out;
  const long trials = s.integer("trials", 2, 100000000);
  const long full = s.integer("full_trials", 2, 100000000, trials);
  out.trials = ctx.full ? full : trials;
  out.seed_offset = s.integer("seed_offset", 0, 1000000, 0);
  out.engine = s.choice("engine", {"harness", "fast", "reference"}, true);
  if (out.engine == "harness")
    out.estimator = s.choice("estimator", {"rao-blackwell", "rao-blackwell-chain"}, true);
  else
    out.estimator = s.choice("estimator", {"rao-blackwell", "plain"}, true);
  if (harness_only_because && out.engine != "harness")
    s.fail("engine", "\"" + out.engine + "\"", "\"harness\" for this kind", harness_only_because);
  return out;
}

case_spectrum read_spectrum(const entries& c, long d) {
  case_spectrum out;
  const std::string kind = c.choice("spectrum", {"isotropic", "powerlaw", "linspace"});
  auto& s = out.spec;
  s.d = parse_exact("d", std::to_string(d));
  if (kind == "isotropic") {
    s.type = spectrum_spec::kind::isotropic;
    s.w0norm2 = c.number("w0norm2");
  } else if (kind == "powerlaw") {
    s.type = spectrum_spec::kind::powerlaw;
    s.beta = c.number("beta");
    s.r = c.number("r");
  } else {
    s.type = spectrum_spec::kind::explicit_list;
    const auto lo = c.number("eig_lo"), hi = c.number("eig_hi");
    const rational w = c.number("w0norm2").value / rational(d);
    for (long j = 0; j < d; ++j) {
      s.eig.push_back(d == 1 ? lo.value : lo.value + (hi.value - lo.value) * rational(j) / rational(d - 1));
      s.w2.push_back(w);
    }
    s.path = "linspace(" + lo.text + "," + hi.text + "," + std::to_string(d) + ")";
  }
  at_case(c, "spectrum", [&] { validate(s); });
  std::vector<double> w2;
  materialize(s, out.eig, w2, 100000);
  out.w0.resize(w2.size());
  for (std::size_t j = 0; j < w2.size(); ++j) out.w0[j] = std::sqrt(w2[j]);
  out.describe = s.type == spectrum_spec::kind::explicit_list ? s.path : s.describe();
  return out;
}

long whole(const entries& c, const std::string& key, const exact_number& x) {
  if (!is_integer(x.value) || x.value > 100000000) c.fail(key, x.text, "an integer 1 <= " + key + " <= 100000000");
  return boost::multiprecision::numerator(x.value).convert_to<long>();
}

chain_case read_chain_case(const entries& c, std::size_t index) {
  chain_case k;
  k.c = &c;
  k.label = c.text("label", "case" + std::to_string(index + 1));
  k.d = whole(c, "d", c.number("d"));
  k.T = whole(c, "T", c.number("T"));
  k.T0 = whole(c, "T0", c.number("T0"));
  k.sigma2 = c.number("sigma2");
  k.sigma02 = c.number("sigma02");
  if (k.T0 < k.d + 2) c.fail("T0", std::to_string(k.T0), "T0 >= d + 2 = " + std::to_string(k.d + 2), "the OLS generator's moments");
  return k;
}

std::vector<mean_se> simulate_block(const sim_settings& sim, const suite_context& ctx, const block_request& b, double* seconds) {
  const entries& c = *b.c;
  if (sim.engine != "harness") {
    if (b.observable != "downstream")
      c.fail("observable", b.observable, "\"downstream\" with engine \"" + sim.engine + "\"",
             "the simulator records the downstream error only; use engine = \"harness\" for the generator's own error");
    sim_request r;
    r.spectrum = b.sp->spec;
    r.T = b.T;
    r.T0 = b.T0 > 0 ? b.T0 : b.T;
    r.n = b.ns;
    r.lambda = b.lambda;
    r.sigma2 = b.sigma2;
    r.sigma02 = b.sigma02;
    r.trials = sim.trials;
    r.seed = b.seed;
    r.threads = ctx.threads;
    r.engine = sim.engine;
    r.estimator = sim.estimator;
    return at_case(c, "simulation", [&] { return simulate_downstream(r, seconds); });
  }
  mc_config mc;
  mc.eig = b.sp->eig;
  mc.w0 = b.sp->w0;
  mc.T0 = b.T0;
  mc.sigma0 = std::sqrt(to_real<double>(parse_exact("sigma02", b.sigma02).value));
  for (long n : b.ns) mc.n.push_back(static_cast<int>(n));
  if (b.observable == "downstream") {
    mc.T = b.T;
    mc.sigma = std::sqrt(to_real<double>(parse_exact("sigma2", b.sigma2).value));
    mc.lambdas = {to_real<double>(parse_exact("lambda", b.lambda).value)};
  }
  mc.trials = sim.trials;
  mc.seed = b.seed;
  mc.threads = ctx.threads;
  mc.rao_blackwell_chain = sim.estimator == "rao-blackwell-chain";
  mc_samples s = at_case(c, "simulation", [&] { return run_mc(mc); });
  if (seconds) *seconds = s.seconds;
  std::vector<mean_se> out;
  for (std::size_t i = 0; i < b.ns.size(); ++i)
    out.push_back(b.observable == "generator" ? mean_and_se(s.trials, [&](long t) { return s.gen(t, i); })
                                              : mean_and_se(s.trials, [&](long t) { return s.down(t, i, 0); }));
  return out;
}

mc_config chain_config(const case_spectrum& sp, long T0, const rational& sigma02, const std::vector<long>& ns, long T,
                       const rational& sigma2) {
  mc_config mc;
  mc.eig = sp.eig;
  mc.w0 = sp.w0;
  mc.T0 = T0;
  mc.sigma0 = std::sqrt(to_real<double>(sigma02));
  for (long n : ns) mc.n.push_back(static_cast<int>(n));
  mc.T = T;
  mc.sigma = std::sqrt(to_real<double>(sigma2));
  return mc;
}

check_row make_row(std::string key, params_t params, std::string theory, double theory_value, double observed, double se,
                   double discrepancy, std::string units, std::vector<criterion> criteria, std::string note) {
  check_row r;
  r.key = std::move(key);
  r.params = std::move(params);
  r.theory = std::move(theory);
  r.theory_value = theory_value;
  r.observed = observed;
  r.se = se;
  r.discrepancy = discrepancy;
  r.units = std::move(units);
  r.criteria = std::move(criteria);
  r.pass = judge(r);
  r.note = std::move(note);
  return r;
}

std::optional<check_row> cached(const suite_context& ctx, const std::string& key) {
  return ctx.cached ? ctx.cached(key) : std::nullopt;
}

std::optional<std::vector<check_row>> all_cached(const suite_context& ctx, const std::vector<std::string>& keys) {
  if (!ctx.cached) return std::nullopt;
  std::vector<check_row> rows;
  for (const auto& k : keys) {
    auto r = ctx.cached(k);
    if (!r) return std::nullopt;
    rows.push_back(*r);
  }
  return rows;
}

void emit(const suite_context& ctx, suite_result& res, const check_row& r) {
  if (ctx.store) ctx.store(r);
  res.rows.push_back(r);
}

void progress(const suite_context& ctx, const std::string& s) {
  if (ctx.progress) ctx.progress(s);
}

}  // namespace collapse::harness::kinds
