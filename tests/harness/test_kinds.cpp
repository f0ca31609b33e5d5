// tests/harness/test_kinds.cpp -- the suite kinds (harness/kinds/): the committed power-law suites pass
// on their default grids, and the one verdict/margin rule (harness/suite.hpp) means what it says.
#include "committed_suite.hpp"
#include "harness/runner.hpp"
#include "harness/suite.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace collapse::harness;

using collapse::harness_test::run_committed;

TEST_CASE("the exponents suite passes on its default grid", "[kinds][exponents]") {
  auto res = run_committed("exponents");
  for (const auto& row : res.rows) {
    CAPTURE(row.key, row.theory, row.observed, row.discrepancy, row.note);
    CHECK(row.pass);
  }
  CHECK(res.pass);
  CHECK(res.rows.size() == 7);
  CHECK(res.used <= 1);
}

TEST_CASE("the crossover suite passes on its default grid", "[kinds][crossover]") {
  auto res = run_committed("crossover");
  for (const auto& row : res.rows) {
    CAPTURE(row.key, row.theory, row.observed, row.discrepancy, row.note);
    CHECK(row.pass);
  }
  CHECK(res.pass);
  CHECK(res.used <= 1);
}

TEST_CASE("the crossover-mc suite passes on its default grid: the DE's T* inside the simulated T*'s bootstrap interval, the end "
          "slopes agree with the DE's and lean toward the fast and slow rates",
          "[kinds][crossover-mc]") {
  auto res = run_committed("crossover-mc");
  for (const auto& row : res.rows) {
    CAPTURE(row.key, row.theory, row.observed, row.discrepancy, row.note);
    CHECK(row.pass);
  }
  CHECK(res.pass);
  CHECK(res.rows.size() == 3);
  CHECK(res.used <= 1);
}

TEST_CASE("a criterion's share of its tolerance is the statistic over its bound, and 100 % is the edge", "[kinds][margin]") {
  using b = criterion::bound;
  CHECK(criterion{"z", -2.17, 3.5, b::abs_at_most}.used() == Approx(2.17 / 3.5));
  CHECK(criterion{"z", 3.5, 3.5, b::abs_at_most}.met());
  CHECK_FALSE(criterion{"z", std::nextafter(3.5, 4.0), 3.5, b::abs_at_most}.met());
  // one-sided: far inside the rule is a negative share, not an alarm
  CHECK(criterion{"z(D)", -26.3, 3, b::at_most}.used() < 0);
  CHECK(criterion{"z(D)", -26.3, 3, b::at_most}.met());
  // digits: 25 needed, 39.5 measured uses 63 %
  CHECK(criterion{"digits", 39.5, 25, b::at_least}.used() == Approx(25 / 39.5));
  // a factor rule is measured in log: factor 1.842 of 3 uses log 1.842 / log 3
  CHECK(criterion{"factor", 1.842, 3, b::factor_at_most}.used() == Approx(std::log(1.842) / std::log(3.0)));
  // a non-finite statistic never passes and uses an infinite share
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_FALSE(criterion{"z", nan, 3.5, b::abs_at_most}.met());
  CHECK(std::isinf(criterion{"z", nan, 3.5, b::abs_at_most}.used()));
}

TEST_CASE("the worst row of a suite is the one using most of its tolerance, whatever its units", "[kinds][margin]") {
  using b = criterion::bound;
  suite_result res;
  check_row alarm_looking;  // z = -26 on a one-sided rule: far inside
  alarm_looking.key = "one-sided";
  alarm_looking.criteria = {{"z(D)", -26.3, 3, b::at_most}};
  alarm_looking.pass = judge(alarm_looking);
  check_row near_edge;
  near_edge.key = "near-edge";
  near_edge.criteria = {{"rel", 0.018, 0.02, b::abs_at_most}, {"se", 0.001, 0.01, b::at_most}};
  near_edge.pass = judge(near_edge);
  res.rows = {alarm_looking, near_edge};
  summarise(res);
  CHECK(res.pass);
  CHECK(res.worst_key == "near-edge");
  CHECK(res.used == Approx(0.9));
  CHECK(res.worst.find("rel = 0.018 (|rel| <= 0.02) at near-edge") == 0);
  CHECK(used_text(res.used) == "90 %");
}

TEST_CASE("every committed suite kind is listed once and unknown kinds list them", "[kinds]") {
  std::set<std::string> names;
  for (const auto& k : suite_kinds()) CHECK(names.insert(k.name).second);
  CHECK(names.size() == 10);  // crossover-mc (issue 9)
  CHECK_THROWS_WITH(find_suite_kind("exakt"), Catch::Contains("exact-mc") && Catch::Contains("simulated-slope"));
}
