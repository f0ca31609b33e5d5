// tests/harness/test_variant_suites.cpp -- the issue-12 suites (data/suites/accumulate-*.toml, mixing.toml,
// ridge-generator.toml): the exact-mc kind simulates the protocol its quantity names (a replacing
// simulation would miss the accumulate values by far more than the rule allows: E_8 = 0.780 replacing vs
// 0.133 accumulating at the point), and a case outside a variant's domain is an input error.
#include "committed_suite.hpp"
#include "run_command.hpp"

#include "harness/figures.hpp"
#include "harness/runner.hpp"
#include "harness/suite.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

using namespace collapse::harness;
using namespace collapse::test;

using collapse::harness_test::run_committed;

TEST_CASE("the accumulate suites pass on their default grids, simulating the accumulating protocol (their exact values are "
          "far below the replacing ones)",
          "[kinds][variants]") {
  for (const char* name : {"accumulate-fixed", "accumulate-fresh"}) {
    auto res = run_committed(name);
    for (const auto& row : res.rows) {
      CAPTURE(name, row.key, row.theory, row.observed, row.se, row.note);
      CHECK(row.pass);
      CHECK(std::abs(row.observed - row.theory_value) <= 3.5 * row.se);
    }
    CHECK(res.pass);
  }
  // the point: d = 7, T = 89, n = 8 accumulates to 7/81 H2(8) + 1/81 (1/9)^2 ... = 0.1331; replacing is 9 x 7/81 = 0.78
  auto res = run_committed("accumulate-fixed");
  bool seen = false;
  for (const auto& row : res.rows)
    if (row.key == "issue-d7/n=8") {
      seen = true;
      CHECK(row.observed < 0.14);
      CHECK(row.observed > 0.12);
    }
  CHECK(seen);
}

TEST_CASE("a mixing-exact case at n >= 1 and a fixed-design case with T0 != T are input errors naming the key", "[kinds][variants]") {
  const std::string head = "result = \"t\"\nsection = \"t\"\nkind = \"exact-mc\"\n[simulation]\ntrials = 10\nengine = \"reference\"\n"
                           "[acceptance]\nz_max = 3.5\nse_rel_max = 0.02\n";
  struct bad { const char* quantity; const char* cases; const char* says; };
  for (const bad& b : {bad{"mixing-exact", "d = 4\nT = 20\nT2 = 6\ndelta_norm2 = 1\nsigma2 = 0\nn = [1]\n", "n = 1"},
                       bad{"accumulate-fixed-exact", "d = 4\nT = 20\nT0 = 16\nsigma2 = 1\nsigma02 = 1\nn = [2]\n", "T0 = 16"}}) {
    const auto dir = fresh_dir(std::string("variant-") + b.quantity);
    std::ofstream(dir + "/bad.toml") << head << "[theory]\nquantity = \"" << b.quantity << "\"\n[[case]]\nspectrum = \"isotropic\"\nw0norm2 = 1\n"
                                     << b.cases;
    const auto r = run_collapse("verify --suites-dir '" + dir + "'");
    CAPTURE(r.out, r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("collapse: error: ") == 0);
    CHECK(r.err.find(b.says) != std::string::npos);
  }
}

TEST_CASE("the accumulate and mixing figures render to complete PNGs with their simulated points", "[plot][variants]") {
  if (find_gnuplot().empty()) {
    WARN("gnuplot not found on PATH (Debian package gnuplot-nox): plot test skipped");
    return;
  }
  const auto dir = fresh_dir("variant-figures");
  for (const auto& fig : extension_figures()) {
    plot_options o;
    o.trials = 20;  // a few simulated points: this checks the plumbing, not the Monte Carlo
    const auto files = render_figure(fig, dir, o);
    REQUIRE(files.size() == 2);  // NAME.png and the plotted data NAME.csv
    CAPTURE(fig, files[0], files[1]);
    const std::string png = slurp(files[0]);  // tests/run_command.hpp
    CHECK(png.size() > 10000);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(png.find("IEND") != std::string::npos);
    // the CSV holds the exact lines and the simulated points with their 95 % intervals
    const std::string csv = slurp(files[1]);
    CHECK(csv.rfind("dataset,x,y,ci95_low,ci95_high\n", 0) == 0);
    CHECK(csv.find("exact") != std::string::npos);
    const auto sim = csv.find("simulated\",");
    REQUIRE(sim != std::string::npos);
    const auto line_start = csv.rfind('\n', sim) + 1, line_end = csv.find('\n', sim);
    const std::string row = csv.substr(line_start, line_end - line_start);
    CAPTURE(row);
    CHECK(std::count(row.begin(), row.end(), ',') == 5);  // "NAME, simulated",x,y,lo,hi: all five fields present
    CHECK(row.back() != ',');
  }
}
