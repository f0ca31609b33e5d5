// eval/request.cpp -- building an eval_request from option texts: the one request builder of the CLI, the
// golden check and the tests.
#include "eval/catalogue.hpp"
#include "eval/spectrum_input.hpp"

#include "theory/errors.hpp"

#include <algorithm>
#include <sstream>

namespace collapse::eval {

eval_request build_request(const std::string& quantity, const std::map<std::string, std::string>& options, int digits,
                           const std::string& base_dir) {
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
    req.spectrum = parse_spectrum({get("spectrum").value_or(""), get("d"), get("w0norm2"), get("beta"), get("r")}, base_dir);
  } else if (auto s = get("spectrum")) {
    throw domain_error("--spectrum", *s, "no spectrum: " + qi.name + " does not take one");
  }
  const auto& known = all_parameter_names();
  for (const auto& [name, text] : options) {
    if (name == "spectrum") continue;
    const bool is_spectrum_param = std::any_of(std::begin(spectrum_params), std::end(spectrum_params), [&](const char* p) { return name == p; });
    if (qi.uses_spectrum && is_spectrum_param) continue;
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw domain_error("--" + name, text, "a parameter of collapse eval (see --list)");
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
    if (!out.emplace(key.substr(2), value).second) throw domain_error(key, args, "each parameter once");
  }
  return out;
}

}  // namespace collapse::eval
