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
#include <condition_variable>
#include <ctime>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <set>
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
  if (p.f_pool.maxCoeff() == p.f_pool.minCoeff()) {  // centred, the target would be 0 on the whole pool: nothing to learn
    std::set<int> present;
    for (long i : pool_idx) present.insert(d.labels[std::size_t(i)]);
    throw domain_error("--target", cfg.target, fmt::format("a target that varies over the pool; the classes present in its N = {} samples are {}", cfg.N, fmt::join(present, ", ")),
                       cls >= 0 && !present.count(cls) ? fmt::format("no pool sample is of class {}", cls)
                                                       : "every pool sample has the same target value");
  }
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

std::vector<long> draw_indices(long count, long N, std::uint64_t seed, std::uint64_t trial, std::uint32_t stream) {
  numerics::philox_stream s(seed, trial, stream);
  std::vector<long> idx(static_cast<std::size_t>(count));
  for (auto& i : idx) i = static_cast<long>(s.uniform() * double(N));
  return idx;
}

/// A draw of m pool indices (iid, with replacement) as its s distinct points. Kernel ridge on the draw is
/// kernel ridge on the distinct points with multiplicities: with P the m x s incidence matrix (P_ia = 1 iff
/// draw i is point a) and C = P^T P = diag(counts), the draw's Gram matrix is K_D = P K_S P^T, and for mu > 0
///   P^T (K_D + mu I)^-1 = C^1/2 (K' + mu I)^-1 C^-1/2 P^T,   K' = C^1/2 K_S C^1/2  (s x s)
/// (push-through: P^T (P K_S P^T + mu I) = (C K_S + mu I) P^T). So the predictor k_{x,D}^T (K_D + mu I)^-1 y is
/// k_{x,S}^T C^1/2 (K' + mu I)^-1 C^-1/2 P^T y, P^T y holding each point's label sum. K_D = Q K' Q^T with
/// Q = P C^-1/2 (orthonormal columns): K_D's nonzero eigenvalues are K''s and its other m - s are 0, so the
/// pseudo-inverse (mu = 0) is the same formula with K'^+ under the same threshold. Exact, not an
/// approximation; the s x s problem costs (s/m)^3 of the m x m one (s ~ 0.885 m at m = N/4).
struct distinct_draw {
  std::vector<long> points;  // the distinct pool indices S, ascending
  std::vector<long> slot;    // draw i is points[slot[i]]
  std::vector<long> rest;    // the pool indices not drawn, ascending
  Eigen::VectorXd root;      // sqrt(count) of each point
  long size() const { return long(points.size()); }
};

distinct_draw distinct_points(const std::vector<long>& idx, long N) {
  std::vector<long> count(static_cast<std::size_t>(N), 0), position(static_cast<std::size_t>(N), -1);
  for (long i : idx) ++count[std::size_t(i)];
  distinct_draw d;
  for (long i = 0; i < N; ++i) {
    if (count[std::size_t(i)] == 0) {
      d.rest.push_back(i);
      continue;
    }
    position[std::size_t(i)] = long(d.points.size());
    d.points.push_back(i);
  }
  d.root.resize(d.size());
  for (long a = 0; a < d.size(); ++a) d.root(a) = std::sqrt(double(count[std::size_t(d.points[std::size_t(a)])]));
  d.slot.reserve(idx.size());
  for (long i : idx) d.slot.push_back(position[std::size_t(i)]);
  return d;
}

/// K' = C^1/2 K_S C^1/2 (s x s), read from K_pool one column at a time (cache-resident).
matrix scaled_gram(const matrix& K_pool, const distinct_draw& d) {
  const long s = d.size();
  matrix K(s, s);
  for (long b = 0; b < s; ++b) {
    const auto col = K_pool.col(d.points[std::size_t(b)]);
    for (long a = 0; a < s; ++a) K(a, b) = d.root(a) * col(d.points[std::size_t(a)]) * d.root(b);
  }
  return K;
}

/// The generator's coefficients on its distinct points, alpha = C^1/2 (K' + m lambda I)^+ b with b = C^-1/2 P^T y,
/// so that f(x) = k_{x,S}^T alpha (see distinct_draw). lambda > 0: Cholesky (LAPACK dpotrf); lambda = 0 or not
/// numerically positive definite: pseudo-inverse from dsyevd, eigenvalues below m eps max dropped -- m the
/// draw's size, K_D's threshold.
Eigen::VectorXd fit(const matrix& K, Eigen::VectorXd b, double lambda, double m, const Eigen::VectorXd& root) {
  if (lambda > 0) {
    matrix A = K;
    A.diagonal().array() += m * lambda;
    Eigen::VectorXd z = b;
    if (cholesky_solve(std::move(A), z)) return z.cwiseProduct(root);
  }
  const symmetric_eigen es(K);
  const Eigen::VectorXd& D = es.values;
  const double tol = m * std::numeric_limits<double>::epsilon() * D.cwiseAbs().maxCoeff();
  b = es.vectors.transpose() * b;
  for (Eigen::Index j = 0; j < b.size(); ++j) b(j) = D(j) + m * lambda > tol ? b(j) / (D(j) + m * lambda) : 0.0;
  return (es.vectors * b).cwiseProduct(root);
}

/// k(x, x_S) at the pool inputs not drawn (d.rest), then at every test input: ((N - s) + M) x s. Contiguous
/// column copies from K_pool and K_test: no kernel value is ever recomputed.
matrix undrawn_columns(const problem& p, const distinct_draw& d) {
  const long R = long(d.rest.size()), M = p.M(), s = d.size();
  matrix X(R + M, s);
  for (long b = 0; b < s; ++b) {
    const long j = d.points[std::size_t(b)];
    const auto col = p.K_pool.col(j);
    double* x = X.col(b).data();
    for (long r = 0; r < R; ++r) x[r] = col(d.rest[std::size_t(r)]);
    X.col(b).tail(M) = p.K_test.col(j);
  }
  return X;
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
    const distinct_draw d = distinct_points(idx, N);
    numerics::philox_stream noise(c.seed, trial, numerics::streams::chain_noise(int(k)));
    Eigen::VectorXd b = Eigen::VectorXd::Zero(d.size());  // P^T y, then C^-1/2 P^T y
    const double s0 = std::sqrt(c.sigma02);
    for (long i = 0; i < c.T0; ++i) b(d.slot[std::size_t(i)]) += F(idx[std::size_t(i)], k - 1) + s0 * noise.normal();
    b = b.cwiseQuotient(d.root);
    const Eigen::VectorXd alpha = fit(scaled_gram(p.K_pool, d), std::move(b), c.lambda0, double(c.T0), d.root);
    // f_k = K_pool[:, S] alpha, one column at a time: each pool column is read once and f_k stays in
    // cache (memory-bound; gathering the N x s columns first would write and read them again)
    F.col(k).setZero();
    for (long a = 0; a < d.size(); ++a) F.col(k) += alpha(a) * p.K_pool.col(d.points[std::size_t(a)]);
    out.push_back((F.col(k) - p.f_pool).squaredNorm() / double(N));
  }
  // Downstream: one design, reduced to its s distinct points (distinct_draw), and one eigendecomposition
  // K' = U diag(D) U^T serve every generation and lambda. With U~ = C^1/2 U, the fit for (g, l) has the
  // coefficients a = U~ diag(1/(D + T lambda_l)) U^T C^1/2 f_g(S) on S, so all G L of them are one s x GL
  // matrix A = U~ Cm. Its predictions at the pool inputs not drawn and at the test inputs are one product
  // X_R A; at a drawn point S_a they need no product: K_S C^1/2 U = C^-1/2 K' U = C^-1/2 U diag(D), so there
  // they are C^-1/2 U diag(D) Cm. The Rao-Blackwellised noise term needs |k_{x,S}^T U~_j|^2 summed over the
  // inputs (C^-1/2 P^T eps has covariance sigma2 I): one product W = X_R U~ (skipped when sigma2 = 0 or the
  // noise is sampled), and for the drawn points D_j^2 sum_a U_aj^2 / c_a.
  const auto idx = draw_indices(c.T, N, c.seed, trial, numerics::streams::downstream_design);
  const distinct_draw d = distinct_points(idx, N);
  const long s = d.size(), R = long(d.rest.size());
  const matrix X = undrawn_columns(p, d);  // (N - s + M) x s
  const symmetric_eigen es(scaled_gram(p.K_pool, d));
  const matrix& U = es.vectors;
  const Eigen::VectorXd& D = es.values;
  const double m = double(c.T), tol = m * std::numeric_limits<double>::epsilon() * D.cwiseAbs().maxCoeff();
  matrix inv(s, L);  // 1/(D_j + T lambda_l), 0 on the pseudo-inverse's dropped directions
  for (long l = 0; l < L; ++l)
    for (long j = 0; j < s; ++j) {
      const double v = D(j) + m * c.lambdas[std::size_t(l)];
      inv(j, l) = v > tol ? 1 / v : 0.0;
    }
  Eigen::VectorXd noise_sum = Eigen::VectorXd::Zero(s);  // C^-1/2 P^T eps when the noise is sampled (else 0)
  if (c.sampled_noise && c.sigma2 > 0) {
    numerics::philox_stream noise(c.seed, trial, numerics::streams::downstream_noise);
    const double sd = std::sqrt(c.sigma2);
    for (long i = 0; i < c.T; ++i) noise_sum(d.slot[std::size_t(i)]) += sd * noise.normal();
    noise_sum = noise_sum.cwiseQuotient(d.root);
  }
  matrix Y(s, G);  // C^-1/2 P^T y_g = C^1/2 f_g(S) (+ C^-1/2 P^T eps when sampled; integrated: clean labels)
  for (long g = 0; g < G; ++g)
    for (long a = 0; a < s; ++a) Y(a, g) = d.root(a) * F(d.points[std::size_t(a)], g) + noise_sum(a);
  const matrix B = multiply(U, Y, true);  // U^T C^1/2 f_g(S)
  matrix Cm(s, G * L);
  for (long g = 0; g < G; ++g)
    for (long l = 0; l < L; ++l) Cm.col(g * L + l) = B.col(g).cwiseProduct(inv.col(l));
  const matrix Ut = d.root.asDiagonal() * U;  // C^1/2 U
  const matrix E = multiply(X, multiply(Ut, Cm));  // (N - s + M) x GL: every fit at the undrawn pool and the test inputs
  const matrix ES = d.root.cwiseInverse().asDiagonal() * multiply(U, D.asDiagonal() * Cm);  // s x GL: at the drawn points
  Eigen::VectorXd Pn = Eigen::VectorXd::Zero(s), Qn = Eigen::VectorXd::Zero(s);  // |K_pool,S U~_j|^2/N, |K_test,S U~_j|^2/M
  if (c.sigma2 > 0 && !c.sampled_noise) {
    const matrix W = multiply(X, Ut);
    const Eigen::VectorXd drawn = U.cwiseAbs2().transpose() * d.root.cwiseAbs2().cwiseInverse();  // sum_a U_aj^2 / c_a
    for (long j = 0; j < s; ++j) {
      Pn(j) = (W.col(j).head(R).squaredNorm() + D(j) * D(j) * drawn(j)) / double(N);
      Qn(j) = W.col(j).tail(M).squaredNorm() / double(M);
    }
  }
  Eigen::VectorXd f_rest(R), f_drawn(s);
  for (long r = 0; r < R; ++r) f_rest(r) = p.f_pool(d.rest[std::size_t(r)]);
  for (long a = 0; a < s; ++a) f_drawn(a) = p.f_pool(d.points[std::size_t(a)]);
  std::vector<double> pool_err, test_err;
  for (long g = 0; g < G; ++g)
    for (long l = 0; l < L; ++l) {
      const auto e = E.col(g * L + l);
      const Eigen::VectorXd inv2 = inv.col(l).cwiseAbs2();
      const double pool_sq = (e.head(R) - f_rest).squaredNorm() + (ES.col(g * L + l) - f_drawn).squaredNorm();
      pool_err.push_back(pool_sq / double(N) + c.sigma2 * Pn.dot(inv2));
      test_err.push_back((e.tail(M) - p.f_test).squaredNorm() / double(M) + c.sigma2 * Qn.dot(inv2));
    }
  out.insert(out.end(), pool_err.begin(), pool_err.end());
  out.insert(out.end(), test_err.begin(), test_err.end());
  return out;
}

chain_moments run_chain(const problem& p, const chain_config& c, const chain_progress& progress) {
  check_chain(p, c);
  const auto t0 = clock_type::now();
  const std::clock_t cpu0 = std::clock();
  std::vector<std::vector<double>> values(c.trials);
  std::atomic<std::uint64_t> next{0}, done{0};
  std::exception_ptr failure;  // the first error of any worker (or of the callback), rethrown here (never std::terminate)
  std::mutex mutex;            // guards failure, finished; signals the reporting thread
  std::condition_variable changed;
  unsigned finished = 0;
  auto fail = [&](std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!failure) failure = e;
    next = c.trials;  // the workers stop at their next trial
  };
  auto worker = [&] {
    try {
      for (std::uint64_t t; (t = next++) < c.trials;) {
        values[t] = trial_values(p, c, t);
        ++done;
        changed.notify_one();
      }
    } catch (...) {
      fail(std::current_exception());
    }
    std::lock_guard<std::mutex> lock(mutex);
    ++finished;
    changed.notify_one();
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(c.threads, unsigned(c.trials)));
  const blas_threads one(1);  // parallel over trials: each trial's decompositions on one thread
  std::vector<std::thread> pool;
  for (unsigned i = progress ? 0 : 1; i < threads; ++i) pool.emplace_back(worker);
  if (!progress) {
    worker();
  } else {
    std::unique_lock<std::mutex> lock(mutex);
    while (finished < pool.size()) {
      changed.wait_for(lock, std::chrono::milliseconds(100));
      lock.unlock();
      try {
        progress(done.load(), c.trials);
      } catch (...) {
        fail(std::current_exception());
      }
      lock.lock();
    }
  }
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
  if (progress) progress(c.trials, c.trials);
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
  de_value v{r.total + s.dropped_signal, r.generator_error + s.dropped_signal, {}};
  if (n >= 1) {  // f_0 = f* involves no generator
    const double N = double(s.eig.size()) + double(s.dropped), k0 = r.kappa0.kappa;
    double df2 = 0;
    for (double l : s.eig) df2 += (l / (l + k0)) * (l / (l + k0));
    const double distinct = -N * std::expm1(double(c.T0) * std::log1p(-1 / N));  // N (1 - (1 - 1/N)^T0)
    if (df2 > distinct)
      v.unreliable = fmt::format(
          "the DE does not apply: its generator uses df2(kappa0) = {:.4g} effective directions, more than the {:.4g} distinct inputs "
          "expected among T0 = {} draws from the N = {} pool points; it counts repeated draws as new samples and nears its "
          "interpolation threshold (D0 = T0 - df2 = {:.3g}; -> 0 as lambda0 -> 0 when T0 >= d), which the real chain never reaches",
          df2, distinct, c.T0, s.eig.size() + std::size_t(s.dropped), r.D0);
  }
  return v;
}

}  // namespace collapse::krr
