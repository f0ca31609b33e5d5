// cli/eval_command.cpp -- `collapse eval QUANTITY [--param value ...]`: every catalogue quantity at any
// precision, each printed digit certified (eval/evaluate.cpp). Parameters are parsed exactly.
#include "eval/catalogue.hpp"
#include "cli/commands.hpp"
#include "report/output.hpp"

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
  int digits = 30;
  std::string format = "plain";
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

std::string render(const eval::eval_output& o, const eval::eval_request& req, const std::string& format) {
  using nlohmann::json;
  if (format == "json") {
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
    return j.dump(2) + "\n";
  }
  std::vector<std::pair<std::string, std::string>> rows = {{o.quantity, o.value}};
  if (o.exact) rows.push_back({"exact", *o.exact});
  for (const auto& c : o.components) rows.push_back(c);
  std::string s;
  if (format == "csv") {
    s = "name,value\n";
    for (const auto& [k, v] : rows) s += csv_field(k) + "," + csv_field(v) + "\n";
  } else if (format == "md") {
    s = "| name | value |\n|---|---|\n";
    for (const auto& [k, v] : rows) s += "| " + k + " | " + v + " |\n";
  } else if (format == "latex") {
    s = "\\begin{tabular}{ll}\n\\toprule\nname & value \\\\\n\\midrule\n";
    for (const auto& [k, v] : rows) {
      std::string kk;
      for (char c : k) { if (c == '_') kk += "\\_"; else kk += c; }
      s += "\\texttt{" + kk + "} & $" + v + "$ \\\\\n";
    }
    s += "\\bottomrule\n\\end{tabular}\n";
  } else {
    std::size_t w = 0;
    for (const auto& r : rows) w = std::max(w, r.first.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
      s += (i == 0 ? "" : "  ") + rows[i].first + std::string(w - rows[i].first.size() + (i == 0 ? 2 : 0), ' ') + " = " + rows[i].second + "\n";
  }
  return s;
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto opt = std::make_shared<eval_options>();
  auto* cmd = app.add_subcommand("eval", "evaluate a formula of the theory at any precision (--list shows the catalogue)");
  cmd->add_option("QUANTITY", opt->quantity, "quantity name (see --list)");
  cmd->add_flag("--list", opt->list, "describe every quantity and its parameters");
  cmd->add_option("--digits", opt->digits, "significant digits printed and guaranteed (10..1000)")->capture_default_str();
  cmd->add_option("--format", opt->format, "plain | json | csv | md | latex")->capture_default_str();
  cmd->add_option("--spectrum", opt->spectrum, "isotropic | powerlaw | file:PATH (CSV with header eig,w2)");
  for (const auto& p : eval::all_parameter_names()) {
    opt->values[p];
    cmd->add_option("--" + p, opt->values[p], eval::parameter_help(p));
  }
  cmd->callback([opt] {
    check_format(opt->format, {"plain", "json", "csv", "md", "latex"});
    if (opt->list) { print_list(std::cout); return; }
    if (opt->quantity.empty()) throw domain_error("QUANTITY", "(missing)", "a quantity name; see collapse eval --list");
    std::map<std::string, std::string> options;
    if (!opt->spectrum.empty()) options["spectrum"] = opt->spectrum;
    for (const auto& [name, v] : opt->values)
      if (v) options[name] = *v;
    eval::eval_request req = eval::build_request(opt->quantity, options, opt->digits);
    eval::eval_output out = eval::evaluate_certified(req);
    std::cout << render(out, req, opt->format) << std::flush;
  });
}

}  // namespace collapse::cli
