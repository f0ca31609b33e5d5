// tests/cli/test_compare.cpp -- `collapse compare` (issue 13): candidates against one simulation grid. The §9
// question again, now side by side: n sigma02 d/(T0-d-1) (the inverse-Wishart mean, §2.1) is consistent with the
// simulated generator chain at every size, n sigma02 d/(T0-d) is not; a catalogue quantity and a formula in one
// comparison; every --format; the figure; bad input.
#include "run_command.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

using collapse::test::fresh_dir;
using collapse::test::run_collapse;

namespace {
const std::string prefactor_grid =
    "--expr 'n*sigma02*d/(T0-d-1)' --expr 'n*sigma02*d/(T0-d)' --observable generator --d 10 --T0 16,20,30,40 --n 1,4 --sigma02 1 "
    "--trials 16000";
}

TEST_CASE("collapse compare calls n sigma02 d/(T0-d-1) consistent with the simulated chain and n sigma02 d/(T0-d) not, by many standard errors") {
  auto r = run_collapse("compare " + prefactor_grid + " --format json");
  CAPTURE(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  const auto& c = j.at("candidates");
  REQUIRE(c.size() == 2);
  CHECK(c[0].at("verdict") == "consistent");
  CHECK(c[0].at("max_abs_z").get<double>() <= 3);
  CHECK(c[1].at("verdict") != "consistent");
  // the (T0-d) prefactor is low by the factor (T0-d-1)/(T0-d): 17 % at T0 = 16, 3.3 % at T0 = 40
  CHECK(c[1].at("max_abs_z").get<double>() >= 10);
  CHECK(j.at("consistent") == nlohmann::json::array({"f1"}));
  // the rows: 4 sizes x 2 generations; at each the simulation lies above the (T0-d) value
  int points = 0;
  for (const auto& row : j.at("rows")) {
    if (!row.contains("mc")) continue;
    ++points;
    CHECK(row.at("f2").get<double>() < row.at("mc").get<double>());
    CHECK(std::abs(row.at("z_f1").get<double>()) <= 3);
    CHECK(row.at("z_f2").get<double>() >= 3);
  }
  CHECK(points == 8);
  // the fitted intercepts of the relative discrepancy: the right formula's is 0 within 3 se(a)
  for (const auto& f : c[0].at("fits")) CHECK(std::abs(f.at("intercept").get<double>()) <= 3 * f.at("intercept_se").get<double>());
}

TEST_CASE("collapse compare takes catalogue quantities beside formulas: ols-exact against its (T0-d) variant, downstream") {
  auto r = run_collapse(
      "compare ols-exact --expr 'sigma2*d/(T-d-1) + n*sigma02*d/(T0-d)' --d 10 --T 20,40 --T0 16 --n 3 --sigma2 1 --sigma02 1 "
      "--trials 20000 --format json");
  CAPTURE(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("candidates")[0].at("candidate") == "ols-exact");
  CHECK(j.at("candidates")[0].at("verdict") == "consistent");
  CHECK(j.at("candidates")[1].at("verdict") != "consistent");
  // ols-exact at d = 10, T = 20, T0 = 16, n = 3, sigma2 = sigma02 = 1: 10/9 + 3*10/5 = 64/9
  CHECK(std::abs(j.at("rows")[0].at("f1").get<double>() - 64.0 / 9) < 1e-12);
}

TEST_CASE("collapse compare prints the same comparison in every format, and its figure through gnuplot") {
  const std::string small = "--expr 'n*sigma02*d/(T0-d-1)' --expr 'n*sigma02*d/(T0-d)' --observable generator --d 10 --T0 16,40 --n 1 --sigma02 1 --trials 2000";
  for (const char* f : {"plain", "md", "csv", "latex"}) {
    auto r = run_collapse("compare " + small + " --format " + f);
    CAPTURE(f, r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("verdict") != std::string::npos);
    CHECK(r.out.find("consistent") != std::string::npos);
  }
  const auto dir = fresh_dir("compare-plot");
  auto r = run_collapse("compare " + small + " --plot '" + dir + "'");
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::file_size(dir + "/compare.png") > 1000);
  CHECK(collapse::test::slurp(dir + "/compare.csv").find("f2 (n = 1)") != std::string::npos);
}

TEST_CASE("collapse compare refuses bad input with one error line naming the parameter, its value and the range") {
  const std::pair<const char*, const char*> cases[] = {
      {"compare --expr 'd' --d 10,20 --n 1", "invalid candidates = 1: valid range is at least 2"},
      {"compare --expr 'd' --expr 'd/2' --d 10 --T0 30 --n 1 --observable generator", "invalid --T0 = 30: valid range is a list"},
      {"compare --expr 'd' --expr 'd/2' --d 10,20 --T0 30,40 --n 1", "invalid --T0 = 30,40: valid range is a single value"},
      {"compare --expr 'd' --expr 'd/2' --d 10 --T0 30,40 --n 1 --z-max -1", "invalid --z-max = -1: valid range is a number 0 < z-max <= 100"},
      {"compare --expr 'd' --expr 'd/2' --d 10 --T0 30,40 --n 1 --observable foo", "invalid --observable = foo: valid range is downstream or generator"},
      {"compare --expr 'd' --expr 'x' --d 10 --T0 30,40 --n 1 --observable generator", "unknown symbol 'x' at column 1"},
      {"compare no-such --expr 'd' --d 10 --T0 30,40 --n 1 --observable generator", "invalid QUANTITY = no-such"},
      {"compare --expr 'n*d' --expr 'd' --d 10 --T0 30,40 --n 0 --observable generator", "invalid --n = 0: valid range is n >= 1 with --observable generator"},
      {"compare --expr 'n*d' --expr 'T*d' --d 10 --T0 20,40 --n 1 --sigma02 1 --observable generator", "invalid --T = (missing): valid range is a value for every symbol"},
      {"compare --expr 'n*d' --expr 'd' --d 10 --T0 20,40 --n 1 --observable generator", "invalid --T0 = 20: valid range is sizes at which the simulated observable has a positive, finite standard error"},
  };
  for (const auto& [args, message] : cases) {
    auto r = run_collapse(args);
    CAPTURE(args, r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("collapse: error: ", 0) == 0);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}
