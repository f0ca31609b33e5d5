// tests/harness/test_golden.cpp -- the golden catalogue values: the committed file passes, and a value
// changed by one digit is reported with the number of digits that still agree.
#include "run_command.hpp"

#include "eval/catalogue.hpp"

#include <catch2/catch.hpp>

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
