// harness/suite.hpp -- the contract between the verification harness (`collapse verify`, suites as TOML
// files in data/suites/) and the code that checks one result of the theory document.
//
// A *suite kind* is a function that reads its TOML table (grid, settings, acceptance rule) and returns
// one row per grid point. The harness owns running, progress, checkpoints (--report DIR / --resume),
// the summary table and the report; a kind only computes rows, asking the context for a cached row
// before computing one and storing each row as soon as it is done.
#pragma once

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace collapse::harness {

/// One grid point of a suite: theory vs observation, and the discrepancy in the suite's own units.
struct check_row {
  std::string key;                            // unique within the suite, stable across runs (checkpoint key)
  std::map<std::string, std::string> params;  // the grid point, as given
  std::string theory;                         // theory value as printed (full precision when known)
  double theory_value = 0;
  double observed = 0;                        // simulation mean / measured slope / located point
  double se = 0;                              // standard error of `observed` (0 when deterministic)
  double discrepancy = 0;                     // in `units`: z-score, relative error, digits, ...
  std::string units;                          // "z", "rel", "digits", "abs", ...
  bool pass = false;
  std::string note;
};

struct suite_result {
  std::string name;     // file stem, e.g. "ols-exact"
  std::string result;   // what it checks, e.g. "exact OLS collapse, any Sigma"
  std::string section;  // e.g. "§2.3"
  std::string rule;     // the acceptance rule in words, with its numbers (k, bounds, seed)
  std::vector<check_row> rows;
  std::string worst;    // worst discrepancy in its units, formatted
  bool pass = false;
  double seconds = 0;
  nlohmann::json extra = nlohmann::json::object();  // fits, extrapolations, ... for the report
};

struct suite_context {
  std::uint64_t seed = 20240707;
  int threads = 2;
  bool full = false;  // --full: the larger sizes
  std::function<void(const std::string&)> progress;                        // one line to stderr
  std::function<std::optional<check_row>(const std::string& key)> cached;  // --resume: a finished row
  std::function<void(const check_row&)> store;                             // checkpoint a finished row
};

using suite_kind_fn = std::function<suite_result(const toml::table& suite, const suite_context& ctx)>;

void register_suite_kind(const std::string& kind, suite_kind_fn fn);
/// The kind, or a domain_error listing the known kinds.
const suite_kind_fn& find_suite_kind(const std::string& kind);
std::vector<std::string> suite_kinds();

/// Registers the power-law kinds ("exponents", "crossover"; harness/suite_powerlaw.cpp).
void register_powerlaw_suite_kinds();

}  // namespace collapse::harness
