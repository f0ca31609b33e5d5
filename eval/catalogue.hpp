// eval/catalogue.hpp -- the quantities `collapse eval` knows, with their parameters and the section
// of the theory document each implements, and the certified evaluator behind them.
#pragma once

#include "theory/rational.hpp"
#include "theory/spectrum_spec.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace collapse::eval {

struct quantity_info {
  std::string name;
  std::string section;      // of theory/model-collapse-regression.md
  std::string description;
  std::vector<std::string> required;  // parameter names without "--"
  std::vector<std::string> optional;  // e.g. T0/sigma02, needed only when n >= 1
  bool uses_spectrum = false;
  bool exact = false;                 // rational result
  std::vector<std::string> components;
};

const std::vector<quantity_info>& catalogue();
const quantity_info& find_quantity(const std::string& name);  // throws domain_error listing the known names

/// Every numeric parameter name the CLI accepts (spectrum parameters included).
const std::vector<std::string>& all_parameter_names();
std::string parameter_help(const std::string& name);

struct eval_request {
  std::string quantity;
  std::map<std::string, exact_number> params;  // by name, without "--"
  std::optional<spectrum_spec> spectrum;
  int digits = 30;
};

struct eval_output {
  std::string quantity;
  int digits = 30;
  std::string value;                                           // D significant digits, certified
  std::optional<std::string> exact;                            // "p/q" when the result is rational
  std::vector<std::pair<std::string, std::string>> components; // certified like value
  nlohmann::json diagnostics = nlohmann::json::object();
};

/// Builds a request from option names (without "--"; "spectrum" included) and their texts, routing
/// --d/--w0norm2/--beta/--r to the spectrum when the quantity takes one. Used by the CLI, the golden
/// check and the tests, so all three read parameters identically.
eval_request build_request(const std::string& quantity, const std::map<std::string, std::string>& options, int digits);

/// Splits "--name value --name2 value2" (as stored in reference/golden tables) into options.
std::map<std::string, std::string> parse_option_string(const std::string& args);

/// Validates the request (unknown/missing parameters, domains) and evaluates it with every printed
/// digit certified: exact rationals are rounded exactly; other quantities are evaluated at D + guard
/// digits by the primary method and at D + 2·guard by the independent one (§8.4), and the printed
/// digits must be those of every value within twice their difference (else more guard digits, and
/// finally a convergence_error rather than a wrong digit).
eval_output evaluate_certified(const eval_request& req);

/// Fast double-precision value of a (non-certified) quantity, for sweeps in the harness.
double evaluate_double(const eval_request& req);

}  // namespace collapse::eval
