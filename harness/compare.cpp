// harness/compare.cpp -- see compare.hpp.
#include "harness/compare.hpp"

#include "harness/kinds/kind.hpp"

#include "eval/catalogue.hpp"
#include "eval/spectrum_input.hpp"
#include "formula/formula.hpp"
#include "numerics/simulate.hpp"
#include "theory/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace collapse::harness {

namespace {

const char* const spectrum_options[] = {"spectrum", "d", "w0norm2", "beta", "r"};

bool is_spectrum_option(const std::string& name) {
  return std::any_of(std::begin(spectrum_options), std::end(spectrum_options), [&](const char* s) { return name == s; });
}

std::optional<std::string> get(const std::map<std::string, std::string>& m, const std::string& k) {
  auto it = m.find(k);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

/// One candidate, evaluated at a point (the grid's options there).
struct candidate {
  std::string name;
  std::optional<formula::formula> f;

  double at(const std::map<std::string, std::string>& options) const {
    std::map<std::string, std::string> given;
    if (f) {  // the formula's symbols, and the spectrum when it calls a primitive
      for (const auto& [k, v] : options) {
        std::string sym = k;
        std::replace(sym.begin(), sym.end(), '-', '_');
        const bool used = std::find(f->symbols().begin(), f->symbols().end(), sym) != f->symbols().end();
        if (used || (f->uses_spectrum() && is_spectrum_option(k))) given[k] = v;
      }
      const formula::point p = formula::point_of(*f, given);
      if (auto q = formula::exact_value(*f, p)) return q->convert_to<double>();
      return std::stod(formula::evaluate_certified(*f, p, 20).value);
    }
    const auto& q = eval::find_quantity(name);
    const long n = std::stol(options.at("n"));
    auto take = [&](const std::string& k) {
      if (auto v = get(options, k)) given[k] = *v;
    };
    for (const auto& p : q.parameters) take(p.name);
    if (n >= 1)
      for (const auto& p : q.generator_parameters) take(p.name);
    if (q.uses_spectrum)
      for (const char* k : spectrum_options) take(k);
    return std::stod(eval::evaluate_certified(eval::build_request(name, given, 20)).value);
  }
};

std::string describe(double x) { return fmt::format("{:.4g}", x); }

}  // namespace

compare_result run_compare(const compare_request& rq) {
  if (rq.candidates.size() < 2)
    throw domain_error("candidates", std::to_string(rq.candidates.size()), "at least 2 (catalogue names or --expr formulas)",
                       "compare sets candidates side by side");
  if (rq.axis_values.size() < 2)
    throw domain_error("--" + rq.axis, fmt::format("{} value", rq.axis_values.size()), "a list of at least 2 sizes",
                       "the relative discrepancy is fitted as a + c/" + rq.axis);
  if (rq.ns.empty()) throw domain_error("--n", "(missing)", "the generations, e.g. 1 or 1,4");
  if (rq.observable == "generator" && rq.ns.front() == 0)
    throw domain_error("--n", "0", "n >= 1 with --observable generator", "the 0th generator is w0 itself: its error is 0");
  compare_result out;
  out.request = rq;
  std::vector<candidate> cands;
  for (std::size_t i = 0; i < rq.candidates.size(); ++i) {
    candidate c;
    c.name = rq.candidates[i];
    if (rq.is_formula[i]) c.f = formula::formula::parse(rq.candidates[i]);
    else eval::find_quantity(c.name);  // an unknown name lists the known ones
    out.labels.push_back("f" + std::to_string(i + 1));
    out.texts.push_back(c.name);  // as typed: GiNaC orders the factors of its printed form differently from run to run
    cands.push_back(std::move(c));
  }
  const bool downstream = rq.observable == "downstream";
  kinds::sim_settings sim;
  sim.trials = static_cast<long>(rq.trials);
  sim.engine = "fast";
  sim.estimator = "rao-blackwell";
  suite_context ctx;
  ctx.threads = static_cast<int>(rq.threads);
  ctx.seed = rq.seed;
  for (std::size_t i = 0; i < rq.axis_values.size(); ++i) {
    std::map<std::string, std::string> opts = rq.options;
    opts[rq.axis] = rq.axis_values[i];
    const double x = to_real<double>(parse_exact("--" + rq.axis, rq.axis_values[i]).value);
    // the simulated spectrum: the grid's at this d (default isotropic, ||w0||^2 = 1)
    if (!opts.count("spectrum")) opts["spectrum"] = "isotropic";
    if (opts["spectrum"] == "isotropic" && !opts.count("w0norm2")) opts["w0norm2"] = "1";
    kinds::case_spectrum sp;
    sp.spec = eval::parse_spectrum({opts["spectrum"], get(opts, "d"), get(opts, "w0norm2"), get(opts, "beta"), get(opts, "r")});
    auto whole = [&](const std::string& k) -> long {
      auto v = get(opts, k);
      if (!v) return 0;
      const rational q = parse_exact("--" + k, *v).value;
      if (!is_integer(q) || q < 1 || q > 100000000) throw domain_error("--" + k, *v, "an integer 1 <= " + k + " <= 100000000");
      return boost::multiprecision::numerator(q).convert_to<long>();
    };
    const long T0 = whole("T0");
    numerics::simulation_config config =
        kinds::simulation_of(sim, ctx, sp, T0, parse_exact("--sigma02", get(opts, "sigma02").value_or("0")), rq.ns.back(),
                             block_seed(rq.seed, 0, static_cast<long>(i)));
    config.record_downstream = downstream;
    config.record_generator = !downstream;
    config.T = downstream ? whole("T") : 0;
    if (downstream && config.T == 0) throw domain_error("--T", "(missing)", "a sample size T with --observable downstream");
    config.sigma2 = parse_exact("--sigma2", downstream ? get(opts, "sigma2").value_or("0") : "0");
    config.lambda = {parse_exact("--lambda", downstream ? get(opts, "lambda").value_or("0") : "0")};
    const numerics::trial_table tab = kinds::checked_trials(config, ctx);
    for (long n : rq.ns) {
      const auto g = static_cast<std::size_t>(n);
      const auto ms = downstream ? kinds::moments(tab, [&](std::uint64_t t) { return tab.downstream(t, g, 0); })
                                 : kinds::moments(tab, [&](std::uint64_t t) { return tab.generator(t, g); });
      if (!(ms.se > 0) || !std::isfinite(ms.mean))
        throw domain_error("--" + rq.axis, rq.axis_values[i], "sizes at which the simulated observable has a positive, finite standard error",
                           fmt::format("at {} = {}, n = {} the simulation gives mean {} with se {}", rq.axis, rq.axis_values[i], n, ms.mean, ms.se));
      compare_point pt;
      pt.axis_value = rq.axis_values[i];
      pt.x = x;
      pt.n = n;
      pt.mean = ms.mean;
      pt.se = ms.se;
      opts["n"] = std::to_string(n);
      for (const auto& c : cands) {
        const double v = c.at(opts);
        pt.value.push_back(v);
        pt.z.push_back((ms.mean - v) / ms.se);
      }
      out.points.push_back(std::move(pt));
    }
  }
  // the fits and verdicts
  for (std::size_t c = 0; c < cands.size(); ++c) {
    std::vector<std::optional<numerics::inverse_d_fit>> fits;
    double max_z = 0;
    bool fits_ok = true;
    for (long n : rq.ns) {
      std::vector<double> xs, rel, rel_se;
      bool ok = true;
      for (const auto& p : out.points) {
        if (p.n != n) continue;
        max_z = std::max(max_z, std::fabs(p.z[c]));
        if (p.value[c] == 0 || p.se <= 0) ok = false;
        else {
          xs.push_back(p.x);
          rel.push_back((p.mean - p.value[c]) / p.value[c]);
          rel_se.push_back(p.se / std::fabs(p.value[c]));
        }
      }
      if (ok) {
        const auto f = numerics::fit_inverse_d(xs, rel, rel_se);
        fits_ok = fits_ok && std::fabs(f.intercept) <= rq.k * f.intercept_se;
        fits.push_back(f);
      } else {
        fits_ok = false;
        fits.push_back(std::nullopt);
      }
    }
    out.fits.push_back(fits);
    out.max_abs_z.push_back(max_z);
    out.verdicts.push_back(max_z <= rq.z_max ? "consistent" : fits_ok ? "asymptotically consistent" : "inconsistent");
  }
  out.rule = fmt::format("consistent: |z| <= {} at every grid point, z = (MC mean - value)/se; asymptotically consistent: not so, but the "
                         "relative discrepancy (MC - value)/value fitted as a + c/{} has |a| <= {} se(a) for every n; else inconsistent. "
                         "{} trials per grid point (fast engine, Rao-Blackwell), observable {}, seed = block_seed(--seed {}, 0, point)",
                         describe(rq.z_max), rq.axis, describe(rq.k), rq.trials, rq.observable, rq.seed);
  return out;
}

}  // namespace collapse::harness
