// tests/theory/test_domain.cpp -- the shared finite-mean check of theory/domain.hpp (issue 7, kind 2):
// each threshold of §2.1/§2.3/§2.4/§4.1/§8.2 on both sides by direct calls, the exact formulas that use
// it, and `collapse simulate` refusing an infinite mean on the real command line.
#include "run_command.hpp"
#include "theory/domain.hpp"
#include "theory/exact.hpp"

#include <catch2/catch.hpp>

using namespace collapse;

namespace {
/// The parameter a domain_error names, or "" when the call returns normally.
std::string refused(const rational& d, const rational& T, const rational& T0, const rational& n, const rational& lambda,
                    const rational& sigma2, const rational& sigma02) {
  try {
    require_finite_mean(d, T, T0, n, lambda, sigma2, sigma02);
    return "";
  } catch (const domain_error& e) {
    return e.parameter();
  }
}
}  // namespace

TEST_CASE("the ridgeless mean with label noise is infinite exactly for T in {d-1, d, d+1}") {
  for (int T = 1; T <= 14; ++T) {
    CAPTURE(T);
    const bool infinite = T >= 9 && T <= 11;  // d = 10
    CHECK(refused(10, T, 0, 0, 0, 1, 0) == (infinite ? "T" : ""));
    CHECK(refused(10, T, 0, 0, rational(1, 1000000), 1, 0).empty());  // λ > 0: finite for every T
    CHECK(refused(10, T, 0, 0, 0, 0, 0).empty());                     // σ² = 0: no variance term
  }
}

TEST_CASE("the generators' error is infinite exactly for T0 in {d-1, d, d+1} with n >= 1 and sigma02 > 0, for every lambda") {
  for (int T0 = 1; T0 <= 14; ++T0) {
    CAPTURE(T0);
    const bool infinite = T0 >= 9 && T0 <= 11;  // d = 10
    CHECK(refused(10, 20, T0, 1, 0, 1, 1) == (infinite ? "T0" : ""));
    CHECK(refused(10, 20, T0, 3, 5, 1, 1) == (infinite ? "T0" : ""));  // ridge downstream does not help
    CHECK(refused(10, 20, T0, 0, 0, 1, 1).empty());                    // n = 0: no generator
    CHECK(refused(10, 20, T0, 2, 0, 1, 0).empty());                    // σ0² = 0: projections only
  }
}

TEST_CASE("a refusal names the value and the valid range") {
  try {
    require_finite_mean(1, 2, 0, 0, 0, 1, 0);
    FAIL("T = 2 = d + 1 with lambda = 0 and sigma2 = 1 was accepted");
  } catch (const domain_error& e) {
    CHECK(e.parameter() == "T");
    CHECK(e.value() == "2");
    CHECK(e.valid_range() == "T >= d + 2 = 3 when lambda = 0 and sigma2 > 0 (any T when lambda > 0 or sigma2 = 0)");
  }
  try {
    require_finite_mean(10, 40, 11, 1, 0, 1, 1);
    FAIL("T0 = 11 = d + 1 with n = 1 was accepted");
  } catch (const domain_error& e) {
    CHECK(e.parameter() == "T0");
    CHECK(e.value() == "11");
    CHECK(e.valid_range() == "T0 <= d - 2 = 8 or T0 >= d + 2 = 12 when n >= 1 and sigma02 > 0");
  }
}

TEST_CASE("the exact OLS formula refuses through the shared check and accepts the finite noise-free threshold cases") {
  CHECK_THROWS_AS(exact::ols(10, 11, 0, 0, 1, 0), domain_error);
  // σ² = 0 at T = d: OLS interpolates ŵ_n exactly; the error is the generators' n σ0² d/(T0 − d − 1) (§2.1).
  auto e = exact::ols(10, 10, 15, 2, 0, 1);
  CHECK(e.clean == 0);
  CHECK(e.collapse == rational(2 * 10, 15 - 10 - 1));
  // σ0² = 0 at T0 = d + 1: every generator returns its input, no collapse term.
  CHECK(exact::ols(10, 20, 11, 3, 1, 0).collapse == 0);
  // σ² = 0 at T = d − 1 (min-norm): ‖w0‖²(1 − T/d) exactly (§2.4).
  CHECK(exact::iso_minnorm(10, 9, 0, 0, 0, 0, 1).total == rational(1, 10));
}

TEST_CASE("collapse simulate refuses an infinite mean with one error line and exit 2") {
  struct bad { std::string args, parameter; };
  for (const bad& b : {bad{"--spectrum isotropic --d 1 --w0norm2 1 --T 2 --sigma2 1 --trials 1000", "T = 2"},
                       bad{"--spectrum isotropic --d 10 --w0norm2 1 --T 40 --T0 11 --n 2 --sigma2 1 --sigma02 1 --trials 100", "T0 = 11"},
                       bad{"--spectrum isotropic --d 10 --w0norm2 1 --T 40 --T0 9 --n 1 --lambda 1 --sigma2 1 --sigma02 1 --trials 100", "T0 = 9"}}) {
    CAPTURE(b.args);
    auto r = test::run_collapse("simulate " + b.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("collapse: error: ", 0) == 0);
    CHECK(r.err.find(b.parameter) != std::string::npos);
    CHECK(r.err.find('\n') == r.err.size() - 1);  // exactly one line
  }
  // The finite neighbours still run: λ > 0 at T = d + 1, and σ² = 0 at T = d.
  CHECK(test::run_collapse("simulate --spectrum isotropic --d 1 --w0norm2 1 --T 2 --lambda 1 --sigma2 1 --trials 100").exit_code == 0);
  CHECK(test::run_collapse("simulate --spectrum isotropic --d 2 --w0norm2 1 --T 2 --sigma2 0 --trials 100").exit_code == 0);
}
