// tests/theory/test_de.cpp -- the general-spectrum deterministic equivalents (§3, §4.3, §6) against the
// isotropic closed forms (§3.5, §4.2, §6 quartic) and the exact λ → 0 limits (§2.3, §2.4).
#include "digits_matcher.hpp"
#include "theory/exact.hpp"
#include "theory/isotropic.hpp"
#include "theory/lambda_opt.hpp"
#include "theory/overgen_de.hpp"
// the definitions: these tests instantiate long double and mp50 (only double and mpfr_real are in theory/instances/)
#include "theory/kappa_impl.hpp"
#include "theory/lambda_opt_impl.hpp"
#include "theory/overgen_de_impl.hpp"
#include "theory/ridge_de_impl.hpp"
#include "theory/ridge_de.hpp"

#include <catch2/catch.hpp>

using namespace collapse;
using collapse::test::WithinEps;

namespace {
spectrum_spec iso_spec(long d, const std::string& w0norm2) {
  spectrum_spec s;
  s.type = spectrum_spec::kind::isotropic;
  s.d = parse_exact("d", std::to_string(d));
  s.w0norm2 = parse_exact("w0norm2", w0norm2);
  return s;
}
template <class Real> Real R(const char* x) { return to_real<Real>(parse_exact("x", x).value); }
}  // namespace

TEMPLATE_TEST_CASE("kappa of an isotropic spectrum equals the closed form of §3.5", "[kappa]", double, long double, mp50) {
  using Real = TestType;
  for (long d : {50L, 200L, 300L}) {
    spectrum<Real> s(iso_spec(d, "1"));
    for (const char* lam : {"1e-6", "0.01", "0.1", "1", "30"}) {
      Real T = 200, lambda = R<Real>(lam);
      auto sol = solve_kappa(s, T, lambda);
      CAPTURE(d, lam, sol.iterations);
      CHECK_THAT(sol.kappa, WithinEps(iso_kappa(Real(d) / T, lambda), 64));
      // the sign certificate is honest: the closed form lies inside κ(1 ± relative_error)
      CHECK(collapse::test::abs_(Real(sol.kappa - iso_kappa(Real(d) / T, lambda))) <= sol.relative_error * sol.kappa);
      CHECK(sol.relative_error < 1e4 * epsilon<Real>());
    }
  }
}

TEST_CASE("kappa0 solves df1(kappa0) = T to 60 digits with a sign certificate", "[kappa]") {
  precision_guard g(60);
  using Real = mpfr_real;
  spectrum<Real> s(iso_spec(300, "1"));
  auto sol = solve_kappa0(s, Real(100));
  CHECK_THAT(sol.kappa, WithinEps(Real(2), 64));  // d/(1+κ0) = T0 ⇒ κ0 = φ0 − 1 = 2
  CHECK(sol.iterations <= 8);
}

TEMPLATE_TEST_CASE("general ridge DE on an isotropic spectrum equals the isotropic closed form with collapse", "[ridge]", double, mp50) {
  using Real = TestType;
  const long d = 200;
  spectrum<Real> s(iso_spec(d, "1"));
  for (const char* lam : {"0.001", "0.1", "1", "10"}) {
    for (int n : {0, 3}) {
      ridge_params<Real> p;
      p.T = 300; p.lambda = R<Real>(lam); p.sigma2 = R<Real>("0.25"); p.n = n; p.T0 = 400; p.sigma02 = 1;
      auto r = ridge_risk(s, p);
      Real m = Real(n) * p.sigma02 * Real(d) / (p.T0 - d - 1);
      auto iso = iso_risk(Real(d) / p.T, p.lambda, Real(1), p.sigma2, m);
      CAPTURE(lam, n);
      CHECK_THAT(r.total, WithinEps(iso.total, 256));
      CHECK_THAT(r.bias + r.variance, WithinEps(iso.clean, 256));
    }
  }
}

TEST_CASE("ridgeless collapse term of the DE is exactly n sigma0^2 d/(T0-d-1) for any spectrum (§3.3 special case)") {
  precision_guard g(50);
  using Real = mpfr_real;
  spectrum_spec sp;
  sp.type = spectrum_spec::kind::explicit_list;
  for (int j = 0; j < 20; ++j) { sp.eig.push_back(rational(1, 5) + rational(14 * j, 95)); sp.w2.push_back(rational(1, 20)); }
  sp.d = parse_exact("d", "20");
  spectrum<Real> s(sp);
  ridge_params<Real> p;
  p.T = 40; p.lambda = 0; p.sigma2 = 1; p.n = 4; p.T0 = 35; p.sigma02 = R<Real>("0.49");
  auto r = ridge_risk(s, p);
  auto ex = exact::ols(20, 40, 35, 4, 1, rational(49, 100));
  CHECK_THAT(r.collapse, WithinEps(to_real<Real>(ex.collapse), 16));
  // the clean part is the DE value σ²φ/(1−φ) = σ² d/(T−d), not the exact σ² d/(T−d−1)
  CHECK_THAT(r.variance, WithinEps(Real(20) / 20, 16));
}

TEST_CASE("ridgeless isotropic DE below the threshold reproduces the §2.4 collapse term T/(T0-d-1)") {
  precision_guard g(50);
  using Real = mpfr_real;
  spectrum<Real> s(iso_spec(60, "1"));
  ridge_params<Real> p;
  p.T = 30; p.lambda = 0; p.sigma2 = R<Real>("0.25"); p.n = 3; p.T0 = 80; p.sigma02 = 1;
  auto r = ridge_risk(s, p);
  CHECK_THAT(r.collapse, WithinEps(Real(3) * 30 / 19, 64));
  CHECK_THAT(r.bias, WithinEps(Real(1) - Real(30) / 60, 64));  // ‖w0‖²(1 − T/d)
}

TEST_CASE("isotropic optimal lambda from the quartic matches the theory document to 18 digits (§6)") {
  precision_guard g(40);
  using Real = mpfr_real;
  struct row { const char* phi; const char* m; const char* expected; };
  for (auto rw : {row{"0.5", "0", "0.125"}, row{"0.5", "0.5", "0.446462964762334291"},
                  row{"0.5", "2", "2.32093633050418575"}, row{"0.5", "10", "14.1662216002486973"},
                  row{"2", "1", "2.30995794771126494"}}) {
    auto r = iso_lambda_opt(R<Real>(rw.phi), Real(1), R<Real>("0.25"), R<Real>(rw.m));
    CAPTURE(rw.phi, rw.m);
    CHECK(collapse::test::agreeing_digits(r.lambda, R<Real>(rw.expected)) > 17.5);
  }
}

TEST_CASE("numerical minimisation of the general DE equals the isotropic quartic to 45 digits (§6)") {
  precision_guard g(50);
  using Real = mpfr_real;
  for (const char* n : {"0", "2", "4"}) {
    spectrum<Real> s(iso_spec(100, "1"));
    lambda_opt_params<Real> p;
    p.T = 150; p.sigma2 = R<Real>("0.25"); p.n = R<Real>(n); p.T0 = 200; p.sigma02 = 1;
    auto num = lambda_opt(s, p);
    Real m = p.n * p.sigma02 * 100 / (p.T0 - 100 - 1);
    auto quartic = iso_lambda_opt(Real(100) / 150, Real(1), p.sigma2, m);
    CAPTURE(n);
    CHECK(collapse::test::agreeing_digits(num.lambda, quartic.lambda) > 45);
    CHECK(collapse::test::agreeing_digits(num.risk, quartic.risk) > 45);
  }
}

TEST_CASE("over-parameterised DE recursion on an isotropic spectrum equals the exact proportional chain (§4.1-4.3)") {
  precision_guard g(50);
  using Real = mpfr_real;
  const long d = 200;
  spectrum<Real> s(iso_spec(d, "1"));
  for (int n : {0, 1, 3, 8}) {
    overgen_params<Real> p;
    p.T0 = 100; p.n = n; p.sigma02 = R<Real>("0.25"); p.T = 300; p.lambda = R<Real>("0.1"); p.sigma2 = R<Real>("0.25");
    auto gen = overgen_generator_risk(s, p);
    Real phi0 = Real(d) / p.T0, q = 1 / phi0, qn = pow(q, n);
    Real expected = (1 - qn) * (1 + p.sigma02 * phi0 / ((phi0 - 1) * (phi0 - 1)));
    CAPTURE(n);
    CHECK_THAT(gen.generator_error, WithinEps(expected, 512));
    auto down = overgen_risk(s, p);
    auto iso = overgen_iso_risk(Real(d) / p.T, phi0, p.lambda, Real(n), Real(1), p.sigma2, p.sigma02, Real(1 - qn));
    CHECK_THAT(down.total, WithinEps(iso.total, 512));
  }
}

TEST_CASE("the doc's over-parameterised isotropic ridge values are reproduced (§4.4)") {
  // d=200, T0=100, T=300, λ=0.1, σ=σ0=0.5: n=3 → 1.39028, n=5 → 1.51120 (proportional-limit formula)
  using Real = double;
  for (auto [n, v] : {std::pair{3, 1.39028}, std::pair{5, 1.51120}}) {
    double qn = std::pow(0.5, n);
    auto iso = overgen_iso_risk<Real>(200.0 / 300, 2.0, 0.1, n, 1.0, 0.25, 0.25, 1 - qn);
    CHECK(iso.total == Approx(v).epsilon(5e-6));
  }
}

TEST_CASE("kappa at the threshold d = T with lambda far below the working precision is kappa = sqrt(lambda)(1 + O(sqrt(lambda)))") {
  // φ = 1: κ² = λ(1+κ) (§3.5), so κ = √λ to 40 digits when λ = 1e-300; 1 − df2/T ≈ 2κ must not cancel.
  precision_guard g(40);
  using Real = mpfr_real;
  spectrum<Real> s(iso_spec(200, "1"));
  Real lambda("1e-300");
  auto sol = solve_kappa(s, Real(200), lambda);
  CHECK_THAT(sol.kappa, WithinEps(iso_kappa(Real(1), lambda), 64));
}
