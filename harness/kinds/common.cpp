// harness/kinds/common.cpp -- see kind.hpp.
#include "harness/kinds/kind.hpp"

#include <cmath>

namespace collapse::harness::kinds {

suite_result header(const entries& suite) {
  suite_result res;
  res.result = suite.text("result");
  res.section = suite.text("section");
  return res;
}

sim_settings read_simulation(const entries& suite, const suite_context& ctx) {
  const auto s = suite.table("simulation");
  sim_settings out;
  const long trials = s.integer("trials", 2, 100000000);
  const long full = s.integer("full_trials", 2, 100000000, trials);
  out.trials = ctx.full ? full : trials;
  out.seed_offset = s.integer("seed_offset", 0, 1000000, 0);
  out.engine = s.choice("engine", {"fast", "reference"}, true);
  out.estimator = s.choice("estimator", {"rao-blackwell", "rao-blackwell-chain", "plain"}, true);
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

std::vector<long> generations(const entries& c, long lo, long hi) {
  const auto ns = c.integers("n", lo, hi);
  for (std::size_t i = 1; i < ns.size(); ++i)
    if (ns[i] <= ns[i - 1])
      c.fail("n", fmt::format("[{}]", fmt::join(ns, ", ")), "distinct generations in ascending order", "one simulation runs to the last");
  return ns;
}

case_base::case_base(const entries& table, std::size_t index) : c(table), label(table.text("label", "case" + std::to_string(index + 1))) {}

void read_chain(chain_case& k) {
  const entries& c = k.c;
  k.d = whole(c, "d", c.number("d"));
  k.T = whole(c, "T", c.number("T"));
  k.T0 = whole(c, "T0", c.number("T0"));
  k.sigma2 = c.number("sigma2");
  k.sigma02 = c.number("sigma02");
  if (k.T0 < k.d + 2) c.fail("T0", std::to_string(k.T0), "T0 >= d + 2 = " + std::to_string(k.d + 2), "the OLS generator's moments");
}

numerics::simulation_config simulation_of(const sim_settings& sim, const suite_context& ctx, const case_spectrum& sp, long T0,
                                          const exact_number& sigma02, long n, std::uint64_t seed) {
  numerics::simulation_config c;
  c.spectrum = sp.spec;
  c.T0 = T0;
  c.sigma02 = sigma02;
  c.n = static_cast<int>(n);
  c.trials = static_cast<std::uint64_t>(sim.trials);
  c.seed = seed;
  c.threads = static_cast<unsigned>(std::max(1, ctx.threads));
  c.engine = sim.engine == "reference" ? numerics::engine_kind::reference : numerics::engine_kind::fast;
  c.estimator = sim.estimator == "plain" ? numerics::estimator_kind::plain : numerics::estimator_kind::rao_blackwell;
  c.sign_average = sim.estimator == "rao-blackwell-chain";
  // The suites keep the general path, so every recorded suite number and golden value keeps its random
  // stream; moving a suite to a scalable path (docs/simulation.md "Paths") is the lead's call (issue 15).
  c.path = numerics::fast_path::general;
  return c;
}

numerics::trial_table simulate_trials(const suite_context& ctx, const numerics::simulation_config& config) {
  return ctx.trials ? ctx.trials(config) : numerics::run_trials(config);
}

numerics::trial_table run_case(const entries& c, const numerics::simulation_config& config, const suite_context& ctx) {
  return at_case(c, "simulation", [&] { return checked_trials(config, ctx); });
}

numerics::trial_table checked_trials(const numerics::simulation_config& config, const suite_context& ctx) {
  numerics::validate(config);
  for (int k = 0; k <= config.n; ++k) {
    std::vector<numerics::row_regime> regimes;
    if (config.record_generator) regimes.push_back(numerics::generator_regime(config, k));
    if (config.record_downstream)
      for (const auto& l : config.lambda) regimes.push_back(numerics::moment_regime(config, k, l));
    for (const auto& r : regimes)
      if (!r.variance_finite)
        throw domain_error(r.parameter, r.parameter == "T" ? std::to_string(config.T) : std::to_string(config.T0),
                           "a size at which every recorded row has a finite variance", r.reason + " (a suite judges a mean by its standard error)");
  }
  return simulate_trials(ctx, config);
}

numerics::sample_moments moments(const numerics::trial_table& tab, const std::function<double(std::uint64_t)>& f) {
  return numerics::moments_of(tab.trials, f);
}

std::vector<numerics::sample_moments> simulate_block(const sim_settings& sim, const suite_context& ctx, const block_request& b) {
  const long n = b.ns.empty() ? 0 : b.ns.back();
  numerics::simulation_config config = simulation_of(sim, ctx, *b.sp, b.T0, b.sigma02, n, b.seed);
  const bool downstream = b.observable == "downstream";
  config.record_downstream = downstream;
  config.record_generator = !downstream;
  config.T = downstream ? b.T : 0;
  config.sigma2 = downstream ? b.sigma2 : parse_exact("sigma2", "0");
  config.lambda = {downstream ? b.lambda : parse_exact("lambda", "0")};
  if (b.variant) b.variant(config);
  const numerics::trial_table tab = run_case(*b.c, config, ctx);
  std::vector<numerics::sample_moments> out;
  for (long k : b.ns) {
    const auto g = static_cast<std::size_t>(k);
    out.push_back(downstream ? moments(tab, [&](std::uint64_t t) { return tab.downstream(t, g, 0); })
                             : moments(tab, [&](std::uint64_t t) { return tab.generator(t, g); }));
  }
  return out;
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

namespace {
/// Issue 10: stand-ins for rows another process computes (a shared run's first pass; never reported).
std::vector<check_row> placeholders(const std::vector<std::string>& keys) {
  std::vector<check_row> rows;
  for (const auto& k : keys)
    rows.push_back(make_row(k, {}, "computed by another process", 1, 1, 1, 0, "rel", {{"rel", 0, 1, criterion::bound::abs_at_most}}, ""));
  return rows;
}
}  // namespace

std::optional<check_row> cached(const suite_context& ctx, const std::string& key) {
  if (ctx.claim && !ctx.claim({key})) return placeholders({key}).front();
  return ctx.cached ? ctx.cached(key) : std::nullopt;
}

std::optional<std::vector<check_row>> all_cached(const suite_context& ctx, const std::vector<std::string>& keys) {
  if (ctx.claim && !ctx.claim(keys)) return placeholders(keys);
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
