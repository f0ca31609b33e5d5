// tests/eval/test_exponents.cpp -- the §5.4 exponent table (eval/powerlaw_scaling.hpp): exact
// rationals for known cases, and the local log-log slope of the §3.3 DE converging to them.
// Tolerances are in significant digits of agreement between the measured slope and the exact exponent;
// they are set by the asymptotics (the subleading powers of T named in each test), not by rounding --
// the numerical error of every slope (from the spectral sums' error estimates) is checked separately.
#include "eval/powerlaw_scaling.hpp"
#include "numerics/slope_fit.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <cstdio>
#include <memory>
#include <string>

using namespace collapse;
using namespace collapse::numerics;
using namespace collapse::eval;

namespace {
rational q(const char* s) { return parse_exact("q", s).value; }

struct command_result { int status; std::string out; };
command_result run(const std::string& args) {
  std::string cmd = std::string(COLLAPSE_BINARY) + " " + args + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
  int st = pclose(p.release());
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}
}  // namespace

TEST_CASE("beta = 2 and r = 2/5 give ell_crit = 10/13, gamma = 8/13 and the noiseless fast rate 8/5 exactly", "[exponents]") {
  const rational beta = 2, r = q("2/5");
  CHECK(ell_crit(beta, r) == q("10/13"));
  auto noisy = predict_exponents(beta, r, coupling::clean_noisy(), q("10/13"));
  CHECK(noisy.gamma == q("8/13"));
  CHECK(noisy.best_gamma == q("8/13"));
  CHECK(*noisy.variance_exponent == q("-8/13"));   // ℓ/β − 1 = 5/13 − 1
  CHECK(noisy.bias_exponent == q("-8/13"));        // −2ℓr: bias and variance balance at ℓ_crit
  auto clean = predict_exponents(beta, r, coupling::clean_noiseless(), rational(3));
  CHECK(clean.gamma == q("8/5"));                  // 2 min(ℓ,β) r = 2·2·2/5
  CHECK(clean.best_gamma == q("8/5"));
  CHECK(clean.best_ell == 2);
  auto prop = predict_exponents(beta, r, coupling::proportional(), q("10/13"));
  CHECK(*prop.collapse_exponent == q("-8/13"));    // ℓ/β − 1
  CHECK(prop.gamma == q("8/13"));
  CHECK(prop.best_ell == q("10/13"));
}

TEST_CASE("T0 growing like T^a slows the best rate by the factor a; a fixed T0 gives a floor", "[exponents]") {
  const rational beta = 2, r = q("2/5");
  auto pw = predict_exponents(beta, r, coupling::power(q("3/5")), q("4/5"));
  CHECK(*pw.collapse_exponent == q("-1/5"));       // ℓ/β − a = 2/5 − 3/5 (doc §5.4 check)
  CHECK(pw.gamma == q("1/5"));
  CHECK(pw.best_ell == q("6/13"));                 // a·ℓ_crit
  CHECK(pw.best_gamma == q("24/65"));              // a·8/13
  auto below = predict_exponents(beta, r, coupling::power(q("1/5")), q("4/5"));
  CHECK(*below.collapse_exponent == 0);            // ℓ/β > a: df2 saturates at d, the collapse term stops falling
  CHECK(below.gamma == 0);
  auto fx = predict_exponents(beta, r, coupling::fixed(), q("4/5"));
  CHECK(*fx.collapse_exponent == 0);
  CHECK(fx.gamma == 0);
  CHECK(fx.best_gamma == 0);
  // r ≥ 1 saturates: r̲ = 1, ℓ_crit = β/(1+2β)
  CHECK(ell_crit(q("3/2"), q("3/2")) == q("3/8"));
  CHECK(predict_exponents(q("3/2"), q("3/2"), coupling::clean_noisy(), q("3/8")).gamma == q("3/4"));
}

TEST_CASE("the local slope of the clean noisy DE at ell_crit converges to -8/13, 5 digits at T = 1e12 and 7 at 1e18", "[exponents][slope]") {
  // Subleading terms: κ/λ − 1 ≈ C1 λ^(-1/β)/T = O(T^(−8/13)) and the −1/2 of df2, O(T^(−5/13)) relative.
  slope_settings st;
  st.decades = 1;
  double prev = 0;
  for (int k : {8, 12, 18}) {
    st.log10_T_max = k;
    auto m = measure_slopes(2, q("2/5"), coupling::clean_noisy(), q("10/13"), st);
    const auto& w = m.windows.back();
    const double dg = agreeing_digits(w.total, q("-8/13"));
    CAPTURE(k, w.total, dg, w.numerical_error, m.digits);
    CHECK(w.numerical_error < 1e-25);  // the slope is limited by the asymptotics, never by rounding
    CHECK(dg > prev);                 // each range of T adds digits
    prev = dg;
  }
  CHECK(prev >= 7);  // measured 3.5, 5.0, 7.3 digits at T = 1e8, 1e12, 1e18
}

TEST_CASE("the noiseless clean DE with lambda = T^-3 has the fast rate -8/5 to 6 digits at T = 1e12", "[exponents][slope]") {
  // κ → κ0 ≈ (C1/T)^β: T − df1 = Tλ/κ is 1e-12 of T, so this needs the high-precision κ solve.
  slope_settings st;
  st.decades = 1;
  auto m = measure_slopes(2, q("2/5"), coupling::clean_noiseless(), rational(3), st);
  CAPTURE(m.windows.back().total);
  CHECK(agreeing_digits(m.windows.back().total, q("-8/5")) >= 6);
}

TEST_CASE("with T0 proportional to T the collapse term falls like T^(ell/beta - 1) (doc §5.4 check with d = T, ell = 4/5)", "[exponents][slope]") {
  slope_settings st;
  st.decades = 1;
  st.log10_T_max = 12;
  auto m = measure_slopes(2, q("2/5"), coupling::proportional(), q("4/5"), st);
  const auto& w = m.windows.back();
  CAPTURE(w.total, *w.collapse);
  CHECK(agreeing_digits(*w.collapse, q("-3/5")) >= 3);  // doc: −0.5992 at the last of its windows
  CHECK(agreeing_digits(w.total, q("-8/5")) < 1);       // sanity: the total is not at the fast rate
  // the total only slowly reaches −γ = −3/5: its bias part falls like T^(−16/25), only T^(−1/25) faster (2.2 digits)
  CHECK(agreeing_digits(w.total, rational(-1) * predict_exponents(2, q("2/5"), coupling::proportional(), q("4/5")).gamma) >= 2);
}

TEST_CASE("bad exponent-table input is refused with the parameter, its value and the valid range", "[exponents][errors]") {
  CHECK_THROWS_WITH(ell_crit(1, q("2/5")), Catch::Contains("beta") && Catch::Contains("beta > 1"));
  CHECK_THROWS_WITH(ell_crit(2, 0), Catch::Contains("r = 0") && Catch::Contains("r > 0"));
  CHECK_THROWS_WITH(coupling::power(0), Catch::Contains("a = 0") && Catch::Contains("0 < a <= 1"));
  CHECK_THROWS_WITH(coupling::power(q("3/2")), Catch::Contains("0 < a <= 1"));
  CHECK_THROWS_WITH(predict_exponents(2, 1, coupling::proportional(), 0), Catch::Contains("ell") && Catch::Contains("ell > 0"));
  slope_settings st;
  st.phi0 = 1;
  CHECK_THROWS_WITH(measure_slopes(2, q("2/5"), coupling::proportional(), q("4/5"), st), Catch::Contains("phi0") && Catch::Contains("0 < phi0 < 1"));
  auto r = run("exponents --beta 0.5 --no-measure");
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("invalid beta = 1/2") && Catch::Contains("1 < beta <= 64"));
  r = run("exponents --T-max 5e11 --no-measure");
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("--T-max"));
  r = run("exponents --format xml --no-measure");
  CHECK(r.status == 2);
}

TEST_CASE("collapse exponents prints the exact table as md, booktabs LaTeX, CSV and JSON", "[exponents][cli]") {
  auto md = run("exponents --beta 2 --r 0.4 --couplings proportional,clean-noiseless --no-measure --format md");
  REQUIRE(md.status == 0);
  CHECK_THAT(md.out, Catch::Contains("| 2 | 2/5 | T0 ∝ T | 10/13 | 10/13 | 8/13 |"));
  auto tex = run("exponents --beta 2 --r 0.4 --couplings proportional --no-measure --format latex");
  CHECK_THAT(tex.out, Catch::Contains("\\toprule") && Catch::Contains("\\midrule") && Catch::Contains("\\bottomrule"));
  auto csv = run("exponents --beta 2 --r 0.4 --couplings proportional --no-measure --format csv");
  CHECK_THAT(csv.out, Catch::StartsWith("beta,r,coupling,ell,ell_crit,gamma,best_ell,best_gamma,collapse_exponent"));
  auto js = run("exponents --beta 2 --r 0.4 --couplings clean-noisy --T-max 1e8 --format json");
  REQUIRE(js.status == 0);
  CHECK_THAT(js.out, Catch::Contains("\"gamma\": \"8/13\"") && Catch::Contains("\"slope_digits\""));
}

TEST_CASE("the windowed weighted log-log fit recovers an exact power law and covers a noisy one with its 95% interval", "[exponents][fit]") {
  std::vector<double> T, E, se;
  for (int i = 0; i <= 12; ++i) {
    T.push_back(std::pow(10.0, 2 + i / 4.0));
    E.push_back(3 * std::pow(T.back(), -0.6));
    se.push_back(0.01 * E.back());
  }
  auto exact = windowed_slope_fit(T, E, se, 1e2, 1e5);
  CHECK(std::abs(exact.slope + 0.6) < 64 * std::numeric_limits<double>::epsilon());
  CHECK(exact.points == 13);
  // synthetic Monte Carlo: relative noise 1 % (seed 20240707); over 200 replicas the 95% interval
  // must cover −0.6 between 180 and 200 times (binomial: 190 ± 3.1, so ±3 sd)
  std::mt19937_64 rng(20240707);
  std::normal_distribution<double> z;
  int covered = 0;
  for (int rep = 0; rep < 200; ++rep) {
    std::vector<double> En(E);
    for (auto& e : En) e *= 1 + 0.01 * z(rng);
    auto f = windowed_slope_fit(T, En, se, 1e2, 1e5);
    covered += f.contains(-0.6);
  }
  CAPTURE(covered);
  CHECK(covered >= 180);
  CHECK_THROWS_WITH(windowed_slope_fit(T, E, se, 1e6, 1e7), Catch::Contains("at least 3 points"));
}
