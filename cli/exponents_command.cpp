// cli/exponents_command.cpp -- `collapse exponents` (the §5.4 exponent table, exact rationals next to the
// measured local slopes of the DE) and `collapse crossover` (§5.6 T* from the formula and on the DE).
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "report/progress.hpp"
#include "report/table.hpp"
#include "report/output.hpp"
#include "eval/option_lists.hpp"
#include "eval/powerlaw_scaling.hpp"
#include "harness/crossover_mc.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>
#include <memory>

namespace collapse::cli {

using namespace collapse::eval;

namespace {

struct exponents_options {
  std::string beta = "1.5,2,3", r = "0.25,0.4,1.5", a = "3/5", ell, couplings = "all";
  std::string T_max = "1e12";
  std::string decades = "3", digits = "0";
  std::string n = "1", sigma02 = "1", phi0 = "1/2", c = "1", d_fixed = "4000", sigma2 = "1";
  bool no_measure = false;
  bool symbolic = false;
  format_options format{.format = "md"};
};

/// A T given as an exact number that must be an integer power of ten; returns its exponent.
int power_of_ten(const std::string& parameter, const std::string& text) {
  rational v = parse_exact(parameter, text).value;
  int k = 0;
  rational t(1);
  while (t < v && k < 61) { t *= 10; ++k; }
  if (t != v || k < 2) throw domain_error(parameter, text, "a power of ten 1e2 .. 1e60", "slopes are taken over whole decades");
  return k;
}

rational exact(const std::string& parameter, const std::string& text) { return parse_exact(parameter, text).value; }

std::vector<coupling> parse_couplings(const std::string& text, const std::vector<exact_number>& as) {
  std::vector<std::string> names;
  if (text == "all") names = {"proportional", "power", "fixed", "clean-noisy", "clean-noiseless"};
  else names = split_comma_list(text);
  std::vector<coupling> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& n = names[i];
    if (std::find(names.begin(), names.begin() + static_cast<long>(i), n) != names.begin() + static_cast<long>(i))
      throw domain_error("--couplings", text, "each coupling named once", n + " is named twice");
    if (n == "proportional") out.push_back(coupling::proportional());
    else if (n == "power") for (const auto& a : as) out.push_back(coupling::power(a.value));
    else if (n == "fixed") out.push_back(coupling::fixed());
    else if (n == "clean-noisy") out.push_back(coupling::clean_noisy());
    else if (n == "clean-noiseless") out.push_back(coupling::clean_noiseless());
    else throw domain_error("--couplings", n, "all, or a comma list of proportional, power, fixed, clean-noisy, clean-noiseless");
  }
  return out;
}

struct table_row {
  predicted_exponents e;
  coupling c;
  std::optional<slope_measurement> m;
};

report::cell fraction_cell(const rational& q) { return report::cell::of_exact(fraction_string(q)); }
report::cell fraction_cell(const std::optional<rational>& q) { return q ? fraction_cell(*q) : report::cell::none(); }

report::table exponents_table(const std::vector<table_row>& rows, const slope_settings& st) {
  using nlohmann::json;
  using report::cell;
  using report::column;
  using report::format;
  using report::format_set;
  const bool measured = !rows.empty() && rows.front().m.has_value();
  const auto human = format_set::except({format::json}), json_only = format_set::only({format::json});
  const auto md_latex = format_set::only({format::plain, format::md, format::latex}), csv_only = format_set::only({format::csv});
  report::table t;
  t.columns = {column{.key = "beta", .title = "β", .latex_title = "$\\beta$", .formats = human},
               column{.key = "r", .latex_title = "$r$", .formats = human},
               column{.key = "coupling", .formats = md_latex},
               column{.key = "coupling", .formats = csv_only},
               column{.key = "ell", .title = "ℓ", .latex_title = "$\\ell$", .formats = human},
               column{.key = "ell_crit", .title = "ℓ_crit", .latex_title = "$\\ell_{\\mathrm{crit}}$", .formats = human},
               column{.key = "gamma", .title = "γ(ℓ)", .latex_title = "$\\gamma(\\ell)$", .formats = human},
               column{.key = "best_ell", .title = "best ℓ", .latex_title = "best $\\ell$", .formats = md_latex},
               column{.key = "best_ell", .formats = csv_only},
               column{.key = "best_gamma", .title = "best γ", .latex_title = "best $\\gamma$", .formats = human},
               column{.key = "collapse_exponent", .title = "collapse exp.", .formats = human}};
  if (measured) {
    const char* keys[] = {"slope", "minus_gamma", "difference", "slope_digits", "collapse_slope", "collapse_digits"};
    const char* titles[] = {"slope of E_n", "−γ", "difference", "digits", "slope of collapse", "digits"};
    const char* tex[] = {"slope of $E_n$", "$-\\gamma$", "difference", "digits", "collapse slope", "digits"};
    const char* specs[] = {"{:.9f}", "{:.9f}", "{:+.1e}", "{:.1f}", "{:.9f}", "{:.1f}"};
    for (int i = 0; i < 6; ++i)
      t.columns.push_back(column{.key = keys[i], .title = titles[i], .latex_title = tex[i], .number_format = specs[i], .csv_number_format = specs[i],
                                 .formats = human});
  }
  const std::vector<std::string> json_keys = {"beta", "r", "coupling", "ell", "ell_crit", "gamma", "best_ell", "best_ell_meaning", "best_gamma",
                                              "bias_exponent", "variance_exponent", "collapse_exponent", "windows", "slope", "slope_digits",
                                              "difference", "collapse_slope", "collapse_slope_digits", "working_digits", "seconds"};
  for (const auto& k : json_keys) t.columns.push_back(column{.key = k, .formats = json_only});
  for (const auto& r : rows) {
    std::string best = r.e.best_ell_text == "constant λ" ? "const. λ"
                       : r.e.best_ell_text == "any ℓ ≥ β" ? "≥ " + fraction_string(r.e.best_ell)
                                                          : fraction_string(r.e.best_ell);
    std::string best_csv = r.e.best_ell_text == "constant λ" ? "const"
                           : r.e.best_ell_text == "any ℓ ≥ β" ? ">=" + fraction_string(r.e.best_ell)
                                                              : fraction_string(r.e.best_ell);
    cell best_cell = cell::of_text(best);
    if (r.e.best_ell_text == "constant λ") best_cell.with_latex("const.\\ $\\lambda$");
    else if (r.e.best_ell_text == "any ℓ ≥ β") best_cell.with_latex("$\\ge " + report::latex_number(fraction_string(r.e.best_ell)).substr(1));
    else best_cell = fraction_cell(r.e.best_ell);
    std::vector<cell> row = {fraction_cell(r.e.beta), fraction_cell(r.e.r), cell::of_text(r.c.name()).with_latex(r.c.latex()),
                             cell::of_text(r.c.ascii()), fraction_cell(r.e.ell), fraction_cell(r.e.ell_crit), fraction_cell(r.e.gamma),
                             best_cell, cell::of_text(best_csv), fraction_cell(r.e.best_gamma), fraction_cell(r.e.collapse_exponent)};
    if (measured) {
      const auto& w = r.m->windows.back();
      const double minus_gamma = r.e.gamma == 0 ? 0.0 : -r.e.gamma.convert_to<double>();
      row.push_back(cell::of_number(w.total));
      row.push_back(cell::of_number(minus_gamma));
      row.push_back(cell::of_number(w.total + r.e.gamma.convert_to<double>()));
      row.push_back(cell::of_number(agreeing_digits(w.total, -r.e.gamma)));
      row.push_back(w.collapse ? cell::of_number(*w.collapse) : cell::none());
      row.push_back(r.e.collapse_exponent ? cell::of_number(agreeing_digits(*w.collapse, *r.e.collapse_exponent)) : cell::none());
    }
    json o;
    o["beta"] = fraction_string(r.e.beta); o["r"] = fraction_string(r.e.r); o["coupling"] = r.c.ascii();
    o["ell"] = fraction_string(r.e.ell); o["ell_crit"] = fraction_string(r.e.ell_crit);
    o["gamma"] = fraction_string(r.e.gamma); o["best_ell"] = fraction_string(r.e.best_ell); o["best_ell_meaning"] = r.e.best_ell_text;
    o["best_gamma"] = fraction_string(r.e.best_gamma);
    o["bias_exponent"] = fraction_string(r.e.bias_exponent);
    o["variance_exponent"] = r.e.variance_exponent ? json(fraction_string(*r.e.variance_exponent)) : json(nullptr);
    o["collapse_exponent"] = r.e.collapse_exponent ? json(fraction_string(*r.e.collapse_exponent)) : json(nullptr);
    if (r.m) {
      json ws = json::array();
      for (const auto& w : r.m->windows) {
        json x{{"T_lo", w.T_lo}, {"T_hi", w.T_hi}, {"slope", w.total}, {"numerical_error", w.numerical_error}};
        if (w.collapse) x["collapse_slope"] = *w.collapse;
        ws.push_back(x);
      }
      o["windows"] = ws;
      o["slope"] = r.m->windows.back().total;
      o["slope_digits"] = agreeing_digits(r.m->windows.back().total, -r.e.gamma);
      o["difference"] = r.m->windows.back().total + r.e.gamma.convert_to<double>();
      if (r.e.collapse_exponent) {
        o["collapse_slope"] = *r.m->windows.back().collapse;
        o["collapse_slope_digits"] = agreeing_digits(*r.m->windows.back().collapse, *r.e.collapse_exponent);
      }
      o["working_digits"] = r.m->digits;
      o["seconds"] = r.m->seconds;
    }
    for (const auto& k : json_keys) row.push_back(o.contains(k) ? cell::of_json(o[k]) : cell::none());
    t.rows.push_back(std::move(row));
  }
  json top{{"section", "§5.4"}, {"rows", nullptr}};
  if (measured) top["settings"] = {{"T_max", fmt::format("1e{}", st.log10_T_max)}, {"n", fraction_string(st.n)}, {"sigma02", fraction_string(st.sigma02)},
                                   {"phi0", fraction_string(st.phi0)}, {"c", fraction_string(st.c)}, {"d_fixed", fraction_string(st.d_fixed)},
                                   {"sigma2_clean_noisy", fraction_string(st.sigma2)}};
  t.json_document = top;
  t.json_rows_key = "rows";
  t.json_sorted_keys = true;
  return t;
}

/// The symbolic exponent table (§5.4, §5.5): for each coupling kind, each quantity of
/// theory/exponents.hpp exponent_formulas in one row per regime (the regime's condition, the formula),
/// r̲ = min(r, 1) first with its regimes r < 1 and r ≥ 1. csv/json: one structured row per regime with
/// the text and the LaTeX of condition and formula.
report::table symbolic_table(const std::vector<coupling::kind>& kinds) {
  using report::cell;
  using report::column;
  using report::format;
  using report::format_set;
  namespace sym = collapse::symbolic;
  const auto data = format_set::only({format::csv, format::json}), human = format_set::only({format::plain, format::md, format::latex});
  report::table t;
  t.columns = {column{.key = "coupling", .formats = human},
               column{.key = "coupling", .formats = data},
               column{.key = "quantity", .formats = human},
               column{.key = "key", .formats = data},
               column{.key = "regime", .formats = human},
               column{.key = "regime", .formats = data},
               column{.key = "regime_latex", .formats = data},
               column{.key = "formula", .formats = human},
               column{.key = "formula", .formats = data},
               column{.key = "formula_latex", .formats = data},
               column{.key = "meaning", .title = "note", .formats = format_set::all()}};
  auto math = [](const std::string& m) { return "$" + m + "$"; };
  bool r_under_done = false;
  for (auto k : kinds) {
    coupling c;  // its name and LaTeX; the 'power' coupling keeps a as a symbol
    c.type = k;
    const std::string name = k == coupling::kind::power ? "T0 ≍ T^a" : c.name();
    const std::string name_latex = k == coupling::kind::power ? "$T_0 \\asymp T^{a}$" : c.latex();
    const std::string ascii = k == coupling::kind::power ? "T0~T^a" : c.ascii();
    for (const auto& f : exponent_formulas(k)) {
      if (f.key == "r_under") {  // one definition for the whole table
        if (r_under_done) continue;
        r_under_done = true;
      }
      // a piecewise formula prints one row per regime; "all" for a formula without regimes
      const sym::expr body = f.formula->kind == sym::node::op::named ? f.formula->args[0] : f.formula;
      std::vector<sym::piece> pieces = body->kind == sym::node::op::piecewise ? body->pieces : std::vector<sym::piece>{{std::nullopt, body}};
      std::vector<std::string> previous_text, previous_latex;  // "otherwise" spelled out as the negation of the earlier conditions
      for (const auto& p : pieces) {
        std::string rt = "all", rl;
        if (p.when) {
          rt = sym::to_text(*p.when);
          rl = sym::to_latex(*p.when);
          sym::condition neg = *p.when;
          neg.rel = neg.rel == sym::condition::relation::less ? sym::condition::relation::greater_equal : sym::condition::relation::less;
          previous_text.push_back(sym::to_text(neg));
          previous_latex.push_back(sym::to_latex(neg));
        } else if (!previous_text.empty()) {
          rt.clear(), rl.clear();
          for (std::size_t i = 0; i < previous_text.size(); ++i) {
            rt += (i ? " and " : "") + previous_text[i];
            rl += (i ? " \\text{ and } " : "") + previous_latex[i];
          }
        }
        const bool all = f.key == "r_under";
        t.rows.push_back({cell::of_text(all ? "all" : name).with_latex(all ? "all" : name_latex),
                          cell::of_text(all ? "all" : ascii),
                          cell::of_text(f.quantity).with_latex(f.latex_quantity), cell::of_code(f.key), cell::of_text(rt).with_latex(rl.empty() ? "all" : math(rl)),
                          cell::of_text(rt), cell::of_text(rl), cell::of_text(sym::to_text(p.value)).with_latex(math(sym::to_latex(p.value))),
                          cell::of_text(sym::to_text(p.value)), cell::of_text(sym::to_latex(p.value)),
                          f.note.empty() ? cell::none() : cell::of_text(f.note).with_latex(f.latex_note)});
      }
    }
  }
  t.title = "§5.4/§5.5 exponents as formulas in β, r, a, ℓ (λ = T^−ℓ, T0 ≍ T^a, r̲ = min(r, 1)); each row holds in its regime";
  t.json_document = {{"section", "§5.4, §5.5"}, {"symbols", {{"beta", "capacity, beta > 1"}, {"r", "source, r > 0"},
                                                              {"a", "T0 ~ T^a, 0 < a < 1 (power coupling)"}, {"ell", "lambda = T^-ell, ell > 0"}}},
                     {"rows", nullptr}};
  t.json_rows_key = "rows";
  return t;
}

struct crossover_options {
  std::string beta = "2", r = "0.4", n = "1", sigma02 = "1e-6", phi0 = "1/2", c = "100";
  std::string T_min = "10", T_max = "1e8";
  std::string per_decade = "8", digits = "0";
  format_options format;
  // --simulate (issue 9, harness/crossover_mc.hpp)
  bool simulate = false, yes = false;
  std::string trials = "6", seed = "1", threads = "1", bootstrap = "1000", window_decades = "1/2", max_seconds = "3600";
  std::vector<std::string> lambda;
};

/// The table of `collapse crossover --simulate`: one row per T of the grid, the rule's T* and windows as notes.
report::table crossover_mc_table(const harness::crossover_mc_result& x) {
  using nlohmann::json;
  using report::align;
  using report::cell;
  using report::column;
  const auto& p = x.params;
  const auto& d = p.de;
  report::table t;
  t.columns = {
      column{.key = "T", .alignment = align::right, .min_width = 6},
      column{.key = "d", .alignment = align::right, .min_width = 6},
      column{.key = "T0", .alignment = align::right, .min_width = 6},
      column{.key = "trials", .alignment = align::right, .min_width = 6},
      column{.key = "lambda_sim", .title = "λ* (sim grid)", .plain_title = "lambda*_sim", .latex_title = "$\\lambda^*_{\\mathrm{sim}}$",
             .alignment = align::right, .min_width = 12},
      column{.key = "E_sim", .title = "E*_sim", .latex_title = "$E^*_{\\mathrm{sim}}$", .alignment = align::right, .number_format = "{:.6g}",
             .csv_number_format = "{:.10g}", .min_width = 13},
      column{.key = "ci95_low", .alignment = align::right, .number_format = "{:.6g}", .csv_number_format = "{:.10g}", .min_width = 13},
      column{.key = "ci95_high", .alignment = align::right, .number_format = "{:.6g}", .csv_number_format = "{:.10g}", .min_width = 13},
      column{.key = "E_de_grid", .title = "E*_DE (λ grid)", .plain_title = "E*_DE_grid", .latex_title = "$E^*_{\\mathrm{DE}}$ ($\\lambda$ grid)",
             .alignment = align::right, .number_format = "{:.6g}", .csv_number_format = "{:.10g}", .min_width = 13},
      column{.key = "E_de", .title = "E*_DE (λ ≥ 0)", .plain_title = "E*_DE", .latex_title = "$E^*_{\\mathrm{DE}}$",
             .alignment = align::right, .number_format = "{:.6g}", .csv_number_format = "{:.10g}", .min_width = 13},
      column{.key = "slope_sim", .title = "slope sim", .plain_title = "slope_sim", .alignment = align::right, .number_format = "{:.4f}",
             .csv_number_format = "{:.6f}", .min_width = 9},
      column{.key = "slope_de_grid", .title = "slope DE", .plain_title = "slope_DE", .alignment = align::right, .number_format = "{:.4f}",
             .csv_number_format = "{:.6f}", .min_width = 9},
  };
  const bool sim = x.trials > 0;
  for (std::size_t i = 0; i < x.points.size(); ++i) {
    const auto& q = x.points[i];
    const bool has_slope = i + 1 < x.points.size();
    t.rows.push_back({cell::of_integer(q.T), cell::of_integer(q.d), cell::of_integer(q.T0), sim ? cell::of_integer(q.trials) : cell::none(),
                      sim ? cell::of_exact(p.lambda[q.lambda_index].text) : cell::none(), sim ? cell::of_number(q.E_sim) : cell::none(),
                      sim ? cell::of_number(q.ci_lo) : cell::none(), sim ? cell::of_number(q.ci_hi) : cell::none(), cell::of_number(q.E_de_grid),
                      cell::of_number(q.E_de), sim && has_slope ? cell::of_number(x.slopes_sim[i].second) : cell::none(),
                      has_slope ? cell::of_number(x.slopes_de_grid[i].second) : cell::none()});
  }
  t.plain.prefix = "  ";
  t.title = fmt::format("Fast -> slow crossover in simulation (§5.6): beta = {}, r = {}, n = {}, sigma0^2 = {}, phi0 = {}, d = {}·T, sigma^2 = 0; "
                        "{} trials at the largest T (ceil(trials T_max/T) below), {} lambda values (0 included), chain sampled",
                        fraction_string(d.beta), fraction_string(d.r), fraction_string(d.n), fraction_string(d.sigma02),
                        fraction_string(d.phi0), fraction_string(d.c), x.trials, p.lambda.size());
  const auto opt = [](const std::optional<double>& v) { return v ? fmt::format("{:.5g}", *v) : std::string("none (no crossing)"); };
  t.notes = {fmt::format("rates: fast {:.6f}, slow {:.6f}, midpoint {:.6f} (the level of the rule)", x.de.fast, x.de.slow, x.de.mid),
             fmt::format("T* (formula §5.6)                 = {:.5g}", x.de.T_formula),
             fmt::format("T* (DE, lambda >= 0 optimised)    = {:.5g}", x.de.T_de),
             fmt::format("T* (DE, lambda grid)              = {}", opt(x.T_de_grid))};
  if (sim) {
    t.notes.push_back(fmt::format("T* (simulated, same rule)         = {}, 95% bootstrap interval {} ({} replicates over whole trials "
                                  "per T; {} without a crossing)",
                                  opt(x.T_sim),
                                  x.interval_defined ? fmt::format("[{:.5g}, {:.5g}]", x.T_sim_lo, x.T_sim_hi) : std::string("undefined"),
                                  p.bootstrap, x.bootstrap_no_crossing));
    for (const auto* w : {&x.before, &x.after})
      t.notes.push_back(fmt::format("secant slope T = {}..{}: simulated {:.4f} ± {:.4f} (bootstrap se), DE {:.4f} (lambda grid), {:.4f} (lambda >= 0)",
                                    w->T_lo, w->T_hi, w->sim, w->se, w->de_grid, w->de));
  }
  json j{{"section", "§5.6"},
         {"params", {{"beta", fraction_string(d.beta)}, {"r", fraction_string(d.r)}, {"n", fraction_string(d.n)}, {"sigma02", fraction_string(d.sigma02)},
                     {"phi0", fraction_string(d.phi0)}, {"d", "c*T"}, {"c", fraction_string(d.c)}, {"sigma2", "0"}, {"trials", x.trials},
                     {"seed", p.seed}, {"bootstrap", p.bootstrap}, {"chain", "sampled"}}},
         {"fast_rate", x.de.fast}, {"slow_rate", x.de.slow}, {"midpoint", x.de.mid},
         {"T_star_formula", x.de.T_formula}, {"T_star_de", x.de.T_de}, {"points", nullptr}, {"seconds", x.seconds}};
  if (x.T_de_grid) j["T_star_de_lambda_grid"] = *x.T_de_grid;
  if (sim && x.T_sim) j["T_star_sim"] = *x.T_sim;
  if (sim && x.interval_defined) j["T_star_sim_ci95"] = {x.T_sim_lo, x.T_sim_hi};
  if (sim) {
    j["bootstrap_no_crossing"] = x.bootstrap_no_crossing;
    for (const auto& [name, w] : {std::pair{"window_before", &x.before}, std::pair{"window_after", &x.after}})
      j[name] = {{"T", {w->T_lo, w->T_hi}}, {"slope_sim", w->sim}, {"se", w->se}, {"slope_de_lambda_grid", w->de_grid}, {"slope_de", w->de}};
  }
  t.json_document = j;
  t.json_rows_key = "points";
  t.json_sorted_keys = true;
  return t;
}

report::table crossover_table(const crossover_result& x) {
  using nlohmann::json;
  using report::align;
  using report::cell;
  using report::column;
  using report::format;
  using report::format_set;
  const auto& p = x.params;
  const auto human = format_set::only({format::plain, format::md, format::latex}), csv_only = format_set::only({format::csv});
  const auto json_only = format_set::only({format::json}), data = format_set::only({format::csv, format::json});
  report::table t;
  t.columns = {
      column{.key = "T", .alignment = align::right, .number_format = "{:.4g}", .csv_number_format = "{:.6g}", .min_width = 10},
      column{.key = "lambda_opt", .title = "λ*", .plain_title = "lambda*", .latex_title = "$\\lambda^*$", .alignment = align::right,
             .min_width = 11, .formats = human},
      column{.key = "lambda_opt", .csv_number_format = "{:.6g}", .formats = data},
      column{.key = "interpolation_optimal", .formats = csv_only},
      column{.key = "interpolation_optimal", .formats = json_only},
      column{.key = "E_opt", .title = "E*_n", .latex_title = "$E^*_n$", .alignment = align::right, .number_format = "{:.6g}",
             .csv_number_format = "{:.10g}", .min_width = 13},
      column{.key = "E0", .title = "E_0 (clean, λ→0)", .plain_title = "E_0", .latex_title = "$E_0$ (clean, $\\lambda\\to 0$)",
             .alignment = align::right, .number_format = "{:.6g}", .csv_number_format = "{:.10g}", .min_width = 13},
      column{.key = "slope_to_next", .title = "local slope to next T", .plain_title = "slope", .alignment = align::right,
             .number_format = "{:.4f}", .csv_number_format = "{:.6f}", .min_width = 8},
  };
  for (std::size_t i = 0; i < x.points.size(); ++i) {
    const auto& q = x.points[i];
    const std::string lam = fmt::format("{:.4g}", q.lambda);  // λ* with 4 significant digits in the human formats
    t.rows.push_back({cell::of_number(q.T),
                      q.boundary ? cell::of_text("0 (interp.)").with_latex("$0$ (interp.)") : cell::of_text(lam).with_latex(report::latex_number(lam)),
                      cell::of_number(q.lambda), cell::of_integer(q.boundary ? 1 : 0), cell::of_bool(q.boundary), cell::of_number(q.E),
                      cell::of_number(q.E0), i + 1 < x.points.size() ? cell::of_number(x.slopes[i].second) : cell::none()});
  }
  t.plain.prefix = "  ";
  t.title = fmt::format("Fast -> slow crossover (§5.6): beta = {}, r = {}, n = {}, sigma0^2 = {}, phi0 = {}, d = {}·T, sigma^2 = 0",
                        fraction_string(p.beta), fraction_string(p.r), fraction_string(p.n), fraction_string(p.sigma02),
                        fraction_string(p.phi0), fraction_string(p.c));
  t.notes = {fmt::format("sigma_eff^2 (T -> inf)      = {} = {:.6g}", fraction_string(x.sigma_eff2_asym), x.sigma_eff2_asym.convert_to<double>()),
             fmt::format("rates: fast {:.6f}, slow {:.6f}, midpoint {:.6f}", x.fast, x.slow, x.mid),
             fmt::format("T* (formula §5.6)           = {:.6g}", x.T_formula),
             fmt::format("T* (DE: slope crosses mid)  = {:.6g}", x.T_de),
             fmt::format("ratio T*_DE / T*_formula    = {:.4f}", x.ratio)};
  json j{{"section", "§5.6"},
         {"params", {{"beta", fraction_string(p.beta)}, {"r", fraction_string(p.r)}, {"n", fraction_string(p.n)}, {"sigma02", fraction_string(p.sigma02)},
                     {"phi0", fraction_string(p.phi0)}, {"d", "c*T"}, {"c", fraction_string(p.c)}, {"sigma2", "0"}}},
         {"sigma_eff2", x.sigma_eff2_asym.convert_to<double>()}, {"sigma_eff2_exact", fraction_string(x.sigma_eff2_asym)},
         {"fast_rate", x.fast}, {"slow_rate", x.slow}, {"midpoint", x.mid},
         {"T_star_formula", x.T_formula}, {"T_star_de", x.T_de}, {"ratio_de_over_formula", x.ratio},
         {"points", nullptr}, {"seconds", x.seconds}};
  t.json_document = j;
  t.json_rows_key = "points";
  t.json_sorted_keys = true;
  return t;
}

/// `collapse crossover --simulate`: the options over the crossover-mc defaults, the cost check, the run.
void run_crossover_simulation(crossover_options& o, CLI::App* cx) {
  harness::crossover_mc_params p = harness::default_crossover_mc_params();
  const auto given = [&](const char* name) { return cx->get_option(name)->count() > 0; };
  if (given("--beta")) p.de.beta = exact("--beta", o.beta);
  if (given("--r")) p.de.r = exact("--r", o.r);
  if (given("--n")) p.de.n = exact("--n", o.n);
  if (given("--sigma02")) p.de.sigma02 = exact("--sigma02", o.sigma02);
  if (given("--phi0")) p.de.phi0 = exact("--phi0", o.phi0);
  if (given("--c")) p.de.c = exact("--c", o.c);
  if (given("--T-min")) p.de.T_min = exact("--T-min", o.T_min).convert_to<double>();
  if (given("--T-max")) p.de.T_max = exact("--T-max", o.T_max).convert_to<double>();
  if (given("--per-decade")) p.de.per_decade = static_cast<int>(parse_integer("--per-decade", o.per_decade, 2, 64));
  if (given("--digits"))
    throw domain_error("--digits", o.digits, "not given with --simulate", "the simulated curve and its DE are computed in double");
  if (!o.lambda.empty()) {
    p.lambda.clear();
    std::string joined;  // the grid's items through the shared list check: empty items and repeats are refused
    for (const auto& l : o.lambda) joined += (joined.empty() ? "" : ",") + l;
    for (const auto& l : parse_list("--lambda", joined)) p.lambda.push_back(parse_exact("--lambda", l));
  }
  p.trials = static_cast<long>(parse_integer("--trials", o.trials, 2, 10000000, "trials per T of the grid"));
  p.seed = parse_unsigned("--seed", o.seed, 0, std::numeric_limits<std::uint64_t>::max());
  p.threads = static_cast<unsigned>(parse_integer("--threads", o.threads, 1, 256));
  p.bootstrap = static_cast<long>(parse_integer("--bootstrap", o.bootstrap, 100, 100000));
  p.window_decades = exact("--window-decades", o.window_decades).convert_to<double>();
  const double max_seconds = static_cast<double>(parse_integer("--max-seconds", o.max_seconds, 1, 1000000000LL));
  harness::validate(p);  // before the pilot: every parameter and the grid
  harness::crossover_mc_cost cost;
  {
    report::progress_ticker ticker("collapse crossover --simulate: pilot");
    cost = harness::estimate_cost(p);
  }
  const std::string estimate = fmt::format("estimated {} and about {:.0f} MB of memory for {} trials at the largest of {} values of T (pilot: {:.2f} s up to T = {})",
                                           report::human_duration(cost.seconds), cost.bytes / 1048576.0, p.trials,
                                           eval::crossover_grid(p.de).size(), cost.pilot_seconds, cost.pilot_T);
  if (cost.seconds > max_seconds && !o.yes)
    throw domain_error("--trials", std::to_string(p.trials), fmt::format("a run of at most --max-seconds = {} s", o.max_seconds),
                       estimate + "; pass --yes or a larger --max-seconds to run it, or fewer --trials or a smaller --T-max");
  std::cerr << "collapse crossover --simulate: " << estimate << "\n";
  harness::crossover_mc_result res;
  {
    report::progress_bar bar("collapse crossover --simulate", "trials");
    res = harness::simulate_crossover(p, [&](std::uint64_t done, std::uint64_t total, double eta) { bar.update(done, total, eta); });
  }
  std::cout << o.format.render(crossover_mc_table(res)) << std::flush;
  std::cerr << fmt::format("collapse crossover --simulate: {} grid points, {} trials at the largest T, in {:.1f} s (simulation {:.1f} s)\n", res.points.size(),
                           res.trials, res.seconds, res.simulation_seconds);
}

}  // namespace

void add_exponents_commands(CLI::App& app) {
  auto o = std::make_shared<exponents_options>();
  auto* cmd = app.add_subcommand("exponents", "§5.4 scaling exponents as exact rationals, next to measured local slopes of the DE");
  cmd->add_option("--beta", o->beta, "capacity exponents, comma list (beta > 1)")->capture_default_str();
  cmd->add_option("--r", o->r, "source exponents, comma list (r > 0)")->capture_default_str();
  cmd->add_option("--a", o->a, "exponents of T0 ≍ T^a for the 'power' coupling, comma list (0 < a <= 1)")->capture_default_str();
  cmd->add_option("--ell", o->ell, "extra regularisation exponents lambda = T^-ell (ell_crit is always included)");
  cmd->add_option("--couplings", o->couplings, "all | comma list of proportional, power, fixed, clean-noisy, clean-noiseless")->capture_default_str();
  cmd->add_option("--T-max", o->T_max, "largest T (a power of ten); slopes over the decades ending there")->capture_default_str();
  cmd->add_option("--decades", o->decades, "decade windows reported per row in json (the last is the slope)")->capture_default_str();
  cmd->add_option("--digits", o->digits, "MPFR working digits (0: 40 + 2 log10 T-max)")->capture_default_str();
  cmd->add_option("--n", o->n, "generator steps (collapse couplings; sigma^2 = 0 there)")->capture_default_str();
  cmd->add_option("--sigma02", o->sigma02, "generator noise variance (collapse couplings)")->capture_default_str();
  cmd->add_option("--phi0", o->phi0, "d = phi0 T0 (collapse couplings)")->capture_default_str();
  cmd->add_option("--c", o->c, "d = c T^a (proportional and power couplings)")->capture_default_str();
  cmd->add_option("--d-fixed", o->d_fixed, "d for the 'fixed' coupling")->capture_default_str();
  cmd->add_option("--sigma2", o->sigma2, "downstream noise variance for 'clean-noisy'")->capture_default_str();
  cmd->add_flag("--no-measure", o->no_measure, "only the exact table");
  cmd->add_flag("--symbolic", o->symbolic,
                "the exponents as formulas in beta, r, a, ell with their regimes (only --couplings, --format, --standalone apply)");
  add_format_options(cmd, o->format);
  add_progress_flag(cmd);
  cmd->callback([o, cmd] {
    o->format.parse();  // a bad --format or --standalone is refused before any work
    if (o->symbolic) {
      // the formulas have no parameter values: an option that sets one would be silently ignored
      for (const char* name : {"--beta", "--r", "--a", "--ell", "--T-max", "--decades", "--digits", "--n", "--sigma02", "--phi0", "--c",
                               "--d-fixed", "--sigma2", "--no-measure"})
        if (cmd->get_option(name)->count() > 0)
          throw domain_error(name, cmd->get_option(name)->as<std::string>(), "not given with --symbolic",
                             "the symbolic table holds for every beta, r, a, ell; drop --symbolic for the numbers");
      std::vector<coupling::kind> kinds;
      // --couplings as for the numbers; the a of 'power' is a symbol here (any value serves the parser)
      for (const auto& c : parse_couplings(o->couplings, {exact_number{rational(3, 5), false, "3/5"}}))
        if (kinds.empty() || kinds.back() != c.type) kinds.push_back(c.type);
      std::cout << o->format.render(symbolic_table(kinds)) << std::flush;
      return;
    }
    auto betas = parse_exact_list("--beta", o->beta), rs = parse_exact_list("--r", o->r), as = parse_exact_list("--a", o->a);
    std::vector<exact_number> ells;
    if (!o->ell.empty()) ells = parse_exact_list("--ell", o->ell);
    for (const auto& l : ells) if (!(l.value > 0)) throw domain_error("--ell", l.text, "ell > 0");
    auto couplings = parse_couplings(o->couplings, as);
    slope_settings st;
    st.log10_T_max = power_of_ten("--T-max", o->T_max);
    st.decades = static_cast<int>(parse_integer("--decades", o->decades, 1, 40));
    st.digits = static_cast<int>(parse_integer("--digits", o->digits, 0, 1000, "0 = automatic, else 20..1000"));
    st.n = exact("--n", o->n); st.sigma02 = exact("--sigma02", o->sigma02); st.phi0 = exact("--phi0", o->phi0);
    st.c = exact("--c", o->c); st.d_fixed = exact("--d-fixed", o->d_fixed); st.sigma2 = exact("--sigma2", o->sigma2);
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<table_row> rows;
    const std::uint64_t total = betas.size() * rs.size() * couplings.size() * (1 + ells.size());  // upper bound: ell_crit may be among ells
    report::progress_bar bar("collapse exponents", "rows");
    for (const auto& b : betas)
      for (const auto& r : rs) {
        std::vector<rational> ell_list = {ell_crit(b.value, r.value)};
        for (const auto& l : ells) if (l.value != ell_list.front()) ell_list.push_back(l.value);
        for (const auto& c : couplings)
          for (const auto& l : ell_list) {
            table_row row{predict_exponents(b.value, r.value, c, l), c, std::nullopt};
            if (!o->no_measure) row.m = measure_slopes(b.value, r.value, c, l, st);
            rows.push_back(std::move(row));
            bar.update(rows.size(), total);
          }
      }
    std::cout << o->format.render(exponents_table(rows, st)) << std::flush;
    std::cerr << fmt::format("collapse exponents: {} rows in {:.1f} s\n", rows.size(),
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  });

  auto x = std::make_shared<crossover_options>();
  auto* cx = app.add_subcommand("crossover", "§5.6 fast -> slow crossover: T* from the formula and located on the DE");
  cx->add_option("--beta", x->beta, "capacity exponent (beta > 1)")->capture_default_str();
  cx->add_option("--r", x->r, "source exponent (r > 0, r != 1)")->capture_default_str();
  cx->add_option("--n", x->n, "generator steps (>= 1)")->capture_default_str();
  cx->add_option("--sigma02", x->sigma02, "generator noise variance")->capture_default_str();
  cx->add_option("--phi0", x->phi0, "d = phi0 T0")->capture_default_str();
  cx->add_option("--c", x->c, "d = c T (integer c >= 1)")->capture_default_str();
  cx->add_option("--T-min", x->T_min, "smallest T of the grid")->capture_default_str();
  cx->add_option("--T-max", x->T_max, "largest T of the grid")->capture_default_str();
  cx->add_option("--per-decade", x->per_decade, "grid points per decade")->capture_default_str();
  cx->add_option("--digits", x->digits, "0: double; else MPFR digits for every minimisation")->capture_default_str();
  cx->add_flag("--simulate", x->simulate,
               "also simulate the optimally tuned curve on the T grid (min over a lambda grid, common random numbers, chain sampled) and "
               "locate T* on it by the same rule, with a bootstrap interval; defaults then become the crossover-mc suite's regime "
               "(c = 4, sigma02 = 2e-3, T = 5..500, 4 per decade)");
  cx->add_option("--trials", x->trials, "--simulate: trials at the largest T (>= 2); ceil(trials T_max/T) at each smaller T")->capture_default_str();
  cx->add_option("--lambda", x->lambda, "--simulate: the lambda grid L1,L2,... (0 included; default 0 and 1e-7..1e-1, 4 per decade)")->delimiter(',');
  cx->add_option("--seed", x->seed, "--simulate: seed (same seed => same output for any --threads)")->capture_default_str();
  cx->add_option("--threads", x->threads, "--simulate: worker threads, 1..256")->capture_default_str();
  cx->add_option("--bootstrap", x->bootstrap, "--simulate: bootstrap replicates, 100..100000")->capture_default_str();
  cx->add_option("--window-decades", x->window_decades, "--simulate: width of the first and last slope windows, in decades of T")
      ->capture_default_str();
  cx->add_option("--max-seconds", x->max_seconds, "--simulate: refuse a run estimated (pilot) to take longer (default 3600)")->capture_default_str();
  cx->add_flag("--yes", x->yes, "--simulate: run even when the estimate exceeds --max-seconds");
  add_format_options(cx, x->format);
  add_progress_flag(cx);
  cx->callback([x, cx] {
    x->format.parse();  // a bad --format or --standalone is refused before any work
    if (!x->simulate) {  // an option of --simulate alone would be silently ignored
      for (const char* name : {"--trials", "--lambda", "--seed", "--threads", "--bootstrap", "--window-decades", "--max-seconds", "--yes"})
        if (cx->get_option(name)->count() > 0)
          throw domain_error(name, cx->get_option(name)->as<std::string>(), "given only with --simulate", "it sets the simulation");
    }
    if (x->simulate) {
      run_crossover_simulation(*x, cx);
      return;
    }
    crossover_params p;
    p.beta = exact("--beta", x->beta); p.r = exact("--r", x->r); p.n = exact("--n", x->n);
    p.sigma02 = exact("--sigma02", x->sigma02); p.phi0 = exact("--phi0", x->phi0); p.c = exact("--c", x->c);
    p.T_min = exact("--T-min", x->T_min).convert_to<double>();
    p.T_max = exact("--T-max", x->T_max).convert_to<double>();
    p.per_decade = static_cast<int>(parse_integer("--per-decade", x->per_decade, 2, 64));
    p.digits = static_cast<int>(parse_integer("--digits", x->digits, 0, 200, "0 = double, else 20..200"));
    crossover_result res;
    {
      report::progress_ticker ticker(fmt::format("collapse crossover ({})", p.digits ? fmt::format("{} digits", p.digits) : std::string("double")));
      res = locate_crossover(p);
    }
    std::cout << x->format.render(crossover_table(res)) << std::flush;
    std::cerr << fmt::format("collapse crossover: {} grid points in {:.1f} s\n", res.points.size(), res.seconds);
  });
}

}  // namespace collapse::cli
