// numerics/scalable_engine.hpp -- the two scalable exact paths of the fast engine (issue 9; theory
// document §8.7), generic over Real. Implementation detail of simulation_engine.hpp's
// make_trial_runner; which configurations take them is numerics::resolve_path (numerics/fast_path.cpp).
//
// Both are Rao–Blackwell estimators that condition on less than the general path: the label noise of
// the chain and of the downstream fit and the chain's designs are integrated analytically (an
// under-parameterised chain, T0 >= d + 2, is an unbiased walk with E δ_kδ_kᵀ = c_k Σ⁻¹,
// c_k = k σ0²/(T0 − d − 1), §2.1), so the value of a trial is E[err | downstream design] -- same mean
// as every other estimator of the project, never a larger variance. Only the downstream design is
// drawn, from stream 0 of (seed, trial).
//
// \test tests/numerics/test_scalable_paths.cpp
#pragma once

#include "numerics/eigen_real.hpp"
#include "numerics/random.hpp"
#include "numerics/simulate.hpp"
#include "numerics/trial_runner.hpp"

#include <Eigen/Eigenvalues>

#include <limits>
#include <vector>

namespace collapse::numerics::detail {

/// Problem data shared by the scalable paths (converted once to Real).
template <class Real> struct scalable_problem {
  long d = 0, T = 0;
  int n = 0;
  vector<Real> eig, w0;        // Σ = diag(eig) and w0 in its eigenbasis (dual path)
  Real w0norm2 = 0;            // ‖w0‖² (isotropic path)
  std::vector<Real> lambda;
  Real sigma2 = 0;
  Real chain_step = 0;         // σ0²/(T0 − d − 1): c_k = k·chain_step (0 without a noisy chain)
  bool record_design_trace = false;
  trial_layout layout;
  std::uint64_t seed = 0;
};

/// Isotropic Σ = I (§8.7). The eigenvalues of ZᵀZ, Z ∈ R^{T×d} with iid N(0,1) entries, are those of
/// BBᵀ with B lower bidiagonal, B_ii ~ χ_{p−i+1} (i = 1..m) and B_{i+1,i} ~ χ_{m−i} (i = 1..m−1),
/// m = min(T, d), p = max(T, d), all independent (Dumitriu & Edelman 2002, β = 1; for T < d the T nonzero
/// eigenvalues, the other d − T are 0). BBᵀ is tridiagonal: diagonal B_ii² + B_{i,i−1}², off-diagonal
/// B_{i+1,i}B_ii; its eigenvalues by Eigen's symmetric tridiagonal QR (eigenvalues only, O(m²)).
/// With s_i the eigenvalues of S = ZᵀZ/T (d − m of them 0), averaged over the Haar eigenvectors of S
/// (rotation invariance), the noises and the chain, generation k's error at λ is
///   (‖w0‖²/d) Σ_i (λ/(s_i+λ))² + c_k Σ_i (s_i/(s_i+λ))² + (σ²/T) Σ_i s_i/(s_i+λ)²,
/// with λ = 0 the pseudo-inverse (each s_i = 0 contributes ‖w0‖²/d to the bias and nothing else).
/// Cost O(m) variates and O(m²) work per trial for the whole λ grid and every generation; memory O(m).
template <class Real> class isotropic_spectral_engine final : public trial_runner {
public:
  explicit isotropic_spectral_engine(scalable_problem<Real> p) : p_(std::move(p)) {}

  void run(std::uint64_t trial, double* out) override {
    philox_stream rng(p_.seed, trial, streams::downstream_design);
    const long m = std::min(p_.T, p_.d), big = std::max(p_.T, p_.d);
    vector<Real> diag(m), sub(std::max<long>(m - 1, 0));
    Real below = 0;  // B_{i,i−1}² of the current row
    for (long i = 0; i < m; ++i) {
      const Real a2 = Real(rng.chi_square(double(big - i)));        // B_ii² ~ χ²_{p−i} (0-based i)
      diag[i] = a2 + below;
      if (i + 1 < m) {
        const Real b2 = Real(rng.chi_square(double(m - 1 - i)));    // B_{i+1,i}² ~ χ²_{m−1−i}
        sub[i] = sqrt_(a2 * b2);
        below = b2;
      }
    }
    Eigen::SelfAdjointEigenSolver<matrix<Real>> es;
    es.computeFromTridiagonal(diag, sub, Eigen::EigenvaluesOnly);
    // Same numerical-rank rule as the general path: eigenvalues at or below d·ε·s_max count as zero.
    const auto& ev = es.eigenvalues();
    const Real tol = ev[m - 1] * Real(p_.d) * std::numeric_limits<Real>::epsilon();
    long zeros = p_.d - m;
    std::vector<Real> s;
    s.reserve(m);
    for (long i = 0; i < m; ++i) {
      if (ev[i] <= tol) ++zeros;
      else s.push_back(ev[i] / Real(p_.T));
    }
    const std::size_t L = p_.lambda.size();
    for (std::size_t l = 0; l < L; ++l) {
      const Real& lam = p_.lambda[l];
      Real bias = Real(zeros), fit = 0, noise = 0;  // Σ (λ/(s+λ))², Σ (s/(s+λ))², Σ s/(s+λ)²
      for (const Real& si : s) {
        const Real t = si + lam;
        bias += (lam / t) * (lam / t);
        fit += (si / t) * (si / t);
        noise += si / (t * t);
      }
      const Real base = p_.w0norm2 / Real(p_.d) * bias + p_.sigma2 / Real(p_.T) * noise;
      for (int k = 0; k <= p_.n; ++k)
        out[p_.layout.downstream_offset + k * L + l] = static_cast<double>(base + Real(k) * p_.chain_step * fit);
      if (p_.record_design_trace) out[p_.layout.trace_offset + l] = static_cast<double>(fit);  // tr A² = tr[ΣAΣ⁻¹A]
    }
  }

private:
  scalable_problem<Real> p_;
  static Real sqrt_(const Real& x) {
    using std::sqrt;
    using boost::multiprecision::sqrt;
    return sqrt(x);
  }
};

/// T < d, Σ = diag(λ_j) (§8.7 dual form). X = ZΣ^{1/2} ∈ R^{T×d} is drawn exactly as the general path
/// draws it (stream 0, row by row). The dual form works in the T-dimensional row space of X: with the
/// thin SVD X = U D Vᵀ (V ∈ R^{d×T}, μ_i = D_i²; numerical rank r by the general path's rule) the ridge
/// fit's A = Xᵀ(XXᵀ + TλI)⁻¹X = V diag(a) Vᵀ, a_i = μ_i/(μ_i + Tλ) (λ = 0: the pseudo-inverse, a_i = 1
/// on the rank), and
///   bias     ‖(A − I)w0‖²_Σ = Σ_j λ_j ((V (a ∘ Vᵀw0))_j − w0_j)²,
///   noise    σ² tr(XᵀG²XΣ) = σ² Σ_i a_i²/μ_i · h_i,  h_i = (VᵀΣV)_ii = Σ_j λ_j V_ji²,
///   collapse c_k tr(AΣAΣ⁻¹) = c_k aᵀ[(VᵀΣV) ∘ (VᵀΣ⁻¹V)]a   (Σ⁻¹ acts on V's columns, never formed).
/// Every term is a sum of non-negative parts formed from V and D directly. (The first version of this
/// path eigendecomposed the Gram matrix K = XXᵀ and weighted by 1/μ_i² the diagonal of UᵀXΣXᵀU, whose
/// rounding error ε‖K‖² is far above μ_i² when Σ is ill-conditioned: at β = 4, d = 400, T = 300, λ = 0 it
/// returned negative mean errors. The SVD of X itself has absolute error ε‖X‖ in D, not ε‖X‖² in μ.)
/// Cost O(T²d) per trial (the SVD and two T×T products over d) for the whole grid and every generation;
/// memory 3Td + 3T² entries.
template <class Real> class dual_gram_engine final : public trial_runner {
public:
  explicit dual_gram_engine(scalable_problem<Real> p) : p_(std::move(p)) {
    sqrt_eig_ = p_.eig.cwiseSqrt();
    inv_sqrt_eig_ = sqrt_eig_.cwiseInverse();
  }

  void run(std::uint64_t trial, double* out) override {
    philox_stream rng(p_.seed, trial, streams::downstream_design);
    const long T = p_.T, d = p_.d;
    X_.resize(T, d);
    for (long i = 0; i < T; ++i)
      for (long j = 0; j < d; ++j) X_(i, j) = Real(rng.normal()) * sqrt_eig_[j];
    thin_svd<Real> svd(X_, Eigen::ComputeThinV);
    const vector<Real>& D = svd.singularValues();
    // Numerical rank as in the general path: singular values below max(T, d)·ε·D_max are zero.
    const Real tol = D.size() ? D[0] * Real(std::max(T, d)) * std::numeric_limits<Real>::epsilon() : Real(0);
    long r = 0;
    while (r < D.size() && D[r] > tol) ++r;
    const vector<Real> mu = D.head(r).cwiseAbs2();
    W_ = sqrt_eig_.asDiagonal() * svd.matrixV().leftCols(r);  // Σ^{1/2} V
    const matrix<Real> S = W_.transpose() * W_;               // VᵀΣV
    matrix<Real> H;  // (VᵀΣV) ∘ (VᵀΣ⁻¹V), the collapse and design-trace kernel: only when needed
    if ((p_.n > 0 && p_.chain_step != 0) || p_.record_design_trace) {
      W_ = inv_sqrt_eig_.asDiagonal() * svd.matrixV().leftCols(r);  // Σ^{−1/2} V
      H = S.cwiseProduct(W_.transpose() * W_);
    }
    const vector<Real> u = svd.matrixV().leftCols(r).transpose() * p_.w0;  // Vᵀw0
    vector<Real> a(r);
    const std::size_t L = p_.lambda.size();
    for (std::size_t l = 0; l < L; ++l) {
      const Real tl = Real(T) * p_.lambda[l];
      for (long i = 0; i < r; ++i) a[i] = mu[i] / (mu[i] + tl);
      const vector<Real> v = svd.matrixV().leftCols(r) * a.cwiseProduct(u);  // A w0
      const Real bias = p_.eig.dot((v - p_.w0).cwiseAbs2());
      Real noise = 0;
      for (long i = 0; i < r; ++i) noise += a[i] * a[i] / mu[i] * S(i, i);
      noise *= p_.sigma2;
      const Real trace = H.size() ? a.dot(H * a) : Real(0);
      for (int k = 0; k <= p_.n; ++k)
        out[p_.layout.downstream_offset + k * L + l] = static_cast<double>(bias + noise + Real(k) * p_.chain_step * trace);
      if (p_.record_design_trace) out[p_.layout.trace_offset + l] = static_cast<double>(trace);
    }
  }

private:
  scalable_problem<Real> p_;
  vector<Real> sqrt_eig_, inv_sqrt_eig_;
  matrix<Real> X_, W_;  // reused across trials (T×d and d×T)
};

}  // namespace collapse::numerics::detail
