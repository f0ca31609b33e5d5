// tests/krr/test_experiment.cpp -- the empirical spectrum (Parseval: sum_j lambda_j w2_j plus the dropped part
// is |f*|^2; the exported CSV is what `collapse eval --spectrum file:` reads), and the chain's contracts:
// identical numbers for any thread count, the lambda -> infinity limit (the null predictor's error |f*|^2),
// and the interpolator of the whole pool reproducing its labels.
#include "eval/spectrum_input.hpp"
#include "krr/experiment.hpp"
#include "theory/errors.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace collapse;

namespace {
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
