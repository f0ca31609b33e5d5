// tests/numerics/test_scalable_paths.cpp -- the scalable exact paths of the fast engine (issue 9,
// theory §8.7): the isotropic spectral formula on bidiagonal Wishart eigenvalues and the dual T×T Gram
// form, each against the reference engine (two-sample z on every row) and against the exact closed
// forms of §2.3/§2.4; the automatic path choice; thread invariance; refusals. Every z goes to stdout as a
// "z-report" line.
#include "simulation_support.hpp"

#include "numerics/lapack.hpp"
#include "numerics/random.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace collapse;
using namespace collapse::test;
using numerics::engine_kind;
using numerics::estimator_kind;
using numerics::fast_path;

namespace {

numerics::simulation_config forced(numerics::simulation_config c, fast_path p) {
  c.path = p;
  return c;
}

/// Every (generation, λ) row of `fast` (a scalable path) has the mean of the same row of the reference
/// engine; at generations k >= 1 with the chain integrated the scalable path's per-trial variance is below the
/// reference's (it integrates the chain's designs too; at k = 0 both condition on the downstream design alone or
/// its spectrum). A sampled chain's 1/χ²_{T0−d+1} fluctuates more than the reference's tr (XᵀX)⁻¹ (the
/// general fast path's known 6.8x vs 1180x, docs/simulation.md "Benchmark"): no variance claim then.
void check_against_reference(const numerics::simulation_config& fast, std::uint64_t reference_trials, const std::string& label) {
  auto ref = fast;
  ref.engine = engine_kind::reference;
  ref.path = fast_path::automatic;
  ref.trials = reference_trials;
  ref.seed = fast.seed + 1000;
  const auto a = numerics::run_simulation(fast), b = numerics::run_simulation(ref);
  CHECK(a.path == fast.path);
  CHECK(b.path == fast_path::general);
  REQUIRE(a.rows.size() == b.rows.size());
  INFO(describe(fast));
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    check_same_mean(a.rows[i], b.rows[i], label, 0.03);
    if (a.rows[i].generation >= 1 && fast.chain != numerics::chain_kind::sampled) CHECK(a.rows[i].variance < b.rows[i].variance);
  }
}

}  // namespace

TEST_CASE("the isotropic spectral path on bidiagonal Wishart eigenvalues has the reference engine's mean at every "
          "generation and lambda, for T > d and T < d, n = 0 and n > 0 (theory 8.7)",
          "[simulate][scalable]") {
  // T > d with a ridge grid and λ = 0 (OLS), a noisy under-parameterised chain
  check_against_reference(forced(config(isotropic(30, "1"), 50, 40, 2, {"0", "1/10", "1"}, "1", "49/100", 5000, 11,
                                        engine_kind::fast, estimator_kind::rao_blackwell),
                                 fast_path::isotropic_spectral),
                          3000, "spectral T>d vs reference");
  // T < d: min-norm at λ = 0 (d − T zero eigenvalues) and a ridge
  check_against_reference(forced(config(isotropic(40, "2"), 25, 50, 1, {"0", "1/20"}, "1/4", "1", 5000, 12,
                                        engine_kind::fast, estimator_kind::rao_blackwell),
                                 fast_path::isotropic_spectral),
                          3000, "spectral T<d vs reference");
}

TEST_CASE("the isotropic spectral path reproduces the exact OLS risk (theory 2.3) and min-norm risk (theory 2.4) "
          "at d = 200 within its confidence interval",
          "[simulate][scalable][exact]") {
  const long d = 200;
  {  // §2.3: σ² d/(T−d−1) + n σ0² d/(T0−d−1)
    const long T = 260, T0 = 240;
    auto c = config(isotropic(d, "1"), T, T0, 3, {"0", "1/10"}, "1", "1/2", 1000, 21, engine_kind::fast, estimator_kind::rao_blackwell);
    auto res = numerics::run_simulation(c);
    CHECK(res.path == fast_path::isotropic_spectral);  // automatic: d > 64 with a ridge in the grid
    for (const auto& e : res.rows)
      if (e.lambda == 0)
        check_against_exact(c, e, 1.0 * d / (T - d - 1) + e.generation * 0.5 * d / (T0 - d - 1), 0.01, "spectral 2.3 d=200");
  }
  {  // §2.4: ‖w0‖²(1 − T/d) + σ² T/(d−T−1) + n σ0² T/(T0−d−1)
    const long T = 80, T0 = 230;
    auto c = config(isotropic(d, "1"), T, T0, 2, {"0"}, "1/4", "1", 1000, 22, engine_kind::fast, estimator_kind::rao_blackwell);
    auto res = numerics::run_simulation(c);
    CHECK(res.path == fast_path::isotropic_spectral);  // automatic: T < d
    for (const auto& e : res.rows)
      check_against_exact(c, e, 1 - double(T) / d + 0.25 * T / (d - T - 1) + e.generation * 1.0 * T / (T0 - d - 1), 0.01,
                          "spectral 2.4 d=200");
  }
}

TEST_CASE("the dual Gram path has the reference engine's mean for a power law and a linspace spectrum, at every "
          "generation and lambda (theory 8.7)",
          "[simulate][scalable]") {
  check_against_reference(forced(config(powerlaw(60, "3/2", "2/5"), 30, 80, 2, {"0", "1/100", "1/10"}, "9/100", "1/4", 3000, 31,
                                        engine_kind::fast, estimator_kind::rao_blackwell),
                                 fast_path::dual_gram),
                          2000, "dual powerlaw vs reference");
  check_against_reference(forced(config(linspace(40, rational(1, 5), rational(3), rational(1)), 15, 50, 1, {"0", "1/20"}, "1",
                                        "49/100", 3000, 32, engine_kind::fast, estimator_kind::rao_blackwell),
                                 fast_path::dual_gram),
                          2000, "dual linspace vs reference");
}

TEST_CASE("the dual Gram path on Sigma = I reproduces the exact min-norm risk (theory 2.4), and at d = 200 a power "
          "law has the general fast path's mean",
          "[simulate][scalable][exact]") {
  {
    const long d = 120, T = 40, T0 = 150;
    auto c = forced(config(isotropic(d, "1"), T, T0, 2, {"0"}, "1/4", "1", 1500, 41, engine_kind::fast, estimator_kind::rao_blackwell),
                    fast_path::dual_gram);
    auto res = numerics::run_simulation(c);
    for (const auto& e : res.rows)
      check_against_exact(c, e, 1 - double(T) / d + 0.25 * T / (d - T - 1) + e.generation * 1.0 * T / (T0 - d - 1), 0.01,
                          "dual 2.4 d=120");
  }
  {
    auto c = config(powerlaw(200, "2", "2/5"), 50, 260, 1, {"0", "1/1000", "1/100"}, "1/100", "1/10", 800, 42, engine_kind::fast,
                    estimator_kind::rao_blackwell);
    auto dual = numerics::run_simulation(c);
    CHECK(dual.path == fast_path::dual_gram);  // automatic: T < d, d > 64
    auto g = forced(c, fast_path::general);
    g.seed = 43;
    auto general = numerics::run_simulation(g);
    CHECK(general.path == fast_path::general);
    for (std::size_t i = 0; i < dual.rows.size(); ++i) check_same_mean(dual.rows[i], general.rows[i], "dual vs general d=200", 0.03);
  }
}

TEST_CASE("at n = 0 the dual Gram path and the general path condition on the same design, so they agree trial by trial "
          "to rounding, also for an ill-conditioned spectrum at lambda = 0 and 1e-10 (review: the Gram-matrix form "
          "gave negative mean errors there)",
          "[simulate][scalable][exact]") {
  // beta = 4, d = 400: Σ's eigenvalues span 400^4 = 2.6e10; T = 300 < d. The general path takes the thin SVD of
  // the same X (stream 0, row by row) and sums h_i s_i/(s_i+λ)²: a second route to E[err | X].
  for (const char* beta : {"4", "6"}) {
    auto c = config(powerlaw(400, beta, "3/10"), 300, 900, 0, {"0", "1/10000000000", "1/1000000"}, "1/100", "0", 6, 5,
                    engine_kind::fast, estimator_kind::rao_blackwell);
    c.threads = 2;
    const auto dual = numerics::run_trials(forced(c, fast_path::dual_gram));
    const auto general = numerics::run_trials(forced(c, fast_path::general));
    REQUIRE(dual.values.size() == general.values.size());
    for (std::size_t i = 0; i < dual.values.size(); ++i) {
      INFO("beta = " << beta << ", value " << i << ": dual " << dual.values[i] << " general " << general.values[i]);
      CHECK(dual.values[i] > 0);
      CHECK(std::abs(dual.values[i] - general.values[i]) <= 1e-6 * general.values[i]);
    }
  }
}

TEST_CASE("the automatic path keeps the general path at d <= 64, for plain, over-parameterised chains and isotropic "
          "OLS, and takes a scalable path otherwise",
          "[simulate][scalable]") {
  const auto rb = estimator_kind::rao_blackwell;
  auto iso = config(isotropic(100, "1"), 150, 200, 2, {"0", "1/10"}, "1", "1", 10, 1, engine_kind::fast, rb);
  CHECK(numerics::resolve_path(iso) == fast_path::isotropic_spectral);
  auto small = config(isotropic(64, "1"), 150, 200, 2, {"0", "1/10"}, "1", "1", 10, 1, engine_kind::fast, rb);
  CHECK(numerics::resolve_path(small) == fast_path::general);
  auto ols = config(isotropic(100, "1"), 150, 200, 2, {"0"}, "1", "1", 10, 1, engine_kind::fast, rb);
  CHECK(numerics::resolve_path(ols) == fast_path::general);  // the O(d) OLS reduction is cheaper
  auto plain = iso;
  plain.estimator = estimator_kind::plain;
  CHECK(numerics::resolve_path(plain) == fast_path::general);
  auto ref = iso;
  ref.engine = engine_kind::reference;
  CHECK(numerics::resolve_path(ref) == fast_path::general);
  auto over = config(powerlaw(100, "2", "2/5"), 50, 60, 1, {"0"}, "1", "1", 10, 1, engine_kind::fast, rb);
  CHECK(numerics::resolve_path(over) == fast_path::general);  // T0 < d: the chain is not an unbiased walk
  auto pl = config(powerlaw(100, "2", "2/5"), 50, 120, 1, {"0"}, "1", "1", 10, 1, engine_kind::fast, rb);
  CHECK(numerics::resolve_path(pl) == fast_path::dual_gram);
  auto pl_big_T = config(powerlaw(100, "2", "2/5"), 150, 120, 1, {"1/10"}, "1", "1", 10, 1, engine_kind::fast, rb);
  CHECK(numerics::resolve_path(pl_big_T) == fast_path::general);
  auto gen = pl;
  gen.record_generator = true;
  CHECK(numerics::resolve_path(gen) == fast_path::general);
}

TEST_CASE("a forced scalable path that does not apply is refused naming path", "[simulate][scalable][bad-input]") {
  const auto rb = estimator_kind::rao_blackwell;
  expect_refused(forced(config(powerlaw(50, "2", "2/5"), 30, 80, 1, {"0"}, "1", "1", 10, 1, engine_kind::fast, rb),
                        fast_path::isotropic_spectral),
                 "path", "Sigma = I");
  expect_refused(forced(config(powerlaw(50, "2", "2/5"), 60, 80, 1, {"0"}, "1", "1", 10, 1, engine_kind::fast, rb), fast_path::dual_gram),
                 "path", "T < d");
  expect_refused(forced(config(isotropic(50, "1"), 30, 30, 1, {"0"}, "1", "1", 10, 1, engine_kind::fast, rb), fast_path::dual_gram),
                 "path", "under-parameterised");
  expect_refused(forced(config(isotropic(50, "1"), 30, 80, 1, {"0"}, "1", "1", 10, 1, engine_kind::fast, estimator_kind::plain),
                        fast_path::isotropic_spectral),
                 "path", "Rao-Blackwell");
}

TEST_CASE("the scalable paths give bit-identical results for 1 and 3 threads", "[simulate][scalable][threads]") {
  const auto rb = estimator_kind::rao_blackwell;
  for (auto c : {config(isotropic(100, "1"), 150, 200, 2, {"0", "1/10"}, "1", "1", 300, 5, engine_kind::fast, rb),
                 config(powerlaw(100, "2", "2/5"), 40, 120, 1, {"0", "1/100"}, "1", "1", 300, 5, engine_kind::fast, rb)}) {
    c.threads = 1;
    auto a = numerics::run_simulation(c);
    c.threads = 3;
    auto b = numerics::run_simulation(c);
    CHECK(a.path != fast_path::general);
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
      CHECK(a.rows[i].mean == b.rows[i].mean);
      CHECK(a.rows[i].se == b.rows[i].se);
    }
  }
}

namespace {

numerics::simulation_config chain_sampled(numerics::simulation_config c) {
  c.chain = numerics::chain_kind::sampled;
  return c;
}

}  // namespace

TEST_CASE("with the chain sampled the dual Gram path reproduces the general path trial by trial: the same downstream design "
          "stream and the same chi-square draw per generation, so the same conditional expectation up to rounding",
          "[simulate][scalable][chain]") {
  // T < d: the general path draws the same explicit design (stream 0, row by row) and, for T0 >= d, the same
  // g_k ~ chi2_{T0-d+1} (first variate of stream 2k); both integrate the label noise given them.
  auto c = config(powerlaw(100, "2", "2/5"), 40, 130, 3, {"0", "1/1000", "1/100", "1/10"}, "1/100", "1/10", 40, 51, engine_kind::fast,
                  estimator_kind::rao_blackwell);
  auto dual = chain_sampled(forced(c, fast_path::dual_gram));
  auto general = forced(c, fast_path::general);
  CHECK(numerics::resolve_chain(dual) == numerics::chain_kind::sampled);
  CHECK(numerics::resolve_chain(general) == numerics::chain_kind::sampled);
  const auto a = numerics::run_trials(dual), b = numerics::run_trials(general);
  REQUIRE(a.values.size() == b.values.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.values.size(); ++i) worst = std::max(worst, std::abs(a.values[i] - b.values[i]) / std::abs(b.values[i]));
  std::printf("z-report dual(sampled chain) vs general, trial by trial: largest relative difference %.2e over %zu values\n", worst,
              a.values.size());
  CHECK(worst < 1e-9);
  // and the chain is really drawn: generation 3's values are not generation 0's plus a constant
  const auto& L = a.layout;
  std::vector<double> step;
  for (std::uint64_t t = 0; t < a.trials; ++t) step.push_back(a.downstream(t, 3, 0) - a.downstream(t, 0, 0));
  CHECK(*std::max_element(step.begin(), step.end()) > 1.2 * *std::min_element(step.begin(), step.end()));
  CHECK(L.generations == 4);
}

TEST_CASE("the sampled chain on the isotropic spectral path has the reference engine's mean, and the integrated chain the "
          "sampled chain's mean with a smaller variance at every generation k >= 1 (theory 2.1)",
          "[simulate][scalable][chain]") {
  const auto rb = estimator_kind::rao_blackwell;
  auto c = forced(config(isotropic(30, "1"), 50, 40, 2, {"0", "1/10", "1"}, "1", "49/100", 5000, 13, engine_kind::fast, rb),
                  fast_path::isotropic_spectral);
  check_against_reference(chain_sampled(c), 3000, "spectral sampled chain vs reference");
  auto s = chain_sampled(c);
  s.seed = 14;
  const auto a = numerics::run_simulation(s), b = numerics::run_simulation(c);
  CHECK(numerics::resolve_chain(c) == numerics::chain_kind::integrated);
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    check_same_mean(a.rows[i], b.rows[i], "spectral sampled vs integrated chain", 0.03);
    if (a.rows[i].generation >= 1) CHECK(b.rows[i].variance < a.rows[i].variance);
  }
}

TEST_CASE("an integrated chain on the general path is refused naming chain", "[simulate][scalable][chain][bad-input]") {
  auto c = config(isotropic(20, "1"), 40, 35, 1, {"0", "1/10"}, "1", "1", 10, 1, engine_kind::fast, estimator_kind::rao_blackwell);
  c.chain = numerics::chain_kind::integrated;
  expect_refused(c, "chain", "general path");
  c.chain = numerics::chain_kind::sampled;  // what the general path does anyway
  CHECK_NOTHROW(numerics::validate(c));
  CHECK(numerics::resolve_chain(c) == numerics::chain_kind::sampled);
}

TEST_CASE("LAPACK dsterf gives Eigen's tridiagonal eigenvalues within 4 m eps of the largest, on the bidiagonal "
          "Wishart model at m = 5, 300 and 2000",
          "[simulate][scalable][lapack]") {
  for (const long m : {5L, 300L, 2000L}) {
    numerics::philox_stream rng(3, static_cast<std::uint64_t>(m), 0);
    Eigen::VectorXd diag(m), sub(m - 1);
    double below = 0;
    for (long i = 0; i < m; ++i) {  // BBᵀ of the Dumitriu-Edelman model with p = 2m (scalable_engine.hpp)
      const double a2 = rng.chi_square(double(2 * m - i));
      diag[i] = a2 + below;
      if (i + 1 < m) {
        const double b2 = rng.chi_square(double(m - 1 - i));
        sub[i] = std::sqrt(a2 * b2);
        below = b2;
      }
    }
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es;
    es.computeFromTridiagonal(diag, sub, Eigen::EigenvaluesOnly);
    std::vector<double> d(diag.data(), diag.data() + m), e(sub.data(), sub.data() + m - 1);
    numerics::tridiagonal_eigenvalues_lapack(d, e);
    const double scale = es.eigenvalues()[m - 1];
    double worst = 0;
    for (long i = 0; i < m; ++i) worst = std::max(worst, std::abs(d[i] - es.eigenvalues()[i]) / scale);
    std::printf("z-report dsterf vs Eigen m=%ld: largest |difference| / largest eigenvalue %.2e\n", m, worst);
    CHECK(worst < 4 * double(m) * std::numeric_limits<double>::epsilon());  // backward-stable: O(m eps) of the norm
    for (long i = 1; i < m; ++i) CHECK(d[i - 1] <= d[i]);
  }
}
