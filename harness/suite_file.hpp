// harness/suite_file.hpp -- the one way the harness reads suite files (data/suites/*.toml): typed
// accessors over toml++ that check every value against its stated range and name FILE:LINE:COLUMN,
// the key, the value and the range on any error; and the keys read, so that an unknown key (a typo
// such as `full_trails`) is an error rather than silently ignored.
#pragma once

#include "eval/catalogue.hpp"
#include "theory/errors.hpp"
#include "theory/rational.hpp"

#include <toml++/toml.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace collapse::harness {

/// A broken suite file (or checkpoint): input error, exit 2. what() is
/// "invalid FILE:LINE:COLUMN: KEY = VALUE: valid range is RANGE (WHY)".
class suite_error : public collapse::domain_error {
public:
  suite_error(const std::string& where, const std::string& key, const std::string& value, const std::string& range,
              const std::string& why = {})
      : collapse::domain_error(where + ": " + key, value, range, why) {}
};

/// "FILE:LINE:COLUMN" of a node (or "FILE" when the node has no position).
std::string where(const toml::node& n);

/// The range every suite-file number named `key` must lie in. A parameter of `collapse eval` takes its
/// range from the eval catalogue (eval/catalogue.hpp; the loosest among the entries that list it, e.g.
/// n an integer 0..1e6, beta in (1, 64], T > 0); the suite-only keys have their own (d an integer
/// 1..100000, the simulated dimension; phi0, T_per_d, T0_per_d, c, d_fixed, from, to, T_min, T_max,
/// T_max_full > 0); anything else >= 0.
eval::domain parameter_domain(const std::string& key);
/// parameter_domain(key) as printed in errors, e.g. "T > 0".
std::string parameter_range(const std::string& key);

/// One TOML table of a suite file with the keys read so far. Copies share that record, so a kind can
/// pass entries around; check_unknown() on the root then covers every table read through it.
class entries {
public:
  entries(const toml::table& t, std::string file);

  std::string where() const;                       // of the table
  std::string where(const std::string& key) const; // of the key's value, or of the table when absent
  bool has(const std::string& key) const;          // also declares the key known
  void known(const std::string& key) const;        // declares a key read elsewhere

  std::string text(const std::string& key) const;
  std::string text(const std::string& key, const std::string& fallback) const;
  /// A string that must be one of `allowed` (the first is the default when `fallback`).
  std::string choice(const std::string& key, const std::vector<std::string>& allowed, bool fallback = false) const;
  /// An integer lo <= v <= hi.
  long integer(const std::string& key, long lo, long hi) const;
  long integer(const std::string& key, long lo, long hi, long fallback) const;
  /// An integer or an array of integers, each in [lo, hi], at least one.
  std::vector<long> integers(const std::string& key, long lo, long hi) const;
  /// An exact number (integer, float through its shortest decimal, or string such as "2/3", "1e-2"),
  /// checked against parameter_range(key).
  exact_number number(const std::string& key) const;
  exact_number number(const std::string& key, const std::string& fallback) const;
  std::vector<exact_number> numbers(const std::string& key) const;
  /// An acceptance tolerance: a finite number with lo < v <= hi (lo <= v when lo_inclusive). The
  /// range is the rule's own (e.g. 0 < z_max <= 10): inf, 1e308, NaN and negatives are input errors.
  double tolerance(const std::string& key, double lo, double hi, bool lo_inclusive = false) const;

  entries table(const std::string& key) const;
  std::optional<entries> optional_table(const std::string& key) const;
  /// The array of tables [[key]], at least one.
  std::vector<entries> tables(const std::string& key) const;

  /// Throws suite_error at the first key of this table or of any table read through it that no
  /// accessor asked for, listing the keys that were.
  void check_unknown() const;

  [[noreturn]] void fail(const std::string& key, const std::string& value, const std::string& range,
                         const std::string& why = {}) const;
  const toml::table& raw() const { return *state_->t; }

private:
  struct state {
    const toml::table* t;
    std::string file;
    mutable std::set<std::string> read;
    mutable std::vector<std::shared_ptr<state>> children;
  };
  explicit entries(std::shared_ptr<state> s) : state_(std::move(s)) {}
  const toml::node& need(const std::string& key, const std::string& expected) const;
  entries child(const toml::table& t) const;
  std::shared_ptr<state> state_;
};

struct suite_file {
  std::string name;  // file stem
  std::string path;
  std::shared_ptr<toml::table> table;
  std::string text;  // the file's bytes (its hash keys the checkpoints)
  entries root() const { return entries(*table, path); }
};

/// Parses a suite file (at most 1 MiB) and checks the common header: result, section, kind.
suite_file load_suite_file(const std::string& path);

/// *.toml files of a directory, sorted by name; a missing directory is an error naming --suites-dir.
std::vector<std::string> list_suite_files(const std::string& dir);

}  // namespace collapse::harness
