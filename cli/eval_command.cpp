// cli/eval_command.cpp -- `collapse eval QUANTITY [--param value ...]`: every catalogue quantity at any
// precision, each printed digit certified (eval/evaluate.cpp). Parameters are parsed exactly.
// `collapse eval --expr "FORMULA" [--diff VAR] [--print text|latex] [--param value ...]`: a formula typed as
// text (formula/formula.hpp, docs/formulas.md), certified by the same rule.
#include "eval/catalogue.hpp"
#include "formula/formula.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "report/progress.hpp"
#include "report/table.hpp"

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <optional>

namespace collapse::cli {

namespace {

struct eval_options {
  std::string quantity;
  bool list = false;
  std::string digits = "30";
  format_options format;
  std::string spectrum;
  std::optional<std::string> expr;  // --expr (formulas, issue 13)
  std::string diff, print;          // --diff, --print (with --expr)
  std::map<std::string, std::optional<std::string>> values;
};

void print_list(std::ostream& os) {
  os << "Quantities of `collapse eval` (section of the theory document in brackets):\n\n";
  for (const auto& q : eval::catalogue()) {
    os << fmt::format("  {:<28} [{}] {}\n", q.name, q.section, q.description);
    std::string ps;
    if (q.uses_spectrum) ps += " --spectrum isotropic|powerlaw|file:PATH (+ --d --w0norm2 | --beta --r --d)";
    for (const auto& p : q.parameters) ps += " --" + p.name;
    for (const auto& p : q.generator_parameters) ps += " [--" + p.name + ", only when n >= 1]";
    os << "  " << std::string(28, ' ') << " parameters:" << ps << "\n";
    if (!q.components.empty()) {
      std::string cs;
      for (const auto& c : q.components) cs += (cs.empty() ? "" : ", ") + c;
      os << "  " << std::string(28, ' ') << " components: " << cs << "\n";
    }
  }
  os << "\nParameters:\n";
  for (const auto& p : eval::all_parameter_names()) os << fmt::format("  --{:<12} {}\n", p, eval::parameter_help(p));
}

/// The catalogue as a table (--list in md, csv, json, latex): name, section, description, parameters, components.
report::table catalogue_table() {
  report::table t;
  t.columns = {{.key = "quantity"}, {.key = "section"}, {.key = "description"}, {.key = "parameters"}, {.key = "components"}};
  for (const auto& q : eval::catalogue()) {
    std::string ps = q.uses_spectrum ? "spectrum" : "", cs;
    for (const auto& p : q.parameters) ps += (ps.empty() ? "" : ", ") + p.name;
    for (const auto& p : q.generator_parameters) ps += (ps.empty() ? "" : ", ") + p.name + " (n >= 1)";
    for (const auto& c : q.components) cs += (cs.empty() ? "" : ", ") + c;
    t.rows.push_back({report::cell::of_code(q.name), report::cell::of_text(q.section), report::cell::of_text(q.description),
                      report::cell::of_text(ps), report::cell::of_text(cs)});
  }
  t.title = "Quantities of collapse eval";
  t.json_rows_key = "quantities";
  return t;
}

/// `name = value` rows as a table (report/table.hpp): plain prints `name = value` lines, the first flush
/// left and the others indented by two; the other formats a name and a value column; json is `document`.
report::table name_value_table(const std::vector<std::pair<std::string, report::cell>>& rows, nlohmann::json document) {
  report::table t;
  std::size_t w = 0;
  for (const auto& r : rows) w = std::max(w, r.first.size());
  report::column name{.key = "name"}, indented{.key = "name"}, value{.key = "value"};
  name.formats = report::format_set::except({report::format::plain});
  indented.formats = report::format_set::only({report::format::plain});
  indented.min_width = w + 2;  // the quantity, then its parts indented by two
  t.columns = {name, indented, value};
  for (std::size_t i = 0; i < rows.size(); ++i)
    t.rows.push_back({report::cell::of_code(rows[i].first), report::cell::of_text((i == 0 ? "" : "  ") + rows[i].first), rows[i].second});
  t.plain.header = false;
  t.plain.separator = " = ";
  t.json_document = std::move(document);
  t.json_rows_key.clear();
  t.json_sorted_keys = true;
  return t;
}

/// The parameters of a request as given (JSON "params").
nlohmann::json params_json(const std::map<std::string, exact_number>& values, const std::optional<spectrum_spec>& spectrum) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [k, v] : values) params[k] = v.text;
  if (spectrum) {
    const auto& s = *spectrum;
    switch (s.type) {
      case spectrum_spec::kind::isotropic: params["spectrum"] = "isotropic"; params["d"] = s.d.text; params["w0norm2"] = s.w0norm2.text; break;
      case spectrum_spec::kind::powerlaw: params["spectrum"] = "powerlaw"; params["beta"] = s.beta.text; params["r"] = s.r.text; params["d"] = s.d.text; break;
      case spectrum_spec::kind::explicit_list: params["spectrum"] = "file:" + s.path; break;
    }
  }
  return params;
}

/// The result as a table: one row per value -- the quantity, its exact fraction when known, its components.
/// Plain prints `name = value` lines; json is the whole request and result.
report::table result_table(const eval::eval_output& o, const eval::eval_request& req) {
  using nlohmann::json;
  std::vector<std::pair<std::string, report::cell>> rows = {{o.quantity, report::cell::of_exact(o.value)}};
  if (o.exact) rows.push_back({"exact", report::cell::of_exact(*o.exact)});
  for (const auto& c : o.components) rows.push_back({c.first, report::cell::of_exact(c.second)});
  json j;
  j["quantity"] = o.quantity;
  j["params"] = params_json(req.params, req.spectrum);
  j["digits"] = o.digits;
  j["value"] = o.value;
  if (o.exact) j["exact"] = *o.exact;
  json comps = json::object();
  for (const auto& [k, v] : o.components) comps[k] = v;
  j["components"] = comps;
  j["diagnostics"] = o.diagnostics;
  return name_value_table(rows, j);
}

/// A formula's result (--expr): the formula as printed (--print text|latex; LaTeX in math mode for
/// --format latex), its derivative when --diff, the certified value and the exact fraction when rational.
report::table formula_table(const formula::formula& f, const std::optional<formula::formula>& derivative, const std::string& var,
                            bool latex, const eval::eval_output& o, const formula::point& p) {
  using nlohmann::json;
  auto printed = [&](const formula::formula& g) {
    return report::cell::of_text(latex ? g.latex() : g.text()).with_latex("$" + g.latex() + "$");
  };
  std::vector<std::pair<std::string, report::cell>> rows = {{"formula", printed(f)}};
  if (derivative) rows.push_back({"d/d" + var, printed(*derivative)});
  rows.push_back({"value", report::cell::of_exact(o.value)});
  if (o.exact) rows.push_back({"exact", report::cell::of_exact(*o.exact)});
  json j;
  j["formula"] = f.source();
  j["text"] = f.text();
  j["latex"] = f.latex();
  if (derivative) j["derivative"] = {{"variable", var}, {"text", derivative->text()}, {"latex", derivative->latex()}};
  j["params"] = params_json(p.values, p.spectrum);
  j["digits"] = o.digits;
  j["value"] = o.value;
  if (o.exact) j["exact"] = *o.exact;
  j["diagnostics"] = o.diagnostics;
  return name_value_table(rows, j);
}

/// `collapse eval --expr`: parse, differentiate (--diff), evaluate at the point of the options, print.
void run_formula(const eval_options& opt, const std::map<std::string, std::string>& options, int digits) {
  if (!opt.quantity.empty())
    throw domain_error("QUANTITY", opt.quantity, "no quantity name with --expr", "--expr gives the formula to evaluate");
  const std::string print = opt.print.empty() ? "text" : opt.print;
  if (print != "text" && print != "latex") throw domain_error("--print", opt.print, "text or latex");
  const formula::formula f = formula::formula::parse(*opt.expr);
  formula::point p = formula::point_of(f, options);
  std::optional<formula::formula> derivative;
  if (!opt.diff.empty()) derivative = f.derivative(opt.diff);
  const formula::formula& g = derivative ? *derivative : f;
  formula::point at = p;
  if (!g.uses_spectrum()) at.spectrum.reset();  // the derivative may have lost every primitive
  eval::eval_output out;
  {
    report::progress_ticker ticker(fmt::format("collapse eval --expr ({} digits)", digits));
    out = formula::evaluate_certified(g, at, digits);
  }
  std::cout << opt.format.render(formula_table(f, derivative, opt.diff, print == "latex", out, p)) << std::flush;
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto opt = std::make_shared<eval_options>();
  auto* cmd = app.add_subcommand("eval", "evaluate a formula of the theory at any precision (--list shows the catalogue)");
  cmd->add_option("QUANTITY", opt->quantity, "quantity name (see --list)");
  cmd->add_flag("--list", opt->list, "describe every quantity and its parameters");
  cmd->add_option("--digits", opt->digits, "significant digits printed and guaranteed (10..1000)")->capture_default_str();
  add_format_options(cmd, opt->format);
  add_progress_flag(cmd);
  cmd->add_option("--spectrum", opt->spectrum, "isotropic | powerlaw | file:PATH (CSV with header eig,w2)");
  cmd->add_option("--expr", opt->expr, "a formula to evaluate instead of a QUANTITY (docs/formulas.md)");
  cmd->add_option("--diff", opt->diff, "with --expr: evaluate the symbolic derivative in this symbol");
  cmd->add_option("--print", opt->print, "with --expr: print the formula as text (default) or latex");
  for (const auto& p : eval::all_parameter_names()) {
    opt->values[p];
    cmd->add_option("--" + p, opt->values[p], eval::parameter_help(p));
  }
  cmd->callback([opt] {
    const report::format f = opt->format.parse();  // a bad --format or --standalone is refused before any work
    const int digits = static_cast<int>(parse_integer("--digits", opt->digits, 10, 1000));
    if (opt->list) {
      if (f == report::format::plain) print_list(std::cout);
      else std::cout << opt->format.render(catalogue_table()) << std::flush;
      return;
    }
    std::map<std::string, std::string> options;
    if (!opt->spectrum.empty()) options["spectrum"] = opt->spectrum;
    for (const auto& [name, v] : opt->values)
      if (v) options[name] = *v;
    if (opt->expr) return run_formula(*opt, options, digits);
    if (!opt->diff.empty()) throw domain_error("--diff", opt->diff, "only with --expr", "--diff differentiates a formula");
    if (!opt->print.empty()) throw domain_error("--print", opt->print, "only with --expr", "--print prints a formula");
    if (opt->quantity.empty()) throw domain_error("QUANTITY", "(missing)", "a quantity name; see collapse eval --list");
    eval::eval_request req = eval::build_request(opt->quantity, options, digits);
    eval::eval_output out;
    {
      report::progress_ticker ticker("collapse eval " + opt->quantity + fmt::format(" ({} digits)", digits));
      out = eval::evaluate_certified(req);
    }
    std::cout << opt->format.render(result_table(out, req)) << std::flush;
  });
}

}  // namespace collapse::cli
