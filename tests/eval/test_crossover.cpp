// tests/eval/test_crossover.cpp -- §5.6 fast → slow crossover: the formula T* against the T* located
// on the minimised DE (eval/powerlaw_scaling.hpp). The formula equates κ* with κ0 and so fixes T* only
// up to an O(1) factor; the stated factor is 3 (measured ratio ≈ 0.5), and the ratio must not depend on
// σ0² (both scale as σ_eff^(−1/(βr̲))).
#include "eval/powerlaw_scaling.hpp"
#include "theory/powerlaw_asymptotics.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace collapse;
using namespace collapse::eval;

namespace {
rational q(const char* s) { return parse_exact("q", s).value; }
}  // namespace

TEST_CASE("the §5.6 formula gives T* = 1.23e4 for beta = 2, r = 2/5, sigma_eff^2 = 1e-6 (doc's table)", "[crossover]") {
  precision_guard g(30);
  const mpfr_real t = crossover_T(mpfr_real(2), to_real<mpfr_real>(q("2/5")), to_real<mpfr_real>(q("1e-6")));
  CAPTURE(static_cast<double>(t));
  CHECK(static_cast<double>(t) >= 1.23e4);  // 12353.66: "≈ 1.23·10⁴" in the doc
  CHECK(static_cast<double>(t) < 1.24e4);
}

TEST_CASE("the DE-located T* is within a factor 3 of the formula in the doc's §5.6 setting", "[crossover]") {
  crossover_params p;  // β = 2, r = 2/5, n = 1, σ0² = 1e-6, φ0 = 1/2, d = 100 T, σ = 0
  p.per_decade = 6;
  auto x = locate_crossover(p);
  CAPTURE(x.T_formula, x.T_de, x.ratio, x.sigma_eff2_asym.convert_to<double>());
  CHECK(x.sigma_eff2_asym == q("101/100000000"));
  CHECK(x.T_formula > 1.2e4);
  CHECK(x.T_formula < 1.25e4);
  CHECK(x.ratio < 3);
  CHECK(x.ratio > 1.0 / 3);
  // the doc: transition centred near 3e3–1e4
  CHECK(x.T_de > 3e3);
  CHECK(x.T_de < 1.2e4);
  // the two regimes: slope near −2βr̲ = −1.6 at small T (λ* = 0, interpolation), near −8/13 at large T
  CHECK(x.points.front().boundary);
  double steepest = 0;
  for (const auto& sl : x.slopes) steepest = std::min(steepest, sl.second);
  CHECK(std::abs(steepest - (-1.6)) < 0.02);  // doc: −1.589 near T = 100 (finite-T curvature below)
  CHECK(std::abs(x.slopes.back().second - (-8.0 / 13)) < 0.02);
}

TEST_CASE("T*_DE / T*_formula does not depend on sigma0^2 because both scale as sigma_eff^(-1/(beta r))", "[crossover]") {
  crossover_params a, b;
  a.per_decade = b.per_decade = 6;
  b.sigma02 = q("1e-4");
  b.T_min = 4;
  b.T_max = 1e7;
  auto xa = locate_crossover(a), xb = locate_crossover(b);
  CAPTURE(xa.ratio, xb.ratio, xa.T_de, xb.T_de);
  CHECK(std::abs(std::log(xa.ratio / xb.ratio)) < std::log(1.25));
}

TEST_CASE("bad crossover input is refused with the parameter, its value and the valid range", "[crossover][errors]") {
  crossover_params p;
  p.r = 1;
  CHECK_THROWS_WITH(locate_crossover(p), Catch::Contains("r = 1") && Catch::Contains("r != 1"));
  p = crossover_params{};
  p.n = 0;
  CHECK_THROWS_WITH(locate_crossover(p), Catch::Contains("n = 0") && Catch::Contains("n >= 1"));
  p = crossover_params{};
  p.sigma02 = 0;
  CHECK_THROWS_WITH(locate_crossover(p), Catch::Contains("sigma02"));
  p = crossover_params{};
  p.T_max = 50;
  CHECK_THROWS_WITH(locate_crossover(p), Catch::Contains("--T-min/--T-max = 10/50"));
  p = crossover_params{};
  p.T_max = 2000;  // the slope only reaches the midpoint near T ≈ 7e3
  p.per_decade = 4;
  CHECK_THROWS_AS(locate_crossover(p), domain_error);
  CHECK_THROWS_WITH(locate_crossover(p), Catch::Contains("--T-max = 2000") && Catch::Contains("puts T* near 1.23e+04"));
}
