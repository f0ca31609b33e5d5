// harness/mc_engine.cpp -- see mc_engine.hpp.
#include "harness/mc_engine.hpp"

#include "theory/errors.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <thread>

namespace collapse::verify {

namespace {

using Mat = Eigen::MatrixXd;
using Vec = Eigen::VectorXd;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

struct trial_rng {
  std::mt19937_64 eng;
  std::normal_distribution<double> normal{0.0, 1.0};
  explicit trial_rng(std::uint64_t seed) : eng(seed) {}
  double z() { return normal(eng); }
  double chi2(double k) { return std::chi_squared_distribution<double>(k)(eng); }
};

/// Lower-triangular L with L Lᵀ ~ Σ^{1/2} W Σ^{1/2}, W ~ Wishart(I_d, m), m ≥ d (Bartlett).
Mat bartlett_factor(const Vec& sqrt_eig, long m, trial_rng& g) {
  const long d = sqrt_eig.size();
  Mat B = Mat::Zero(d, d);
  for (long i = 0; i < d; ++i) {
    B(i, i) = std::sqrt(g.chi2(static_cast<double>(m - i)));
    for (long j = 0; j < i; ++j) B(i, j) = g.z();
  }
  return sqrt_eig.asDiagonal() * B;
}

/// Explicit m×d design with rows N(0, Σ).
Mat gaussian_design(const Vec& sqrt_eig, long m, trial_rng& g) {
  const long d = sqrt_eig.size();
  Mat X(m, d);
  for (long j = 0; j < d; ++j)
    for (long i = 0; i < m; ++i) X(i, j) = g.z() * sqrt_eig(j);
  return X;
}

void check_sizes(const mc_config& c) {
  const long d = static_cast<long>(c.eig.size());
  if (d < 1) throw domain_error("d", "0", "d >= 1");
  if (c.w0.size() != c.eig.size()) throw domain_error("w0", std::to_string(c.w0.size()) + " entries", std::to_string(d) + " entries");
  const int nmax = c.n.empty() ? 0 : *std::max_element(c.n.begin(), c.n.end());
  if (nmax > 0 && c.T0 >= d - 1 && c.T0 <= d + 1)
    throw domain_error("T0", std::to_string(c.T0), "T0 <= d - 2 or T0 >= d + 2 (d = " + std::to_string(d) + ")",
                       "the chain's moments are infinite at T0 in {d-1, d, d+1}");
  if (c.T > 0 && c.T >= d - 1 && c.T <= d + 1)
    for (double l : c.lambdas)
      if (l == 0) throw domain_error("T", std::to_string(c.T), "T <= d - 2 or T >= d + 2 when lambda = 0", "the ridgeless variance is infinite");
  if (c.rao_blackwell_chain && nmax > 0 && c.T0 < d + 2)
    throw domain_error("estimator", "rao-blackwell-chain", "an under-parameterised chain (T0 >= d + 2 = " + std::to_string(d + 2) + ")",
                       "the over-parameterised chain is not linear in w0 with a Gaussian increment; use estimator = \"rao-blackwell\"");
  if (c.trials < 2) throw domain_error("trials", std::to_string(c.trials), "trials >= 2");
  for (std::size_t i = 1; i < c.n.size(); ++i)
    if (c.n[i] <= c.n[i - 1]) throw domain_error("n", "not ascending", "distinct generations in ascending order");
}

void one_trial(const mc_config& c, const Vec& eig, const Vec& sqrt_eig, const Vec& w0, long t, mc_samples& out) {
  trial_rng g(splitmix64(c.seed ^ splitmix64(static_cast<std::uint64_t>(t) + 0x5bd1e995ULL)));
  const long d = eig.size();
  const std::size_t N = c.n.size(), L = c.lambdas.size();
  // --- the generator chain ---
  std::vector<Vec> recorded;
  std::vector<Mat> covs;  // C_{n_i} = Σ_{k ≤ n_i} (X_kᵀX_k)⁻¹   (rao_blackwell_chain)
  recorded.reserve(N);
  Vec w = w0;
  Mat C = Mat::Zero(c.rao_blackwell_chain ? d : 0, c.rao_blackwell_chain ? d : 0);
  int k = 0;
  for (std::size_t i = 0; i < N; ++i) {
    for (; k < c.n[i]; ++k) {
      if (c.T0 >= d + 2) {
        Mat Lf = bartlett_factor(sqrt_eig, c.T0, g);
        if (c.rao_blackwell_chain) {
          Mat Linv = Lf.triangularView<Eigen::Lower>().solve(Mat::Identity(d, d));
          C.noalias() += Linv.transpose() * Linv;  // (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹
        } else {
          Vec xi(d);
          for (long j = 0; j < d; ++j) xi(j) = g.z();
          w += c.sigma0 * Lf.transpose().triangularView<Eigen::Upper>().solve(xi);
        }
      } else {
        Mat X = gaussian_design(sqrt_eig, c.T0, g);
        Vec v = X * w;
        for (long j = 0; j < c.T0; ++j) v(j) += c.sigma0 * g.z();
        Mat M = X * X.transpose();
        w = X.transpose() * M.llt().solve(v);
      }
    }
    recorded.push_back(w);
    if (c.rao_blackwell_chain) {
      covs.push_back(C);
      out.generator[t * N + i] = c.sigma0 * c.sigma0 * C.diagonal().dot(eig);  // σ0² tr(Σ C_n)
    } else {
      Vec e = w - w0;
      out.generator[t * N + i] = e.dot(eig.cwiseProduct(e));
    }
  }
  if (c.T <= 0) return;
  // --- the downstream design, diagonalised once for every λ ---
  // T ≥ d: S = L Lᵀ/T from the Bartlett factor, diagonalised in full (r = d).
  // T < d: only the r = T nonzero eigenpairs matter (A and R S R vanish on the null space of S);
  // they come from the T×T Gram matrix G = XXᵀ/T = U diag(μ) Uᵀ as V = Xᵀ U diag(1/√(Tμ)).
  Mat V;
  Vec mu;
  if (c.T >= d) {
    Mat Lf = bartlett_factor(sqrt_eig, c.T, g);
    Eigen::SelfAdjointEigenSolver<Mat> es((Lf * Lf.transpose()) / static_cast<double>(c.T));
    mu = es.eigenvalues();
    V = es.eigenvectors();
  } else {
    Mat X = gaussian_design(sqrt_eig, c.T, g);
    Eigen::SelfAdjointEigenSolver<Mat> es((X * X.transpose()) / static_cast<double>(c.T));
    mu = es.eigenvalues();
    V = X.transpose() * es.eigenvectors();
    for (long kk = 0; kk < c.T; ++kk) V.col(kk) /= std::sqrt(static_cast<double>(c.T) * std::max(mu(kk), 1e-300));
  }
  const long r = V.cols();
  const bool full_basis = r == d;
  const double tol = static_cast<double>(d) * std::max(mu.maxCoeff(), 0.0) * std::ldexp(1.0, -40);
  Vec sigmaVV(r);  // (VᵀΣV)_kk
  for (long kk = 0; kk < r; ++kk) sigmaVV(kk) = V.col(kk).cwiseAbs2().dot(eig);
  std::vector<Vec> coords;  // Vᵀŵ_{n_i}
  if (!c.rao_blackwell_chain)
    for (const auto& wi : recorded) coords.push_back(V.transpose() * wi);
  // rao_blackwell_chain: Σ_j w0_j² [(A−I)Σ(A−I)]_jj = hᵀ(W∘P)h − 2 hᵀq + Σ_j w0_j² λ_j, with
  // W = VᵀΣV, P = Vᵀdiag(w0²)V, q_k = Σ_j w0_j² λ_j V_jk²  (on a full basis: (h−1)ᵀ(W∘P)(h−1));
  // σ0² tr[AΣA C_n] = σ0² hᵀ(W∘K_n)h, K_n = Vᵀ C_n V.
  Mat WP;
  Vec q;
  double signal = 0;
  std::vector<Mat> WK;
  if (c.rao_blackwell_chain) {
    Mat W = V.transpose() * eig.asDiagonal() * V;
    Vec w2 = w0.cwiseAbs2();
    Mat P = V.transpose() * w2.asDiagonal() * V;
    WP = W.cwiseProduct(P);
    q = V.cwiseAbs2().transpose() * w2.cwiseProduct(eig);
    signal = w2.dot(eig);
    for (const auto& Cn : covs) WK.push_back(W.cwiseProduct(V.transpose() * Cn * V));
  }
  Mat M1, M2;
  if (c.design_trace) {
    M1 = V.transpose() * eig.asDiagonal() * V;
    M2 = V.transpose() * eig.cwiseInverse().asDiagonal() * V;
    M1 = M1.cwiseProduct(M2);  // tr[ΣAΣ⁻¹A] = Σ_kl h_k h_l (VᵀΣV)_kl (VᵀΣ⁻¹V)_lk
  }
  const double s2T = c.sigma * c.sigma / static_cast<double>(c.T);
  Vec h(r);
  for (std::size_t l = 0; l < L; ++l) {
    const double lam = c.lambdas[l];
    double var = 0;
    for (long kk = 0; kk < r; ++kk) {
      if (lam == 0) {  // pseudo-inverse: A = projector on the row space, R S R = S⁺
        const bool on = mu(kk) > tol;
        h(kk) = on ? 1.0 : 0.0;
        if (on) var += sigmaVV(kk) / mu(kk);
      } else {
        const double m = std::max(mu(kk), 0.0);
        h(kk) = m / (m + lam);
        var += sigmaVV(kk) * m / ((m + lam) * (m + lam));
      }
    }
    var *= s2T;
    if (c.rao_blackwell_chain) {
      double bias;
      if (full_basis) {
        const Vec hm1 = h.array() - 1.0;
        bias = hm1.dot(WP * hm1);
      } else {
        bias = std::max(0.0, h.dot(WP * h) - 2 * h.dot(q) + signal);
      }
      const double s02 = c.sigma0 * c.sigma0;
      for (std::size_t i = 0; i < N; ++i) out.downstream[(t * N + i) * L + l] = bias + s02 * h.dot(WK[i] * h) + var;
    } else {
      for (std::size_t i = 0; i < N; ++i) {
        Vec u = V * h.cwiseProduct(coords[i]) - w0;
        out.downstream[(t * N + i) * L + l] = u.dot(eig.cwiseProduct(u)) + var;
      }
    }
    if (c.design_trace) out.trace[t * L + l] = h.dot(M1 * h);
  }
}

}  // namespace

mc_samples run_mc(const mc_config& c) {
  check_sizes(c);
  auto t0 = std::chrono::steady_clock::now();
  const long d = static_cast<long>(c.eig.size());
  Vec eig(d), sq(d), w0(d);
  for (long j = 0; j < d; ++j) {
    if (!(c.eig[j] > 0)) throw domain_error("eig", std::to_string(c.eig[j]), "eig > 0");
    eig(j) = c.eig[j];
    sq(j) = std::sqrt(c.eig[j]);
    w0(j) = c.w0[j];
  }
  mc_samples out;
  out.trials = c.trials;
  out.N = c.n.size();
  out.L = c.lambdas.size();
  out.generator.assign(c.trials * out.N, 0.0);
  if (c.T > 0) out.downstream.assign(c.trials * out.N * out.L, 0.0);
  if (c.design_trace) out.trace.assign(c.trials * out.L, 0.0);
  const int threads = std::max(1, std::min<int>(c.threads, static_cast<int>(c.trials)));
  auto work = [&](int id) {
    for (long t = id; t < c.trials; t += threads) one_trial(c, eig, sq, w0, t, out);
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) pool.emplace_back(work, i);
    for (auto& th : pool) th.join();
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

mean_se mean_and_se(long trials, const std::function<double(long)>& f) {
  // two-pass (mean, then centred sum of squares), in trial order: thread-count independent
  double s = 0;
  for (long t = 0; t < trials; ++t) s += f(t);
  const double m = s / static_cast<double>(trials);
  double ss = 0;
  for (long t = 0; t < trials; ++t) {
    double x = f(t) - m;
    ss += x * x;
  }
  mean_se r;
  r.mean = m;
  r.count = trials;
  r.se = trials > 1 ? std::sqrt(ss / static_cast<double>(trials - 1) / static_cast<double>(trials)) : 0.0;
  return r;
}

}  // namespace collapse::verify
