// tests/eval/test_variants_eval.cpp -- the issue-12 catalogue entries (eval/quantities_variants.cpp) against
// independent values: exact fractions computed here by hand from the protocol (docs/theory-extensions.md
// §A.2, §B.2), and, for the ridge-generator DE, the isotropic closed form of §C.1 evaluated in MPFR.
#include "digits_matcher.hpp"
#include "run_command.hpp"
#include "eval/catalogue.hpp"
#include "eval/decimal.hpp"

#include "theory/isotropic.hpp"

#include <catch2/catch.hpp>

using namespace collapse;

namespace {
eval::eval_output eval_quantity(const std::string& name, const std::string& args, int digits) {
  return eval::evaluate_certified(eval::build_request(name, eval::parse_option_string(args), digits));
}
}  // namespace

TEST_CASE("accumulate-fixed-exact at the issue's point is 7/81 H2(8), the issue's sum with sigma0 = sigma over n + 1 = 8 fits") {
  const auto o = eval_quantity("accumulate-fixed-exact", "--d 7 --T 89 --n 7 --sigma2 1 --sigma02 1", 40);
  rational h2 = 0;
  for (int i = 1; i <= 8; ++i) h2 += rational(1, i * i);
  CHECK(o.exact == fraction_string(rational(7, 81) * h2));
  CHECK(o.value == eval::format_decimal(rational(7, 81) * h2, 40));
}

TEST_CASE("accumulate-fresh-exact is the sum of (T_k/N_k) d/(N_k-d-1) over the batches (d=4, T0=8, T=12, n=3)") {
  // generators: 8·4/(8·3) + 8·4/(16·11) + 8·4/(24·19) = 4/3 + 2/11 + 4/57; downstream (σ² = 1/4): 12·4/(36·31)/4 = 1/93
  const auto o = eval_quantity("accumulate-fresh-exact", "--d 4 --T 12 --T0 8 --n 3 --sigma2 1/4 --sigma02 1", 30);
  CHECK(o.exact == fraction_string(rational(4, 3) + rational(2, 11) + rational(4, 57) + rational(1, 93)));
  // the Monte Carlo of tests/theory/test_variants.cpp: 1.596504 ± 0.003948
  CHECK(std::abs(std::stod(o.value) - 1.596504) < 4 * 0.003948);
}

TEST_CASE("mixing-exact at d=4, T=10, T2=3, noiseless, |Delta|^2 = 1 is 19/75 (the proportional formula says 23/100)") {
  // p2² + p1p2 c(4,10) = 9/100 + (21/100)(420/540) = 19/75
  const auto o = eval_quantity("mixing-exact", "--d 4 --T 10 --T2 3 --sigma2 0 --delta-norm2 1", 30);
  CHECK(o.exact == "19/75");
  CHECK(o.components.size() == 3);
}

TEST_CASE("ridge-generator-risk agrees with the isotropic closed form of its three spectral moments to 40 digits") {
  const auto o = eval_quantity("ridge-generator-risk",
                               "--spectrum isotropic --d 100 --w0norm2 1 --T0 150 --lambda0 1/2 --n 3 --sigma02 1/4 --T 200 --lambda 1/10 --sigma2 1/4",
                               45);
  precision_guard g(100);
  using R = mpfr_real;
  const R phi0 = R(100) / 150, k0 = iso_kappa(phi0, R(1) / 2), s = 1 / (1 + k0), gap0 = iso_gap(phi0, k0, R(1) / 2);
  const R alpha2 = (gap0 + k0 * k0 * phi0) / ((1 + k0) * (1 + k0) * gap0), v0 = R(1) / 4 * phi0 / gap0;
  const R an = pow(alpha2, 3) + v0 * (1 - pow(alpha2, 3)) / (1 - alpha2), bn = pow(s, 3);
  const R phi = R(1) / 2, k = iso_kappa(phi, R(1) / 10), gap = iso_gap(phi, k, R(1) / 10);
  const R expected = (gap + k * k * phi) / ((1 + k) * (1 + k) * gap) * an - 2 / (1 + k) * bn + 1 + R(1) / 4 * phi / gap;
  CHECK(test::agreeing_digits(mpfr_real(o.value), expected) > 40);
  // the literal protocol's Monte Carlo (tests/theory/test_variants.cpp): 0.955770 ± 0.002241
  CHECK(std::abs(std::stod(o.value) - 0.955770) < 4 * 0.002241 + 0.02 * 0.955770);
}

TEST_CASE("the variants refuse undefined inputs with one line naming the parameter, exit 2, nothing on stdout") {
  for (const char* cmd : {"eval mixing-exact --d 4 --T 10 --T2 11 --sigma2 0 --delta-norm2 1",
                          "eval accumulate-fixed-exact --d 7 --T 8 --n 2 --sigma2 1 --sigma02 1",
                          "eval accumulate-fixed-exact --d 7 --T 20 --n 0 --sigma2 1 --sigma02 1",
                          "eval ridge-generator-risk --spectrum isotropic --d 100 --w0norm2 1 --T0 150 --lambda0 0 --n 3 --sigma02 1 "
                          "--T 200 --lambda 1/10 --sigma2 1"}) {
    INFO(cmd);
    const auto r = test::run_collapse(cmd);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("collapse: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  CHECK(test::run_collapse("eval mixing-exact --d 4 --T 10 --T2 11 --sigma2 0 --delta-norm2 1").err.find("T2 = 11") != std::string::npos);
  CHECK(test::run_collapse("eval ridge-generator-risk --spectrum isotropic --d 100 --w0norm2 1 --T0 150 --lambda0 0 --n 3 --sigma02 1 "
                           "--T 200 --lambda 1/10 --sigma2 1").err.find("lambda0") != std::string::npos);
}
