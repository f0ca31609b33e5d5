// harness/suite_file.cpp -- see suite_file.hpp.
#include "harness/suite_file.hpp"

#include "eval/catalogue.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace collapse::harness {

std::string where(const toml::node& n) {
  const auto& src = n.source();
  std::string file = src.path ? std::string(*src.path) : std::string("(suite)");
  if (src.begin.line == 0) return file;
  return fmt::format("{}:{}:{}", file, src.begin.line, src.begin.column);
}

eval::domain parameter_domain(const std::string& key) {
  // keys only suite files have, or that mean something narrower or wider in a suite than in the catalogue
  if (key == "d") return eval::integer_in(1, 100000, {}, "the simulated dimension");
  if (key == "phi0" || key == "T_per_d" || key == "T0_per_d" || key == "c" || key == "d_fixed" || key == "from" || key == "to" ||
      key == "T_min" || key == "T_max" || key == "T_max_full")
    return eval::positive();  // phi0: the §5 chain's d/T0 (any > 0); the catalogue's phi0 > 1 is the over-parameterised one
  // a parameter of `collapse eval`: the loosest range any catalogue entry gives it
  std::optional<eval::domain> best;
  auto looser = [](const eval::domain& a, const eval::domain& b) {  // a admits more than b
    if (a.hi.has_value() != b.hi.has_value()) return !a.hi.has_value();
    if (a.hi && *a.hi != *b.hi) return *a.hi > *b.hi;
    if (a.lo != b.lo) return a.lo < b.lo;
    if (a.integer != b.integer) return !a.integer;
    return !a.lo_open && b.lo_open;
  };
  for (const auto& q : eval::catalogue())
    if (const eval::parameter* p = q.find_parameter(key))
      if (!best || looser(p->range, *best)) best = p->range;
  return best ? *best : eval::non_negative();
}

std::string parameter_range(const std::string& key) { return parameter_domain(key).describe(key); }

namespace {

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

/// The value as the user wrote it, for messages.
std::string shown(const toml::node& n) {
  if (auto s = n.as_string()) return "\"" + s->get() + "\"";
  if (auto i = n.as_integer()) return std::to_string(i->get());
  if (auto d = n.as_floating_point()) return fmt::format("{}", d->get());
  if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
  return "(" + type_of(n) + ")";
}

}  // namespace

entries::entries(const toml::table& t, std::string file) : state_(std::make_shared<state>(state{&t, std::move(file), {}, {}})) {}

std::string entries::where() const { return harness::where(*state_->t); }

std::string entries::where(const std::string& key) const {
  const toml::node* n = state_->t->get(key);
  return n ? harness::where(*n) : where();
}

bool entries::has(const std::string& key) const {
  state_->read.insert(key);
  return state_->t->get(key) != nullptr;
}

void entries::known(const std::string& key) const { state_->read.insert(key); }

void entries::fail(const std::string& key, const std::string& value, const std::string& range, const std::string& why) const {
  throw suite_error(where(key), key, value, range, why);
}

const toml::node& entries::need(const std::string& key, const std::string& expected) const {
  state_->read.insert(key);
  const toml::node* n = state_->t->get(key);
  if (!n) throw suite_error(where(), key, "(missing)", expected, "a required key of this table");
  return *n;
}

std::string entries::text(const std::string& key) const {
  const auto& n = need(key, "a string");
  if (!n.is_string()) fail(key, shown(n), "a string", "found " + type_of(n));
  return n.as_string()->get();
}

std::string entries::text(const std::string& key, const std::string& fallback) const {
  return has(key) ? text(key) : fallback;
}

std::string entries::choice(const std::string& key, const std::vector<std::string>& allowed, bool fallback) const {
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "one of: \"" : ", \"") + a + "\"";
  if (fallback && !has(key)) return allowed.front();
  const auto& n = need(key, list);
  if (!n.is_string()) fail(key, shown(n), list, "found " + type_of(n));
  const std::string v = n.as_string()->get();
  if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) fail(key, shown(n), list);
  return v;
}

long entries::integer(const std::string& key, long lo, long hi) const {
  const std::string range = fmt::format("an integer {} <= {} <= {}", lo, key, hi);
  const auto& n = need(key, range);
  if (!n.is_integer()) fail(key, shown(n), range, "found " + type_of(n));
  const auto v = n.as_integer()->get();
  if (v < lo || v > hi) fail(key, shown(n), range);
  return static_cast<long>(v);
}

long entries::integer(const std::string& key, long lo, long hi, long fallback) const {
  return has(key) ? integer(key, lo, hi) : fallback;
}

std::vector<long> entries::integers(const std::string& key, long lo, long hi) const {
  const std::string range = fmt::format("an integer {} <= {} <= {}, or an array of them", lo, key, hi);
  const auto& n = need(key, range);
  std::vector<long> out;
  auto take = [&](const toml::node& x) {
    if (!x.is_integer()) throw suite_error(harness::where(x), key, shown(x), range, "found " + type_of(x));
    const auto v = x.as_integer()->get();
    if (v < lo || v > hi) throw suite_error(harness::where(x), key, shown(x), range);
    out.push_back(static_cast<long>(v));
  };
  if (auto a = n.as_array()) {
    if (a->empty()) fail(key, "[]", range, "at least one value");
    for (const auto& x : *a) take(x);
  } else {
    take(n);
  }
  return out;
}

namespace {
/// An exact number from one TOML value, checked against the parameter's range.
exact_number exact_of(const toml::node& n, const std::string& key) {
  const std::string range = parameter_range(key);
  std::string text;
  if (auto i = n.as_integer()) text = std::to_string(i->get());
  else if (auto d = n.as_floating_point()) {
    if (!std::isfinite(d->get())) throw suite_error(where(n), key, shown(n), "a finite number, " + range);
    text = fmt::format("{}", d->get());  // shortest round-trip decimal: 0.4 is 2/5
  } else if (auto s = n.as_string()) text = s->get();
  else throw suite_error(where(n), key, shown(n), "a number (integer, float or string such as \"2/3\"), " + range, "found " + type_of(n));
  exact_number x;
  try {
    x = parse_exact(key, text);
  } catch (const collapse::domain_error& e) {
    throw suite_error(where(n), key, shown(n), "a finite number, " + range, e.what());
  }
  const bool ok = parameter_domain(key).contains(x.value);
  if (!ok) throw suite_error(where(n), key, shown(n), range);
  return x;
}
}  // namespace

exact_number entries::number(const std::string& key) const {
  return exact_of(need(key, "a number (integer, float or string such as \"2/3\")"), key);
}

exact_number entries::number(const std::string& key, const std::string& fallback) const {
  return has(key) ? number(key) : parse_exact(key, fallback);
}

std::vector<exact_number> entries::numbers(const std::string& key) const {
  const auto& n = need(key, "a number or an array of numbers");
  std::vector<exact_number> out;
  if (auto a = n.as_array()) {
    if (a->empty()) fail(key, "[]", "a number or an array of numbers", "at least one value");
    for (const auto& x : *a) out.push_back(exact_of(x, key));
  } else {
    out.push_back(exact_of(n, key));
  }
  return out;
}

double entries::tolerance(const std::string& key, double lo, double hi, bool lo_inclusive) const {
  const std::string range = fmt::format("a finite number {} {} {} <= {}", lo, lo_inclusive ? "<=" : "<", key, hi);
  const auto& n = need(key, range);
  double v;
  if (auto i = n.as_integer()) v = static_cast<double>(i->get());
  else if (auto d = n.as_floating_point()) v = d->get();
  else fail(key, shown(n), range, "found " + type_of(n));
  const bool above = lo_inclusive ? v >= lo : v > lo;
  if (!std::isfinite(v) || !above || !(v <= hi)) fail(key, shown(n), range, "a tolerance outside it would disable or invert the check");
  return v;
}

entries entries::child(const toml::table& t) const {
  auto s = std::make_shared<state>(state{&t, state_->file, {}, {}});
  state_->children.push_back(s);
  return entries(s);
}

entries entries::table(const std::string& key) const {
  const auto& n = need(key, "a table [" + key + "]");
  if (!n.is_table()) fail(key, shown(n), "a table [" + key + "]", "found " + type_of(n));
  return child(*n.as_table());
}

std::optional<entries> entries::optional_table(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return table(key);
}

std::vector<entries> entries::tables(const std::string& key) const {
  const std::string expected = "one or more [[" + key + "]] tables";
  const auto& n = need(key, expected);
  const auto* a = n.as_array();
  if (!a || a->empty()) fail(key, shown(n), expected);
  std::vector<entries> out;
  for (const auto& x : *a) {
    if (!x.is_table()) throw suite_error(harness::where(x), key, shown(x), expected, "found " + type_of(x));
    out.push_back(child(*x.as_table()));
  }
  return out;
}

void entries::check_unknown() const {
  for (const auto& [k, v] : *state_->t) {
    const std::string key(k.str());
    if (state_->read.count(key)) continue;
    std::string known;
    for (const auto& r : state_->read) known += (known.empty() ? "" : ", ") + r;
    throw suite_error(harness::where(v), key, shown(v), "one of the keys this table takes: " + known, "unknown key");
  }
  for (const auto& c : state_->children) entries(c).check_unknown();
}

// ---- files -------------------------------------------------------------------------------------------

suite_file load_suite_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw suite_error(path, "suite file", "(unreadable)", "a readable TOML file", ec.message());
  if (size > (1u << 20)) throw suite_error(path, "suite file", fmt::format("{} bytes", size), "at most 1 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw suite_error(path, "suite file", "(unreadable)", "a readable TOML file");
  std::ostringstream ss;
  ss << in.rdbuf();
  suite_file f;
  f.path = path;
  f.text = ss.str();
  f.name = std::filesystem::path(path).stem().string();
  try {
    f.table = std::make_shared<toml::table>(toml::parse(f.text, path));
  } catch (const toml::parse_error& e) {
    const auto& s = e.source();
    throw suite_error(fmt::format("{}:{}:{}", path, s.begin.line, s.begin.column), "TOML", "(malformed)", "valid TOML",
                      std::string(e.description()));
  }
  const auto root = f.root();
  root.text("result");
  root.text("section");
  root.text("kind");
  return f;
}

std::vector<std::string> list_suite_files(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw collapse::domain_error("--suites-dir", dir, "a directory of *.toml suite files");
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".toml") out.push_back(e.path().string());
  if (ec) throw collapse::domain_error("--suites-dir", dir, "a readable directory of *.toml suite files", ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace collapse::harness
