// cli/eval_command.cpp -- `collapse eval QUANTITY [--param value ...]`: every catalogue quantity at any
// precision, each printed digit certified (eval/evaluate.cpp). Parameters are parsed exactly.
#include "eval/catalogue.hpp"
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

/// The result as a table (report/table.hpp): one row per value -- the quantity, its exact fraction when
/// known, its components. Plain prints `name = value` lines; json is the whole request and result.
report::table result_table(const eval::eval_output& o, const eval::eval_request& req) {
  using nlohmann::json;
  report::table t;
  std::vector<std::pair<std::string, std::string>> rows = {{o.quantity, o.value}};
  if (o.exact) rows.push_back({"exact", *o.exact});
  for (const auto& c : o.components) rows.push_back(c);
  std::size_t w = 0;
  for (const auto& r : rows) w = std::max(w, r.first.size());
  report::column name{.key = "name"}, indented{.key = "name"}, value{.key = "value"};
  name.formats = report::format_set::except({report::format::plain});
  indented.formats = report::format_set::only({report::format::plain});
  indented.min_width = w + 2;  // the quantity, then its parts indented by two
  t.columns = {name, indented, value};
  for (std::size_t i = 0; i < rows.size(); ++i)
    t.rows.push_back({report::cell::of_code(rows[i].first), report::cell::of_text((i == 0 ? "" : "  ") + rows[i].first),
                      report::cell::of_exact(rows[i].second)});
  t.plain.header = false;
  t.plain.separator = " = ";
  json j;
  j["quantity"] = o.quantity;
  json params = json::object();
  for (const auto& [k, v] : req.params) params[k] = v.text;
  if (req.spectrum) {
    const auto& s = *req.spectrum;
    switch (s.type) {
      case spectrum_spec::kind::isotropic: params["spectrum"] = "isotropic"; params["d"] = s.d.text; params["w0norm2"] = s.w0norm2.text; break;
      case spectrum_spec::kind::powerlaw: params["spectrum"] = "powerlaw"; params["beta"] = s.beta.text; params["r"] = s.r.text; params["d"] = s.d.text; break;
      case spectrum_spec::kind::explicit_list: params["spectrum"] = "file:" + s.path; break;
    }
  }
  j["params"] = params;
  j["digits"] = o.digits;
  j["value"] = o.value;
  if (o.exact) j["exact"] = *o.exact;
  json comps = json::object();
  for (const auto& [k, v] : o.components) comps[k] = v;
  j["components"] = comps;
  j["diagnostics"] = o.diagnostics;
  t.json_document = j;
  t.json_rows_key.clear();
  t.json_sorted_keys = true;
  return t;
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
    if (opt->quantity.empty()) throw domain_error("QUANTITY", "(missing)", "a quantity name; see collapse eval --list");
    std::map<std::string, std::string> options;
    if (!opt->spectrum.empty()) options["spectrum"] = opt->spectrum;
    for (const auto& [name, v] : opt->values)
      if (v) options[name] = *v;
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
