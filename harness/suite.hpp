// harness/suite.hpp -- the contract between the verification harness (`collapse verify`, suites as TOML
// files in data/suites/) and the code that checks one result of the theory document.
//
// A *suite kind* (harness/kinds/, one file per kind, listed once in harness/kinds/registry.cpp) is a
// function that reads its suite file through `entries` (harness/suite_file.hpp) and returns one row per
// grid point. Every row carries the criteria of its acceptance rule -- the measured statistic, the
// bound and the sense -- so that the verdict, the fraction of the tolerance used and the worst row are
// computed the same way for every kind (judge(), summarise()), and a checkpointed row can be re-judged.
// The harness owns running, progress, checkpoints (--report DIR / --resume), the summary table and the
// report; a kind only computes rows, asking the context for a cached row before computing one and
// storing each row as soon as it is done.
#pragma once

#include "harness/suite_file.hpp"
#include "numerics/simulate.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace collapse::harness {

/// One inequality of an acceptance rule, with the measured statistic.
struct criterion {
  enum class bound {
    abs_at_most,    // |value| <= limit          used = |value| / limit
    at_most,        // value <= limit (one-sided) used = value / limit (negative: far inside)
    at_least,       // value >= limit (digits)    used = limit / value
    factor_at_most  // value <= limit, value >= 1 used = log(value) / log(limit)
  };
  std::string statistic;  // "z", "se/exact", "rel", "digits", "factor", ...
  double value = 0;
  double limit = 0;
  bound sense = bound::abs_at_most;

  bool met() const;
  /// Fraction of the tolerance used: <= 1 passes, > 1 fails; +inf for a non-finite statistic.
  double used() const;
  /// "|z| <= 3.5" etc.
  std::string rule_text() const;
};

/// One grid point of a suite: theory vs observation, and the discrepancy in the suite's own units.
struct check_row {
  std::string key;                            // unique within the suite, stable across runs (checkpoint key)
  std::map<std::string, std::string> params;  // the grid point, as given
  std::string theory;                         // theory value as printed (full precision when known)
  double theory_value = 0;
  double observed = 0;                        // simulation mean / measured slope / located point
  double se = 0;                              // standard error of `observed` (0 when deterministic)
  double discrepancy = 0;                     // in `units`: z-score, relative error, digits, ... (figures)
  std::string units;                          // "z", "rel", "digits", "factor", ...
  std::vector<criterion> criteria;            // the acceptance rule at this row; pass = all met
  bool pass = false;
  std::string note;
};

/// pass = every criterion met (and at least one criterion).
bool judge(const check_row& r);
/// The largest used() over the row's criteria (+inf when it has none).
double used(const check_row& r);
/// The criterion with the largest used().
const criterion& binding(const check_row& r);

struct suite_result {
  std::string name;     // file stem, e.g. "ols-exact"
  std::string result;   // what it checks, e.g. "exact OLS collapse, any Sigma"
  std::string section;  // e.g. "§2.3"
  std::string rule;     // the acceptance rule in words, with its numbers (k, bounds, seed)
  std::vector<check_row> rows;
  bool pass = false;
  double used = 0;        // max over rows of the fraction of the tolerance used
  std::string worst_key;  // the row that uses most of it (one rule for every kind)
  std::string worst;      // its binding statistic, formatted: "z = 2.24 (|z| <= 3.5) at powerlaw/n=2"
  double seconds = 0;
  nlohmann::json extra = nlohmann::json::object();  // fits, extrapolations, ... for the report
};

/// Fills pass, used, worst_key and worst from the rows.
void summarise(suite_result& res);

struct suite_context {
  std::uint64_t seed = 20240707;
  int threads = 2;
  bool full = false;        // --full: the larger sizes
  bool check_only = false;  // read and check the whole suite file, compute nothing
  std::function<void(const std::string&)> progress;                        // one line to stderr
  std::function<std::optional<check_row>(const std::string& key)> cached;  // --resume: a finished row
  std::function<void(const check_row&)> store;                             // checkpoint a finished row
  /// Issue 10, a run shared by several processes: whether this process computes the row group `keys`
  /// (asked before `cached`); false: another process does, and the kind goes on with placeholder rows
  /// (kinds/common.cpp), which only the first pass of harness/runner.cpp ever sees.
  std::function<bool(const std::vector<std::string>& keys)> claim;
  /// Issue 10: every per-trial value of a fixed-trials simulation, as numerics::run_trials gives them
  /// (null: run_trials itself). A shared run splits the trials into parts computed by several processes
  /// (harness/trial_parts.hpp); the table is the same bit for bit, or a placeholder (never reported) in
  /// the first pass of a process that did not compute every part. Kinds call it via kinds::run_case.
  std::function<numerics::trial_table(const numerics::simulation_config&)> trials;
};

/// The seed of one simulation of a suite: the run's --seed, the suite's seed_offset and the index of
/// the simulation within the suite (SplitMix64 finaliser of both). The one derivation every kind uses.
std::uint64_t block_seed(std::uint64_t run_seed, long seed_offset, long block);

using suite_kind_fn = std::function<suite_result(const entries& suite, const suite_context& ctx)>;

struct suite_kind {
  std::string name;
  std::string description;
  suite_kind_fn run;
  /// Issue 10: the cost of a row group is its simulations, all run through suite_context::trials, and the
  /// rest of a group is cheap: a shared run lets every process enter every group and splits the
  /// simulations into trial ranges instead of handing out whole groups (harness/runner.hpp row_sharing).
  bool splits_trials = false;
};

/// Every kind (harness/kinds/registry.cpp).
const std::vector<suite_kind>& suite_kinds();
/// The kind, or a domain_error listing the known kinds.
const suite_kind& find_suite_kind(const std::string& kind);

}  // namespace collapse::harness
