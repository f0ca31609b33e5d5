// tests/eval/test_effective_noise.cpp -- `effective-noise` (σ_eff² of §3.3) against closed forms: for
// Σ = I the fixed point is κ = iso_kappa(d/T, λ) and df1 = d/(1+κ), so σ_eff² = σ² + nσ0²(T + d − 2d/(1+κ))/(T0 − d − 1).
#include "digits_matcher.hpp"
#include "eval/catalogue.hpp"
#include "eval/decimal.hpp"

#include "theory/isotropic.hpp"

#include <catch2/catch.hpp>

using namespace collapse;

namespace {
eval::eval_output effective_noise(const std::string& args, int digits) {
  return eval::evaluate_certified(eval::build_request("effective-noise", eval::parse_option_string(args), digits));
}
}  // namespace

TEST_CASE("effective-noise is 41/21 where kappa = 1 exactly (d = 10, T = 20, lambda = 3/4, T0 = 32), to 50 digits") {
  // κ − λ = κ df1/T with df1 = 10/(1+κ): κ = 1 gives λ = 1 − 5/20 = 3/4; T + d − 2df1 = 20, T0 − d − 1 = 21.
  auto o = effective_noise("--spectrum isotropic --d 10 --w0norm2 1 --T 20 --lambda 3/4 --sigma2 1 --n 2 --T0 32 --sigma02 1/2", 50);
  CHECK(o.value == eval::format_decimal(rational(41, 21), 50));
}

TEST_CASE("effective-noise agrees with the isotropic closed form through iso_kappa to 45 digits") {
  auto o = effective_noise("--spectrum isotropic --d 10 --w0norm2 2 --T 40 --lambda 0.1 --sigma2 0.5 --n 3 --T0 100 --sigma02 0.25", 50);
  precision_guard g(100);
  const mpfr_real phi(mpfr_real(1) / 4), lambda(mpfr_real(1) / 10);
  const mpfr_real kappa = iso_kappa(phi, lambda);
  const mpfr_real df1 = 10 / (1 + kappa);
  const mpfr_real expected = mpfr_real(1) / 2 + mpfr_real(3) / 4 * (40 + 10 - 2 * df1) / 89;
  CHECK(test::agreeing_digits(mpfr_real(o.value), expected) > 45);
}

TEST_CASE("effective-noise is sigma2 itself without generators, and refuses T0 there") {
  auto o = effective_noise("--spectrum powerlaw --beta 1.5 --r 0.4 --d inf --T 100 --lambda 0.01 --sigma2 0.3 --n 0", 30);
  CHECK(o.value == eval::format_decimal(rational(3, 10), 30));
  CHECK_THROWS_WITH(effective_noise("--spectrum powerlaw --beta 1.5 --r 0.4 --d inf --T 100 --lambda 0.01 --sigma2 0.3 --n 0 --T0 500", 30),
                    Catch::Contains("--T0 = 500"));
}
