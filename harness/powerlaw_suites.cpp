// harness/powerlaw_suites.cpp -- see powerlaw_suites.hpp.
#include "harness/powerlaw_suites.hpp"

#include "eval/powerlaw_scaling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace collapse::verify {

namespace {

std::string where(const toml::node& n) {
  const auto& src = n.source();
  std::string file = src.path ? std::string(*src.path) : std::string("suite");
  return file + ":" + std::to_string(src.begin.line);
}

/// An exact number from a TOML value: a string ("2/5", "1e-6"), an integer, or a float (read through
/// its shortest round-trip decimal, so 0.4 is 2/5).
rational exact_value(const toml::table& t, const std::string& key, std::optional<rational> def = std::nullopt) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (def) return *def;
    throw domain_error(key, "(missing)", "a number (string, integer or float)", "in " + where(t));
  }
  if (auto s = n->value<std::string>()) return parse_exact(key + " at " + where(*n), *s).value;
  if (n->is_integer()) return rational(static_cast<long long>(*n->value<std::int64_t>()));
  if (auto d = n->value<double>()) return parse_exact(key + " at " + where(*n), fmt::format("{}", *d)).value;
  throw domain_error(key + " at " + where(*n), "(not a number)", "a number (string, integer or float)");
}

std::string string_value(const toml::table& t, const std::string& key, std::optional<std::string> def = std::nullopt) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (def) return *def;
    throw domain_error(key, "(missing)", "a string", "in " + where(t));
  }
  if (auto s = n->value<std::string>()) return *s;
  throw domain_error(key + " at " + where(*n), "(not a string)", "a string");
}

double double_value(const toml::table& t, const std::string& key, std::optional<double> def = std::nullopt) {
  return exact_value(t, key, def ? std::optional<rational>(rational(parse_exact(key, fmt::format("{}", *def)).value)) : std::nullopt).convert_to<double>();
}

const toml::array& rows_of(const toml::table& suite) {
  const toml::node* n = suite.get("rows");
  if (!n || !n->is_array_of_tables()) throw domain_error("rows", "(missing)", "an array of tables [[rows]]", "in " + where(suite));
  return *n->as_array();
}

const toml::table& settings_of(const toml::table& suite) {
  static const toml::table empty;
  const toml::node* n = suite.get("settings");
  if (!n) return empty;
  if (!n->is_table()) throw domain_error("settings at " + where(*n), "(not a table)", "a table [settings]");
  return *n->as_table();
}

void header(suite_result& r, const toml::table& suite, const std::string& name, const std::string& result, const std::string& section) {
  r.name = string_value(suite, "name", name);
  r.result = string_value(suite, "result", result);
  r.section = string_value(suite, "section", section);
}

coupling coupling_of(const toml::table& row) {
  const std::string c = string_value(row, "coupling");
  if (c == "proportional") return coupling::proportional();
  if (c == "power") return coupling::power(exact_value(row, "a"));
  if (c == "fixed") return coupling::fixed();
  if (c == "clean-noisy") return coupling::clean_noisy();
  if (c == "clean-noiseless") return coupling::clean_noiseless();
  throw domain_error("coupling at " + where(row), c, "proportional, power, fixed, clean-noisy or clean-noiseless");
}

}  // namespace

suite_result run_exponents_suite(const toml::table& suite, const suite_context& ctx) {
  const auto t0 = std::chrono::steady_clock::now();
  suite_result out;
  header(out, suite, "exponents", "power-law scaling exponents of E_n: local DE slope at large T vs the exact rational exponent", "§5.4");
  const toml::table& set = settings_of(suite);
  eval::slope_settings st;
  st.log10_T_max = static_cast<int>(std::lround(std::log10(double_value(set, ctx.full ? "T_max_full" : "T_max", ctx.full ? 1e16 : 1e12))));
  st.decades = 1;
  st.n = exact_value(set, "n", rational(1));
  st.sigma02 = exact_value(set, "sigma02", rational(1));
  st.phi0 = exact_value(set, "phi0", rational(1, 2));
  st.c = exact_value(set, "c", rational(1));
  st.d_fixed = exact_value(set, "d_fixed", rational(4000));
  st.sigma2 = exact_value(set, "sigma2", rational(1));
  out.rule = fmt::format("local slope of the DE between T = 1e{} and 1e{} agrees with the exact exponent to each row's min_digits "
                         "significant digits (absolute digits when the exponent is 0); the collapse term's slope likewise "
                         "(collapse_min_digits); MPFR at {} digits; n = {}, sigma0^2 = {}, phi0 = {}, d = {}·T^a, sigma^2 = 0 "
                         "with collapse, sigma^2 = {} for clean-noisy",
                         st.log10_T_max - 1, st.log10_T_max, 40 + 2 * st.log10_T_max, fraction_string(st.n), fraction_string(st.sigma02),
                         fraction_string(st.phi0), fraction_string(st.c), fraction_string(st.sigma2));
  double worst = std::numeric_limits<double>::infinity();
  std::string worst_key;
  out.pass = true;
  for (const auto& node : rows_of(suite)) {
    const toml::table& row = *node.as_table();
    const rational beta = exact_value(row, "beta"), r = exact_value(row, "r");
    const coupling c = coupling_of(row);
    const std::string ell_text = string_value(row, "ell", "crit");
    rational ell;
    if (ell_text == "crit") ell = ell_crit(beta, r);
    else if (ell_text == "best") ell = predict_exponents(beta, r, c, ell_crit(beta, r)).best_ell;
    else ell = parse_exact("ell at " + where(row), ell_text).value;
    const double min_digits = double_value(row, "min_digits");
    const std::optional<double> col_digits = row.get("collapse_min_digits") ? std::optional<double>(double_value(row, "collapse_min_digits")) : std::nullopt;
    const std::string key = fmt::format("beta={},r={},{},ell={},T=1e{}", fraction_string(beta), fraction_string(r), c.ascii(), fraction_string(ell), st.log10_T_max);
    std::optional<check_row> cached = ctx.cached ? ctx.cached(key) : std::nullopt;
    check_row cr;
    if (cached) cr = *cached;
    else {
      if (ctx.progress) ctx.progress("exponents: " + key);
      const auto e = predict_exponents(beta, r, c, ell);
      const auto m = eval::measure_slopes(beta, r, c, ell, st);
      const auto& w = m.windows.back();
      cr.key = key;
      cr.params = {{"beta", fraction_string(beta)}, {"r", fraction_string(r)}, {"coupling", c.ascii()}, {"ell", fraction_string(ell)},
                   {"T", fmt::format("1e{}..1e{}", st.log10_T_max - 1, st.log10_T_max)}};
      cr.theory = fraction_string(rational(-e.gamma));
      cr.theory_value = -e.gamma.convert_to<double>();
      cr.observed = w.total;
      cr.se = w.numerical_error;
      cr.units = "digits";
      cr.discrepancy = eval::agreeing_digits(w.total, -e.gamma);
      cr.pass = cr.discrepancy >= min_digits;
      cr.note = fmt::format("need {} digits", min_digits);
      if (e.collapse_exponent && col_digits) {
        const double dc = eval::agreeing_digits(*w.collapse, *e.collapse_exponent);
        cr.params["collapse_exponent"] = fraction_string(*e.collapse_exponent);
        cr.note += fmt::format("; collapse term slope {:.9f} vs {} ({:.1f} digits, need {})", *w.collapse, fraction_string(*e.collapse_exponent), dc, *col_digits);
        cr.discrepancy = std::min(cr.discrepancy, dc);
        cr.pass = cr.pass && dc >= *col_digits;
      }
      cr.note += fmt::format("; numerical error of slope <= {:.1e}; {:.2f} s", w.numerical_error, m.seconds);
      if (ctx.store) ctx.store(cr);
    }
    if (cr.discrepancy < worst) { worst = cr.discrepancy; worst_key = cr.key; }
    out.pass = out.pass && cr.pass;
    out.rows.push_back(cr);
  }
  out.worst = fmt::format("{:.1f} digits ({})", worst, worst_key);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

suite_result run_crossover_suite(const toml::table& suite, const suite_context& ctx) {
  const auto t0 = std::chrono::steady_clock::now();
  suite_result out;
  header(out, suite, "crossover", "fast -> slow crossover T*: the §5.6 formula vs the midpoint-slope crossing of the minimised DE", "§5.6");
  const toml::table& set = settings_of(suite);
  const int per_decade = static_cast<int>(std::lround(double_value(set, ctx.full ? "per_decade_full" : "per_decade", ctx.full ? 16 : 6)));
  double worst = 0;
  std::string worst_key;
  out.pass = true;
  std::vector<double> factors;
  for (const auto& node : rows_of(suite)) {
    const toml::table& row = *node.as_table();
    eval::crossover_params p;
    p.beta = exact_value(row, "beta");
    p.r = exact_value(row, "r");
    p.n = exact_value(row, "n", rational(1));
    p.sigma02 = exact_value(row, "sigma02");
    p.phi0 = exact_value(row, "phi0", rational(1, 2));
    p.c = exact_value(row, "c", rational(100));
    p.T_min = double_value(row, "T_min", 10);
    p.T_max = double_value(row, "T_max", 1e8);
    p.per_decade = per_decade;
    const double max_factor = double_value(row, "max_factor");
    if (!(max_factor >= 1)) throw domain_error("max_factor at " + where(row), fmt::format("{}", max_factor), "max_factor >= 1");
    const std::string key = fmt::format("beta={},r={},n={},sigma02={},phi0={},c={},per_decade={}", fraction_string(p.beta), fraction_string(p.r),
                                        fraction_string(p.n), fraction_string(p.sigma02), fraction_string(p.phi0), fraction_string(p.c), per_decade);
    std::optional<check_row> cached = ctx.cached ? ctx.cached(key) : std::nullopt;
    check_row cr;
    if (cached) cr = *cached;
    else {
      if (ctx.progress) ctx.progress("crossover: " + key);
      const auto x = eval::locate_crossover(p);
      cr.key = key;
      cr.params = {{"beta", fraction_string(p.beta)}, {"r", fraction_string(p.r)}, {"n", fraction_string(p.n)}, {"sigma02", fraction_string(p.sigma02)},
                   {"phi0", fraction_string(p.phi0)}, {"d", fraction_string(p.c) + "*T"}, {"sigma_eff2", fraction_string(x.sigma_eff2_asym)}};
      cr.theory = fmt::format("{:.6g}", x.T_formula);
      cr.theory_value = x.T_formula;
      cr.observed = x.T_de;
      cr.units = "factor";
      cr.discrepancy = std::max(x.ratio, 1 / x.ratio);
      cr.pass = cr.discrepancy <= max_factor;
      cr.note = fmt::format("T*_DE/T*_formula = {:.4f}, allowed factor {}; slope crosses {:.4f} (midway between {:.4f} and {:.4f}); {:.2f} s",
                            x.ratio, max_factor, x.mid, x.fast, x.slow, x.seconds);
      if (ctx.store) ctx.store(cr);
    }
    factors.push_back(cr.observed / cr.theory_value);
    if (cr.discrepancy > worst) { worst = cr.discrepancy; worst_key = cr.key; }
    out.pass = out.pass && cr.pass;
    out.rows.push_back(cr);
  }
  out.rule = fmt::format("T* located on the DE (lambda optimised at each T, {} points per decade; local slope of E*_n crossing the "
                         "midpoint of the fast and slow rates, interpolated in log T) within each row's max_factor of the §5.6 formula",
                         per_decade);
  out.worst = fmt::format("factor {:.3f} ({})", worst, worst_key);
  out.extra["ratios_de_over_formula"] = factors;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace collapse::verify
