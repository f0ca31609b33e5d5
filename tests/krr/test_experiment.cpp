// tests/krr/test_experiment.cpp -- the empirical spectrum (Parseval: sum_j lambda_j w2_j plus the dropped part
// is |f*|^2; the exported CSV is what `collapse eval --spectrum file:` reads), and the chain's contracts:
// identical numbers for any thread count, the lambda -> infinity limit (the null predictor's error |f*|^2),
// and every trial value of the fast route (one dsyevd, dgemm products) equal to the protocol written out
// directly (Eigen LLT per fit, N x T products per lambda, the noise term as a Frobenius norm).
#include "eval/spectrum_input.hpp"
#include "krr/experiment.hpp"
#include "numerics/random.hpp"
#include "theory/errors.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <thread>
#include <utility>
#include <fmt/format.h>

using namespace collapse;

namespace {
/// One trial of the protocol in experiment.hpp, written out directly with Eigen (no LAPACK, no BLAS): the
/// same Philox streams, each fit (K + m lambda I)^-1 y by Eigen's LLT on its own Gram matrix, the predictor
/// K(pool, design) alpha over the whole pool, the downstream noise term sigma2 |K(pool, design) (K + T lambda I)^-1|_F^2 / N.
/// Layout of krr::trial_values. A zero lambda or lambda0 is the pseudo-inverse of the m x m Gram matrix with
/// duplicates (Eigen's SelfAdjointEigenSolver, eigenvalues below m eps max dropped: experiment.hpp's rule).
std::vector<double> direct_trial(const krr::problem& p, const krr::chain_config& c, std::uint64_t trial) {
  const long N = p.N(), M = p.M();
  auto inverse = [](krr::matrix A, double shift) -> krr::matrix {  // (A + shift I)^-1, or A^+ when shift = 0
    const double m = double(A.rows());
    if (shift > 0) {
      A.diagonal().array() += shift;
      return A.llt().solve(krr::matrix::Identity(A.rows(), A.rows()));
    }
    const Eigen::SelfAdjointEigenSolver<krr::matrix> es(A);
    const Eigen::VectorXd& D = es.eigenvalues();
    const double tol = m * std::numeric_limits<double>::epsilon() * D.cwiseAbs().maxCoeff();
    const Eigen::VectorXd inv = D.unaryExpr([tol](double v) { return v > tol ? 1 / v : 0.0; });
    return es.eigenvectors() * inv.asDiagonal() * es.eigenvectors().transpose();
  };
  auto draw = [&](long count, std::uint32_t stream) {
    numerics::philox_stream s(c.seed, trial, stream);
    std::vector<long> idx(static_cast<std::size_t>(count));
    for (auto& i : idx) i = static_cast<long>(s.uniform() * double(N));
    return idx;
  };
  auto columns = [](const krr::matrix& K, const std::vector<long>& idx) {
    krr::matrix X(K.rows(), Eigen::Index(idx.size()));
    for (std::size_t j = 0; j < idx.size(); ++j) X.col(Eigen::Index(j)) = K.col(idx[j]);
    return X;
  };
  auto gram_of = [&](const std::vector<long>& idx) {
    krr::matrix K(Eigen::Index(idx.size()), Eigen::Index(idx.size()));
    for (std::size_t i = 0; i < idx.size(); ++i)
      for (std::size_t j = 0; j < idx.size(); ++j) K(Eigen::Index(i), Eigen::Index(j)) = p.K_pool(idx[i], idx[j]);
    return K;
  };
  std::vector<Eigen::VectorXd> f{p.f_pool};
  std::vector<double> generator{0.0}, pool, test;
  for (long k = 1; k <= c.n; ++k) {
    const auto idx = draw(c.T0, numerics::streams::chain_design(int(k)));
    numerics::philox_stream noise(c.seed, trial, numerics::streams::chain_noise(int(k)));
    Eigen::VectorXd y(c.T0);
    for (long i = 0; i < c.T0; ++i) y(i) = f.back()(idx[std::size_t(i)]) + std::sqrt(c.sigma02) * noise.normal();
    const Eigen::VectorXd fk = columns(p.K_pool, idx) * (inverse(gram_of(idx), double(c.T0) * c.lambda0) * y);
    generator.push_back((fk - p.f_pool).squaredNorm() / double(N));
    f.push_back(fk);
  }
  const auto idx = draw(c.T, numerics::streams::downstream_design);
  const krr::matrix Kp = columns(p.K_pool, idx), Kt = columns(p.K_test, idx);
  Eigen::VectorXd eps = Eigen::VectorXd::Zero(c.T);  // sampled noise: one draw per design point, every generation
  if (c.sampled_noise) {
    numerics::philox_stream noise(c.seed, trial, numerics::streams::downstream_noise);
    for (long i = 0; i < c.T; ++i) eps(i) = std::sqrt(c.sigma2) * noise.normal();
  }
  const double integrated = c.sampled_noise ? 0.0 : c.sigma2;  // the noise term's weight
  for (long g = 0; g <= c.n; ++g) {
    Eigen::VectorXd y(c.T);
    for (long i = 0; i < c.T; ++i) y(i) = f[std::size_t(g)](idx[std::size_t(i)]) + eps(i);
    for (double lambda : c.lambdas) {
      const krr::matrix Ainv = inverse(gram_of(idx), double(c.T) * lambda);
      const Eigen::VectorXd alpha = Ainv * y;
      pool.push_back((Kp * alpha - p.f_pool).squaredNorm() / double(N) + integrated * (Kp * Ainv).squaredNorm() / double(N));
      test.push_back((Kt * alpha - p.f_test).squaredNorm() / double(M) + integrated * (Kt * Ainv).squaredNorm() / double(M));
    }
  }
  generator.insert(generator.end(), pool.begin(), pool.end());
  generator.insert(generator.end(), test.begin(), test.end());
  return generator;
}

krr::problem small_problem(long N, const std::string& target = "label") {
  static const auto d = krr::load_dataset("digits");
  krr::problem_config cfg;
  cfg.N = N;
  cfg.test = 200;
  cfg.target = target;
  cfg.seed = 7;
  return krr::make_problem(d, cfg);
}
}  // namespace

TEST_CASE("the pool spectrum satisfies Parseval and its CSV reads back exactly through --spectrum file:", "[krr]") {
  const auto p = small_problem(300);
  CHECK(p.f_pool.mean() == Approx(0).margin(1e-12));  // centred label
  const auto s = krr::pool_spectrum(p);
  REQUIRE(!s.eig.empty());
  CHECK(std::is_sorted(s.eig.rbegin(), s.eig.rend()));
  double sum = s.dropped_signal;
  for (std::size_t j = 0; j < s.eig.size(); ++j) sum += s.eig[j] * s.w2[j];
  CHECK(sum == Approx(s.signal).epsilon(1e-10));
  // tr(K_pool/N) = mean of k(x, x) = 1 for the RBF kernel
  double trace = 0;
  for (double l : s.eig) trace += l;
  CHECK(trace == Approx(1).epsilon(1e-9));
  const auto path = (std::filesystem::temp_directory_path() / ("collapse-krr-spectrum-" + std::to_string(::getpid()) + ".csv")).string();
  krr::write_spectrum_csv(s, path, {"test"});
  const auto back = eval::read_spectrum_file(path);
  const auto spec = krr::to_spec(s, path);
  CHECK(back.eig == spec.eig);
  CHECK(back.w2 == spec.w2);
  std::filesystem::remove(path);
}

TEST_CASE("the chain gives identical numbers on 1 and 2 threads, and lambda -> infinity gives the null predictor's error", "[krr]") {
  const auto p = small_problem(300, "class:3");
  krr::chain_config c;
  c.T = 60;
  c.T0 = 80;
  c.n = 2;
  c.lambdas = {0, 1e-3, 1e6};
  c.lambda0 = 1e-3;
  c.sigma2 = 0.01;
  c.sigma02 = 0.04;
  c.trials = 6;
  c.threads = 1;
  const auto a = krr::run_chain(p, c);
  c.threads = 2;
  const auto b = krr::run_chain(p, c);
  for (std::size_t g = 0; g <= 2; ++g) {
    CHECK(a.generator[g].mean == b.generator[g].mean);
    for (std::size_t l = 0; l < 3; ++l) {
      CHECK(a.pool[g][l].mean == b.pool[g][l].mean);
      CHECK(a.test[g][l].se == b.test[g][l].se);
    }
  }
  const double signal = p.f_pool.squaredNorm() / double(p.N());
  CHECK(a.generator[0].mean == 0);
  CHECK(a.generator[2].mean > 0);
  CHECK(a.pool[0][2].mean == Approx(signal).epsilon(1e-3));  // lambda = 1e6: f = 0
  CHECK(a.pool[0][1].mean < 0.5 * signal);                     // and lambda = 1e-3 learns
}

TEST_CASE("every trial value of the fast route equals the protocol written out directly to 1e-12 relative", "[krr]") {
  const auto p = small_problem(200);
  krr::chain_config c;
  c.T = 50;
  c.T0 = 60;
  c.n = 2;
  c.lambdas = {1e-3, 1e-2, 0.3};
  c.lambda0 = 1e-2;
  c.sigma02 = 0.04;
  c.seed = 11;
  for (double sigma2 : {0.01, 0.0, -0.01}) {  // sigma2 = 0 skips the noise product X V; -0.01: sigma2 = 0.01 sampled
    c.sigma2 = std::fabs(sigma2);
    c.sampled_noise = sigma2 < 0;
    for (std::uint64_t trial = 0; trial < 3; ++trial) {
      const auto fast = krr::trial_values(p, c, trial), direct = direct_trial(p, c, trial);
      REQUIRE(fast.size() == direct.size());
      REQUIRE(fast.size() == 3 + 2 * 3 * 3);
      for (std::size_t i = 0; i < fast.size(); ++i) {
        INFO("sigma2 = " << sigma2 << ", trial " << trial << ", value " << i << ": " << fast[i] << " vs " << direct[i]);
        CHECK(std::fabs(fast[i] - direct[i]) <= 1e-12 * std::fabs(direct[i]));
      }
      CHECK(fast[1] > 0);  // a generator's error, nonzero: the comparison is not of zeros
    }
  }
}

TEST_CASE("fits on draws with many repeated pool points (the distinct-point reduction) equal the protocol on the repeated draw", "[krr]") {
  // T = T0 = N = 40: each draw repeats about a third of its points (some three or four times), and the fast
  // route works on the distinct points with multiplicities (krr/experiment.cpp, distinct_draw). The direct
  // route keeps every repeat in a 40 x 40 Gram matrix; lambda = 0 and lambda0 = 0 are pseudo-inverses there.
  const auto p = small_problem(40);
  krr::chain_config c;
  c.T = 40;
  c.T0 = 40;
  c.n = 2;
  c.lambdas = {0, 1e-3, 0.1};
  c.sigma2 = 0.01;
  c.sigma02 = 0.04;
  c.seed = 5;
  for (double lambda0 : {1e-2, 0.0}) {
    c.lambda0 = lambda0;
    for (std::uint64_t trial = 0; trial < 3; ++trial) {
      const auto fast = krr::trial_values(p, c, trial), direct = direct_trial(p, c, trial);
      REQUIRE(fast.size() == direct.size());
      for (std::size_t i = 0; i < fast.size(); ++i) {
        INFO("lambda0 = " << lambda0 << ", trial " << trial << ", value " << i << ": " << fast[i] << " vs " << direct[i]);
        CHECK(std::fabs(fast[i] - direct[i]) <= 1e-9 * std::fabs(direct[i]));
      }
      CHECK(fast[2] > 0);
    }
  }
}

TEST_CASE("sampled downstream noise has the Rao-Blackwellised estimator's expectation, with a larger spread", "[krr]") {
  const auto p = small_problem(100);
  krr::chain_config c;
  c.T = 30;
  c.T0 = 30;
  c.n = 1;
  c.lambdas = {1e-3};
  c.lambda0 = 1e-2;
  c.sigma2 = 1;  // noise comparable to the signal: the noise term matters
  c.sigma02 = 0.04;
  c.trials = 400;
  c.threads = 2;
  const auto rb = krr::run_chain(p, c);
  c.sampled_noise = true;
  const auto sampled = krr::run_chain(p, c);
  for (std::size_t g = 0; g <= 1; ++g) {
    // same designs (common random numbers): the paired difference is the sampled noise's own fluctuation
    const double diff = sampled.pool[g][0].mean - rb.pool[g][0].mean, se = std::hypot(sampled.pool[g][0].se, rb.pool[g][0].se);
    INFO("g = " << g << ": sampled " << sampled.pool[g][0].mean << " +- " << sampled.pool[g][0].se << ", integrated " << rb.pool[g][0].mean << " +- " << rb.pool[g][0].se);
    CHECK(std::fabs(diff) < 4 * se);
    CHECK(sampled.pool[g][0].se > rb.pool[g][0].se);
    CHECK(sampled.generator[g].mean == rb.generator[g].mean);  // the chain itself is untouched
  }
}

TEST_CASE("chain options out of range are refused naming the parameter", "[krr]") {
  const auto p = small_problem(100);
  krr::chain_config c;
  c.T = 101;
  CHECK_THROWS_WITH(krr::run_chain(p, c), Catch::Contains("invalid T = 101"));
  c.T = 10;
  c.lambdas = {-1};
  CHECK_THROWS_WITH(krr::run_chain(p, c), Catch::Contains("invalid lambda = -1"));
  c.lambdas = {1};
  c.sigma02 = std::nan("");
  CHECK_THROWS_WITH(krr::run_chain(p, c), Catch::Contains("invalid sigma02"));
  krr::problem_config cfg;
  cfg.N = 1797;
  CHECK_THROWS_WITH(krr::make_problem(krr::load_dataset("digits"), cfg), Catch::Contains("invalid N = 1797"));
}

TEST_CASE("run_chain reports its real total and every trial done on the calling thread, ending at total", "[krr]") {
  const auto p = small_problem(100);
  krr::chain_config c;
  c.T = 20;
  c.T0 = 20;
  c.n = 1;
  c.trials = 7;
  c.threads = 2;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
  const auto caller = std::this_thread::get_id();
  bool same_thread = true;
  const auto with = krr::run_chain(p, c, [&](std::uint64_t done, std::uint64_t total) {
    same_thread = same_thread && std::this_thread::get_id() == caller;
    seen.emplace_back(done, total);
  });
  REQUIRE(!seen.empty());
  CHECK(same_thread);
  CHECK(seen.back() == std::make_pair(std::uint64_t(7), std::uint64_t(7)));
  for (std::size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i].second == 7);
    if (i > 0) CHECK(seen[i].first >= seen[i - 1].first);
  }
  const auto without = krr::run_chain(p, c);  // the callback changes nothing in the numbers
  CHECK(with.pool[1][0].mean == without.pool[1][0].mean);
  CHECK(with.generator[1].se == without.generator[1].se);
  // a callback that throws cancels the run and reaches the caller
  CHECK_THROWS_WITH(krr::run_chain(p, c, [](std::uint64_t, std::uint64_t) { throw std::runtime_error("stop"); }), "stop");
}

TEST_CASE("the DE is withheld, with its reason, where the generator's df2 exceeds the distinct points of its draws", "[krr]") {
  // 8x8 digits, N = 300 = T0: as lambda0 -> 0 the generator DE nears its interpolation threshold (D0 -> 0) and
  // runs away from the simulation (lambda0 = 1e-9: DE 7.1 vs simulated 4.14); at lambda0 = 1e-3 it is within 3 %.
  const auto p = small_problem(300);
  const auto s = krr::pool_spectrum(p);
  const auto spec = krr::to_spec(s, "pool");
  krr::chain_config c;
  c.T = 100;
  c.T0 = 300;
  c.sigma2 = 0.01;
  c.sigma02 = 0.25;
  const double distinct = 300 * (1 - std::pow(1 - 1.0 / 300, 300));  // 189.8 expected distinct points
  for (double lambda0 : {1e-3, 1e-9}) {
    c.lambda0 = lambda0;
    const auto v0 = krr::de_risk(s, spec, c, 0, 1e-2), v1 = krr::de_risk(s, spec, c, 1, 1e-2);
    INFO("lambda0 = " << lambda0 << ": " << v1.unreliable);
    CHECK(v0.unreliable.empty());  // n = 0 has no generator
    // df2(kappa0) from the spectrum and kappa0 = kappa(lambda0, T0) solved here by bisection (independent of theory/)
    double lo = 1e-300, hi = 1e3;
    for (int i = 0; i < 2000; ++i) {
      const double k = std::sqrt(lo * hi);
      double df1 = 0;
      for (double l : s.eig) df1 += l / (l + k);
      (k - lambda0 - k * df1 / 300 > 0 ? hi : lo) = k;
    }
    double df2 = 0;
    for (double l : s.eig) df2 += (l / (l + lo)) * (l / (l + lo));
    CHECK((df2 > distinct) == !v1.unreliable.empty());
    if (lambda0 == 1e-3) CHECK(df2 < 0.5 * distinct);
    if (lambda0 == 1e-9) {
      CHECK(df2 > 1.5 * distinct);
      CHECK(v1.unreliable.find(fmt::format("{:.4g} distinct inputs", distinct)) != std::string::npos);
      CHECK(v1.unreliable.find("T0 = 300 draws from the N = 300 pool points") != std::string::npos);
    }
  }
}
