// harness/golden.cpp -- see golden.hpp.
#include "harness/golden.hpp"
#include "harness/data_dir.hpp"
#include "harness/suite_file.hpp"

#include "formula/formula.hpp"

#include "eval/numerical_minimum.hpp"
#include "report/output.hpp"
#include "eval/digits.hpp"

#include "theory/errors.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <iostream>
#include <sstream>

namespace collapse::harness {

using namespace collapse::eval;

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

/// Splits one CSV line (RFC 4180 quoting, as written by csv_field).
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { cur += '"'; ++i; }
      else if (c == '"') quoted = false;
      else cur += c;
    } else if (c == '"') quoted = true;
    else if (c == ',') { out.push_back(cur); cur.clear(); }
    else cur += c;
  }
  out.push_back(cur);
  return out;
}

}  // namespace

eval::eval_request parse_eval_arguments(const std::string& quantity, const std::string& arguments, int digits) {
  return eval::build_request(quantity, eval::parse_option_string(arguments), digits, data_root());
}

formula::formula suite_formula(const std::string& quantity, const std::string& base_dir) {
  const std::string prefix = "suite:";
  const auto slash = quantity.rfind('/');
  if (quantity.rfind(prefix, 0) != 0 || slash == std::string::npos || slash <= prefix.size() || slash + 1 == quantity.size())
    throw domain_error("quantity", quantity, "suite:NAME/KEY (NAME a suite of data/suites/, or a path ending in .toml; KEY formula or rival)");
  const std::string name = quantity.substr(prefix.size(), slash - prefix.size()), key = quantity.substr(slash + 1);
  const bool path = name.size() > 5 && name.substr(name.size() - 5) == ".toml";
  std::string file = path ? name : data_dir() + "/suites/" + name + ".toml";
  if (path && std::filesystem::path(name).is_relative() && !base_dir.empty()) file = (std::filesystem::path(base_dir) / name).string();
  const suite_file sf = load_suite_file(file);
  const entries th = sf.root().table("theory");
  const std::string text = th.text(key);
  try {
    return formula::formula::parse(text);
  } catch (const domain_error& e) {
    throw suite_error(th.where(key), key, "\"" + text + "\"", "a formula (docs/formulas.md)", e.what());
  }
}

eval::eval_output evaluate_golden(const std::string& quantity, const std::string& arguments, int digits, const std::string& base_dir) {
  if (quantity.rfind("suite:", 0) != 0) return eval::evaluate_certified(parse_eval_arguments(quantity, arguments, digits));
  const formula::formula f = suite_formula(quantity, base_dir);
  return formula::evaluate_certified(f, formula::point_of(f, eval::parse_option_string(arguments), data_root()), digits);
}

std::vector<golden_row> read_golden(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw domain_error("--golden-file", path, "a readable golden CSV (collapse verify --write-golden writes one)");
  std::vector<golden_row> rows;
  std::string line;
  int lineno = 0;
  bool header = false;
  std::map<std::pair<std::string, std::string>, int> seen;  // (quantity, arguments) -> line
  static const std::regex decimal(R"(-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?)");
  while (std::getline(in, line)) {
    ++lineno;
    if (trim(line).empty() || line[0] == '#') continue;
    auto f = split_csv(line);
    const std::string where = path + ":" + std::to_string(lineno);
    if (!header) {
      if (f.size() != 5 || f[0] != "quantity" || f[1] != "arguments" || f[2] != "digits" || f[3] != "value" || f[4] != "command")
        throw domain_error("golden file", where, "the header quantity,arguments,digits,value,command");
      header = true;
      continue;
    }
    // every row is checked whole, naming FILE:LINE: a malformed row is never half-read or left to a
    // library's message
    if (f.size() != 5)
      throw domain_error("golden file", where, "a row of 5 fields quantity,arguments,digits,value,command", fmt::format("it has {}", f.size()));
    if (f[0].empty() || f[0] != trim(f[0])) throw domain_error("golden file", where, "a quantity name", "found '" + f[0] + "'");
    if (f[2].empty() || f[2].size() > 4 || f[2].find_first_not_of("0123456789") != std::string::npos || std::stoi(f[2]) < 10 ||
        std::stoi(f[2]) > 1000)
      throw domain_error("golden file", where, "an integer digits column 10 <= digits <= 1000", "found '" + f[2] + "'");
    if (!std::regex_match(f[3], decimal))
      throw domain_error("golden file", where, "a decimal value such as -1.25e-7 (no spaces)", "found '" + f[3] + "'");
    if (auto [it, fresh] = seen.emplace(std::pair{f[0], f[1]}, lineno); !fresh)
      throw domain_error("golden file", where, "each point once", fmt::format("{} {} is also line {}", f[0], f[1], it->second));
    golden_row r;
    r.quantity = f[0];
    r.arguments = f[1];
    r.digits = std::stoi(f[2]);
    r.value = f[3];
    r.line = lineno;
    rows.push_back(r);
  }
  if (!header) throw domain_error("golden file", path, "a header line quantity,arguments,digits,value,command");
  if (rows.empty()) throw domain_error("golden file", path, "at least one row after the header", "a check of no values checks nothing");
  return rows;
}

void write_golden(const std::string& points_path, const std::string& out_path, int digits, std::ostream& log) {
  std::ifstream in(points_path);
  if (!in) throw domain_error("--golden-points", points_path, "a readable list of points, one 'QUANTITY --param value ...' per line");
  std::string csv = "# Golden values of the `collapse eval` catalogue: every digit certified (primary vs independent route).\n"
                    "# Generated by `collapse verify --write-golden` from data/golden/points.txt; the last column is the\n"
                    "# command that reproduces each row. Checked by `collapse verify --golden` (ctest: verify golden).\n"
                    "quantity,arguments,digits,value,command\n";
  std::string line;
  int lineno = 0, points = 0;
  while (std::getline(in, line)) {
    ++lineno;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.find(' ');
    std::string q = line.substr(0, sp), args = sp == std::string::npos ? "" : trim(line.substr(sp + 1));
    eval::eval_output o;
    try {
      o = evaluate_golden(q, args, digits, std::filesystem::path(points_path).parent_path().string());
    } catch (const std::exception& e) {
      throw std::runtime_error(points_path + ":" + std::to_string(lineno) + ": " + e.what());
    }
    log << fmt::format("golden {:>3}: {} {} = {}\n", lineno, q, args, o.value) << std::flush;
    const std::string command = q.rfind("suite:", 0) == 0 ? fmt::format("collapse eval --expr '<{} in the suite file>' {} --digits {}", q, args, digits)
                                                          : fmt::format("collapse eval {} {} --digits {}", q, args, digits);
    csv += report::csv_field(q) + "," + report::csv_field(args) + "," + std::to_string(digits) + "," + report::csv_field(o.value) + "," +
           report::csv_field(command) + "\n";
    ++points;
  }
  if (points == 0)
    throw domain_error("--golden-points", points_path, "a list of at least one point, one 'QUANTITY --param value ...' per line",
                       "an empty catalogue would check nothing");
  report::write_file_atomic(out_path, csv);
}

std::vector<golden_check> check_golden(const std::string& path, std::ostream& log) {
  std::vector<golden_check> out;
  for (const auto& r : read_golden(path)) {
    golden_check c;
    c.row = r;
    try {
      c.now = evaluate_golden(r.quantity, r.arguments, r.digits, std::filesystem::path(path).parent_path().string()).value;
    } catch (const std::exception& e) {
      c.error = e.what();
      c.now = "error: " + c.error;
      c.moved = true;
      c.failed = true;
      out.push_back(c);
      continue;
    }
    c.moved = c.now != r.value;
    c.agreeing = c.moved ? eval::agreeing_digits(c.now, r.value) : r.digits;
    out.push_back(c);
  }
  (void)log;
  return out;
}

int accept_golden(const std::string& path, const std::vector<golden_check>& checks) {
  std::ifstream in(path);
  if (!in) throw domain_error("--golden-file", path, "a readable golden CSV");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  int accepted = 0;
  for (const auto& c : checks) {
    if (!c.moved) continue;
    const std::string where = path + ":" + std::to_string(c.row.line);
    if (c.failed)
      throw domain_error("--accept", where, "rows that still evaluate", "an error is not a value to accept; the row fails now: " + c.error);
    if (c.row.line < 1 || static_cast<std::size_t>(c.row.line) > lines.size())
      throw domain_error("--accept", where, "a line of the file as it was checked", "the file changed while it was checked");
    auto f = split_csv(lines[c.row.line - 1]);
    if (f.size() < 4 || f[0] != c.row.quantity || f[1] != c.row.arguments || f[3] != c.row.value)
      throw domain_error("--accept", where, "the row as it was checked", "the file changed while it was checked");
    f[3] = c.now;
    std::string line;
    for (std::size_t i = 0; i < f.size(); ++i) line += (i ? "," : "") + report::csv_field(f[i]);
    lines[c.row.line - 1] = line;
    ++accepted;
  }
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  if (accepted > 0) report::write_file_atomic(path, text);
  return accepted;
}

}  // namespace collapse::harness
