// cli/compare_command.cpp -- `collapse compare [QUANTITY ...] [--expr FORMULA ...] GRID [--plot DIR]` (issue 13):
// two or more candidates (catalogue quantities, formulas) against one simulation grid, side by side
// (harness/compare.hpp): each candidate's value and z at every point, the fitted a + c/x intercept of its relative
// discrepancy, and a verdict; in every --format, and with --plot DIR a figure through gnuplot.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "harness/compare.hpp"
#include "harness/figures.hpp"
#include "report/output.hpp"
#include "report/progress.hpp"
#include "theory/errors.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <limits>
#include <memory>

namespace collapse::cli {

namespace {

struct compare_options {
  std::vector<std::string> quantities, exprs;
  std::vector<std::string> d, T, T0, n;  // lists
  std::map<std::string, std::string> fixed;  // spectrum, w0norm2, beta, r, sigma2, sigma02, lambda
  std::string observable = "downstream", trials = "4000", seed = "20240707", threads = "1", z_max = "3", k = "3";
  std::string plot, plot_format = "png";
  format_options format;
};

double parse_positive(const std::string& name, const std::string& text, double hi) {
  const exact_number x = parse_exact(name, text);
  const double v = to_real<double>(x.value);
  if (!(v > 0) || v > hi) throw domain_error(name, text, fmt::format("a number 0 < {} <= {}", name.substr(2), hi));
  return v;
}

report::table compare_table(const harness::compare_result& r) {
  const auto& rq = r.request;
  report::table t;
  t.columns = {{.key = rq.axis, .alignment = report::align::right},
               {.key = "n", .alignment = report::align::right},
               {.key = "mc", .title = "MC mean", .alignment = report::align::right, .number_format = "{:.6g}"},
               {.key = "se", .alignment = report::align::right, .number_format = "{:.2g}"}};
  for (const auto& l : r.labels) {
    t.columns.push_back({.key = l, .title = l + " value", .alignment = report::align::right, .number_format = "{:.8g}"});
    t.columns.push_back({.key = "z_" + l, .title = "z " + l, .alignment = report::align::right, .number_format = "{:.2f}"});
  }
  for (const auto& p : r.points) {
    std::vector<report::cell> row = {report::cell::of_exact(p.axis_value), report::cell::of_integer(p.n), report::cell::of_number(p.mean),
                                     report::cell::of_number(p.se)};
    for (std::size_t c = 0; c < r.labels.size(); ++c) {
      row.push_back(report::cell::of_number(p.value[c]));
      row.push_back(report::cell::of_number(p.z[c]));
    }
    t.rows.push_back(std::move(row));
  }
  // the fits: the relative discrepancy's intercept a (in the value column) and a/se(a) (in the z column)
  for (std::size_t i = 0; i < rq.ns.size(); ++i) {
    std::vector<report::cell> row = {report::cell::of_text("a + c/" + rq.axis + ": a"), report::cell::of_integer(rq.ns[i]), report::cell::none(),
                                     report::cell::none()};
    for (std::size_t c = 0; c < r.labels.size(); ++c) {
      const auto& f = r.fits[c][i];
      row.push_back(f ? report::cell::of_number(f->intercept) : report::cell::none());
      row.push_back(f ? report::cell::of_number(f->intercept / f->intercept_se) : report::cell::none());
    }
    t.rows.push_back(std::move(row));
  }
  std::vector<report::cell> verdict = {report::cell::of_text("verdict"), report::cell::none(), report::cell::none(), report::cell::none()};
  for (std::size_t c = 0; c < r.labels.size(); ++c) {
    verdict.push_back(report::cell::of_text(r.verdicts[c]));
    verdict.push_back(report::cell::of_number(r.max_abs_z[c]));
  }
  t.rows.push_back(std::move(verdict));
  t.title = fmt::format("compare: {} candidates against one simulation ({} = {}; observable {})", r.labels.size(), rq.axis,
                        fmt::join(rq.axis_values, ","), rq.observable);
  std::string fixed;
  for (const auto& [k, v] : rq.options) fixed += fmt::format("{}{}={}", fixed.empty() ? "" : " ", k, v);
  t.comment = "collapse compare: " + fixed + fmt::format(" n={} trials={} seed={}", fmt::join(rq.ns, ","), rq.trials, rq.seed);
  for (std::size_t c = 0; c < r.labels.size(); ++c) t.notes.push_back(r.labels[c] + " = " + r.texts[c]);
  t.notes.push_back("z = (MC mean - value)/se; row 'a + c/" + rq.axis + ": a': the intercept a of the relative discrepancy (MC - value)/value "
                    "fitted as a + c/" + rq.axis + " (value column) and a/se(a) (z column); row 'verdict': the verdict and max |z|");
  t.notes.push_back("rule: " + r.rule);
  std::vector<std::string> ok;
  for (std::size_t c = 0; c < r.labels.size(); ++c)
    if (r.verdicts[c] == "consistent") ok.push_back(r.labels[c]);
  t.footer = ok.empty() ? "consistent with the data: none" : fmt::format("consistent with the data: {}", fmt::join(ok, ", "));
  nlohmann::ordered_json cands = nlohmann::ordered_json::array();
  for (std::size_t c = 0; c < r.labels.size(); ++c) {
    nlohmann::ordered_json fits = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < rq.ns.size(); ++i) {
      const auto& f = r.fits[c][i];
      if (!f) continue;
      fits.push_back({{"n", rq.ns[i]}, {"intercept", f->intercept}, {"intercept_se", f->intercept_se}, {"slope", f->slope},
                      {"slope_se", f->slope_se}, {"chi2", f->chi2}, {"dof", f->dof}});
    }
    cands.push_back({{"label", r.labels[c]}, {"candidate", rq.candidates[c]}, {"text", r.texts[c]}, {"formula", static_cast<bool>(rq.is_formula[c])},
                     {"verdict", r.verdicts[c]}, {"max_abs_z", r.max_abs_z[c]}, {"fits", fits}});
  }
  t.json_document["axis"] = rq.axis;
  t.json_document["observable"] = rq.observable;
  t.json_document["options"] = rq.options;
  t.json_document["n"] = rq.ns;
  t.json_document["trials"] = rq.trials;
  t.json_document["seed"] = rq.seed;
  t.json_document["rule"] = r.rule;
  t.json_document["candidates"] = cands;
  t.json_document["consistent"] = ok;
  return t;
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto o = std::make_shared<compare_options>();
  auto* cmd = app.add_subcommand("compare", "two or more candidate formulas (catalogue names or --expr) against one simulation grid: values, "
                                            "z, fitted intercept, verdict (docs/formulas.md)");
  cmd->add_option("QUANTITY", o->quantities, "catalogue quantities (collapse eval --list)");
  cmd->add_option("--expr", o->exprs, "a formula (docs/formulas.md); repeat for several");
  add_list_option(cmd, "--d", o->d, "dimension d, or a list: the grid's axis (exactly one of --d, --T, --T0 is a list)");
  add_list_option(cmd, "--T", o->T, "sample size T (or a list: the axis)");
  add_list_option(cmd, "--T0", o->T0, "generator sample size T0 (or a list: the axis)");
  add_list_option(cmd, "--n", o->n, "generations, e.g. 1,4 (one simulation records each)");
  for (const char* k : {"spectrum", "w0norm2", "beta", "r", "sigma2", "sigma02", "lambda"}) {
    o->fixed[k];
    cmd->add_option(std::string("--") + k, o->fixed[k], k == std::string("spectrum") ? "isotropic (default, --w0norm2 1) | powerlaw | file:PATH"
                                                                                    : "a value fixed over the grid");
  }
  cmd->add_option("--observable", o->observable, "downstream (the fit's test error; needs --T, --sigma2) | generator (E||w_n - w0||^2_Sigma)")
      ->capture_default_str();
  cmd->add_option("--trials", o->trials, "Monte Carlo trials per grid point (2..1e8)")->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed (0 <= seed <= 2^64 - 1)")->capture_default_str();
  cmd->add_option("--threads", o->threads, "threads, 1..256 (results do not depend on it)")->capture_default_str();
  cmd->add_option("--z-max", o->z_max, "consistent: |z| <= z-max at every grid point (0 < z-max <= 100)")->capture_default_str();
  cmd->add_option("--k", o->k, "asymptotically consistent: |a| <= k se(a) (0 < k <= 100)")->capture_default_str();
  cmd->add_option("--plot", o->plot, "also draw the figure DIR/compare.{png,...} and its data DIR/compare.csv");
  cmd->add_option("--plot-format", o->plot_format, "png | svg | pdf | cairolatex | tikz | both")->capture_default_str();
  add_format_options(cmd, o->format);
  add_progress_flag(cmd);
  cmd->callback([o] {
    o->format.parse();
    harness::compare_request rq;
    for (const auto& q : o->quantities) {
      rq.candidates.push_back(q);
      rq.is_formula.push_back(false);
    }
    for (const auto& e : o->exprs) {
      rq.candidates.push_back(e);
      rq.is_formula.push_back(true);
    }
    if (rq.candidates.size() < 2)
      throw domain_error("candidates", std::to_string(rq.candidates.size()), "at least 2: QUANTITY names and --expr formulas",
                         "compare sets candidates side by side");
    if (o->observable != "downstream" && o->observable != "generator") throw domain_error("--observable", o->observable, "downstream or generator");
    rq.observable = o->observable;
    rq.trials = parse_unsigned("--trials", o->trials, 2, 100000000);
    rq.seed = parse_unsigned("--seed", o->seed, 0, std::numeric_limits<std::uint64_t>::max());
    rq.threads = static_cast<unsigned>(parse_integer("--threads", o->threads, 1, 256));
    rq.z_max = parse_positive("--z-max", o->z_max, 100);
    rq.k = parse_positive("--k", o->k, 100);
    const std::vector<std::pair<std::string, std::vector<std::string>*>> sizes = {{"d", &o->d}, {"T", &o->T}, {"T0", &o->T0}};
    for (const auto& [name, values] : sizes) {
      if (values->size() > 1) {
        if (!rq.axis.empty())
          throw domain_error("--" + name, fmt::format("{}", fmt::join(*values, ",")), "a single value: --" + rq.axis + " is already the axis",
                             "exactly one of --d, --T, --T0 is a list");
        rq.axis = name;
        rq.axis_values = *values;
      } else if (values->size() == 1) {
        rq.options[name] = values->front();
      }
    }
    if (rq.axis.empty())
      throw domain_error("--T0", o->T0.empty() ? "(missing)" : o->T0.front(), "a list such as 16,20,30,40 for one of --d, --T, --T0",
                         "the grid's axis, along which the relative discrepancy is fitted as a + c/x");
    for (const auto& n : o->n) rq.ns.push_back(static_cast<long>(parse_integer("--n", n, 0, 1000)));
    for (std::size_t i = 1; i < rq.ns.size(); ++i)
      if (rq.ns[i] <= rq.ns[i - 1])
        throw domain_error("--n", fmt::format("{}", fmt::join(o->n, ",")), "distinct generations in ascending order", "one simulation runs to the last");
    for (const auto& [k, v] : o->fixed)
      if (!v.empty()) rq.options[k] = v;
    if (!o->plot.empty()) {
      report::check_output_path("--plot", o->plot, report::output_kind::directory);
      bool known = false;
      for (const auto& f : harness::figure_formats()) known = known || f == o->plot_format;
      if (!known) throw domain_error("--plot-format", o->plot_format, "one of png, svg, pdf, cairolatex, tikz, both (png and svg)");
    }
    harness::compare_result r;
    {
      report::progress_ticker ticker(fmt::format("collapse compare: {} grid points, {} trials each", rq.axis_values.size(), rq.trials));
      r = harness::run_compare(rq);
    }
    std::cout << o->format.render(compare_table(r)) << std::flush;
    if (!o->plot.empty()) {
      harness::plot_options po;
      po.format = o->plot_format;
      for (const auto& path : harness::render_compare_figure(r, o->plot, po)) std::cerr << "collapse compare: wrote " << path << "\n";
    }
  });
}

}  // namespace collapse::cli
