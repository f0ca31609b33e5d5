// cli/exponents_command.cpp -- `collapse exponents` (the §5.4 exponent table, exact rationals next to the
// measured local slopes of the DE) and `collapse crossover` (§5.6 T* from the formula and on the DE).
#include "cli/commands.hpp"
#include "report/output.hpp"
#include "eval/option_lists.hpp"
#include "eval/powerlaw_scaling.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>

namespace collapse::cli {

using namespace collapse::eval;

namespace {

struct exponents_options {
  std::string beta = "1.5,2,3", r = "0.25,0.4,1.5", a = "3/5", ell, couplings = "all";
  std::string T_max = "1e12";
  int decades = 3, digits = 0;
  std::string n = "1", sigma02 = "1", phi0 = "1/2", c = "1", d_fixed = "4000", sigma2 = "1";
  bool no_measure = false;
  std::string format = "md";
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
  for (const auto& n : names) {
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

std::string opt_frac(const std::optional<rational>& q) { return q ? fraction_string(*q) : "—"; }

std::string render_exponents(const std::vector<table_row>& rows, const std::string& format, const slope_settings& st) {
  using nlohmann::json;
  const bool measured = !rows.empty() && rows.front().m.has_value();
  auto slope_str = [](double x) { return fmt::format("{:.9f}", x); };
  if (format == "json") {
    json j = json::array();
    for (const auto& r : rows) {
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
      j.push_back(o);
    }
    json top{{"section", "§5.4"}, {"rows", j}};
    if (measured) top["settings"] = {{"T_max", fmt::format("1e{}", st.log10_T_max)}, {"n", fraction_string(st.n)}, {"sigma02", fraction_string(st.sigma02)},
                                     {"phi0", fraction_string(st.phi0)}, {"c", fraction_string(st.c)}, {"d_fixed", fraction_string(st.d_fixed)},
                                     {"sigma2_clean_noisy", fraction_string(st.sigma2)}};
    return top.dump(2) + "\n";
  }
  std::vector<std::string> head = {"β", "r", "coupling", "ℓ", "ℓ_crit", "γ(ℓ)", "best ℓ", "best γ", "collapse exp."};
  if (measured) for (const char* h : {"slope of E_n", "−γ", "difference", "digits", "slope of collapse", "digits"}) head.push_back(h);
  std::vector<std::vector<std::string>> body;
  for (const auto& r : rows) {
    std::vector<std::string> b = {fraction_string(r.e.beta), fraction_string(r.e.r), r.c.name(), fraction_string(r.e.ell),
                                  fraction_string(r.e.ell_crit), fraction_string(r.e.gamma),
                                  r.e.best_ell_text == "constant λ" ? "const. λ" : (r.e.best_ell_text == "any ℓ ≥ β" ? "≥ " + fraction_string(r.e.best_ell) : fraction_string(r.e.best_ell)),
                                  fraction_string(r.e.best_gamma), opt_frac(r.e.collapse_exponent)};
    if (r.m) {
      const auto& w = r.m->windows.back();
      b.push_back(slope_str(w.total));
      b.push_back(fmt::format("{:.9f}", r.e.gamma == 0 ? 0.0 : -r.e.gamma.convert_to<double>()));
      b.push_back(fmt::format("{:+.1e}", w.total + r.e.gamma.convert_to<double>()));
      b.push_back(fmt::format("{:.1f}", agreeing_digits(w.total, -r.e.gamma)));
      b.push_back(w.collapse ? slope_str(*w.collapse) : "—");
      b.push_back(r.e.collapse_exponent ? fmt::format("{:.1f}", agreeing_digits(*w.collapse, *r.e.collapse_exponent)) : "—");
    }
    body.push_back(b);
  }
  std::string s;
  if (format == "csv") {
    std::vector<std::string> ascii_head = {"beta", "r", "coupling", "ell", "ell_crit", "gamma", "best_ell", "best_gamma", "collapse_exponent"};
    if (measured) for (const char* h : {"slope", "minus_gamma", "difference", "slope_digits", "collapse_slope", "collapse_digits"}) ascii_head.push_back(h);
    for (std::size_t i = 0; i < ascii_head.size(); ++i) s += (i ? "," : "") + ascii_head[i];
    s += "\n";
    for (std::size_t k = 0; k < body.size(); ++k) {
      auto b = body[k];
      b[2] = rows[k].c.ascii();
      if (rows[k].e.best_ell_text == "constant λ") b[6] = "const";
      if (rows[k].e.best_ell_text == "any ℓ ≥ β") b[6] = ">=" + fraction_string(rows[k].e.best_ell);
      for (auto& x : b) if (x == "—") x = "";
      for (std::size_t i = 0; i < b.size(); ++i) s += (i ? "," : "") + csv_field(b[i]);
      s += "\n";
    }
    return s;
  }
  if (format == "latex") {
    auto tex = [](std::string x) {
      auto rep = [&](const std::string& from, const std::string& to) {
        for (std::size_t p = 0; (p = x.find(from, p)) != std::string::npos; p += to.size()) x.replace(p, from.size(), to);
      };
      rep("—", "--"); rep("∝", "$\\propto$"); rep("≍", "$\\asymp$"); rep("σ", "$\\sigma$"); rep("≥", "$\\ge$");
      rep("−", "-"); rep("T0", "$T_0$"); rep("λ", "$\\lambda$"); rep("^", "\\^{}");
      return x;
    };
    std::vector<std::string> th = {"$\\beta$", "$r$", "coupling", "$\\ell$", "$\\ell_{\\mathrm{crit}}$", "$\\gamma(\\ell)$", "best $\\ell$", "best $\\gamma$", "collapse exp."};
    if (measured) for (const char* h : {"slope of $E_n$", "$-\\gamma$", "difference", "digits", "collapse slope", "digits"}) th.push_back(h);
    s = "\\begin{tabular}{" + std::string(th.size(), 'l') + "}\n\\toprule\n";
    for (std::size_t i = 0; i < th.size(); ++i) s += (i ? " & " : "") + th[i];
    s += " \\\\\n\\midrule\n";
    for (const auto& b : body) {
      for (std::size_t i = 0; i < b.size(); ++i) s += (i ? " & " : "") + tex(b[i]);
      s += " \\\\\n";
    }
    s += "\\bottomrule\n\\end{tabular}\n";
    return s;
  }
  // md
  for (std::size_t i = 0; i < head.size(); ++i) s += "| " + head[i] + " ";
  s += "|\n";
  for (std::size_t i = 0; i < head.size(); ++i) s += "|---";
  s += "|\n";
  for (const auto& b : body) {
    for (const auto& x : b) s += "| " + x + " ";
    s += "|\n";
  }
  return s;
}

struct crossover_options {
  std::string beta = "2", r = "0.4", n = "1", sigma02 = "1e-6", phi0 = "1/2", c = "100";
  std::string T_min = "10", T_max = "1e8";
  int per_decade = 8, digits = 0;
  std::string format = "plain";
};

std::string render_crossover(const crossover_result& x, const std::string& format) {
  using nlohmann::json;
  const auto& p = x.params;
  if (format == "json") {
    json pts = json::array();
    for (std::size_t i = 0; i < x.points.size(); ++i) {
      const auto& q = x.points[i];
      json o{{"T", q.T}, {"lambda_opt", q.lambda}, {"interpolation_optimal", q.boundary}, {"E_opt", q.E}, {"E0", q.E0}};
      if (i + 1 < x.points.size()) o["slope_to_next"] = x.slopes[i].second;
      pts.push_back(o);
    }
    json j{{"section", "§5.6"},
           {"params", {{"beta", fraction_string(p.beta)}, {"r", fraction_string(p.r)}, {"n", fraction_string(p.n)}, {"sigma02", fraction_string(p.sigma02)},
                       {"phi0", fraction_string(p.phi0)}, {"d", "c*T"}, {"c", fraction_string(p.c)}, {"sigma2", "0"}}},
           {"sigma_eff2", x.sigma_eff2_asym.convert_to<double>()}, {"sigma_eff2_exact", fraction_string(x.sigma_eff2_asym)},
           {"fast_rate", x.fast}, {"slow_rate", x.slow}, {"midpoint", x.mid},
           {"T_star_formula", x.T_formula}, {"T_star_de", x.T_de}, {"ratio_de_over_formula", x.ratio},
           {"points", pts}, {"seconds", x.seconds}};
    return j.dump(2) + "\n";
  }
  std::string s;
  if (format == "csv") {
    s = "T,lambda_opt,interpolation_optimal,E_opt,E0,slope_to_next\n";
    for (std::size_t i = 0; i < x.points.size(); ++i) {
      const auto& q = x.points[i];
      s += fmt::format("{:.6g},{:.6g},{},{:.10g},{:.10g},{}\n", q.T, q.lambda, q.boundary ? 1 : 0, q.E, q.E0,
                       i + 1 < x.points.size() ? fmt::format("{:.6f}", x.slopes[i].second) : "");
    }
    return s;
  }
  const bool md = format == "md";
  s += fmt::format("{}Fast -> slow crossover (§5.6): beta = {}, r = {}, n = {}, sigma0^2 = {}, phi0 = {}, d = {}·T, sigma^2 = 0\n",
                   md ? "**" : "", fraction_string(p.beta), fraction_string(p.r), fraction_string(p.n), fraction_string(p.sigma02),
                   fraction_string(p.phi0), fraction_string(p.c)) ;
  if (md) s.insert(s.find('\n'), "**");
  s += fmt::format("{}sigma_eff^2 (T -> inf)      = {} = {:.6g}\n", md ? "- " : "  ", fraction_string(x.sigma_eff2_asym), x.sigma_eff2_asym.convert_to<double>());
  s += fmt::format("{}rates: fast {:.6f}, slow {:.6f}, midpoint {:.6f}\n", md ? "- " : "  ", x.fast, x.slow, x.mid);
  s += fmt::format("{}T* (formula §5.6)           = {:.6g}\n", md ? "- " : "  ", x.T_formula);
  s += fmt::format("{}T* (DE: slope crosses mid)  = {:.6g}\n", md ? "- " : "  ", x.T_de);
  s += fmt::format("{}ratio T*_DE / T*_formula    = {:.4f}\n\n", md ? "- " : "  ", x.ratio);
  if (md) s += "| T | λ* | E*_n | E_0 (clean, λ→0) | local slope to next T |\n|---|---|---|---|---|\n";
  else s += fmt::format("  {:>10}  {:>11}  {:>13}  {:>13}  {:>8}\n", "T", "lambda*", "E*_n", "E_0", "slope");
  for (std::size_t i = 0; i < x.points.size(); ++i) {
    const auto& q = x.points[i];
    std::string lam = q.boundary ? "0 (interp.)" : fmt::format("{:.4g}", q.lambda);
    std::string sl = i + 1 < x.points.size() ? fmt::format("{:.4f}", x.slopes[i].second) : "—";
    if (md) s += fmt::format("| {:.4g} | {} | {:.6g} | {:.6g} | {} |\n", q.T, lam, q.E, q.E0, sl);
    else s += fmt::format("  {:>10.4g}  {:>11}  {:>13.6g}  {:>13.6g}  {:>8}\n", q.T, lam, q.E, q.E0, sl);
  }
  return s;
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
  cmd->add_option("--format", o->format, "md | latex | csv | json")->capture_default_str();
  cmd->callback([o] {
    check_format(o->format, {"md", "latex", "csv", "json"});
    auto betas = parse_exact_list("--beta", o->beta), rs = parse_exact_list("--r", o->r), as = parse_exact_list("--a", o->a);
    std::vector<exact_number> ells;
    if (!o->ell.empty()) ells = parse_exact_list("--ell", o->ell);
    for (const auto& l : ells) if (!(l.value > 0)) throw domain_error("--ell", l.text, "ell > 0");
    auto couplings = parse_couplings(o->couplings, as);
    slope_settings st;
    st.log10_T_max = power_of_ten("--T-max", o->T_max);
    st.decades = o->decades;
    st.digits = o->digits;
    st.n = exact("--n", o->n); st.sigma02 = exact("--sigma02", o->sigma02); st.phi0 = exact("--phi0", o->phi0);
    st.c = exact("--c", o->c); st.d_fixed = exact("--d-fixed", o->d_fixed); st.sigma2 = exact("--sigma2", o->sigma2);
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<table_row> rows;
    for (const auto& b : betas)
      for (const auto& r : rs) {
        std::vector<rational> ell_list = {ell_crit(b.value, r.value)};
        for (const auto& l : ells) if (l.value != ell_list.front()) ell_list.push_back(l.value);
        for (const auto& c : couplings)
          for (const auto& l : ell_list) {
            table_row row{predict_exponents(b.value, r.value, c, l), c, std::nullopt};
            if (!o->no_measure) row.m = measure_slopes(b.value, r.value, c, l, st);
            rows.push_back(std::move(row));
          }
      }
    std::cout << render_exponents(rows, o->format, st) << std::flush;
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
  cx->add_option("--format", x->format, "plain | md | csv | json")->capture_default_str();
  cx->callback([x] {
    check_format(x->format, {"plain", "md", "csv", "json"});
    crossover_params p;
    p.beta = exact("--beta", x->beta); p.r = exact("--r", x->r); p.n = exact("--n", x->n);
    p.sigma02 = exact("--sigma02", x->sigma02); p.phi0 = exact("--phi0", x->phi0); p.c = exact("--c", x->c);
    p.T_min = exact("--T-min", x->T_min).convert_to<double>();
    p.T_max = exact("--T-max", x->T_max).convert_to<double>();
    p.per_decade = x->per_decade;
    p.digits = x->digits;
    auto res = locate_crossover(p);
    std::cout << render_crossover(res, x->format) << std::flush;
    std::cerr << fmt::format("collapse crossover: {} grid points in {:.1f} s\n", res.points.size(), res.seconds);
  });
}

}  // namespace collapse::cli
