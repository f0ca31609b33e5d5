// tests/harness/test_crossover_mc.cpp -- the §5.6 crossover in simulation (harness/crossover_mc.hpp, issue 9):
// the one midpoint-slope rule (eval::locate_midpoint_crossing) on curves whose crossing is known by
// construction, the refusals of bad parameters, and a small simulated run: deterministic for any thread
// count, its bootstrap interval around its own estimate, its DE half identical to eval::locate_crossover.
#include "eval/powerlaw_scaling.hpp"
#include "harness/crossover_mc.hpp"
#include "theory/errors.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace collapse;
using namespace collapse::harness;

namespace {

/// E on T_i = 10^(i/2) with prescribed secant slopes s_i between consecutive points (E_0 = 1).
std::vector<double> curve_with_slopes(const std::vector<double>& T, const std::vector<double>& s) {
  std::vector<double> E = {1.0};
  for (std::size_t i = 0; i < s.size(); ++i) E.push_back(E.back() * std::pow(T[i + 1] / T[i], s[i]));
  return E;
}

}  // namespace

TEST_CASE("the midpoint-slope rule returns the first upward crossing of the level, interpolated linearly in log T between "
          "the geometric midpoints of the two windows around it",
          "[crossover-mc][rule]") {
  std::vector<double> T;
  for (int i = 0; i <= 6; ++i) T.push_back(std::pow(10.0, i / 2.0));
  const std::vector<double> s = {-1.6, -1.5, -1.2, -0.9, -1.3, -0.62};  // crosses up between 2 and 3, down at 4, up again at 5
  const auto rates = eval::crossover_rates_of(rational(2), rational(2, 5));
  CHECK(rates.fast == Approx(-1.6).epsilon(1e-15));
  CHECK(rates.slow == Approx(-1.6 / 2.6).epsilon(1e-15));
  const double level = rates.mid;
  const auto x = eval::locate_midpoint_crossing(T, curve_with_slopes(T, s), level);
  REQUIRE(x.slopes.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(x.slopes[i].first == Approx(std::sqrt(T[i] * T[i + 1])).epsilon(1e-14));
    CHECK(x.slopes[i].second == Approx(s[i]).epsilon(1e-12));
  }
  REQUIRE(x.T_star);
  const double m2 = std::log(std::sqrt(T[2] * T[3])), m3 = std::log(std::sqrt(T[3] * T[4]));
  const double expected = std::exp(m2 + (level - s[2]) / (s[3] - s[2]) * (m3 - m2));
  CHECK(*x.T_star == Approx(expected).epsilon(1e-12));
  // a curve whose slopes stay below the level has no T*
  const auto none = eval::locate_midpoint_crossing(T, curve_with_slopes(T, {-1.6, -1.5, -1.4, -1.3, -1.2, -1.15}), level);
  CHECK_FALSE(none.T_star);
  // bad curves are refused naming "curve"
  for (const auto& [Ts, Es] : {std::pair{std::vector<double>{1, 2}, std::vector<double>{1, 0.5}},
                               std::pair{std::vector<double>{1, 2, 3}, std::vector<double>{1, 0, 0.5}},
                               std::pair{std::vector<double>{1, 3, 2}, std::vector<double>{1, 0.5, 0.2}}}) {
    try {
      eval::locate_midpoint_crossing(Ts, Es, level);
      FAIL("a bad curve was accepted");
    } catch (const domain_error& e) {
      CHECK(e.parameter() == "curve");
    }
  }
}

TEST_CASE("the simulated crossover refuses bad parameters naming each one", "[crossover-mc][bad-input]") {
  const auto refuses = [](crossover_mc_params p, const std::string& parameter) {
    try {
      validate(p);
      FAIL("accepted a bad " << parameter);
    } catch (const domain_error& e) {
      INFO(e.what());
      CHECK(e.parameter() == parameter);
    }
  };
  auto p = default_crossover_mc_params();
  p.trials = 10;
  CHECK_NOTHROW(validate(p));
  auto q = p;
  q.lambda = log_lambda_grid(-4, -2, 2);
  q.lambda.erase(q.lambda.begin());  // no λ = 0
  refuses(q, "lambda");
  q = p;
  q.trials = 1;
  refuses(q, "trials");
  q = p;
  q.bootstrap = 50;
  refuses(q, "bootstrap");
  q = p;
  q.window_decades = 1.5;  // more than half of the two decades
  refuses(q, "window-decades");
  q = p;
  q.window_decades = 0.1;  // no second grid point in the window at 4 per decade
  refuses(q, "window-decades");
  q = p;
  q.de.phi0 = rational(3, 7);  // T0 = d·7/3 is not an integer at T = 10 (d = 40)
  refuses(q, "phi0");
  q = p;
  q.de.digits = 30;
  refuses(q, "digits");
  q = p;
  q.de.sigma02 = rational(0);
  refuses(q, "sigma02");
}

TEST_CASE("a small simulated crossover run is identical for 1 and 3 threads, its bootstrap intervals hold its estimates, and "
          "its DE half is eval::locate_crossover's",
          "[crossover-mc][simulate]") {
  auto p = default_crossover_mc_params();
  p.de.T_min = 10;
  p.de.T_max = 316;
  p.de.per_decade = 4;
  p.lambda = log_lambda_grid(-6, -2, 2);
  p.trials = 12;
  p.bootstrap = 200;
  p.seed = 5;
  p.threads = 1;
  const auto a = simulate_crossover(p);
  p.threads = 3;
  const auto b = simulate_crossover(p);
  REQUIRE(a.points.size() == b.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    CHECK(a.points[i].E_sim == b.points[i].E_sim);
    CHECK(a.points[i].ci_lo == b.points[i].ci_lo);
    CHECK(a.points[i].ci_lo <= a.points[i].E_sim);
    CHECK(a.points[i].E_sim <= a.points[i].ci_hi);
    CHECK(a.points[i].se > 0);
  }
  CHECK(a.T_sim == b.T_sim);
  CHECK(a.T_sim_lo == b.T_sim_lo);
  CHECK(a.before.se > 0);
  CHECK(a.after.se > 0);
  if (a.T_sim && a.interval_defined) {
    CHECK(a.T_sim_lo <= *a.T_sim);
    CHECK(*a.T_sim <= a.T_sim_hi);
  }
  const auto de = eval::locate_crossover(p.de);
  CHECK(a.de.T_de == de.T_de);
  CHECK(a.points.back().E_de == de.points.back().E);
  // the simulated curve is the DE's to a few per cent at d = 4T (finite size and Monte Carlo)
  for (const auto& q : a.points) CHECK(std::abs(q.E_sim / q.E_de_grid - 1) < 0.15);
}
