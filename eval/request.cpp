// eval/request.cpp -- building an eval_request from option texts (shared by CLI, golden, tests).
#include "eval/catalogue.hpp"
#include "cli/spectrum_options.hpp"

#include <sstream>

namespace collapse::eval {

eval_request build_request(const std::string& quantity, const std::map<std::string, std::string>& options, int digits) {
  const quantity_info& qi = find_quantity(quantity);
  eval_request req;
  req.quantity = qi.name;
  req.digits = digits;
  auto get = [&](const char* k) -> std::optional<std::string> {
    auto it = options.find(k);
    if (it == options.end()) return std::nullopt;
    return it->second;
  };
  static const char* spectrum_params[] = {"d", "w0norm2", "beta", "r"};
  if (qi.uses_spectrum) {
    cli::spectrum_options so;
    so.spectrum = get("spectrum").value_or("");
    so.d = get("d"); so.w0norm2 = get("w0norm2"); so.beta = get("beta"); so.r = get("r");
    req.spectrum = so.build();
  } else if (auto s = get("spectrum")) {
    throw domain_error("--spectrum", *s, "no spectrum: " + qi.name + " does not take one");
  }
  for (const auto& [name, text] : options) {
    if (name == "spectrum") continue;
    bool is_spectrum_param = false;
    for (const char* sp : spectrum_params) if (name == sp) is_spectrum_param = true;
    if (qi.uses_spectrum && is_spectrum_param) continue;
    bool known = false;
    for (const auto& p : all_parameter_names()) if (p == name) known = true;
    if (!known) throw domain_error("--" + name, text, "a parameter of collapse eval (see --list)");
    req.params[name] = parse_exact("--" + name, text);
  }
  return req;
}

std::map<std::string, std::string> parse_option_string(const std::string& args) {
  std::istringstream in(args);
  std::map<std::string, std::string> out;
  std::string key, value;
  while (in >> key) {
    if (key.rfind("--", 0) != 0 || !(in >> value))
      throw domain_error("arguments", args, "pairs '--name value'");
    out[key.substr(2)] = value;
  }
  return out;
}

}  // namespace collapse::eval
