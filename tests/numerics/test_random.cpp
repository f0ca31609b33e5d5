// tests/numerics/test_random.cpp -- the counter-based variates of numerics/random.hpp: moments of
// the uniform, normal, gamma and chi-square samplers against their exact values, in units of the
// Monte Carlo standard error (|z| <= 4), and the reproducibility of a (seed, trial, stream) address.
#include "numerics/random.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

using collapse::numerics::philox_stream;

namespace {

/// Sample mean of f over N draws with its standard error.
template <class F> std::pair<double, double> mc_mean(F&& draw, long N) {
  long double s = 0, s2 = 0;
  for (long i = 0; i < N; ++i) {
    long double x = draw();
    s += x;
    s2 += x * x;
  }
  long double m = s / N, v = (s2 - N * m * m) / (N - 1);
  return {static_cast<double>(m), static_cast<double>(std::sqrt(v / N))};
}

void check_moment(const char* what, std::pair<double, double> mc, double exact) {
  double z = (mc.first - exact) / mc.second;
  std::printf("z-report %-44s mean=%.6f se=%.1e exact=%.6f z=%+.2f\n", what, mc.first, mc.second, exact, z);
  INFO(what << ": " << mc.first << " +- " << mc.second << " vs exact " << exact << ", z = " << z);
  CHECK(std::abs(z) <= 4);
}

constexpr long N = 400000;
constexpr std::uint64_t seed = 20261126;

}  // namespace

TEST_CASE("philox uniforms lie in (0,1) with mean 1/2 and variance 1/12", "[random]") {
  philox_stream rng(seed, 0, 7);
  INFO("seed " << seed);
  double lo = 1, hi = 0;
  auto mc = mc_mean([&] { double u = rng.uniform(); lo = std::min(lo, u); hi = std::max(hi, u); return u; }, N);
  CHECK(lo > 0);
  CHECK(hi < 1);
  check_moment("uniform mean", mc, 0.5);
  philox_stream rng2(seed, 0, 8);
  check_moment("uniform second moment", mc_mean([&] { double u = rng2.uniform(); return u * u; }, N), 1.0 / 3);
}

TEST_CASE("Box-Muller normals have moments 0, 1, 0, 3", "[random]") {
  INFO("seed " << seed);
  for (int p = 1; p <= 4; ++p) {
    philox_stream rng(seed, 1, p);
    double exact[] = {0, 0, 1, 0, 3};
    char label[64];
    std::snprintf(label, sizeof label, "normal moment %d", p);
    check_moment(label, mc_mean([&] { return std::pow(rng.normal(), p); }, N), exact[p]);
  }
}

TEST_CASE("Marsaglia-Tsang gamma variates have mean a and variance a for a below and above 1", "[random]") {
  INFO("seed " << seed);
  for (double a : {0.3, 1.0, 2.5, 150.5}) {
    philox_stream rng(seed, 2, static_cast<std::uint32_t>(a * 10));
    char label[64];
    std::snprintf(label, sizeof label, "gamma(%g) mean", a);
    check_moment(label, mc_mean([&] { return rng.gamma(a); }, N), a);
    std::snprintf(label, sizeof label, "gamma(%g) second moment", a);
    check_moment(label, mc_mean([&] { double g = rng.gamma(a); return g * g; }, N), a * (a + 1));
  }
}

TEST_CASE("chi-square variates give E[1/chi2_nu] = 1/(nu-2), the inverse-Wishart moment the engines rely on",
          "[random]") {
  INFO("seed " << seed);
  for (double nu : {3.0, 11.0, 301.0}) {
    philox_stream rng(seed, 3, static_cast<std::uint32_t>(nu));
    char label[64];
    std::snprintf(label, sizeof label, "chi2(%g) mean", nu);
    check_moment(label, mc_mean([&] { return rng.chi_square(nu); }, N), nu);
    if (nu > 4) {
      std::snprintf(label, sizeof label, "1/chi2(%g) mean", nu);
      check_moment(label, mc_mean([&] { return 1 / rng.chi_square(nu); }, N), 1 / (nu - 2));
    }
  }
}

TEST_CASE("a (seed, trial, stream) address always gives the same variates and distinct addresses differ",
          "[random]") {
  philox_stream a(seed, 5, 3), b(seed, 5, 3), c(seed, 6, 3), d(seed, 5, 4), e(seed + 1, 5, 3);
  int equal_c = 0, equal_d = 0, equal_e = 0;
  for (int i = 0; i < 1000; ++i) {
    double x = a.normal();
    REQUIRE(x == b.normal());
    equal_c += x == c.normal();
    equal_d += x == d.normal();
    equal_e += x == e.normal();
  }
  CHECK(equal_c == 0);
  CHECK(equal_d == 0);
  CHECK(equal_e == 0);
}
