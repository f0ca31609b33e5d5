// tests/theory/test_variants.cpp -- the issue-12 protocol variants (docs/theory-extensions.md): accumulate
// (theory/variants/accumulate.hpp), mixing real and synthetic data (theory/variants/mixing.hpp), ridge
// generators (theory/variants/ridge_generator.hpp).
//
// Three kinds of oracle:
//  * Monte Carlo of the literal protocols (explicit designs, explicit label noise, the fits solved from the
//    stacked normal equations), produced by tests/theory/variants_mc/variants_mc.py (numpy PCG64, seeds in
//    the script). Rule for an EXACT formula: |MC − formula| ≤ 4 se. Rule for a DE: |MC − DE| ≤ 4 se + 2 % of
//    the DE (the O(1/d) finite-size bias at d = 100; the doc's §3.6 measured 0.2–0.7 % at d = 200). Each row's
//    se is itself bounded (≤ 0.5 % of the mean), so a noisier rerun fails instead of passing trivially, and
//    the same rows are shown to REJECT the plausible wrong variants (T − d for T − d − 1, the formulas
//    in this project's convention, the literal §7 substitution).
//  * exact rational identities (d = 1 Beta moments, reductions to theory/exact.hpp);
//  * second routes (the λ0 = 0 ridge chain against theory/overgen_de.hpp; isotropic closed forms).
#include "digits_matcher.hpp"
#include "theory/exact.hpp"
#include "theory/isotropic.hpp"
#include "theory/overgen_de.hpp"
#include "theory/ridge_de.hpp"
#include "theory/variants/accumulate.hpp"
#include "theory/variants/mixing.hpp"
#include "theory/variants/ridge_generator.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

using namespace collapse;
using namespace collapse::variants;
using collapse::test::WithinEps;

namespace {

/// One Monte Carlo verification row: the literal protocol's mean and standard error (variants_mc.py).
struct mc_row {
  const char* what;  // case and quantity, as printed by variants_mc.py
  double mean, se;
  long trials;
  std::function<double()> formula;  // the value under test, from the header
};

constexpr double z_max = 4.0;         // exact formulas: |z| ≤ 4
constexpr double de_bias = 0.02;      // DEs at d = 100: finite-size bias bound, relative
constexpr double se_bound = 0.005;    // a row's se may not exceed 0.5 % of its mean
constexpr double reject_z = 8.0;      // a wrong variant must be ≥ 8 se (beyond the DE bound) away

double H2(long n) {
  double s = 0;
  for (long k = n; k >= 1; --k) s += 1.0 / (double(k) * double(k));
  return s;
}

// ---- A: accumulate (variants_mc.py cases A-fixed-issue, A-fixed-small, A-fresh) ----------------------
// Σ = diag(linspace(0.5, 2, 7)) for the point, diag(0.5, 1, 1.5, 2) for the small cases.
const std::vector<mc_row>& accumulate_rows() {
  static const std::vector<mc_row> rows = {
      {"A-fixed d=7 T=89 sigma2=sigma02=1: downstream after n=0 (fit 1)", 0.086402, 0.000109, 200000,
       [] { return accumulate_fixed_ols<double>(7, 89, 0, 1.0, 1.0).total; }},
      {"A-fixed d=7 T=89 sigma2=sigma02=1: downstream after n=1 (fit 2)", 0.107999, 0.000136, 200000,
       [] { return accumulate_fixed_ols<double>(7, 89, 1, 1.0, 1.0).total; }},
      {"A-fixed d=7 T=89 sigma2=sigma02=1: downstream after n=7 (fit 8, the issue's n = 8)", 0.131995, 0.000167, 200000,
       [] { return accumulate_fixed_ols<double>(7, 89, 7, 1.0, 1.0).total; }},
      {"A-fixed d=7 T=89 sigma2=sigma02=1: downstream after n=8 (fit 9)", 0.133085, 0.000168, 200000,
       [] { return accumulate_fixed_ols<double>(7, 89, 8, 1.0, 1.0).total; }},
      {"A-fixed d=4 T=10 n=4 sigma2=0.25 sigma02=1: downstream (fit 5)", 1.147944, 0.002211, 400000,
       [] { return accumulate_fixed_ols<double>(4, 10, 4, 0.25, 1.0).total; }},
      {"A-fixed d=4 T=10 sigma02=1: generator n=4, Sigma-norm", 1.139627, 0.002195, 400000,
       [] { return 1.0 * 4 / (10 - 4 - 1) * accumulate_effective_generations<double>(4, 10, 4, accumulate_design::fixed); }},
      {"A-fixed d=4 T=10 sigma02=1: generator n=4, Euclidean norm (= n_eff tr Sigma^-1/(T-d-1))", 1.185225, 0.002479, 400000,
       [] { return accumulate_effective_generations<double>(4, 10, 4, accumulate_design::fixed) * (2 + 1 + 2.0 / 3 + 0.5) / 5; }},
      {"A-fresh d=4 T0=8 T=12 n=3 sigma2=0.25 sigma02=1: downstream on all batches", 1.596504, 0.003948, 400000,
       [] { return accumulate_fresh_ols<double>(4, 12, 8, 3, 0.25, 1.0).total; }},
      {"A-fresh d=4 T0=8 sigma02=1: generator n=3, Sigma-norm", 1.585869, 0.003940, 400000,
       [] { return 4.0 / 3 * accumulate_effective_generations<double>(4, 8, 3, accumulate_design::fresh); }},
      {"A-fresh d=4 T0=8 sigma02=1: generator n=3, Euclidean norm", 1.653861, 0.004431, 400000,
       [] { return accumulate_effective_generations<double>(4, 8, 3, accumulate_design::fresh) * (2 + 1 + 2.0 / 3 + 0.5) / 3; }},
  };
  return rows;
}

// ---- B: mixing (variants_mc.py case B); ‖Δ‖²_Σ = 1 ------------------------------------------------------
const std::vector<mc_row>& mixing_rows() {
  static const std::vector<mc_row> rows = {
      {"B d=4 T=10 T2=3 noiseless, Sigma=diag(.5,1,1.5,2)", 0.253241, 0.000418, 400000,
       [] { return mixing_ols<double>(4, 10, 3, 0.0, 0.0, 1.0).total; }},
      {"B d=4 T=10 T2=3 sigma2_real=0.25 sigma2_synth=1", 0.631632, 0.001176, 400000,
       [] { return mixing_ols<double>(4, 10, 3, 0.25, 1.0, 1.0).total; }},
      {"B isotropic d=20 T=60 T2=18 sigma2=0.25", 0.326748, 0.000521, 60000,
       [] { return mixing_ols<double>(20, 60, 18, 0.25, 0.25, 1.0).total; }},
  };
  return rows;
}

void check_exact_rows(const std::vector<mc_row>& rows) {
  for (const auto& r : rows) {
    const double f = r.formula(), z = (r.mean - f) / r.se;
    INFO(r.what << ": MC " << r.mean << " +- " << r.se << " (" << r.trials << " trials), formula " << f << ", z = " << z);
    CHECK(std::abs(z) <= z_max);
    CHECK(r.se <= se_bound * r.mean);
  }
}

/// How many standard errors a wrong value lies from the row's Monte Carlo mean.
double z_of(const mc_row& r, double wrong) { return std::abs(r.mean - wrong) / r.se; }

spectrum_spec iso_spec(long d, const std::string& w0norm2) {
  spectrum_spec s;
  s.type = spectrum_spec::kind::isotropic;
  s.d = parse_exact("d", std::to_string(d));
  s.w0norm2 = parse_exact("w0norm2", w0norm2);
  return s;
}
spectrum_spec powerlaw_spec(const std::string& beta, const std::string& r, const std::string& d) {
  spectrum_spec s;
  s.type = spectrum_spec::kind::powerlaw;
  s.beta = parse_exact("beta", beta);
  s.r = parse_exact("r", r);
  s.d = parse_exact("d", d, true);
  return s;
}

}  // namespace

// ================================================================ A: accumulate
TEST_CASE("accumulate with a fixed design: the literal protocol's Monte Carlo matches d/(T-d-1)[sigma02 H2(n) + sigma2/(n+1)^2] within 4 se") {
  check_exact_rows(accumulate_rows());
}

TEST_CASE("the accumulate Monte Carlo rows reject T-d for T-d-1, the issue's formula in this project's convention, and fixed-design weights for fresh designs") {
  const auto& rows = accumulate_rows();
  // the point (fit 8): T − d in place of T − d − 1 is 1.2 % low, ~9.6 se
  CHECK(z_of(rows[2], 7.0 / 82 * H2(8)) > reject_z);
  // small case: T − d (20 % low); σ² H2(n+1) (the formula with σ = σ², 3.9× too small);
  // σ0² H2(n+1) (σ = σ0², 2 % high, ~10 se); the downstream noise counted with weight 1 instead of 1/(n+1)²
  const auto& small = rows[4];
  CHECK(z_of(small, 4.0 / 6 * (H2(4) + 0.25 / 25)) > reject_z);
  CHECK(z_of(small, 4.0 / 5 * 0.25 * H2(5)) > reject_z);
  CHECK(z_of(small, 4.0 / 5 * 1.0 * H2(5)) > reject_z);
  CHECK(z_of(small, 4.0 / 5 * (0.25 + H2(4))) > reject_z);
  // fresh designs: the fixed-design weights d/(k²(T0−d−1)) are 13 % high; N − d for N − d − 1 is 28 % low
  const auto& fresh = rows[7];
  CHECK(z_of(fresh, 4.0 / 3 * H2(3) + 0.25 * 4.0 / 3 / 16) > reject_z);
  CHECK(z_of(fresh, 4.0 / 4 + 8.0 / 16 * 4 / 12 + 8.0 / 24 * 4 / 20 + 0.25 * 12.0 / 36 * 4 / 32) > reject_z);
}

TEST_CASE("accumulate with a fixed design reproduces the issue's sum exactly when sigma0 = sigma and n + 1 fits are counted") {
  // issue: E = σ² d/(T−d−1) Σ_{i=1}^{m} 1/i² for the m-th fit; here m = n + 1. At d = 7, T = 89, m = 8:
  // 7/81 · H2(8) = 0.131999..., the value the issue quotes as "simulated" (its "predicted 0.1315" is not this).
  rational h2 = 0;
  for (int i = 1; i <= 8; ++i) h2 += rational(1, i * i);
  const auto r = accumulate_fixed_ols<rational>(7, 89, 7, rational(1), rational(1));
  CHECK(r.total == rational(7, 81) * h2);
  CHECK(std::abs(r.total.convert_to<double>() - 0.131999) < 5e-7);
  // n = 0 is the clean OLS error of §2.3, and `replace` is §2.3's E_n with T0 = T
  CHECK(accumulate_fixed_ols<rational>(7, 89, 0, rational(1, 3), rational(5)).total == exact::ols(7, 89, 89, 0, rational(1, 3), 0).total);
  CHECK(r.replace == exact::ols(7, 89, 89, 7, 1, 1).total);
}

TEST_CASE("accumulating saves a bounded total: fixed design below (pi^2/6) sigma02 d/(T0-d-1), fresh designs below the fixed design") {
  for (long n : {1L, 2L, 10L, 1000L}) {
    const rational fixed = accumulate_effective_generations<rational>(5, 9, n, accumulate_design::fixed);
    const rational fresh = accumulate_effective_generations<rational>(5, 9, n, accumulate_design::fresh);
    CAPTURE(n);
    CHECK(fixed.convert_to<double>() < M_PI * M_PI / 6);
    CHECK((n == 1 ? fresh == fixed : fresh < fixed));  // batch 1 alone is the same OLS fit in both
  }
  // fresh n_eff term by term: (T0−d−1)/(k(kT0−d−1)) at d = 5, T0 = 9: 1, 3/(2·12), 3/(3·21)
  CHECK(accumulate_effective_generations<rational>(5, 9, 3, accumulate_design::fresh) == 1 + rational(3, 24) + rational(3, 63));
}

TEST_CASE("a separate downstream after the accumulating chain is §2.3 with n replaced by n_eff") {
  // Cov(ŵ_n − w0) = σ0² n_eff Σ⁻¹/(T0−d−1), so downstream OLS on T fresh rows: σ²d/(T−d−1) + σ0² n_eff d/(T0−d−1)
  const rational neff = accumulate_effective_generations<rational>(10, 30, 6, accumulate_design::fixed);
  const rational expected = rational(1, 2) * 10 / (50 - 11) + rational(2) * neff * 10 / (30 - 11);
  // exact::ols with n = 1 and σ0² scaled by n_eff is the same linear map of the chain's covariance
  CHECK(exact::ols(10, 50, 30, 1, rational(1, 2), 2 * neff).total == expected);
}

TEST_CASE("accumulate refuses what is undefined, naming the parameter") {
  CHECK_THROWS_WITH(accumulate_fixed_ols<double>(7, 8, 3, 1.0, 1.0), Catch::Contains("T = 8") && Catch::Contains("T >= 9"));
  CHECK_THROWS_WITH(accumulate_fresh_ols<double>(7, 50, 8, 3, 1.0, 1.0), Catch::Contains("T0 = 8"));
  CHECK_THROWS_WITH(accumulate_fresh_ols<double>(7, 8, 20, 0, 1.0, 1.0), Catch::Contains("T = 8"));
  CHECK_THROWS_WITH(accumulate_fixed_ols<double>(7, 20, 3, -1.0, 1.0), Catch::Contains("sigma2 = -1"));
  // with n ≥ 1 the downstream batch may be smaller than d: the last fit has nT0 + T rows
  CHECK(accumulate_fresh_ols<double>(7, 1, 20, 2, 1.0, 1.0).total > 0);
  CHECK_FALSE(accumulate_fresh_ols<double>(7, 1, 20, 2, 1.0, 1.0).replace_defined);
}

// ================================================================ B: mixing
TEST_CASE("mixing real and synthetic data: the literal protocol's Monte Carlo matches the exact finite-T formula within 4 se") {
  check_exact_rows(mixing_rows());
}

TEST_CASE("the mixing Monte Carlo rows reject the issue's proportional formula and the T-d variant") {
  const auto& rows = mixing_rows();
  // proportional limit (issue): 0.23 at (4, 10, 3), noiseless: 10 % low, 55 se
  CHECK(z_of(rows[0], mixing_ols_proportional<double>(0.4, 0.3, 0.0, 1.0).total) > reject_z);
  // the noise as p1σ1² + p2σ2² = 0.475 in the proportional formula: 0.5467, 72 se
  CHECK(z_of(rows[1], mixing_ols_proportional<double>(0.4, 0.3, 0.475, 1.0).total) > reject_z);
  // the d = 20 remark: proportional 0.32 vs MC 0.32675 ± 0.00052 (2.1 %, 13 se)
  CHECK(z_of(rows[2], mixing_ols_proportional<double>(1.0 / 3, 0.3, 0.25, 1.0).total) > reject_z);
  // c(d, T) with T − d in place of T − d − 1: 420/648 instead of 420/540
  CHECK(z_of(rows[0], 0.09 + 0.21 * 420.0 / 648) > reject_z);
}

TEST_CASE("mixing at d = 1 equals the Beta(T2/2, T1/2) second moment T2(T2+2)/(T(T+2)) exactly") {
  // d = 1: ŵ − w0 = (W2/W)Δ with W2/W ~ Beta(T2/2, (T−T2)/2) — an independent closed form.
  for (long T : {3L, 4L, 7L, 30L})
    for (long T2 = 0; T2 <= T; ++T2) {
      CAPTURE(T, T2);
      CHECK(mixing_ols<rational>(1, T, T2, rational(0), rational(0), rational(1)).total == rational(T2 * (T2 + 2), T * (T + 2)));
    }
}

TEST_CASE("mixing is the clean OLS error without synthetic rows and a pure shift with only synthetic rows") {
  // T2 = 0: σ²d/(T−d−1) (§2.3); T2 = T: ŵ is OLS for w0 + Δ, so ‖Δ‖²_Σ + σ2² d/(T−d−1)
  CHECK(mixing_ols<rational>(6, 20, 0, rational(1, 2), rational(3), rational(5)).total == exact::ols(6, 20, 0, 0, rational(1, 2), 0).total);
  CHECK(mixing_ols<rational>(6, 20, 20, rational(1, 2), rational(3), rational(5)).total == rational(5) + rational(3) * 6 / 13);
}

TEST_CASE("exact mixing tends to the issue's proportional formula with a gap of order 1/(T-d)") {
  double prev = 1e9;
  for (long d : {20L, 200L, 2000L, 20000L}) {
    const long T = 3 * d, T2 = T * 3 / 10;
    const double ex = mixing_ols<double>(d, T, T2, 0.25, 0.25, 1.0).total;
    const double pr = mixing_ols_proportional<double>(1.0 / 3, 0.3, 0.25, 1.0).total;
    const double gap = (ex - pr) / pr;
    CAPTURE(d, gap);
    CHECK(gap > 0);
    CHECK(gap * (T - d) < 1.0);  // measured: 0.918 at d = 20 (gap 2.3 %), 0.9375 in the limit
    CHECK(gap < prev);
    prev = gap;
  }
}

TEST_CASE("mixing refuses what is undefined, naming the parameter") {
  CHECK_THROWS_WITH(mixing_ols<double>(10, 11, 3, 1.0, 1.0, 1.0), Catch::Contains("T = 11"));
  CHECK_THROWS_WITH(mixing_ols<double>(10, 30, 31, 1.0, 1.0, 1.0), Catch::Contains("T2 = 31"));
  CHECK_THROWS_WITH(mixing_ols<double>(10, 30, 3, 1.0, 1.0, -2.0), Catch::Contains("delta_norm2 = -2"));
  CHECK_THROWS_WITH(mixing_ols_proportional<double>(1.0, 0.3, 1.0, 1.0), Catch::Contains("phi = 1"));
}

// ================================================================ C: ridge generators
namespace {

/// The isotropic chain of §C.1 with the DE moments of one ridge generator at (φ0, κ0):
///   α1 = 1/(1+κ0),  α2 = s² + coupling·d·g²,  v0 = noise·d·g   (s = 1/(1+κ0), g = s²),
/// then E_test(ŵ_n) = a_n − 2b_n + a and, downstream, E_n = α2' a_n − 2α1' b_n + a + V (§4.2 at (φ, κ)).
/// `literal` selects the §7 substitution as written (coupling κ0/G, noise σ0²/(κ0 G)) instead of §C.2's
/// (κ0²/D0, σ0²/D0).
struct iso_chain { double generator, downstream; };
iso_chain iso_ridge_chain(long d, double T0, double lambda0, int n, double s02, double T, double lambda, double s2, bool literal) {
  const double phi0 = d / T0, k0 = iso_kappa(phi0, lambda0), s = 1 / (1 + k0), g = s * s, G = d * g;
  const double D0 = iso_gap(phi0, k0, lambda0) * T0 * g;  // T0 − df2 = T0((1+κ0)² − φ0)/(1+κ0)²
  const double coupling = literal ? k0 / G : k0 * k0 / D0, noise = literal ? s02 / (k0 * G) : s02 / D0;
  const double alpha2 = s * s + coupling * d * g * g, v0 = noise * d * g;
  const double a = 1, an = std::pow(alpha2, n) * a + v0 * (1 - std::pow(alpha2, n)) / (1 - alpha2), bn = std::pow(s, n) * a;
  const double phi = d / T, k = iso_kappa(phi, lambda), gap = iso_gap(phi, k, lambda);
  const double a1 = 1 / (1 + k), a2 = (gap + k * k * phi) / ((1 + k) * (1 + k) * gap);
  return {an - 2 * bn + a, a2 * an - 2 * a1 * bn + a + s2 * phi / gap};
}

struct ridge_mc_case {
  const char* what;
  spectrum_spec spec;
  ridge_generator_params<double> p;
  double gen_mean, gen_se, down_mean, down_se;
  long trials;
};

ridge_generator_params<double> rg(double T0, double lambda0, double n, double s02, double T, double lambda, double s2) {
  ridge_generator_params<double> p;
  p.T0 = T0; p.lambda0 = lambda0; p.n = n; p.sigma02 = s02; p.T = T; p.lambda = lambda; p.sigma2 = s2;
  return p;
}

// variants_mc.py case C (literal protocol: ŵ_k = (S_k + λ0)⁻¹X_kᵀy_k/T0, then downstream ridge), 1500 trials each
const std::vector<ridge_mc_case>& ridge_rows() {
  static const std::vector<ridge_mc_case> rows = {
      {"C isotropic d=100 T0=150 lambda0=0.5 n=3 sigma02=0.25; T=200 lambda=0.1 sigma2=0.25", iso_spec(100, "1"),
       rg(150, 0.5, 3, 0.25, 200, 0.1, 0.25), 0.799806, 0.001523, 0.955770, 0.002241, 1500},
      {"C isotropic d=100 T0=60 lambda0=0.2 n=3 sigma02=0.25; T=200 lambda=0.1 sigma2=0.25", iso_spec(100, "1"),
       rg(60, 0.2, 3, 0.25, 200, 0.1, 0.25), 1.092440, 0.002728, 1.183164, 0.003050, 1500},
      {"C power law beta=1.5 r=0.4 d=100 T0=150 lambda0=0.01 n=3 sigma02=0.04; T=200 lambda=0.01 sigma2=0.04",
       powerlaw_spec("1.5", "0.4", "100"), rg(150, 0.01, 3, 0.04, 200, 0.01, 0.04), 0.069463, 0.000260, 0.087339, 0.000314, 1500},
  };
  return rows;
}

bool within_de(double mean, double se, double de) { return std::abs(mean - de) <= z_max * se + de_bias * de; }

}  // namespace

TEST_CASE("ridge generators: the literal protocol's Monte Carlo matches the corrected §4.3 recursion within 4 se + 2 % (DE at d = 100)") {
  for (const auto& c : ridge_rows()) {
    spectrum<double> s(c.spec);
    const auto r = ridge_generator_risk(s, c.p);
    INFO(c.what << " (" << c.trials << " trials): generator MC " << c.gen_mean << " +- " << c.gen_se << " vs DE " << r.generator_error
                << "; downstream MC " << c.down_mean << " +- " << c.down_se << " vs DE " << r.total);
    CHECK(within_de(c.gen_mean, c.gen_se, r.generator_error));
    CHECK(within_de(c.down_mean, c.down_se, r.total));
    CHECK(c.gen_se <= se_bound * c.gen_mean);
    CHECK(c.down_se <= se_bound * c.down_mean);
    // measured: every |MC − DE| is below 0.5 % of the DE (|z| ≤ 1.3), far inside the 2 % finite-size allowance
    CHECK(std::abs(c.gen_mean - r.generator_error) < 0.005 * r.generator_error);
  }
}

TEST_CASE("the ridge-generator Monte Carlo rows reject the literal §7 substitution (kappa0/G and sigma02/(kappa0 G) kept)") {
  for (std::size_t i = 0; i < 2; ++i) {  // the isotropic rows, where the literal variant has a closed form
    const auto& c = ridge_rows()[i];
    const auto wrong = iso_ridge_chain(100, c.p.T0, c.p.lambda0, 3, c.p.sigma02, c.p.T, c.p.lambda, c.p.sigma2, true);
    INFO(c.what << ": literal §7 generator " << wrong.generator << ", downstream " << wrong.downstream);
    CHECK_FALSE(within_de(c.gen_mean, c.gen_se, wrong.generator));  // 43 % and 15 % off
    CHECK_FALSE(within_de(c.down_mean, c.down_se, wrong.downstream));
    CHECK(std::abs(c.gen_mean - wrong.generator) > reject_z * c.gen_se + de_bias * wrong.generator);
  }
}

TEST_CASE("the ridge-generator recursion on an isotropic spectrum equals the closed form of its three spectral moments") {
  for (double T0 : {60.0, 150.0})
    for (double lambda0 : {0.01, 0.5, 4.0})
      for (int n : {0, 1, 3, 10}) {
        spectrum<double> s(iso_spec(100, "1"));
        const auto r = ridge_generator_risk(s, rg(T0, lambda0, n, 0.25, 200, 0.1, 0.25));
        const auto iso = iso_ridge_chain(100, T0, lambda0, n, 0.25, 200, 0.1, 0.25, false);
        CAPTURE(T0, lambda0, n);
        CHECK_THAT(r.generator_error, WithinEps(iso.generator, 4096));
        CHECK_THAT(r.total, WithinEps(iso.downstream, 4096));
      }
}

TEST_CASE("a ridge generator with lambda0 = 0 below the threshold is the min-norm chain of §4.3, to 45 digits") {
  precision_guard g(50);
  using Real = mpfr_real;
  spectrum<Real> s(powerlaw_spec("1.5", "0.4", "300"));
  for (int n : {1, 4}) {
    ridge_generator_params<Real> p;
    p.T0 = 150; p.lambda0 = 0; p.n = n; p.sigma02 = Real(9) / 100; p.T = 200; p.lambda = Real(1) / 100; p.sigma2 = Real(4) / 100;
    overgen_params<Real> q;
    q.T0 = p.T0; q.n = p.n; q.sigma02 = p.sigma02; q.T = p.T; q.lambda = p.lambda; q.sigma2 = p.sigma2;
    const auto r = ridge_generator_risk(s, p);
    const auto o = overgen_risk(s, q);
    CAPTURE(n);
    CHECK(collapse::test::agreeing_digits(r.generator_error, o.generator_error) > 45);
    CHECK(collapse::test::agreeing_digits(r.total, o.total) > 45);
  }
}

TEST_CASE("a ridge generator with lambda0 -> 0 above the threshold is §3.3 with the DE prefactor 1/(T0-d) for the exact 1/(T0-d-1)") {
  precision_guard g(50);
  using Real = mpfr_real;
  spectrum<Real> s(iso_spec(100, "2"));
  ridge_generator_params<Real> p;
  p.T0 = 150; p.lambda0 = Real("1e-30"); p.n = 3; p.sigma02 = Real(1) / 4; p.T = 80; p.lambda = Real(1) / 10; p.sigma2 = Real(1) / 2;
  ridge_params<Real> q;
  q.T = p.T; q.lambda = p.lambda; q.sigma2 = p.sigma2; q.n = p.n; q.T0 = p.T0 + 1; q.sigma02 = p.sigma02;  // (T0 + 1) − d − 1 = T0 − d
  const auto r = ridge_generator_risk(s, p);
  CHECK(collapse::test::agreeing_digits(r.total, ridge_risk(s, q).total) > 25);  // the gap is O(κ0) = O(1e-30)
  CHECK(collapse::test::agreeing_digits(r.shrinkage, Real(1)) > 25);
}

TEST_CASE("a ridge generator shrinks the signal's mean even with T0 >= d: surviving fraction (1/(1+kappa0))^n for Sigma = I") {
  spectrum<double> s(iso_spec(100, "1"));
  const auto r = ridge_generator_chain(s, rg(150, 0.5, 5, 0.0, 0, 0, 0));
  const double k0 = iso_kappa(100.0 / 150, 0.5);
  CHECK_THAT(r.shrinkage, WithinEps(std::pow(1 / (1 + k0), 5), 64));
  CHECK(r.shrinkage < 0.2);
}

TEST_CASE("ridge generators refuse what is undefined, naming the parameter") {
  spectrum<double> s(iso_spec(100, "1"));
  CHECK_THROWS_WITH(ridge_generator_chain(s, rg(150, 0, 3, 0.25, 0, 0, 0)), Catch::Contains("lambda0 = 0") && Catch::Contains("ols-exact"));
  CHECK_THROWS_WITH(ridge_generator_chain(s, rg(150, -1, 3, 0.25, 0, 0, 0)), Catch::Contains("lambda0 = -1"));
  CHECK_THROWS_WITH(ridge_generator_chain(s, rg(150, 0.5, 2.5, 0.25, 0, 0, 0)), Catch::Contains("n = 2.5"));
  CHECK_THROWS_WITH(ridge_generator_risk(s, rg(150, 0.5, 3, 0.25, 100, 0, 0.25)), Catch::Contains("lambda = 0"));
}
