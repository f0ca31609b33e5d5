// harness/suite_file.cpp -- see suite_file.hpp.
#include "harness/suite_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace collapse::harness {

std::string where(const toml::node& n) {
  const auto& src = n.source();
  std::string file = src.path ? *src.path : std::string("(suite)");
  if (src.begin.line == 0) return file;
  return fmt::format("{}:{}:{}", file, src.begin.line, src.begin.column);
}

void fail_at(const toml::node& n, const std::string& msg) { throw suite_error(where(n) + ": " + msg); }

suite_file load_suite_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw suite_error(path + ": cannot open suite file");
  std::ostringstream ss;
  ss << in.rdbuf();
  suite_file f;
  f.path = path;
  f.text = ss.str();
  f.name = std::filesystem::path(path).stem().string();
  try {
    f.table = toml::parse(f.text, path);
  } catch (const toml::parse_error& e) {
    const auto& s = e.source();
    throw suite_error(fmt::format("{}:{}:{}: malformed TOML: {}", path, s.begin.line, s.begin.column, e.description()));
  }
  req_string(f.table, "result");
  req_string(f.table, "section");
  req_string(f.table, "kind");
  return f;
}

std::vector<std::string> list_suite_files(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".toml") out.push_back(e.path().string());
  if (ec) throw suite_error(dir + ": cannot list suite directory (" + ec.message() + ")");
  std::sort(out.begin(), out.end());
  return out;
}

namespace {
const toml::node& need(const toml::table& t, const std::string& key, const char* expected) {
  const toml::node* n = t.get(key);
  if (!n) fail_at(t, fmt::format("missing key '{}' (expected {})", key, expected));
  return *n;
}
std::string type_of(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date/time";
  }
}
std::string number_text(const toml::node& n, const std::string& key) {
  if (auto i = n.as_integer()) return std::to_string(i->get());
  if (auto d = n.as_floating_point()) return fmt::format("{}", d->get());  // shortest round-trip text
  if (auto s = n.as_string()) {
    if (s->get().empty()) fail_at(n, fmt::format("'{}': expected a number, found an empty string", key));
    return s->get();
  }
  fail_at(n, fmt::format("'{}': expected a number (integer, float or string such as \"2/3\"), found {}", key, type_of(n)));
}
}  // namespace

const toml::table& req_table(const toml::table& t, const std::string& key) {
  const auto& n = need(t, key, "a table");
  if (!n.is_table()) fail_at(n, fmt::format("'{}': expected a table, found {}", key, type_of(n)));
  return *n.as_table();
}

std::string req_string(const toml::table& t, const std::string& key) {
  const auto& n = need(t, key, "a string");
  if (!n.is_string()) fail_at(n, fmt::format("'{}': expected a string, found {}", key, type_of(n)));
  return n.as_string()->get();
}

std::string opt_string(const toml::table& t, const std::string& key, const std::string& fallback) {
  return t.get(key) ? req_string(t, key) : fallback;
}

long req_int(const toml::table& t, const std::string& key, long min_value) {
  const auto& n = need(t, key, "an integer");
  if (!n.is_integer()) fail_at(n, fmt::format("'{}': expected an integer, found {}", key, type_of(n)));
  long v = static_cast<long>(n.as_integer()->get());
  if (v < min_value) fail_at(n, fmt::format("'{}' = {}: expected an integer >= {}", key, v, min_value));
  return v;
}

long opt_int(const toml::table& t, const std::string& key, long fallback, long min_value) {
  return t.get(key) ? req_int(t, key, min_value) : fallback;
}

double req_number(const toml::table& t, const std::string& key) {
  const auto& n = need(t, key, "a number");
  if (auto i = n.as_integer()) return static_cast<double>(i->get());
  if (auto d = n.as_floating_point()) return d->get();
  fail_at(n, fmt::format("'{}': expected a number, found {}", key, type_of(n)));
}

double opt_number(const toml::table& t, const std::string& key, double fallback) {
  return t.get(key) ? req_number(t, key) : fallback;
}

std::vector<long> req_int_list(const toml::table& t, const std::string& key, long min_value) {
  const auto& n = need(t, key, "an integer or an array of integers");
  std::vector<long> out;
  auto take = [&](const toml::node& x) {
    if (!x.is_integer()) fail_at(x, fmt::format("'{}': expected an integer, found {}", key, type_of(x)));
    long v = static_cast<long>(x.as_integer()->get());
    if (v < min_value) fail_at(x, fmt::format("'{}' = {}: expected an integer >= {}", key, v, min_value));
    out.push_back(v);
  };
  if (auto a = n.as_array()) {
    if (a->empty()) fail_at(n, fmt::format("'{}': expected at least one integer", key));
    for (const auto& x : *a) take(x);
  } else {
    take(n);
  }
  return out;
}

std::string req_param(const toml::table& t, const std::string& key) {
  return number_text(need(t, key, "a number (integer, float or string such as \"2/3\")"), key);
}

std::vector<std::string> req_param_list(const toml::table& t, const std::string& key) {
  const auto& n = need(t, key, "a number or an array of numbers");
  std::vector<std::string> out;
  if (auto a = n.as_array()) {
    if (a->empty()) fail_at(n, fmt::format("'{}': expected at least one number", key));
    for (const auto& x : *a) out.push_back(number_text(x, key));
  } else {
    out.push_back(number_text(n, key));
  }
  return out;
}

std::vector<const toml::table*> req_table_array(const toml::table& t, const std::string& key) {
  const auto& n = need(t, key, fmt::format("one or more [[{}]] tables", key).c_str());
  const auto* a = n.as_array();
  if (!a || a->empty()) fail_at(n, fmt::format("'{}': expected one or more [[{}]] tables", key, key));
  std::vector<const toml::table*> out;
  for (const auto& x : *a) {
    if (!x.is_table()) fail_at(x, fmt::format("'{}': expected a table, found {}", key, type_of(x)));
    out.push_back(x.as_table());
  }
  return out;
}

}  // namespace collapse::harness
