// harness/suite_file.hpp -- reading suite files (data/suites/*.toml) and their values, with every
// error naming the file, the line and what was expected.
#pragma once

#include <toml++/toml.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace collapse::harness {

/// A malformed suite file: the message starts with "FILE:LINE:COLUMN: ".
class suite_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct suite_file {
  std::string name;  // file stem
  std::string path;
  toml::table table;
  std::string text;  // the file's bytes (its hash keys the checkpoints)
};

/// Parses a suite file and checks the common header: result, section and kind (strings).
suite_file load_suite_file(const std::string& path);

/// *.toml files of a directory, sorted by name.
std::vector<std::string> list_suite_files(const std::string& dir);

/// "FILE:LINE:COLUMN" of a node (or "FILE" when the node has no position).
std::string where(const toml::node& n);

/// Typed access; a missing key or a value of the wrong type is a suite_error at the right line.
const toml::table& req_table(const toml::table& t, const std::string& key);
std::string req_string(const toml::table& t, const std::string& key);
std::string opt_string(const toml::table& t, const std::string& key, const std::string& fallback);
long req_int(const toml::table& t, const std::string& key, long min_value);
long opt_int(const toml::table& t, const std::string& key, long fallback, long min_value);
double opt_number(const toml::table& t, const std::string& key, double fallback);
double req_number(const toml::table& t, const std::string& key);
/// An integer or an array of integers.
std::vector<long> req_int_list(const toml::table& t, const std::string& key, long min_value);
/// A number given as an integer, a float or a string ("2/3", "1e-2"), as exact-number text.
std::string req_param(const toml::table& t, const std::string& key);
std::vector<std::string> req_param_list(const toml::table& t, const std::string& key);
/// The array of tables `key` ([[case]]), at least one.
std::vector<const toml::table*> req_table_array(const toml::table& t, const std::string& key);

/// Throws suite_error "where(n): msg".
[[noreturn]] void fail_at(const toml::node& n, const std::string& msg);

}  // namespace collapse::harness
