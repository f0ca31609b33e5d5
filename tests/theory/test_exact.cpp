// tests/theory/test_exact.cpp -- the exact rational results of §2 and §4.1-4.2 against their
// proportional limits (theory/isotropic.hpp) and against each other.
#include "theory/exact.hpp"
#include "theory/isotropic.hpp"

#include <catch2/catch.hpp>

using namespace collapse;

TEST_CASE("exact OLS collapse tends to its proportional limit with an O(1/d) gap (§2.3)") {
  // E_n = σ²d/(T−d−1) + nσ0²d/(T0−d−1) → σ²φ/(1−φ) + nσ0²φ0/(1−φ0) with φ = 1/2, φ0 = 1/4
  double prev_gap = 1e9;
  for (long d : {100L, 1000L, 10000L, 100000L}) {
    auto e = exact::ols(d, 2 * d, 4 * d, 3, 1, rational(1, 2));
    double limit = 1.0 + 3 * 0.5 * (1.0 / 3);
    double gap = e.total.convert_to<double>() - limit;
    CAPTURE(d, gap);
    CHECK(gap > 0);
    // d/(d−1) − 1 = 1/(d−1) and n σ0² [d/(3d−1) − 1/3] = nσ0²/(3(3d−1)): d·gap → 1 + 1.5/9
    CHECK(gap * d == Approx(1 + 1.5 / 9).epsilon(2.0 / d));
    CHECK(gap < prev_gap);
    prev_gap = gap;
  }
}

TEST_CASE("the exact isotropic over-parameterised chain tends to the proportional formula of §4.1") {
  for (long d : {400L, 4000L, 40000L}) {
    auto e = exact::overgen_iso_generator(d, d / 2, 5, rational(1, 4), 1);
    double q5 = 1.0 / 32, phi0 = 2;
    double limit = (1 - q5) * (1 + 0.25 * phi0 / ((phi0 - 1) * (phi0 - 1)));
    CAPTURE(d);
    CHECK(e.error.convert_to<double>() == Approx(limit).epsilon(4.0 / d));
  }
}

TEST_CASE("the §4.1 chain reproduces the theory document's exact values (d=40, T0=20)") {
  CHECK(exact::overgen_iso_generator(40, 20, 3, 0, 1).error == rational(7, 8));        // 0.87500
  CHECK(exact::overgen_iso_generator(40, 20, 8, 0, 1).error == rational(255, 256));    // 0.99609
  CHECK(exact::overgen_iso_generator(40, 20, 3, rational(1, 4), 1).error.convert_to<double>() == Approx(1.33553).epsilon(5e-6));
  CHECK(exact::overgen_iso_generator(40, 20, 8, rational(1, 4), 1).error.convert_to<double>() == Approx(1.52035).epsilon(5e-6));
  // downstream OLS (T = 60) and min-norm (T = 20), σ² = 1/4: 1.86184 and 1.43092
  CHECK(exact::overgen_iso(40, 60, 20, 3, rational(1, 4), rational(1, 4), 1).total.convert_to<double>() == Approx(1.86184).epsilon(5e-6));
  CHECK(exact::overgen_iso(40, 20, 20, 3, rational(1, 4), rational(1, 4), 1).total.convert_to<double>() == Approx(1.43092).epsilon(5e-6));
}

TEST_CASE("the §2 exact results reproduce the theory document's tables") {
  // R1a: d=20, T=40, T0=35, σ=1, σ0=0.7: 1.05263, 2.45263, 3.85263 for n = 0, 2, 4
  for (auto [n, v] : {std::pair{0, 1.05263}, std::pair{2, 2.45263}, std::pair{4, 3.85263}})
    CHECK(exact::ols(20, 40, 35, n, 1, rational(49, 100)).total.convert_to<double>() == Approx(v).epsilon(5e-6));
  // R1b: d=50, T=80, T0=100, σ=0.5, σ0=1, n=3: 3.49226
  CHECK(exact::ols(50, 80, 100, 3, rational(1, 4), 1).total.convert_to<double>() == Approx(3.49226).epsilon(5e-6));
  // R1d: d=60, T=30, T0=80, σ=0.5, σ0=1, ‖w0‖=1: 0.75862 (n=0), 5.49546 (n=3)
  CHECK(exact::iso_minnorm(60, 30, 80, 0, rational(1, 4), 1, 1).total.convert_to<double>() == Approx(0.75862).epsilon(5e-6));
  CHECK(exact::iso_minnorm(60, 30, 80, 3, rational(1, 4), 1, 1).total.convert_to<double>() == Approx(5.49546).epsilon(5e-6));
}

TEST_CASE("exact results refuse every input at or beyond their thresholds") {
  CHECK_THROWS_AS(exact::ols(20, 21, 40, 0, 1, 0), domain_error);      // T = d+1: infinite
  CHECK_THROWS_AS(exact::ols(20, 19, 40, 0, 1, 0), domain_error);      // T = d−1
  CHECK_THROWS_AS(exact::ols(20, 40, 21, 1, 1, 1), domain_error);      // T0 = d+1
  CHECK_THROWS_AS(exact::iso_minnorm(20, 19, 40, 0, 1, 0, 1), domain_error);
  CHECK_THROWS_AS(exact::overgen_iso_generator(20, 19, 1, 0, 1), domain_error);
  CHECK_THROWS_AS(exact::overgen_iso(40, 40, 20, 1, 1, 1, 1), domain_error);  // T = d
  CHECK_THROWS_AS(exact::ols(20, 40, 40, rational(1, 2), 1, 1), domain_error);  // n not an integer
}
