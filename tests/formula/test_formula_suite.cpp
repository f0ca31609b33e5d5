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

// ---- formula = in the other kinds (issue 13 item 3: "every existing suite kind works with it unchanged") ----

namespace {
std::string test_suite_text(const std::string& name) {
  return collapse::test::slurp(std::string(COLLAPSE_SOURCE_DIR) + "/tests/formula/suites/" + name + ".toml");
}

/// The [theory] formula line of `text` replaced by `replacement` (a quantity line, or nothing).
std::string without_formula(const std::string& text, const std::string& replacement) {
  const auto at = text.find("formula = \"");
  REQUIRE(at != std::string::npos);
  const auto end = text.find('\n', at);
  return text.substr(0, at) + replacement + text.substr(end);
}

/// Runs the formula suite `name` and its twin `twin_theory` (the formula line replaced), and checks that
/// the two give the same rows: the same keys, the same simulation (observed, se: equal bit for bit), theory values
/// equal to `rel_tol`, the same verdicts. Returns the formula suite's result.
suite_result check_same_as_quantity(const std::string& name, const std::string& twin_theory, double rel_tol) {
  const std::string text = test_suite_text(name);
  const auto with_formula = run_text(text, name);
  const auto with_quantity = run_text(without_formula(text, twin_theory), name + "-quantity");
  REQUIRE(with_formula.rows.size() == with_quantity.rows.size());
  REQUIRE(!with_formula.rows.empty());
  CHECK(with_formula.rule.find("formula") != std::string::npos);
  for (std::size_t i = 0; i < with_formula.rows.size(); ++i) {
    const auto& a = with_formula.rows[i];
    const auto& b = with_quantity.rows[i];
    CAPTURE(a.key, a.theory_value, b.theory_value, a.observed, b.observed, a.discrepancy, b.discrepancy);
    CHECK(a.key == b.key);
    CHECK(a.pass == b.pass);
    if (b.theory_value != 0) CHECK(std::abs(a.theory_value - b.theory_value) <= rel_tol * std::abs(b.theory_value));
    else CHECK(a.theory_value == 0);
    CHECK(std::abs(a.observed - b.observed) <= rel_tol * std::abs(b.observed));
    CHECK(std::abs(a.discrepancy - b.discrepancy) <= 1e-6 * (1 + std::abs(b.discrepancy)));
  }
  CHECK(with_formula.pass == with_quantity.pass);
  return with_formula;
}
}  // namespace

TEST_CASE("de-extrapolation with the ridge DE typed as a formula gives the rows of quantity = ridge-risk") {
  // the same simulation (same seeds); the DE from the formula (30 certified digits) and from theory/ in double
  // agree to double rounding, so every relative discrepancy, fit and verdict is the same
  const auto res = check_same_as_quantity("de-ridge-formula", "quantity = \"ridge-risk\"", 1e-12);
  CHECK(res.rows.size() == 6);  // 2 d x 2 n, then one d -> inf fit per n
  CHECK(res.pass);
}

TEST_CASE("simulated-slope with the clean ridge DE typed as a formula gives the rows of the default ridge-risk") {
  // the row's theory is the DE's fitted slope; the observed one is the simulated slope (the same seeds)
  const auto res = check_same_as_quantity("slope-ridge-formula", "quantity = \"ridge-risk\"", 1e-9);
  CHECK(res.rows.size() == 1);
  CHECK(res.pass);
}

TEST_CASE("crossover with the §5.6 T* typed as a formula gives the rows of the compiled crossover_T") {
  // the hand-simplified formula and theory/powerlaw_asymptotics.hpp's crossover_T agree to double rounding
  const auto res = check_same_as_quantity("crossover-formula", "quantity = \"crossover\"", 1e-12);
  CHECK(res.rows.size() == 1);
  CHECK(res.pass);
}

TEST_CASE("a formula in a kind that does not give one of its symbols is an input error naming the symbol and the values offered") {
  std::string text = test_suite_text("crossover-formula");
  text = replaced(text, "/((1-1/beta)*sigma_eff2)", "/((1-1/beta)*sigma_eff2*T)");
  CHECK_THROWS_WITH(run_text(text, "missing-T"), Catch::Contains("missing-T.toml:") && Catch::Contains("T = (missing)") &&
                                                      Catch::Contains("beta, r, n, sigma02, phi0 and sigma_eff2"));
}
