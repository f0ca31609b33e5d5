// tests/numerics/test_variants_sim.cpp -- the issue-12 protocol variants of the simulator
// (numerics/variant_engine.cpp) against their exact values: accumulate with a fixed design (A1) and
// with fresh designs (A2), mixing with a shifted teacher (B1) from theory/variants/ (derivations in
// docs/theory-extensions.md), and ridge generators at d = 1, where the §C.1 isotropic reduction is
// exact and its three moments are one-dimensional chi-square integrals (Boost quadrature here, an
// independent route). Rule as in test_simulate.cpp: |z| <= 4 in units of the estimate's own standard
// error and a stated bound on that standard error; every z is printed as a "z-report" line.
#include "simulation_support.hpp"

#include "theory/variants/accumulate.hpp"
#include "theory/variants/mixing.hpp"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <cstring>
#include <limits>

using namespace collapse;
using namespace collapse::test;
using numerics::design_kind;
using numerics::engine_kind;
using numerics::estimator_kind;
using numerics::protocol_kind;

namespace {
const estimator_kind estimators[] = {estimator_kind::rao_blackwell, estimator_kind::plain};

/// Σ = diag(1/2, 1, 3/2, 2), ‖w0‖²_Σ-weights uniform (the theory tests' d = 4 case).
spectrum_spec sigma4() { return linspace(4, rational(1, 2), rational(2), rational(1)); }

numerics::simulation_config accumulate_config(design_kind design, long T, long T0, int n, engine_kind engine, estimator_kind est,
                                              std::uint64_t trials, std::uint64_t seed) {
  auto c = config(sigma4(), T, T0, n, {"0"}, "1/4", "1", trials, seed, engine, est);
  c.protocol = protocol_kind::accumulate;
  c.design = design;
  c.record_generator = true;
  return c;
}

/// Row (generation m, λ index l) of a run's per-trial table, downstream or (l < 0) generator.
numerics::estimate row_of(const numerics::trial_table& tab, int m, int l) {
  const auto k = static_cast<std::size_t>(m);
  const auto mo = numerics::moments_of(tab.trials, [&](std::uint64_t t) {
    return l < 0 ? tab.generator(t, k) : tab.downstream(t, k, static_cast<std::size_t>(l));
  });
  numerics::estimate e;
  e.generation = m;
  e.lambda_text = l < 0 ? "generator" : std::to_string(l);
  e.mean = mo.mean;
  e.se = mo.se;
  return e;
}

/// E[f(W)] for W ~ χ²_k (Gauss–Kronrod on [0, ∞)).
double chi_square_mean(double k, const std::function<double(double)>& f) {
  boost::math::chi_squared_distribution<double> law(k);
  return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
      [&](double w) { return w > 0 ? f(w) * boost::math::pdf(law, w) : 0.0; }, 0.0, std::numeric_limits<double>::infinity(), 15, 1e-13);
}

/// The three moments of one d = 1 ridge fit on m rows (§C.1): α1 = E[A], α2 = E[A²], v = E[W/M²]·(·),
/// A = W/(W + mλ), M = W + mλ, W ~ χ²_m.
struct ridge_moments {
  double a1, a2, v;
};
ridge_moments moments_d1(long m, double lambda) {
  const double tl = double(m) * lambda;
  return {chi_square_mean(double(m), [&](double w) { return w / (w + tl); }),
          chi_square_mean(double(m), [&](double w) { return w * w / ((w + tl) * (w + tl)); }),
          chi_square_mean(double(m), [&](double w) { return w / ((w + tl) * (w + tl)); })};
}
}  // namespace

TEST_CASE("accumulating with one fixed design: every generation of both engines and both estimators has the exact A1 error "
          "d/(T-d-1) [sigma02 H2(n) + sigma2/(n+1)^2], downstream and generator",
          "[simulate][variants]") {
  const long d = 4, T = 12;
  const int n = 4;
  std::vector<numerics::estimate> fast_rows, reference_rows;
  for (auto engine : {engine_kind::fast, engine_kind::reference})
    for (auto est : estimators) {
      const auto c = accumulate_config(design_kind::fixed, T, T, n, engine, est, 8000, 1201);
      const auto tab = numerics::run_trials(c);
      const std::string label = "accumulate-fixed " + numerics::to_string(engine) + "/" + numerics::to_string(est);
      for (int m = 0; m <= n; ++m) {
        const auto exact = variants::accumulate_fixed_ols<double>(d, T, m, 0.25, 1.0);
        check_against_exact(c, row_of(tab, m, 0), exact.total, 0.03, label);
        if (m > 0) check_against_exact(c, row_of(tab, m, -1), exact.generators, 0.03, label + " generator");
        if (est == estimator_kind::plain) (engine == engine_kind::fast ? fast_rows : reference_rows).push_back(row_of(tab, m, 0));
      }
    }
  for (int m = 0; m <= n; ++m) check_same_mean(fast_rows[m], reference_rows[m], "accumulate-fixed fast vs reference (plain)", 0.03);
}

TEST_CASE("accumulating with fresh designs (reference engine, both estimators) has the exact A2 error "
          "sigma02 sum_k d/(k(k T0-d-1)) + sigma2 T d/((n T0+T)(n T0+T-d-1)), downstream and generator",
          "[simulate][variants]") {
  const long d = 4, T = 12, T0 = 10;
  const int n = 3;
  for (auto est : estimators) {
    const auto c = accumulate_config(design_kind::fresh, T, T0, n, engine_kind::reference, est, 8000, 1202);
    const auto tab = numerics::run_trials(c);
    const std::string label = "accumulate-fresh reference/" + numerics::to_string(est);
    for (int m = 0; m <= n; ++m) {
      const auto exact = variants::accumulate_fresh_ols<double>(d, T, T0, m, 0.25, 1.0);
      check_against_exact(c, row_of(tab, m, 0), exact.total, 0.03, label);
      if (m > 0) check_against_exact(c, row_of(tab, m, -1), exact.generators, 0.03, label + " generator");
    }
  }
}

TEST_CASE("mixing T2 = p2 T rows from the shifted teacher w0 + Delta into an OLS fit has the exact B1 error "
          "sigma2 d/(T-d-1) + |Delta|^2_Sigma [p2^2 + p1 p2 c(d,T)], with and without label noise, both estimators",
          "[simulate][variants]") {
  const long d = 4, T = 10, T2 = 3;
  for (const char* sigma2 : {"0", "1/4"})
    for (auto est : estimators) {
      auto c = config(sigma4(), T, 0, 0, {"0", "1/10"}, sigma2, "0", 10000, 1203, engine_kind::reference, est);
      c.synthetic_fraction = exact("3/10");
      c.teacher_shift = exact("1");
      const auto r = numerics::run_simulation(c);
      const double s2 = to_real<double>(c.sigma2.value);
      const auto exact_value = variants::mixing_ols<double>(d, T, T2, s2, s2, 1.0).total;
      check_against_exact(c, r.rows[0], exact_value, 0.03, std::string("mixing sigma2=") + sigma2 + " " + numerics::to_string(est));
    }
  // the ridge row (lambda = 1/10) has no closed form: the two estimators must agree on it
  std::vector<numerics::estimate> rows;
  for (auto est : estimators) {
    auto c = config(sigma4(), T, 0, 0, {"0", "1/10"}, "1/4", "0", 10000, 1204, engine_kind::reference, est);
    c.synthetic_fraction = exact("3/10");
    c.teacher_shift = exact("1");
    rows.push_back(numerics::run_simulation(c).rows[1]);
  }
  check_same_mean(rows[0], rows[1], "mixing ridge rb vs plain", 0.03);
}

TEST_CASE("ridge generators at d = 1 follow the exact isotropic chain of extensions §C.1: generator error "
          "a_n - 2 alpha1^n + 1 and downstream ridge error, alpha1, alpha2, v0 from chi-square quadrature",
          "[simulate][variants]") {
  const long T0 = 6, T = 8;
  const double lambda0 = 0.5, sigma02 = 0.5, sigma2 = 0.25;
  const int n = 3;
  const auto g = moments_d1(T0, lambda0);
  for (auto est : estimators) {
    auto c = config(isotropic(1, "1"), T, T0, n, {"0", "1/5"}, "1/4", "1/2", 10000, 1205, engine_kind::reference, est);
    c.generator_lambda = exact("1/2");
    c.record_generator = true;
    const auto tab = numerics::run_trials(c);
    const std::string label = "ridge-generator d=1 " + numerics::to_string(est);
    for (int m = 0; m <= n; ++m) {
      // ŵ_m: b_m = α1^m, a_m = α2^m + σ0² v (1 − α2^m)/(1 − α2); E_test = a_m − 2 b_m + 1 (§C.1, ‖w0‖ = 1)
      const double a = std::pow(g.a2, m) + sigma02 * g.v * (1 - std::pow(g.a2, m)) / (1 - g.a2), b = std::pow(g.a1, m);
      if (m > 0) check_against_exact(c, row_of(tab, m, -1), a - 2 * b + 1, 0.03, label + " generator");
      for (std::size_t l = 0; l < 2; ++l) {
        const auto h = moments_d1(T, l == 0 ? 0.0 : 0.2);  // downstream ridge (T, λ): same three moments
        check_against_exact(c, row_of(tab, m, static_cast<int>(l)), h.a2 * a - 2 * h.a1 * b + 1 + sigma2 * h.v, 0.03, label);
      }
    }
  }
}

TEST_CASE("a ridge generator with a tiny lambda0 and T0 < d is continuous in lambda0 (Rao-Blackwell and plain): the min-norm "
          "limit, never the catastrophic cancellation of (X'X + T0 lambda0)^-1 on the null space of X",
          "[simulate][variants]") {
  // Before the SVD form the Rao-Blackwell mean at lambda0 = 1e-15 (d = 5, T0 = 3) came out at -1.1e13.
  for (auto est : estimators) {
    std::vector<double> means;
    for (const char* l0 : {"1e-15", "1e-9"}) {
      auto c = config(isotropic(5, "1"), 20, 3, 1, {"0"}, "1", "1", 400, 77, engine_kind::reference, est);
      c.generator_lambda = exact(l0);
      means.push_back(numerics::run_simulation(c).rows.back().mean);
    }
    INFO(numerics::to_string(est) << ": " << means[0] << " vs " << means[1]);
    CHECK(means[0] > 0);
    CHECK(std::abs(means[0] - means[1]) <= 1e-6 * means[1]);  // same streams, lambda0 differing by 1e-9: the same run
  }
}

TEST_CASE("protocol variants are bit-identical for 1 and 3 threads", "[simulate][variants][threads]") {
  auto a = accumulate_config(design_kind::fresh, 12, 10, 2, engine_kind::reference, estimator_kind::plain, 300, 7);
  auto b = config(powerlaw(6, "2", "1/2"), 10, 5, 2, {"0", "1/10"}, "1/2", "1/2", 300, 8, engine_kind::reference, estimator_kind::rao_blackwell);
  b.generator_lambda = exact("1/10");
  for (auto c : {a, b}) {
    std::vector<numerics::simulation_result> runs;
    for (unsigned t : {1u, 3u}) {
      c.threads = t;
      runs.push_back(numerics::run_simulation(c));
    }
    for (std::size_t i = 0; i < runs[0].rows.size(); ++i) {
      CHECK(std::memcmp(&runs[0].rows[i].mean, &runs[1].rows[i].mean, sizeof(double)) == 0);
      CHECK(std::memcmp(&runs[0].rows[i].se, &runs[1].rows[i].se, sizeof(double)) == 0);
    }
  }
}

TEST_CASE("invalid protocol variants are refused naming the parameter; the fast engine refuses what it cannot do exactly",
          "[simulate][variants][input]") {
  const auto expect = [](const numerics::simulation_config& c, const std::string& parameter, const std::string& says = "") {
    expect_refused(c, parameter, says);
  };
  const auto acc = accumulate_config(design_kind::fixed, 12, 12, 2, engine_kind::fast, estimator_kind::plain, 10, 1);
  REQUIRE_NOTHROW(numerics::validate(acc));
  auto c = acc; c.design = design_kind::fresh; expect(c, "protocol", "use --engine reference");
  c = acc; c.lambda = {exact("1/10")}; expect(c, "lambda");
  c = acc; c.T0 = 10; expect(c, "T0");
  c = acc; c.T = 5; c.T0 = 5; expect(c, "T");
  c = acc; c.generator_lambda = exact("1"); expect(c, "generator-lambda");
  c = acc; c.precision = numerics::precision_kind::mp50; expect(c, "precision");
  auto rg = config(isotropic(4, "1"), 12, 4, 2, {"0"}, "1", "1", 10, 1, engine_kind::reference, estimator_kind::plain);
  rg.generator_lambda = exact("1/2");
  REQUIRE_NOTHROW(numerics::validate(rg));  // T0 = d is fine for a ridge generator (bounded moments)
  c = rg; c.engine = engine_kind::fast; expect(c, "generator-lambda", "use --engine reference");
  c = rg; c.generator_lambda = exact("-1"); expect(c, "generator-lambda");
  c = rg; c.n = 0; expect(c, "generator-lambda");
  auto mix = config(isotropic(4, "1"), 10, 0, 0, {"0"}, "1", "0", 10, 1, engine_kind::reference, estimator_kind::plain);
  mix.synthetic_fraction = exact("3/10");
  mix.teacher_shift = exact("1");
  REQUIRE_NOTHROW(numerics::validate(mix));
  c = mix; c.synthetic_fraction = exact("1/3"); expect(c, "synthetic-fraction", "multiple of 1/T");
  c = mix; c.synthetic_fraction = exact("3/2"); expect(c, "synthetic-fraction");
  c = mix; c.engine = engine_kind::fast; expect(c, "synthetic-fraction", "use --engine reference");
  c = mix; c.n = 1; c.T0 = 10; c.sigma02 = exact("1"); expect(c, "synthetic-fraction");
  c = mix; c.synthetic_fraction = exact("0"); expect(c, "teacher-shift");
  c = mix; c.teacher_shift = exact("-1"); expect(c, "teacher-shift");
  c = mix; c.synthetic_fraction = exact("0"); c.teacher_shift = exact("0"); c.design = design_kind::fixed; expect(c, "design");
  // the shifted rows make the ridgeless fit's mean infinite at T within 1 of d, even without label noise
  c = mix; c.T = 5; c.synthetic_fraction = exact("1/5"); c.sigma2 = exact("0"); expect(c, "T", "teacher-shift");
  c = mix; c.T = 4; c.synthetic_fraction = exact("1/4"); expect(c, "T");
  c = rg; c.generator_lambda = exact("1e-400"); expect(c, "generator-lambda", "1e-300");
  c = rg; c.generator_lambda = exact("1e308"); expect(c, "generator-lambda", "1e100");
}
