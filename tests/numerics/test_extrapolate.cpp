// tests/numerics/test_extrapolate.cpp -- the c/d finite-size fit of the DE suites recovers a known
// intercept and slope, and its standard errors are honest (coverage), not too small nor too large.
#include "numerics/extrapolate.hpp"
#include "numerics/random.hpp"

#include "theory/errors.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace collapse::numerics;

TEST_CASE("the c/d fit is exact on noiseless data", "[extrapolate]") {
  std::vector<double> d = {40, 80, 160, 320}, y, se(4, 1e-3);
  for (double x : d) y.push_back(0.002 + 1.3 / x);
  auto f = fit_inverse_d(d, y, se);
  CHECK(std::fabs(f.intercept - 0.002) < 64 * std::numeric_limits<double>::epsilon());
  CHECK(std::fabs(f.slope - 1.3) < 1e4 * std::numeric_limits<double>::epsilon());
  CHECK(f.dof == 2);
  CHECK(f.scale == 1.0);
}

TEST_CASE("the c/d fit's intercept standard error is the analytic one for two points", "[extrapolate]") {
  // two points determine the line: a = (d2 y2 - d1 y1)/(d2 - d1), Var(a) = (d1² s1² + d2² s2²)/(d2 - d1)²
  std::vector<double> d = {50, 200}, y = {0.03, 0.01}, se = {0.002, 0.001};
  auto f = fit_inverse_d(d, y, se);
  const double a = (200 * 0.01 - 50 * 0.03) / 150.0;
  const double sa = std::sqrt(50.0 * 50 * 0.002 * 0.002 + 200.0 * 200 * 0.001 * 0.001) / 150.0;
  CHECK(f.intercept == Approx(a).epsilon(1e-12));
  CHECK(f.intercept_se == Approx(sa).epsilon(1e-12));
}

TEST_CASE("the c/d fit recovers a known intercept and slope with honest coverage", "[extrapolate]") {
  // 4000 synthetic finite-size studies, y_d = a + c/d + N(0, se_d²) with se_d shrinking like 1/sqrt(d)
  collapse::numerics::philox_stream g(12345, 0, 0);
  const double a = -0.004, c = 1.7;
  const std::vector<double> d = {40, 80, 160, 320};
  std::vector<double> se;
  for (double x : d) se.push_back(0.02 / std::sqrt(x));
  int covered95 = 0, trials = 4000;
  double mean_a = 0, mean_pull2 = 0;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> y;
    for (std::size_t i = 0; i < d.size(); ++i) y.push_back(a + c / d[i] + se[i] * g.normal());
    auto f = fit_inverse_d(d, y, se);
    const double pull = (f.intercept - a) / f.intercept_se;
    covered95 += std::fabs(pull) <= 1.959964 ? 1 : 0;
    mean_a += f.intercept / trials;
    mean_pull2 += pull * pull / trials;
  }
  const double coverage = double(covered95) / trials;
  CAPTURE(coverage, mean_a, mean_pull2);
  // unbiased: the mean intercept is within 4 standard errors of the truth
  auto f0 = fit_inverse_d(d, std::vector<double>(4, 0.0), se);
  CHECK(std::fabs(mean_a - a) < 4 * f0.intercept_se / std::sqrt(double(trials)));
  // honest: at least nominal coverage (the chi2 widening only widens), and not wildly conservative
  CHECK(coverage >= 0.94);
  CHECK(coverage <= 0.995);
}

TEST_CASE("a misfitting model widens the standard errors by sqrt(chi2/dof)", "[extrapolate]") {
  std::vector<double> d = {40, 80, 160, 320}, y = {0.05, -0.03, 0.04, -0.02}, se(4, 0.001);
  auto f = fit_inverse_d(d, y, se);
  CHECK(f.scale > 10);
  CHECK(f.scale == Approx(std::sqrt(f.chi2 / f.dof)));
}

TEST_CASE("the c/d fit refuses a single d and non-positive standard errors", "[extrapolate]") {
  CHECK_THROWS_AS(fit_inverse_d({100}, {0.1}, {0.01}), collapse::domain_error);
  CHECK_THROWS_AS(fit_inverse_d({100, 100}, {0.1, 0.2}, {0.01, 0.01}), collapse::domain_error);
  CHECK_THROWS_AS(fit_inverse_d({50, 100}, {0.1, 0.2}, {0.01, 0.0}), collapse::domain_error);
}
