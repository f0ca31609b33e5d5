// tests/theory/test_asymptotics.cpp -- §5 constants and optima against the full power-law sums, and
// §6 properties of the optimal λ.
#include "digits_matcher.hpp"
#include "theory/isotropic.hpp"
#include "theory/lambda_opt.hpp"
#include "theory/powerlaw_asymptotics.hpp"

#include <catch2/catch.hpp>

using namespace collapse;

namespace {
spectrum_spec powerlaw(const char* beta, const char* r, const char* d = "inf") {
  spectrum_spec s;
  s.type = spectrum_spec::kind::powerlaw;
  s.beta = parse_exact("beta", beta);
  s.r = parse_exact("r", r);
  s.d = parse_exact("d", d, true);
  return s;
}
}  // namespace

TEST_CASE("df1 and df2 approach C1 kappa^(-1/beta) - 1/2 and C2 kappa^(-1/beta) - 1/2 as kappa -> 0 (§5.2)") {
  precision_guard g(40);
  using Real = mpfr_real;
  for (const char* b : {"1.5", "2", "3.7"}) {
    spectrum<Real> s(powerlaw(b, "0.4"));
    Real beta = to_real<Real>(parse_exact("b", b).value);
    auto c = powerlaw_constants_of(beta, Real("0.4"));
    Real k("1e-16");
    // next term of the expansion is −ζ(−β)κ (resp. −2ζ(−β)κ): at κ = 1e-16 it is below 1e-16
    Real err1 = df(s, k, 1) - (c.C1 * pow(k, -1 / beta) - Real(1) / 2);
    Real err2 = df(s, k, 2) - (c.C2 * pow(k, -1 / beta) - Real(1) / 2);
    CAPTURE(b);
    CHECK(abs(err1) < Real("1e-15"));
    CHECK(abs(err2) < Real("1e-15"));
  }
}

TEST_CASE("the bias numerator approaches B_r kappa^(2r) for r < 1 and B_r kappa^2 for r > 1 (§5.3)") {
  precision_guard g(40);
  using Real = mpfr_real;
  for (auto [b, r] : {std::pair{"2", "0.3"}, std::pair{"2", "0.8"}, std::pair{"1.5", "0.4"}, std::pair{"2", "1.5"}}) {
    spectrum<Real> s(powerlaw(b, r));
    Real beta = to_real<Real>(parse_exact("b", b).value), rr = to_real<Real>(parse_exact("r", r).value);
    auto c = powerlaw_constants_of(beta, rr);
    Real ru = r_under(rr);
    Real k1("1e-12"), k2("1e-14");
    Real ratio1 = bias_numerator(s, k1) / (c.B * pow(k1, 2 * ru)), ratio2 = bias_numerator(s, k2) / (c.B * pow(k2, 2 * ru));
    CAPTURE(b, r, static_cast<double>(ratio1), static_cast<double>(ratio2));
    // the ratio tends to 1 and the distance shrinks with kappa
    CHECK(abs(ratio2 - 1) < Real("1e-2"));
    CHECK(abs(ratio2 - 1) < abs(ratio1 - 1));
  }
}

TEST_CASE("the DE-optimal lambda approaches the asymptotic kappa* as T grows (§5.5: beta = 2, r = 0.4, sigma_eff2 = 1)") {
  using Real = double;
  spectrum<Real> s(powerlaw("2", "0.4"));
  // theory document §5.5: λ*/κ*_asym = 0.99793, 0.999877, 0.999993, 1.0000 at T = 1e4, 1e6, 1e8, 1e10
  struct row { double T, ratio, tol; };
  for (auto rw : {row{1e4, 0.99793, 2e-5}, row{1e6, 0.999877, 2e-6}, row{1e8, 0.999993, 2e-6}}) {
    lambda_opt_params<Real> p;
    p.T = rw.T; p.sigma2 = 1;
    auto opt = lambda_opt(s, p);
    auto asym = kappa_opt_asymptotic_of<Real>(2, 0.4, rw.T, 1);
    CAPTURE(rw.T, opt.lambda, asym.kappa);
    CHECK(opt.lambda / asym.kappa == Approx(rw.ratio).margin(rw.tol));
  }
}

TEST_CASE("the crossover T* of §5.6 is 1.23e4 for beta = 2, r = 0.4, sigma_eff2 = 1e-6") {
  double Tstar = crossover_T<double>(2, 0.4, 1e-6);
  CHECK(Tstar == Approx(1.23e4).epsilon(0.01));
  // T* ∝ σ_eff^(−1/(β r̲)): a 100× smaller σ_eff² moves T* by 100^(1/(2·2·0.4)) = 10^(1/0.8)
  CHECK(crossover_T<double>(2, 0.4, 1e-8) / Tstar == Approx(std::pow(100.0, 1 / 1.6)).epsilon(1e-12));
}

TEST_CASE("collapse always calls for more regularisation, and lambda* ~ m(1+phi)/a for large m (§6)") {
  precision_guard g(30);
  using Real = mpfr_real;
  for (const char* phi : {"0.5", "2"}) {
    Real ph = to_real<Real>(parse_exact("phi", phi).value);
    Real prev = iso_lambda_opt(ph, Real(1), Real("0.25"), Real(0)).lambda;
    CHECK(abs(prev - Real("0.25") * ph) < Real("1e-25"));  // m = 0: λ* = sφ/a
    for (const char* m : {"0.1", "1", "10", "100"}) {
      Real l = iso_lambda_opt(ph, Real(1), Real("0.25"), Real(m)).lambda;
      CAPTURE(phi, m);
      CHECK(l > prev);
      prev = l;
    }
    Real big("1e8");
    CHECK(abs(iso_lambda_opt(ph, Real(1), Real("0.25"), big).lambda / (big * (1 + ph)) - 1) < Real("1e-3"));
  }
}
