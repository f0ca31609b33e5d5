// numerics/scalable_engine.hpp -- the two scalable exact paths of the fast engine (issue 9; theory
// document §8.7), generic over Real. Implementation detail of simulation_engine.hpp's
// make_trial_runner; which configurations take them is numerics::resolve_path (numerics/fast_path.cpp).
//
// Both are Rao–Blackwell estimators: the label noise of the chain and of the downstream fit is integrated
// analytically. An under-parameterised chain is an unbiased walk, ŵ_k = w0 + δ_k, and given its designs
// δ_k ~ N(0, c_k Σ⁻¹) in distribution, so a trial's value is linear in c_k. Two treatments of c_k
// (chain_kind, numerics/simulate.hpp):
//   integrated -- c_k = k σ0²/(T0 − d − 1), the inverse-Wishart mean (§2.1, T0 >= d + 2): the value is
//                 E[err | downstream design], nothing of the chain is drawn; it presupposes that factor;
//   sampled    -- c_k = σ0² Σ_{i<=k} 1/g_i, g_i ~ χ²_{T0−d+1} the first variate of stream chain_design(i),
//                 exactly the general path's draw (simulation_engine.hpp, fast_step_underparameterised),
//                 so the value is E[err | downstream design, g_1..g_k] as on the general path (T0 >= d).
// The downstream design is drawn from stream 0 of (seed, trial).
//
// \test tests/numerics/test_scalable_paths.cpp
#pragma once

#include "numerics/eigen_real.hpp"
#include "numerics/lapack.hpp"
#include "numerics/precision_guard.hpp"
#include "numerics/random.hpp"
#include "numerics/simulate.hpp"
#include "numerics/trial_runner.hpp"

#include <Eigen/Eigenvalues>

#include <limits>
#include <type_traits>
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
  Real chain_step = 0;         // integrated: σ0²/(T0 − d − 1), c_k = k·chain_step (0 without a noisy chain)
  bool sample_chain = false;   // sampled: c_k = σ0² Σ_{i<=k} 1/g_i, g_i ~ χ²_{chain_dof}
  Real sigma02 = 0;
  double chain_dof = 0;        // T0 − d + 1
  bool record_design_trace = false;
  trial_layout layout;
  std::uint64_t seed = 0;

  bool noisy_chain() const { return n > 0 && (sample_chain ? sigma02 != 0 : chain_step != 0); }
};

/// c_0..c_n of one trial (the chain's conditional covariance is c_k Σ⁻¹): k·chain_step, or sampled from
/// the chain's streams as the general path samples them (one χ² variate per generation).
template <class Real> void chain_factors(const scalable_problem<Real>& p, std::uint64_t trial, std::vector<Real>& c) {
  c.assign(static_cast<std::size_t>(p.n) + 1, Real(0));
  if (!p.noisy_chain()) return;
  for (int k = 1; k <= p.n; ++k) {
    if (p.sample_chain) {
      philox_stream xr(p.seed, trial, streams::chain_design(k));
      c[k] = c[k - 1] + p.sigma02 / Real(xr.chi_square(p.chain_dof));
    } else {
      c[k] = Real(k) * p.chain_step;
    }
  }
}

/// Isotropic Σ = I (§8.7). The eigenvalues of ZᵀZ, Z ∈ R^{T×d} with iid N(0,1) entries, are those of
/// BBᵀ with B lower bidiagonal, B_ii ~ χ_{p−i+1} (i = 1..m) and B_{i+1,i} ~ χ_{m−i} (i = 1..m−1),
/// m = min(T, d), p = max(T, d), all independent (Dumitriu & Edelman 2002, β = 1; for T < d the T nonzero
/// eigenvalues, the other d − T are 0). BBᵀ is tridiagonal: diagonal B_ii² + B_{i,i−1}², off-diagonal
/// B_{i+1,i}B_ii; its eigenvalues by LAPACK dsterf in double, Eigen's symmetric tridiagonal QR (eigenvalues
/// only) otherwise, both O(m²).
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
    const vector<Real> ev = tridiagonal_eigenvalues(diag, sub);
    // Same numerical-rank rule as the general path: eigenvalues at or below d·ε·s_max count as zero.
    const Real tol = ev[m - 1] * Real(p_.d) * std::numeric_limits<Real>::epsilon();
    long zeros = p_.d - m;
    std::vector<Real> s;
    s.reserve(m);
    for (long i = 0; i < m; ++i) {
      if (ev[i] <= tol) ++zeros;
      else s.push_back(ev[i] / Real(p_.T));
    }
    chain_factors(p_, trial, c_);
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
        out[p_.layout.downstream_offset + k * L + l] = static_cast<double>(base + c_[k] * fit);
      if (p_.record_design_trace) out[p_.layout.trace_offset + l] = static_cast<double>(fit);  // tr A² = tr[ΣAΣ⁻¹A]
    }
  }

private:
  scalable_problem<Real> p_;
  std::vector<Real> c_;  // chain factors of the current trial
  std::vector<double> d_work_, e_work_;

  /// Ascending eigenvalues of the tridiagonal matrix: LAPACK dsterf in double (numerics/lapack.hpp), Eigen's
  /// symmetric tridiagonal QR (eigenvalues only) in the other precisions. Both O(m²).
  vector<Real> tridiagonal_eigenvalues(const vector<Real>& diag, const vector<Real>& sub) {
    if constexpr (std::is_same_v<Real, double>) {
      d_work_.assign(diag.data(), diag.data() + diag.size());
      e_work_.assign(sub.data(), sub.data() + sub.size());
      tridiagonal_eigenvalues_lapack(d_work_, e_work_);
      return Eigen::Map<const vector<Real>>(d_work_.data(), static_cast<long>(d_work_.size()));
    } else {
      Eigen::SelfAdjointEigenSolver<matrix<Real>> es;
      es.computeFromTridiagonal(diag, sub, Eigen::EigenvaluesOnly);
      return es.eigenvalues();
    }
  }
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
///
/// The SVD goes through a QR of Xᵀ first (the R-SVD, d >> T): Xᵀ = Q₁R, R = P D Wᵀ, V = Q₁P. Xᵀ is drawn
/// straight into one d×T array, which the blocked Householder QR overwrites in place (R and the
/// reflectors), and which is then overwritten in place by Q₁ itself (LAPACK dorgqr's blocked backward
/// accumulation: each block of reflectors is applied only to the columns of Q₁ already formed, 2T²d
/// flops instead of the 4T²d of applying Q to a d×T matrix). V is never formed: VᵀΣV = Pᵀ(Q₁ᵀΣQ₁)P,
/// VᵀΣ⁻¹V = Pᵀ(Q₁ᵀΣ⁻¹Q₁)P, the T×T Gram matrices by symmetric rank-k updates over row blocks of
/// Σ^{±1/2}Q₁ (T²d flops each, the Σ⁻¹ one only with a noisy chain or the design trace), Vᵀw0 = PᵀQ₁ᵀw0
/// and V(a ∘ u) = Q₁(P(a ∘ u)).
/// Cost about 2T²d (QR) + 2T²d (Q₁) + T²d or 2T²d (Gram matrices) + O(T³) per trial for the whole grid and
/// every generation; memory Td + 12T² + 256T entries per thread (docs/simulation.md, "Paths").
template <class Real> class dual_gram_engine final : public trial_runner {
public:
  explicit dual_gram_engine(scalable_problem<Real> p) : p_(std::move(p)) {
    sqrt_eig_ = p_.eig.cwiseSqrt();
    inv_sqrt_eig_ = sqrt_eig_.cwiseInverse();
  }

  void run(std::uint64_t trial, double* out) override {
    philox_stream rng(p_.seed, trial, streams::downstream_design);
    const long T = p_.T, d = p_.d;
    Q_.resize(d, T);  // Xᵀ, then R and the reflectors, then Q₁
    for (long i = 0; i < T; ++i)
      for (long j = 0; j < d; ++j) Q_(j, i) = Real(rng.normal()) * sqrt_eig_[j];
    vector<Real> tau;
    {
      Eigen::HouseholderQR<Eigen::Ref<matrix<Real>>> qr(Q_);  // in place: no copy of Xᵀ
      tau = qr.hCoeffs();
    }
    R_ = Q_.topRows(T).template triangularView<Eigen::Upper>();
    thin_svd<Real> svd(R_, Eigen::ComputeThinU);
    const vector<Real>& D = svd.singularValues();
    // Numerical rank as in the general path: singular values below max(T, d)·ε·D_max are zero.
    const Real tol = D.size() ? D[0] * Real(std::max(T, d)) * std::numeric_limits<Real>::epsilon() : Real(0);
    // s_i = D_i²/T with D_i known to ±tol, against λ (numerics/precision_guard.hpp)
    require_resolved<Real>(vector<Real>(D.cwiseAbs2() / Real(T)), D.size(), smallest_lambda(p_.lambda),
                           squared_value_error(tol, Real(T)), "sample covariance S = X'X/T");
    long r = 0;
    while (r < D.size() && D[r] > tol) ++r;
    const vector<Real> mu = D.head(r).cwiseAbs2();
    P_ = svd.matrixU().leftCols(r);
    form_thin_q(tau);
    const bool need_h = p_.noisy_chain() || p_.record_design_trace;
    gram_in_v_basis(sqrt_eig_, S_);                    // VᵀΣV
    if (need_h) {
      gram_in_v_basis(inv_sqrt_eig_, H_);              // VᵀΣ⁻¹V
      H_ = H_.cwiseProduct(S_);                        // (VᵀΣV) ∘ (VᵀΣ⁻¹V), the collapse and design-trace kernel
    }
    const vector<Real> u = P_.transpose() * (Q_.transpose() * p_.w0);  // Vᵀw0
    vector<Real> a(r);
    chain_factors(p_, trial, c_);
    const std::size_t L = p_.lambda.size();
    for (std::size_t l = 0; l < L; ++l) {
      const Real tl = Real(T) * p_.lambda[l];
      for (long i = 0; i < r; ++i) a[i] = mu[i] / (mu[i] + tl);
      const vector<Real> v = Q_ * (P_ * a.cwiseProduct(u));  // A w0 = V (a ∘ Vᵀw0)
      const Real bias = p_.eig.dot((v - p_.w0).cwiseAbs2());
      Real noise = 0;
      for (long i = 0; i < r; ++i) noise += a[i] * a[i] / mu[i] * S_(i, i);
      noise *= p_.sigma2;
      const Real trace = need_h ? a.dot(H_ * a) : Real(0);
      for (int k = 0; k <= p_.n; ++k)
        out[p_.layout.downstream_offset + k * L + l] = static_cast<double>(bias + noise + c_[k] * trace);
      if (p_.record_design_trace) out[p_.layout.trace_offset + l] = static_cast<double>(trace);
    }
  }

private:
  scalable_problem<Real> p_;
  std::vector<Real> c_;  // chain factors of the current trial
  vector<Real> sqrt_eig_, inv_sqrt_eig_;
  matrix<Real> Q_;                      // d×T, reused across trials: Xᵀ -> QR in place -> Q₁
  matrix<Real> R_, P_, G_, GP_, S_, H_;  // T×T (P: T×r)
  matrix<Real> B_;                      // one row block of Σ^{±1/2}Q₁

  static constexpr long q_block = 32;     // reflectors per block when Q₁ is accumulated
  static constexpr long gram_rows = 256;  // rows of Q₁ per symmetric rank-k update

  /// Overwrites Q_ (R above the diagonal, the Householder vectors below, as HouseholderQR leaves it) with
  /// the thin factor Q₁ = H_0 ⋯ H_{T−1} [I_T; 0] (d×T), as LAPACK dorgqr does: blocks of reflectors from the
  /// last, each applied as one block reflector to the columns already formed to its right (those are zero
  /// above the block), then its own columns generated one reflector at a time (dorg2r).
  void form_thin_q(const vector<Real>& tau) {
    const long d = Q_.rows(), T = Q_.cols();
    vector<Real> work(T);
    for (long k = ((T - 1) / q_block) * q_block; k >= 0; k -= q_block) {
      const long nb = std::min(q_block, T - k), right = T - k - nb;
      if (right > 0) {
        auto reflectors = Q_.block(k, k, d - k, nb);
        auto formed = Q_.block(k, k + nb, d - k, right);
        Eigen::internal::apply_block_householder_on_the_left(formed, reflectors, tau.segment(k, nb), true);
      }
      for (long j = k + nb - 1; j >= k; --j) {
        if (j + 1 < k + nb)
          Q_.block(j, j + 1, d - j, k + nb - j - 1).applyHouseholderOnTheLeft(Q_.col(j).tail(d - j - 1), tau[j], work.data());
        Q_.col(j).tail(d - j - 1) *= -tau[j];
        Q_(j, j) = Real(1) - tau[j];
        Q_.col(j).head(j).setZero();
      }
    }
  }

  /// out = Pᵀ(Q₁ᵀ diag(s)² Q₁)P (r×r): the Gram matrix of diag(s)Q₁ by symmetric rank-k updates over row
  /// blocks (lower triangle, T²d flops), then rotated to the singular basis.
  void gram_in_v_basis(const vector<Real>& s, matrix<Real>& out) {
    const long d = Q_.rows(), T = Q_.cols();
    G_.setZero(T, T);
    for (long i = 0; i < d; i += gram_rows) {
      const long m = std::min(gram_rows, d - i);
      B_.noalias() = s.segment(i, m).asDiagonal() * Q_.middleRows(i, m);
      G_.template selfadjointView<Eigen::Lower>().rankUpdate(B_.transpose());
    }
    GP_.noalias() = G_.template selfadjointView<Eigen::Lower>() * P_;
    out.noalias() = P_.transpose() * GP_;
  }
};

}  // namespace collapse::numerics::detail
