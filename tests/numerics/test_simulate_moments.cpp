// tests/numerics/test_simulate_moments.cpp -- Monte Carlo intervals that mean what they say (issue 8
// item 6), finite results and the memory guard per code path (issue 7 kinds 1 and 9), the harness's
// observables in the one simulator (generator error, §2.2 design trace, sign-averaged RB; issue 15
// item 2), progress with the real total (issue 7 kind 8).
#include "simulation_support.hpp"

#include "numerics/simulate.hpp"

#include "theory/errors.hpp"

#include <boost/math/distributions/binomial.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

using namespace collapse;
using namespace collapse::test;
using numerics::engine_kind;
using numerics::estimator_kind;

namespace {

/// Binomial(seeds, 0.95) central 99.9 % band: a correct 95 % interval covers this often except with
/// probability 0.001.
std::pair<int, int> coverage_band(int seeds) {
  boost::math::binomial_distribution<double> b(seeds, 0.95);
  return {static_cast<int>(boost::math::quantile(b, 0.0005)), static_cast<int>(boost::math::quantile(boost::math::complement(b, 0.0005)))};
}

std::string domain_parameter(const numerics::simulation_config& c) {
  try {
    numerics::validate(c);
  } catch (const collapse::domain_error& e) {
    return e.parameter();
  }
  return "";
}

}  // namespace

TEST_CASE("the 95 % interval covers the exact mean at a binomially plausible rate over 200 seeds where the variance is "
          "finite",
          "[simulate][coverage]") {
  // Exact means: §2.3 (OLS after an under-parameterised chain, any Σ) and §2.4 (isotropic min-norm).
  // d = 2, T = T0 = 10 (T − d = 8 >= 4); d = 12, T = 4 (d − T = 8 >= 4), n = 0.
  struct point { spectrum_spec s; long T, T0; int n; double exact; const char* label; };
  const double d2 = 2, d12 = 12;
  const point points[] = {
      {linspace(2, rational(1, 2), rational(2), rational(1)), 10, 10, 1, 1.0 * d2 / (10 - d2 - 1) + 0.25 * d2 / (10 - d2 - 1), "2.3 OLS d=2"},
      {isotropic(12, "1"), 4, 0, 0, 1.0 * (1 - 4 / d12) + 1.0 * 4 / (d12 - 4 - 1), "2.4 min-norm d=12 T=4"}};
  const auto band = coverage_band(200);
  for (const auto& p : points)
    for (auto est : {estimator_kind::rao_blackwell, estimator_kind::plain}) {
      int covered = 0;
      for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        auto c = config(p.s, p.T, p.T0, p.n, {"0"}, "1", "1/4", 400, seed, engine_kind::fast, est);
        c.threads = 1;
        const auto r = numerics::run_simulation(c);
        const auto& e = r.rows.back();  // generation n
        REQUIRE(e.interval);
        covered += e.ci95_low <= p.exact && p.exact <= e.ci95_high ? 1 : 0;
      }
      std::printf("coverage-report %s %s: %d of 200 (band %d..%d)\n", p.label, numerics::to_string(est).c_str(), covered,
                  band.first, band.second);
      INFO(p.label << " " << numerics::to_string(est) << ": " << covered << " of 200 seeds covered " << p.exact);
      CHECK(covered >= band.first);
      CHECK(covered <= band.second);
    }
}

TEST_CASE("rows whose per-trial variance is infinite (T or T0 within 3 of d) carry no standard error and say why",
          "[simulate][coverage]") {
  // Issue 8's example: d = 10, T = T0 = 12 (variance infinite, mean finite); with lambda > 0 only the
  // chain (k >= 1) is heavy-tailed.
  auto c = config(isotropic(10, "1"), 12, 12, 2, {"0", "1/10"}, "1", "1", 200, 3, engine_kind::fast, estimator_kind::rao_blackwell);
  auto r = numerics::run_simulation(c);
  for (const auto& e : r.rows) {
    INFO("generation " << e.generation << " lambda " << e.lambda_text);
    const bool heavy = e.generation >= 1 || e.lambda_text == "0";
    CHECK(e.interval == !heavy);
    CHECK(std::isfinite(e.mean));
    if (heavy) {
      CHECK(std::isnan(e.se));
      CHECK(std::isnan(e.ci95_low));
      CHECK(e.no_interval_reason.find(e.generation >= 1 ? "T0 = 12" : "T = 12") != std::string::npos);
    } else {
      CHECK(e.se > 0);
    }
  }
  // the exact boundary: T − d = 4 has a variance, 3 has not (E[(W^-1)^2] needs m − p − 3 > 0)
  CHECK(numerics::moment_regime(config(isotropic(10, "1"), 14, 14, 1, {"0"}, "1", "1", 2, 1, engine_kind::fast,
                                       estimator_kind::plain), 1, exact("0")).variance_finite);
  CHECK_FALSE(numerics::moment_regime(config(isotropic(10, "1"), 13, 14, 1, {"0"}, "1", "1", 2, 1, engine_kind::fast,
                                             estimator_kind::plain), 0, exact("0")).variance_finite);
  CHECK(numerics::moment_regime(config(isotropic(10, "1"), 6, 14, 1, {"0"}, "1", "1", 2, 1, engine_kind::fast,
                                       estimator_kind::plain), 0, exact("0")).variance_finite);  // d − T = 4
  CHECK_FALSE(numerics::moment_regime(config(isotropic(10, "1"), 7, 14, 1, {"0"}, "1", "1", 2, 1, engine_kind::fast,
                                             estimator_kind::plain), 0, exact("0")).variance_finite);
  // without noise there is nothing to amplify
  CHECK(numerics::moment_regime(config(isotropic(10, "1"), 10, 10, 1, {"0"}, "0", "0", 2, 1, engine_kind::fast,
                                       estimator_kind::plain), 1, exact("0")).variance_finite);
  // a target standard error is meaningless there: refused
  c.trials = 0;
  c.target_rse = 0.01;
  CHECK(domain_parameter(c) == "target-se");
}

TEST_CASE("an infinite mean (T or T0 within 1 of d, with noise) is refused naming the size", "[simulate][input]") {
  auto c = config(isotropic(10, "1"), 11, 20, 1, {"0"}, "1", "1", 10, 1, engine_kind::fast, estimator_kind::rao_blackwell);
  CHECK(domain_parameter(c) == "T");
  c.T = 9;
  CHECK(domain_parameter(c) == "T");
  c.lambda = {exact("1/10")};  // ridge bounds the downstream amplification
  CHECK(domain_parameter(c) == "");
  c.T0 = 10;
  CHECK(domain_parameter(c) == "T0");
  c.sigma02 = exact("0");
  CHECK(domain_parameter(c) == "");
}

TEST_CASE("scales that would overflow double are refused up front naming the parameter", "[simulate][input]") {
  auto good = config(isotropic(2, "1"), 4, 4, 0, {"0.1"}, "1", "1", 2, 1, engine_kind::fast, estimator_kind::rao_blackwell);
  REQUIRE(domain_parameter(good) == "");
  auto c = good; c.sigma2 = exact("1e400"); CHECK(domain_parameter(c) == "sigma2");
  c = good; c.sigma2 = exact("1e300"); CHECK(domain_parameter(c) == "sigma2");
  c = good; c.sigma2 = exact("1e200"); CHECK(domain_parameter(c) == "");
  c = good; c.n = 1; c.T0 = 8; c.sigma02 = exact("1e400"); CHECK(domain_parameter(c) == "sigma02");
  c = good; c.lambda = {exact("1e400")}; CHECK(domain_parameter(c) == "lambda");
  c = good; c.spectrum = isotropic(2, "1e400"); CHECK(domain_parameter(c) == "w0norm2");
  c = good; c.spectrum = powerlaw(100000, "64", "1"); CHECK(domain_parameter(c) == "beta");  // λ_d = 1e-320
  // and what is accepted comes back finite
  c = good; c.sigma2 = exact("1e200"); c.trials = 50;
  for (const auto& e : numerics::run_simulation(c).rows) {
    CHECK(std::isfinite(e.mean));
    CHECK(std::isfinite(e.se));
  }
}

TEST_CASE("the memory guard estimates the code path that runs and blames the size that drives it", "[simulate][input]") {
  // OLS at T >= d (every lambda 0, fast) is O(d) per thread: d = T = 1e5 fits (issue 7 kind 9).
  auto c = config(isotropic(100000, "1"), 100010, 0, 0, {"0"}, "1", "1", 2, 1, engine_kind::fast, estimator_kind::rao_blackwell);
  CHECK(numerics::memory_estimate(c) < 64.0L * (1 << 20));
  CHECK(domain_parameter(c) == "");
  c.lambda = {exact("1/10")};  // the general path's ridge needs S = XᵀX/T: 11 d² doubles = 880 GB
  c.path = numerics::fast_path::general;
  CHECK(numerics::memory_estimate(c) > 1e11L);
  CHECK(domain_parameter(c) == "d");
  c.path = numerics::fast_path::automatic;  // the isotropic spectral path (issue 9) holds O(d): it fits
  CHECK(numerics::resolve_path(c) == numerics::fast_path::isotropic_spectral);
  CHECK(numerics::memory_estimate(c) < 64.0L * (1 << 20));
  CHECK(domain_parameter(c) == "");
  // a long chain holds one state at a time: n = 50000 generations at d = 300 need O(d²), not O(n d²)
  auto chain = config(isotropic(300, "1"), 400, 150, 50000, {"0"}, "1", "1", 2, 1, engine_kind::fast, estimator_kind::rao_blackwell);
  CHECK(numerics::memory_estimate(chain) < 256.0L * (1 << 20));
  // the reference engine's explicit design is T×d: blame T
  auto ref = config(isotropic(10, "1"), 20000000000L, 20, 1, {"0"}, "1", "1", 2, 1, engine_kind::reference, estimator_kind::plain);
  CHECK(domain_parameter(ref) == "T");
  // per-trial values kept by run_trials: blame trials
  auto many = config(isotropic(2, "1"), 10, 10, 0, {"0"}, "1", "1", 4000000000000ULL, 1, engine_kind::fast, estimator_kind::plain);
  try {
    numerics::run_trials(many);
    FAIL("no error");
  } catch (const collapse::domain_error& e) {
    CHECK(e.parameter() == "trials");
  }
}

TEST_CASE("the generator error, the design trace and the sign average have their exact means (§2.1, §2.2, §4.1)",
          "[simulate][observables]") {
  // §2.2 at lambda > 0: E_n − E_0 = n σ0²/(T0−d−1) E tr[ΣAΣ⁻¹A], checked per trial on common random
  // numbers, with and without the sign average; §2.1 (T0 >= d): E_test(ŵ_n) = n σ0² d/(T0−d−1);
  // §4.1 (Σ = I, T0 < d, σ0 = 0): E_test(ŵ_n) = ‖w0‖² (1 − (T0/d)^n).
  const auto sp = linspace(6, rational(1, 2), rational(2), rational(1));
  for (bool sign : {false, true}) {
    auto c = config(sp, 9, 14, 2, {"1/20", "1/2"}, "1", "1", 20000, 11, engine_kind::fast, estimator_kind::rao_blackwell);
    c.record_generator = c.record_design_trace = true;
    c.sign_average = sign;
    auto tab = numerics::run_trials(c);
    REQUIRE(tab.layout.columns == 3 * 2 + 3 + 2);
    const double pref = 1.0 / (14 - 6 - 1);
    for (std::size_t l = 0; l < 2; ++l)
      for (std::size_t k = 1; k <= 2; ++k) {
        auto D = numerics::moments_of(tab.trials, [&](std::uint64_t t) {
          return tab.downstream(t, k, l) - tab.downstream(t, 0, l) - double(k) * pref * tab.design_trace(t, l);
        });
        INFO("sign average " << sign << " lambda " << l << " k " << k << ": " << D.mean << " +- " << D.se);
        CHECK(std::fabs(D.mean) <= 4 * D.se);
      }
    for (std::size_t k = 0; k <= 2; ++k) {
      auto g = numerics::moments_of(tab.trials, [&](std::uint64_t t) { return tab.generator(t, k); });
      const double exact_g = double(k) * 6 / (14 - 6 - 1);
      INFO("generator k " << k << ": " << g.mean << " +- " << g.se << " exact " << exact_g);
      CHECK(std::fabs(g.mean - exact_g) <= 4 * g.se + 1e-12);
    }
  }
  // the sign average keeps the mean and reduces the variance of the downstream error (n = 0, λ > 0)
  auto c = config(sp, 9, 14, 0, {"1/2"}, "1", "1", 4000, 12, engine_kind::fast, estimator_kind::rao_blackwell);
  auto a = numerics::run_simulation(c);
  c.sign_average = true;
  auto b = numerics::run_simulation(c);
  check_same_mean(a.rows[0], b.rows[0], "sign average", 0.05);
  CHECK(b.rows[0].variance < a.rows[0].variance);
  // §4.1, Σ = I, T0 < d, σ0 = 0: E_test(ŵ_n) = ‖w0‖² (1 − (T0/d)^n)
  auto o = config(isotropic(20, "1"), 30, 10, 3, {"0"}, "0", "0", 4000, 13, engine_kind::fast, estimator_kind::rao_blackwell);
  o.record_downstream = false;
  o.record_generator = true;
  auto to = numerics::run_trials(o);
  for (std::size_t k = 0; k <= 3; ++k) {
    auto g = numerics::moments_of(to.trials, [&](std::uint64_t t) { return to.generator(t, k); });
    const double exact_g = 1 - std::pow(0.5, double(k));
    INFO("overgen generator k " << k << ": " << g.mean << " +- " << g.se << " exact " << exact_g);
    CHECK(std::fabs(g.mean - exact_g) <= 4 * g.se + 1e-12);
  }
}

TEST_CASE("run_trials gives run_simulation's per-trial values, bit for bit, for any thread count", "[simulate][threads]") {
  auto c = config(powerlaw(8, "2", "1/2"), 12, 14, 2, {"0", "1/10"}, "1/2", "1/2", 300, 77, engine_kind::fast,
                  estimator_kind::rao_blackwell);
  c.threads = 1;
  auto r = numerics::run_simulation(c);
  c.threads = 3;
  auto t = numerics::run_trials(c);
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    auto m = numerics::moments_of(t.trials, [&](std::uint64_t tr) { return t.values[tr * t.layout.columns + i]; });
    CHECK(m.mean == r.rows[i].mean);
    CHECK(m.se == r.rows[i].se);
  }
}

TEST_CASE("progress reports the real total and an ETA, also with a target standard error", "[simulate][progress]") {
  auto c = config(powerlaw(8, "2", "1/2"), 12, 14, 1, {"0"}, "1/2", "1/2", 5000, 1, engine_kind::fast, estimator_kind::rao_blackwell);
  std::vector<numerics::progress_info> seen;
  numerics::run_simulation(c, [&](const numerics::progress_info& p) { seen.push_back(p); });
  REQUIRE(!seen.empty());
  for (const auto& p : seen) CHECK(p.total == 5000);
  CHECK(seen.back().done == 5000);
  CHECK(seen.back().eta_seconds == 0);
  c.trials = 0;
  c.target_rse = 0.002;
  c.max_trials = 1000000;
  seen.clear();
  auto r = numerics::run_simulation(c, [&](const numerics::progress_info& p) { seen.push_back(p); });
  REQUIRE(!seen.empty());
  for (const auto& p : seen) CHECK(p.total == 1000000);
  CHECK(seen.back().done == r.trials);
  CHECK(seen.back().projected >= r.trials);
}
