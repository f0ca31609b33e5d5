// tests/harness/test_golden.cpp -- the golden catalogue values: the committed file passes, and a value
// changed by one digit is reported with the number of digits that still agree.
#include "run_command.hpp"

#include "eval/catalogue.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using collapse::test::fresh_dir;
using collapse::test::run_collapse;
using collapse::test::slurp;

namespace {
const std::string golden = std::string(COLLAPSE_SOURCE_DIR) + "/data/golden/catalogue.csv";
}

TEST_CASE("collapse verify --golden passes on the committed golden values", "[golden]") {
  auto r = run_collapse("verify --golden");
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("0 moved") != std::string::npos);
}

TEST_CASE("collapse verify --golden detects a value perturbed in its 30th digit", "[golden]") {
  std::string text = slurp(golden);
  // perturb the first data row's value: change its 30th significant digit
  auto header = text.find("quantity,arguments,digits,value,command\n");
  REQUIRE(header != std::string::npos);
  auto row = header + std::string("quantity,arguments,digits,value,command\n").size();
  auto eol = text.find('\n', row);
  std::string line = text.substr(row, eol - row);
  // the value is the 4th CSV field
  std::size_t pos = 0;
  bool quoted = false;
  int field = 0;
  for (; pos < line.size() && field < 3; ++pos) {
    if (line[pos] == '"') quoted = !quoted;
    if (line[pos] == ',' && !quoted) ++field;
  }
  int sig = 0;
  std::size_t at = pos;
  for (; at < line.size(); ++at) {
    char c = line[at];
    if (c >= '1' && c <= '9') ++sig;
    else if (c == '0' && sig > 0) ++sig;
    if (sig == 30) break;
  }
  REQUIRE(sig == 30);
  line[at] = line[at] == '5' ? '6' : '5';
  // a short copy: the header, the perturbed row and the next two rows (re-evaluating all is the other test)
  auto third = text.find('\n', text.find('\n', eol + 1) + 1);
  text = text.substr(0, row) + line + text.substr(eol, third + 1 - eol);
  auto dir = fresh_dir("golden");
  std::ofstream(dir + "/catalogue.csv") << text;
  auto r = run_collapse("verify --golden --golden-file '" + dir + "/catalogue.csv'");
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("MOVED") != std::string::npos);
  CHECK(r.out.find("2 of 3 values unchanged (1 moved)") != std::string::npos);
  CHECK((r.out.find("agree to 29") != std::string::npos || r.out.find("agree to 30") != std::string::npos));
}

TEST_CASE("every quantity of the eval catalogue has at least one golden value", "[golden]") {
  std::set<std::string> covered;
  std::istringstream in(slurp(golden));
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#' && line.rfind("quantity,", 0) != 0) covered.insert(line.substr(0, line.find(',')));
  REQUIRE(covered.size() >= 2);
  for (const auto& q : collapse::eval::catalogue()) {
    CAPTURE(q.name);
    CHECK(covered.count(q.name) == 1);
  }
}

namespace {
/// A golden file of the header and the first `rows` data rows of the committed one, with the value of
/// data row `perturbed` (0-based) replaced by `value`: a stand-in for a formula whose value changed.
std::string golden_excerpt(int rows, int perturbed, const std::string& value, std::string* original = nullptr) {
  std::istringstream in(slurp(golden));
  std::string out, line;
  int row = -1;
  while (row < rows && std::getline(in, line)) {
    if (row >= 0 || line.rfind("quantity,", 0) == 0) {
      if (row >= 0 && row == perturbed) {
        // the value is the 4th CSV field; the committed file quotes no field before it
        std::size_t c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1), c4 = line.find(',', c3 + 1);
        REQUIRE(line.substr(c1 + 1, 1) != "\"");
        if (original) *original = line.substr(c3 + 1, c4 - c3 - 1);
        line = line.substr(0, c3 + 1) + value + line.substr(c4);
      }
      ++row;
    }
    out += line + "\n";
  }
  return out;
}
}  // namespace

TEST_CASE("collapse verify --golden --accept rewrites exactly the moved row, and the report keeps its old value", "[golden]") {
  std::string truth;
  const std::string text = golden_excerpt(4, 1, "1.2345", &truth);
  auto dir = fresh_dir("golden-accept");
  const std::string file = dir + "/catalogue.csv";
  std::ofstream(file) << text;
  auto r = run_collapse("verify --golden --accept --golden-file '" + file + "' --report '" + dir + "/report'");
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("3 of 4 values unchanged (1 moved)") != std::string::npos);
  CHECK(r.out.find("accepted: 1 rows rewritten") != std::string::npos);
  // the rewritten file is the committed excerpt: the accepted value is the certified one, every other byte kept
  CHECK(slurp(file) == golden_excerpt(4, 1, truth));
  // the report kept the old (perturbed) value beside the new one
  const std::string report = slurp(dir + "/report/golden.csv");
  CHECK(report.find("1.2345") != std::string::npos);
  CHECK(report.find(truth) != std::string::npos);
  auto again = run_collapse("verify --golden --golden-file '" + file + "'");
  CAPTURE(again.out);
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("4 of 4 values unchanged (0 moved)") != std::string::npos);
}

TEST_CASE("collapse verify --accept is refused without --golden, and a row that fails to evaluate is not accepted", "[golden]") {
  auto r = run_collapse("verify --accept");
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("collapse: error: invalid --accept = ", 0) == 0);
  CHECK(r.out.empty());
  // a row whose arguments are out of range now: --accept refuses it and leaves the file as it was
  auto dir = fresh_dir("golden-accept-bad");
  const std::string file = dir + "/catalogue.csv";
  std::string text = golden_excerpt(2, -1, "");
  const std::string bad = "ols-exact,--d 20 --T 10 --n 0 --sigma2 1,50,1.5,collapse eval ols-exact\n";
  text += bad;
  std::ofstream(file) << text;
  auto b = run_collapse("verify --golden --accept --golden-file '" + file + "'");
  CAPTURE(b.out, b.err);
  CHECK(b.exit_code == 2);
  CHECK(b.err.rfind("collapse: error: invalid --accept = " + file + ":", 0) == 0);
  CHECK(b.err.find("invalid T = 10") != std::string::npos);  // the reason the row fails, from the evaluator
  CHECK(slurp(file) == text);
}

TEST_CASE("a malformed golden file is refused naming FILE:LINE before any value is evaluated", "[golden]") {
  auto dir = fresh_dir("golden-malformed");
  const std::string file = dir + "/catalogue.csv";
  const std::string head = golden_excerpt(1, -1, "");  // header and one good row (line 5)
  const std::string good_row = head.substr(head.rfind('\n', head.size() - 2) + 1);
  struct bad_case { std::string appended, where, reason; };
  const std::vector<bad_case> cases = {
      {"ols-exact,--d 20 --T 41 --n 0 --sigma2 1,50,,x\n", ":6", "a decimal value"},                    // empty value
      {"ols-exact,--d 20 --T 41 --n 0 --sigma2 1,50, 1.05 ,x\n", ":6", "a decimal value"},              // space-padded
      {"ols-exact,--d 20 --T 41 --n 0 --sigma2 1,50,1.05\n", ":6", "a row of 5 fields"},                // 4 fields
      {"ols-exact,--d 20 --T 41 --n 0 --sigma2 1,50,1.05,x,extra\n", ":6", "a row of 5 fields"},        // 6 fields
      {"ols-exact,--d 20 --T 41 --n 0 --sigma2 1, 50,1.05,x\n", ":6", "an integer digits column"},     // padded digits
      {good_row, ":6", "each point once"},                                                              // duplicate
  };
  for (const auto& c : cases) {
    std::ofstream(file) << head << c.appended;
    auto r = run_collapse("verify --golden --golden-file '" + file + "'");
    CAPTURE(c.appended, r.out, r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("collapse: error: invalid golden file = " + file + c.where + ": valid range is " + c.reason, 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  // a header alone checks nothing: refused, not "0 of 0 values unchanged"
  std::ofstream(file) << head.substr(0, head.size() - good_row.size());
  auto h = run_collapse("verify --golden --golden-file '" + file + "'");
  CAPTURE(h.out, h.err);
  CHECK(h.exit_code == 2);
  CHECK(h.err.rfind("collapse: error: invalid golden file = " + file + ": valid range is at least one row", 0) == 0);
}

TEST_CASE("collapse verify --write-golden refuses an empty points list, and a SUITE is refused with --golden, --list and --write-golden", "[golden]") {
  auto dir = fresh_dir("golden-empty-points");
  auto w = run_collapse("verify --write-golden --golden-points /dev/null --golden-file '" + dir + "/out.csv'");
  CAPTURE(w.out, w.err);
  CHECK(w.exit_code == 2);
  CHECK(w.err.rfind("collapse: error: invalid --golden-points = /dev/null: valid range is a list of at least one point", 0) == 0);
  CHECK_FALSE(std::filesystem::exists(dir + "/out.csv"));
  for (const std::string flag : {"--golden", "--list", "--write-golden"}) {
    auto r = run_collapse("verify tiny-ols " + flag + " --golden-file '" + dir + "/out.csv'");
    CAPTURE(flag, r.out, r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("collapse: error: invalid SUITE = tiny-ols: valid range is no SUITE with --list, --golden or --write-golden", 0) == 0);
  }
}

TEST_CASE("collapse verify --golden --accept refuses a read-only golden file before evaluating anything, and keeps a symlink and the mode", "[golden]") {
  auto dir = fresh_dir("golden-accept-ro");
  const std::string file = dir + "/catalogue.csv";
  std::ofstream(file) << golden_excerpt(2, 1, "1.2345");
  std::filesystem::permissions(file, std::filesystem::perms(0444));
  auto r = run_collapse("verify --golden --accept --golden-file '" + file + "'");
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("collapse: error: invalid --golden-file = " + file + ": valid range is a writable file path (the file is read-only)", 0) == 0);
  // through a symlink to a 0640 file: the link stays, the target gets the accepted value and keeps 0640
  std::filesystem::permissions(file, std::filesystem::perms(0640));
  std::filesystem::create_symlink("catalogue.csv", dir + "/link.csv");
  auto a = run_collapse("verify --golden --accept --golden-file '" + dir + "/link.csv'");
  CAPTURE(a.out, a.err);
  CHECK(a.exit_code == 0);
  CHECK(std::filesystem::is_symlink(dir + "/link.csv"));
  CHECK(slurp(file) == golden_excerpt(2, -1, ""));
  CHECK(std::filesystem::status(file).permissions() == std::filesystem::perms(0640));
}

TEST_CASE("a suite formula edited in its file moves exactly its golden rows, by the digits that still agree, and --accept takes them", "[golden]") {
  // the committed rows of ols-collapse-prefactor's formula and rival, pointed at a copy of the suite file
  const std::string suite = slurp(std::string(COLLAPSE_SOURCE_DIR) + "/data/suites/ols-collapse-prefactor.toml");
  std::istringstream in(slurp(golden));
  std::string rows = "quantity,arguments,digits,value,command\n";
  int formula_rows = 0, rival_rows = 0;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("suite:ols-collapse-prefactor/", 0) == 0) {
      formula_rows += line.rfind("suite:ols-collapse-prefactor/formula,", 0) == 0;
      rival_rows += line.rfind("suite:ols-collapse-prefactor/rival,", 0) == 0;
      rows += "suite:prefactor.toml/" + line.substr(std::string("suite:ols-collapse-prefactor/").size()) + "\n";
    }
  REQUIRE(formula_rows == 5);
  REQUIRE(rival_rows == 5);
  auto dir = fresh_dir("golden-suite");
  const std::string file = dir + "/golden.csv";
  std::ofstream(file) << rows;
  std::ofstream(dir + "/prefactor.toml") << suite;
  auto same = run_collapse("verify --golden --golden-file '" + file + "'");
  CAPTURE(same.out, same.err);
  CHECK(same.exit_code == 0);
  CHECK(same.out.find("10 of 10 values unchanged (0 moved)") != std::string::npos);
  // (T0-d-1) -> (T0-d-1+1/1000): the formula's value moves by 1/(1000 (T0-d-1)) relative, 2e-4 at T0-d-1 = 5 (3.7
  // digits agree) down to 2.0e-5 at T0-d-1 = 49 (4.7 digits); the rival rows do not move
  const std::string from = "formula = \"n*sigma02*d/(T0-d-1)\"";
  std::string edited = suite;
  REQUIRE(edited.find(from) != std::string::npos);
  edited.replace(edited.find(from), from.size(), "formula = \"n*sigma02*d/(T0-d-1+1/1000)\"");
  std::ofstream(dir + "/prefactor.toml") << edited;
  auto moved = run_collapse("verify --golden --golden-file '" + file + "'");
  CAPTURE(moved.out, moved.err);
  CHECK(moved.exit_code == 1);
  CHECK(moved.out.find("5 of 10 values unchanged (5 moved)") != std::string::npos);
  CHECK(moved.out.find("MOVED " + file + ":2: suite:prefactor.toml/formula --d 10 --T0 16 --n 1 --sigma02 1") != std::string::npos);
  CHECK(moved.out.find("agree to 3.7 significant digits (of 50)") != std::string::npos);
  CHECK(moved.out.find("rival --") == std::string::npos);
  auto accepted = run_collapse("verify --golden --accept --golden-file '" + file + "'");
  CAPTURE(accepted.out);
  CHECK(accepted.exit_code == 0);
  CHECK(accepted.out.find("accepted: 5 rows rewritten") != std::string::npos);
  CHECK(slurp(file).find("1.9996000799840031993601279744051189762047590481904") != std::string::npos);  // 10/5.001 at d10, T0 16, n 1
  auto again = run_collapse("verify --golden --golden-file '" + file + "'");
  CHECK(again.out.find("10 of 10 values unchanged (0 moved)") != std::string::npos);
}
