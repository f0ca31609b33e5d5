// krr/experiment.cpp -- see experiment.hpp.
#include "krr/experiment.hpp"

#include "krr/symmetric_eigen.hpp"
#include "numerics/random.hpp"
#include "report/output.hpp"
#include "theory/errors.hpp"
#include "theory/variants/ridge_generator.hpp"

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

namespace collapse::krr {

namespace {

using clock_type = std::chrono::steady_clock;
double since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

/// The Philox trial index of the pool/test split (never a chain trial: trials are < 2^63).
constexpr std::uint64_t split_trial = ~std::uint64_t(0);

std::vector<long> permutation(std::size_t n, std::uint64_t seed) {
  std::vector<long> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = long(i);
  numerics::philox_stream s(seed, split_trial, 0);
  for (std::size_t i = n; i > 1; --i) {  // Fisher-Yates
    const auto j = static_cast<std::size_t>(s.uniform() * double(i));
    std::swap(p[i - 1], p[j]);
  }
  return p;
}

row_matrix rows_of(const dataset& d, const std::vector<long>& idx) {
  row_matrix out(Eigen::Index(idx.size()), d.X.cols());
  for (std::size_t i = 0; i < idx.size(); ++i) out.row(Eigen::Index(i)) = d.X.row(idx[i]);
  return out;
}

void check_real(const char* name, double v, double hi, const std::string& range) {
  if (!std::isfinite(v) || v < 0 || v > hi) throw domain_error(name, fmt::format("{}", v), range);
}

}  // namespace

problem make_problem(const dataset& d, const problem_config& cfg) {
  const long S = static_cast<long>(d.samples());
  if (cfg.N < 2 || cfg.N > 10000 || cfg.N > S - 1)
    throw domain_error("N", std::to_string(cfg.N), fmt::format("an integer 2 <= N <= min(10000, samples - 1 = {})", S - 1),
                       "pool size; " + d.name + " has " + std::to_string(S) + " samples");
  if (cfg.test < 1 || cfg.test > 10000 || cfg.N + cfg.test > S)
    throw domain_error("test", std::to_string(cfg.test), fmt::format("an integer 1 <= test <= min(10000, samples - N = {})", S - cfg.N));
  int cls = -1;
  if (cfg.target.rfind("class:", 0) == 0) {
    const std::string c = cfg.target.substr(6);
    if (c.size() != 1 || c[0] < '0' || c[0] > '9') throw domain_error("--target", cfg.target, "label or class:C with C in 0..9");
    cls = c[0] - '0';
  } else if (cfg.target != "label") {
    throw domain_error("--target", cfg.target, "label or class:C with C in 0..9");
  }
  const auto perm = permutation(d.samples(), cfg.seed);
  const std::vector<long> pool_idx(perm.begin(), perm.begin() + cfg.N), test_idx(perm.begin() + cfg.N, perm.begin() + cfg.N + cfg.test);
  const row_matrix pool = rows_of(d, pool_idx), test = rows_of(d, test_idx);
  problem p;
  p.dataset = d.name;
  p.kernel = resolve_bandwidth(cfg.kernel, pool);
  p.target = cfg.target;
  auto value = [&](long i) { return cls < 0 ? double(d.labels[std::size_t(i)]) : double(d.labels[std::size_t(i)] == cls); };
  p.f_pool.resize(cfg.N);
  p.f_test.resize(cfg.test);
  for (long i = 0; i < cfg.N; ++i) p.f_pool(i) = value(pool_idx[std::size_t(i)]);
  for (long i = 0; i < cfg.test; ++i) p.f_test(i) = value(test_idx[std::size_t(i)]);
  const double mean = p.f_pool.mean();  // centred on the pool mean: the constant is not the kernel's to learn
  p.f_pool.array() -= mean;
  p.f_test.array() -= mean;
  p.K_pool = gram(p.kernel, pool, pool);
  p.K_test = gram(p.kernel, test, pool);
  return p;
}

empirical_spectrum pool_spectrum(const problem& p) {
  const auto t0 = clock_type::now();
  const double N = double(p.N());
  const symmetric_eigen es(p.K_pool / N);  // OpenBLAS's own threads: one decomposition, the same for any --threads
  empirical_spectrum s;
  s.seconds = since(t0);
  const Eigen::VectorXd c = es.vectors.transpose() * p.f_pool;  // u_j . y
  const Eigen::Index n = es.values.size();
  const double top = es.values(n - 1);
  s.signal = p.f_pool.squaredNorm() / N;
  for (Eigen::Index j = n - 1; j >= 0; --j) {  // decreasing
    const double l = es.values(j), a = c(j) * c(j) / N;  // <f*, e_j>^2
    if (l > 1e-10 * top) {
      s.eig.push_back(l);
      s.w2.push_back(a / l);
    } else {
      ++s.dropped;
      s.dropped_signal += a;
    }
  }
  return s;
}

spectrum_spec to_spec(const empirical_spectrum& s, const std::string& path) {
  spectrum_spec spec;
  spec.type = spectrum_spec::kind::explicit_list;
  spec.path = path;
  for (std::size_t j = 0; j < s.eig.size(); ++j) {
    spec.eig.push_back(parse_exact("eig", fmt::format("{}", s.eig[j])).value);
    spec.w2.push_back(parse_exact("w2", fmt::format("{}", s.w2[j])).value);
  }
  spec.d.value = rational(static_cast<long>(s.eig.size()));
  spec.d.text = std::to_string(s.eig.size());
  validate(spec);
  return spec;
}

void write_spectrum_csv(const empirical_spectrum& s, const std::string& path, const std::vector<std::string>& comments) {
  std::string text;
  for (const auto& c : comments) text += "# " + c + "\n";
  text += fmt::format("# rows = {}\neig,w2\n", s.eig.size());  // read_spectrum_file refuses a cut copy
  for (std::size_t j = 0; j < s.eig.size(); ++j) text += fmt::format("{},{}\n", s.eig[j], s.w2[j]);
  report::write_file_atomic(path, text);
}

double chain_flops(long N, long M, const chain_config& c) {
  const double T = double(c.T), T0 = double(c.T0), n = double(c.n), L = double(c.lambdas.size());
  const double generator = c.lambda0 > 0 ? T0 * T0 * T0 / 3 : 9 * T0 * T0 * T0;  // Cholesky or eigendecomposition
  const double per_trial = n * (generator + 2 * double(N) * T0) + 9 * T * T * T + 2 * double(N + M) * T * T +
                           (n + 1) * (2 * T * T + L * 2 * double(N + M) * T);
  return per_trial * double(c.trials);
}

namespace {

/// alpha = (K + m lambda I)^+ y for a generator (lambda0 > 0: Cholesky, LAPACK dpotrf; 0 or not numerically
/// positive definite: pseudo-inverse from dsyevd, eigenvalues below m eps max dropped).
Eigen::VectorXd fit(const matrix& K, const Eigen::VectorXd& y, double lambda) {
  const double m = double(K.rows());
  if (lambda > 0) {
    matrix A = K;
    A.diagonal().array() += m * lambda;
    Eigen::VectorXd alpha = y;
    if (cholesky_solve(std::move(A), alpha)) return alpha;
  }
  const symmetric_eigen es(K);
  const Eigen::VectorXd& D = es.values;
  const double tol = m * std::numeric_limits<double>::epsilon() * D.cwiseAbs().maxCoeff();
  Eigen::VectorXd b = es.vectors.transpose() * y;
  for (Eigen::Index j = 0; j < b.size(); ++j) b(j) = D(j) + m * lambda > tol ? b(j) / (D(j) + m * lambda) : 0.0;
  return es.vectors * b;
}

std::vector<long> draw_indices(long count, long N, std::uint64_t seed, std::uint64_t trial, std::uint32_t stream) {
  numerics::philox_stream s(seed, trial, stream);
  std::vector<long> idx(static_cast<std::size_t>(count));
  for (auto& i : idx) i = static_cast<long>(s.uniform() * double(N));
  return idx;
}

/// The columns idx of [K_pool; K_test] ((N + M) x |idx|): k(x, x_idx) at every pool input, then every test
/// input. Contiguous column copies: no kernel value is ever recomputed.
matrix design_columns(const problem& p, const std::vector<long>& idx) {
  const long N = p.N(), M = p.M();
  matrix X(N + M, long(idx.size()));
  for (std::size_t j = 0; j < idx.size(); ++j) {
    X.col(Eigen::Index(j)).head(N) = p.K_pool.col(idx[j]);
    X.col(Eigen::Index(j)).tail(M) = p.K_test.col(idx[j]);
  }
  return X;
}

/// The design's Gram matrix K_ij = k(x_idx_i, x_idx_j) = K_pool(idx_i, idx_j), read from K_pool (or from
/// design_columns' X, whose first N rows are K_pool's columns idx) one column at a time (cache-resident).
matrix design_gram(const matrix& pool_columns, const std::vector<long>& idx, bool columns_gathered) {
  const long m = long(idx.size());
  matrix K(m, m);
  for (long j = 0; j < m; ++j) {
    const auto col = pool_columns.col(columns_gathered ? j : idx[std::size_t(j)]);
    for (long i = 0; i < m; ++i) K(i, j) = col(idx[std::size_t(i)]);
  }
  return K;
}

}  // namespace

void check_chain(const problem& p, const chain_config& c) {
  const long N = p.N();
  if (c.T < 1 || c.T > N) throw domain_error("T", std::to_string(c.T), fmt::format("an integer 1 <= T <= N = {}", N));
  if (c.T0 < 1 || c.T0 > N) throw domain_error("T0", std::to_string(c.T0), fmt::format("an integer 1 <= T0 <= N = {}", N));
  if (c.n < 0 || c.n > 100) throw domain_error("n", std::to_string(c.n), "an integer 0 <= n <= 100");
  if (c.lambdas.empty()) throw domain_error("lambda", "(none)", "at least one lambda >= 0");
  for (double l : c.lambdas) check_real("lambda", l, 1e6, "finite 0 <= lambda <= 1e6");
  check_real("lambda0", c.lambda0, 1e6, "finite 0 <= lambda0 <= 1e6");
  check_real("sigma2", c.sigma2, 1e6, "finite 0 <= sigma2 <= 1e6");
  check_real("sigma02", c.sigma02, 1e6, "finite 0 <= sigma02 <= 1e6");
  if (c.trials < 2 || c.trials > 1000000) throw domain_error("trials", std::to_string(c.trials), "an integer 2 <= trials <= 1e6");
}

std::vector<double> trial_values(const problem& p, const chain_config& c, std::uint64_t trial) {
  check_chain(p, c);
  const long N = p.N(), M = p.M(), L = long(c.lambdas.size()), G = c.n + 1;
  matrix F(N, G);  // column g: f_g at the pool inputs
  F.col(0) = p.f_pool;
  std::vector<double> out;
  out.reserve(std::size_t(G + 2 * G * L));
  out.push_back(0.0);
  for (long k = 1; k <= c.n; ++k) {
    const auto idx = draw_indices(c.T0, N, c.seed, trial, numerics::streams::chain_design(int(k)));
    numerics::philox_stream noise(c.seed, trial, numerics::streams::chain_noise(int(k)));
    Eigen::VectorXd y(c.T0);
    const double s0 = std::sqrt(c.sigma02);
    for (long i = 0; i < c.T0; ++i) y(i) = F(idx[std::size_t(i)], k - 1) + s0 * noise.normal();
    const Eigen::VectorXd alpha = fit(design_gram(p.K_pool, idx, false), y, c.lambda0);
    // f_k = K_pool[:, idx] alpha, one column at a time: each pool column is read once and f_k stays in
    // cache (memory-bound; gathering the N x T0 columns first would write and read them again)
    F.col(k).setZero();
    for (long i = 0; i < c.T0; ++i) F.col(k) += alpha(i) * p.K_pool.col(idx[std::size_t(i)]);
    out.push_back((F.col(k) - p.f_pool).squaredNorm() / double(N));
  }
  // Downstream: one design and one eigendecomposition K = V diag(D) V^T serve every generation and lambda.
  // The fit for (g, l) is a = V diag(1/(D + T lambda_l)) V^T y_g, its predictions at the pool and test inputs
  // X a. All G L coefficient vectors are one T x GL matrix A = V C, their predictions one product X A; the
  // Rao-Blackwellised noise term needs the column norms |X v_j|^2 (one product X V, skipped when sigma2 = 0).
  const auto idx = draw_indices(c.T, N, c.seed, trial, numerics::streams::downstream_design);
  const matrix X = design_columns(p, idx);  // (N + M) x T
  const symmetric_eigen es(design_gram(X, idx, true));
  const matrix& V = es.vectors;
  const Eigen::VectorXd& D = es.values;
  const double m = double(c.T), tol = m * std::numeric_limits<double>::epsilon() * D.cwiseAbs().maxCoeff();
  matrix inv(c.T, L);  // 1/(D_j + T lambda_l), 0 on the pseudo-inverse's dropped directions
  for (long l = 0; l < L; ++l)
    for (long j = 0; j < c.T; ++j) {
      const double v = D(j) + m * c.lambdas[std::size_t(l)];
      inv(j, l) = v > tol ? 1 / v : 0.0;
    }
  matrix Y(c.T, G);
  for (long g = 0; g < G; ++g)
    for (long i = 0; i < c.T; ++i) Y(i, g) = F(idx[std::size_t(i)], g);
  const matrix B = multiply(V, Y, true);  // V^T y_g
  matrix C(c.T, G * L);
  for (long g = 0; g < G; ++g)
    for (long l = 0; l < L; ++l) C.col(g * L + l) = B.col(g).cwiseProduct(inv.col(l));
  const matrix E = multiply(X, multiply(V, C));  // (N + M) x GL: every fit at every pool and test input
  Eigen::VectorXd Pn = Eigen::VectorXd::Zero(c.T), Qn = Eigen::VectorXd::Zero(c.T);  // |K_pool,D v_j|^2/N, |K_test,D v_j|^2/M
  if (c.sigma2 > 0) {
    const matrix PQ = multiply(X, V);
    for (long j = 0; j < c.T; ++j) {
      Pn(j) = PQ.col(j).head(N).squaredNorm() / double(N);
      Qn(j) = PQ.col(j).tail(M).squaredNorm() / double(M);
    }
  }
  std::vector<double> pool_err, test_err;
  for (long g = 0; g < G; ++g)
    for (long l = 0; l < L; ++l) {
      const auto e = E.col(g * L + l);
      const Eigen::VectorXd inv2 = inv.col(l).cwiseAbs2();
      pool_err.push_back((e.head(N) - p.f_pool).squaredNorm() / double(N) + c.sigma2 * Pn.dot(inv2));
      test_err.push_back((e.tail(M) - p.f_test).squaredNorm() / double(M) + c.sigma2 * Qn.dot(inv2));
    }
  out.insert(out.end(), pool_err.begin(), pool_err.end());
  out.insert(out.end(), test_err.begin(), test_err.end());
  return out;
}

chain_moments run_chain(const problem& p, const chain_config& c) {
  check_chain(p, c);
  const auto t0 = clock_type::now();
  const std::clock_t cpu0 = std::clock();
  std::vector<std::vector<double>> values(c.trials);
  std::atomic<std::uint64_t> next{0};
  std::exception_ptr failure;  // the first error of any worker, rethrown here (never std::terminate)
  std::mutex failure_mutex;
  auto worker = [&] {
    try {
      for (std::uint64_t t; (t = next++) < c.trials;) values[t] = trial_values(p, c, t);
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = c.trials;  // the others stop at their next trial
    }
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(c.threads, unsigned(c.trials)));
  const blas_threads one(1);  // parallel over trials: each trial's decompositions on one thread
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
  chain_moments out;
  const std::size_t G = std::size_t(c.n + 1), L = c.lambdas.size();
  auto at = [&](std::size_t k) { return numerics::moments_of(c.trials, [&](std::uint64_t t) { return values[t][k]; }); };
  for (std::size_t g = 0; g < G; ++g) out.generator.push_back(at(g));
  out.pool.assign(G, {});
  out.test.assign(G, {});
  for (std::size_t g = 0; g < G; ++g)
    for (std::size_t l = 0; l < L; ++l) {
      out.pool[g].push_back(at(G + g * L + l));
      out.test[g].push_back(at(G + G * L + g * L + l));
    }
  out.seconds = since(t0);
  out.cpu_seconds = double(std::clock() - cpu0) / CLOCKS_PER_SEC;
  return out;
}

de_value de_risk(const empirical_spectrum& s, const spectrum_spec& spec, const chain_config& c, long n, double lambda) {
  const spectrum<double> sp(spec);
  variants::ridge_generator_params<double> q;
  q.T0 = double(c.T0);
  q.lambda0 = c.lambda0;
  q.n = double(n);
  q.sigma02 = c.sigma02;
  q.T = double(c.T);
  q.lambda = lambda;
  q.sigma2 = c.sigma2;
  const auto r = variants::ridge_generator_risk(sp, q);
  return {r.total + s.dropped_signal, r.generator_error + s.dropped_signal};
}

}  // namespace collapse::krr
