// tests/formula/test_formula_suite.cpp -- formulas in suite files (issue 13): the §9 suite
// data/suites/ols-collapse-prefactor.toml passes with n sigma02 d/(T0-d-1) and rejects the rival (T0-d) at every
// size; with the two swapped the same simulation fails it (the data decide, not the file); a bad formula in a suite
// file is an input error naming file, line and the formula's column.
#include "harness/committed_suite.hpp"
#include "run_command.hpp"

#include "harness/runner.hpp"
#include "harness/suite.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

using namespace collapse::harness;

namespace {
std::string committed_text(const std::string& name) {
  return collapse::test::slurp(default_suites_dir() + "/" + name + ".toml");
}

/// `text` with its one occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

suite_result run_text(const std::string& text, const std::string& name) {
  const std::string dir = collapse::test::fresh_dir("formula-suite");
  const std::string path = dir + "/" + name + ".toml";
  std::ofstream(path) << text;
  const auto f = load_suite_file(path);
  const entries root = f.root();
  suite_context ctx;
  suite_result res = find_suite_kind(root.text("kind")).run(root, ctx);
  summarise(res);
  return res;
}
}  // namespace

TEST_CASE("the §9 suite accepts n sigma02 d/(T0-d-1) at every size and rejects n sigma02 d/(T0-d) by at least 5 standard errors") {
  const auto res = collapse::harness_test::run_committed("ols-collapse-prefactor");
  int rival_rows = 0;
  for (const auto& row : res.rows) {
    CAPTURE(row.key, row.theory, row.observed, row.se, row.discrepancy, row.note);
    CHECK(row.pass);
    if (row.key.size() > 6 && row.key.substr(row.key.size() - 6) == "/rival") {
      ++rival_rows;
      CHECK(std::abs(row.discrepancy) >= 5);
      CHECK(row.observed > row.theory_value);  // (T0-d) is the smaller prefactor: the rival is low
    } else {
      CHECK(std::abs(row.discrepancy) <= 3.5);
    }
  }
  CHECK(rival_rows == 5);
  CHECK(res.pass);
}

TEST_CASE("with the formula and its rival swapped, the same simulation fails the §9 suite") {
  std::string text = committed_text("ols-collapse-prefactor");
  text = replaced(text, "formula = \"n*sigma02*d/(T0-d-1)\"", "formula = \"SWAP\"");
  text = replaced(text, "rival = \"n*sigma02*d/(T0-d)\"", "rival = \"n*sigma02*d/(T0-d-1)\"");
  text = replaced(text, "SWAP", "n*sigma02*d/(T0-d)");
  REQUIRE(text.find("formula = \"n*sigma02*d/(T0-d)\"") != std::string::npos);
  const auto res = run_text(text, "swapped");
  CHECK_FALSE(res.pass);
  for (const auto& row : res.rows) {
    CAPTURE(row.key, row.discrepancy);
    CHECK_FALSE(row.pass);  // (T0-d) misses everywhere, and (T0-d-1) as the "rival" is not rejected anywhere
  }
}

TEST_CASE("a bad formula in a suite file is an input error naming the file, the line and the formula's column") {
  std::string text = committed_text("ols-collapse-prefactor");
  text = replaced(text, "formula = \"n*sigma02*d/(T0-d-1)\"", "formula = \"n*sigma02*d/(T0-x-1)\"");
  CHECK_THROWS_WITH(run_text(text, "bad"), Catch::Contains("bad.toml:") && Catch::Contains("unknown symbol 'x' at column 17"));
}
