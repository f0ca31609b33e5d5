// numerics/simulation_engine.hpp -- one trial of the protocol of numerics/simulate.hpp, generic over
// Real (double, long double, mp50). Implementation detail of simulate.cpp; the public API is
// numerics/simulate.hpp.
//
// Coordinates. Every vector and matrix lives in Σ's eigenbasis, Σ = diag(λ_1..λ_d), and w0 has the
// coordinates sqrt(w2_j). This is exact: for an orthogonal U, X ↦ XU maps rows N(0, UᵀΣU) to rows
// N(0, Σ), the protocol is equivariant (ŵ ↦ Uᵀŵ) and the test error is invariant; flipping the sign
// of a coordinate is such a U, so only w2_j = (u_j·w0)² matters (§1).
#pragma once

#include "numerics/eigen_real.hpp"
#include "numerics/precision_guard.hpp"
#include "numerics/random.hpp"
#include "numerics/scalable_engine.hpp"
#include "numerics/simulate.hpp"
#include "numerics/trial_runner.hpp"

#include <memory>
#include <vector>

namespace collapse::numerics::detail {

template <class Real> std::unique_ptr<trial_runner> make_trial_runner(const simulation_config& config);

/// Problem data converted once to Real.
template <class Real> struct problem {
  long d = 0, T = 0, T0 = 0;
  int n = 0;
  vector<Real> eig, sqrt_eig, inv_sqrt_eig, w0;
  std::vector<Real> lambda;
  Real sigma, sigma0, sigma2, sigma02;
  bool plain = true, reference = true;
  bool record_downstream = true, record_generator = false, record_design_trace = false, sign_average = false;
  trial_layout layout;
  std::uint64_t seed = 0;
};

/// State of the chain after generation k. plain: ŵ_k itself (mean, no covariance). Rao–Blackwell:
/// ŵ_k | designs ~ N(mean, C) with C = c Σ⁻¹ (scalar form, fast engine with T0 >= d) or C explicit.
template <class Real> struct chain_state {
  vector<Real> mean;
  bool scalar_form = true;
  Real c = 0;
  matrix<Real> C;
};

/// Downstream design summarised by the spectral decomposition S = XᵀX/T = V diag(s) Vᵀ (V: d×r,
/// r = rank kept), plus for the plain estimator the noise coordinates e = Vᵀ XᵀE / T. When
/// `reduced`, S is not formed (λ = 0 only, T >= d): the OLS noise term is σ Σ^{-1/2} z/sqrt(g).
template <class Real> struct downstream_design {
  bool reduced = false;
  matrix<Real> V;
  vector<Real> s, e;
  Real g = 0;       // reduced: χ²_{T-d+1}
  vector<Real> z;   // reduced: N(0, I_d)
};

template <class Real> vector<Real> normals(philox_stream& rng, long count) {
  vector<Real> z(count);
  for (long i = 0; i < count; ++i) z[i] = Real(rng.normal());
  return z;
}

/// Design with rows N(0, Σ): Z diag(sqrt λ), Z filled row by row from the stream.
template <class Real> matrix<Real> design(philox_stream& rng, long rows, const vector<Real>& sqrt_eig) {
  long d = sqrt_eig.size();
  matrix<Real> X(rows, d);
  for (long i = 0; i < rows; ++i)
    for (long j = 0; j < d; ++j) X(i, j) = Real(rng.normal()) * sqrt_eig[j];
  return X;
}

template <class Real> class engine final : public trial_runner {
public:
  explicit engine(problem<Real> p) : p_(std::move(p)) {}

  // The downstream design is drawn first and each generation is evaluated as soon as the chain reaches
  // it, so only the current chain state is held (memory O(d²), not O(n d²)). Every stream is keyed by
  // (seed, trial, stream), so the order in which the streams are drawn does not change any value.
  void run(std::uint64_t trial, double* out) override {
    downstream_design<Real> ds;
    if (p_.record_downstream) {
      philox_stream xr(p_.seed, trial, streams::downstream_design), er(p_.seed, trial, streams::downstream_noise);
      ds = downstream(xr, er);
    }
    design_products m;
    chain_state<Real> state;
    state.mean = p_.w0;
    state.c = 0;
    state.scalar_form = !p_.reference;
    if (!p_.plain && p_.reference) state.C = matrix<Real>::Zero(p_.d, p_.d);
    record(0, state, ds, m, out);
    for (int k = 1; k <= p_.n; ++k) {
      philox_stream xr(p_.seed, trial, streams::chain_design(k)), er(p_.seed, trial, streams::chain_noise(k));
      state = step(state, xr, er);
      record(k, state, ds, m, out);
    }
    if (p_.record_design_trace) design_traces(ds, m, out + p_.layout.trace_offset);
  }

private:
  problem<Real> p_;

  // ---- the chain ---------------------------------------------------------------------------------
  chain_state<Real> step(const chain_state<Real>& prev, philox_stream& xr, philox_stream& er) const {
    if (p_.reference) return reference_step(prev, xr, er);
    if (p_.T0 >= p_.d) return fast_step_underparameterised(prev, xr, er);
    return fast_step_overparameterised(prev, xr, er);
  }

  // Literal protocol: ŵ_k = X⁺(X ŵ_{k-1} + E), X⁺ by complete orthogonal decomposition (min-norm
  // least squares). Rao–Blackwell: mean m_k = P m_{k-1} with P = X⁺X, covariance
  // C_k = P C_{k-1} Pᵀ + σ0² X⁺X⁺ᵀ (the noise E enters linearly and is independent of the past).
  chain_state<Real> reference_step(const chain_state<Real>& prev, philox_stream& xr, philox_stream& er) const {
    matrix<Real> X = design(xr, p_.T0, p_.sqrt_eig);
    Eigen::CompleteOrthogonalDecomposition<matrix<Real>> cod(X);
    if (cod.rank() < std::min(p_.T0, p_.d)) {  // a rank cut of a full-rank Gaussian design: X⁺ would be wrong
      const vector<Real> R2 = cod.matrixT().diagonal().head(std::min(p_.T0, p_.d)).cwiseAbs2();
      require_resolved<Real>(R2, std::min(p_.T0, p_.d), Real(0), [&](const Real&) { return cod.threshold() * R2.maxCoeff(); },
                             "generator's design X'X (its pivoted triangular factor)");
    }
    chain_state<Real> next;
    next.scalar_form = false;
    if (p_.plain) {
      vector<Real> y = X * prev.mean + p_.sigma0 * normals<Real>(er, p_.T0);
      next.mean = cod.solve(y);
    } else if (cod.rank() == p_.d) {
      // Full column rank (T0 >= d): P = X⁺X = I and X⁺X⁺ᵀ = (XᵀX)⁻¹. With the pivoted factor XΠ = QT
      // of the decomposition (Z = I at full rank), (XᵀX)⁻¹ = Π T⁻¹T⁻ᵀ Πᵀ: two O(d³) steps instead of
      // forming the d×T0 pseudo-inverse.
      matrix<Real> Tinv = cod.matrixT().topLeftCorner(p_.d, p_.d).template triangularView<Eigen::Upper>().solve(
          matrix<Real>::Identity(p_.d, p_.d));
      matrix<Real> G = Tinv * Tinv.transpose();
      next.mean = prev.mean;
      next.C = prev.C + p_.sigma02 * (cod.colsPermutation() * G * cod.colsPermutation().transpose());
    } else {
      matrix<Real> pinv = cod.pseudoInverse();
      matrix<Real> P = pinv * X;
      next.mean = P * prev.mean;
      next.C = P * prev.C * P.transpose() + p_.sigma02 * (pinv * pinv.transpose());
    }
    return next;
  }

  // T0 >= d. The step X⁺E = (XᵀX)⁻¹XᵀE. With the Bartlett factor, XᵀX = Σ^{1/2}LLᵀΣ^{1/2} and
  // XᵀE | XᵀX ~ N(0, σ0² XᵀX) = σ0 Σ^{1/2}L z, so the step is σ0 Σ^{-1/2} L^{-T} z: given L a
  // N(0, σ0² Σ^{-1/2}W⁻¹Σ^{-1/2}) vector with W = LLᵀ ~ Wishart_d(I, T0). The law of u = L^{-T}z is
  // rotation invariant (W is), so u = ‖u‖θ with θ uniform and independent of ‖u‖; and
  // ‖u‖² = zᵀW⁻¹z =d ‖z‖² (W⁻¹)_11 with 1/(W⁻¹)_11 ~ χ²_{T0-d+1} independent of z (Schur
  // complement of a Wishart). Hence u =d z/sqrt(g), g ~ χ²_{T0-d+1}: the triangular solve done in
  // distribution, O(d) per generation, and E‖u‖² = d/(T0-d-1) as in §2.1.
  // Rao–Blackwell: given g_1..g_k, ŵ_k ~ N(w0, c_k Σ⁻¹), c_k = σ0² Σ_i 1/g_i.
  chain_state<Real> fast_step_underparameterised(const chain_state<Real>& prev, philox_stream& xr,
                                                 philox_stream& er) const {
    Real g = Real(xr.chi_square(double(p_.T0 - p_.d + 1)));
    chain_state<Real> next;
    next.scalar_form = true;
    if (p_.plain) {
      vector<Real> z = normals<Real>(er, p_.d);
      next.mean = prev.mean + (p_.sigma0 / sqrt_(g)) * p_.inv_sqrt_eig.cwiseProduct(z);
    } else {
      next.mean = prev.mean;
      next.c = prev.c + p_.sigma02 / g;
    }
    return next;
  }

  // T0 < d: no exact low-dimensional law is used here (for general Σ the projector onto the row space
  // of X is not a function of a Wishart matrix); the design is explicit, as in the reference engine
  // and from the same stream, but solved by a Householder QR of B = Xᵀ = QR (d×T0, full column rank
  // almost surely): P = QQᵀ and X⁺ = B(BᵀB)⁻¹ = Q R^{-T}.
  // Rao–Blackwell: m_k = QQᵀm_{k-1}, C_k = Q[Qᵀ C_{k-1} Q + σ0² (RRᵀ)⁻¹]Qᵀ.
  chain_state<Real> fast_step_overparameterised(const chain_state<Real>& prev, philox_stream& xr,
                                                philox_stream& er) const {
    matrix<Real> B = design(xr, p_.T0, p_.sqrt_eig).transpose();
    Eigen::HouseholderQR<matrix<Real>> qr(B);
    matrix<Real> Q = qr.householderQ() * matrix<Real>::Identity(p_.d, p_.T0);
    matrix<Real> R = qr.matrixQR().topLeftCorner(p_.T0, p_.T0).template triangularView<Eigen::Upper>();
    {  // X⁺ = Q R^{-T}: R_ii² (the Gram's pivots) must be resolved, as the downstream's eigenvalues are
      const vector<Real> R2 = R.diagonal().cwiseAbs2();
      const Real err = sqrt_(R2.maxCoeff()) * Real(p_.d) * std::numeric_limits<Real>::epsilon();
      require_resolved<Real>(R2, p_.T0, Real(0), squared_value_error(err, Real(1)),
                             "generator's design X'X (pivots of its QR factor)");
    }
    auto Rt = R.transpose().template triangularView<Eigen::Lower>();
    chain_state<Real> next;
    next.scalar_form = false;
    if (p_.plain) {
      vector<Real> e = p_.sigma0 * normals<Real>(er, p_.T0);
      vector<Real> t = Q.transpose() * prev.mean + Rt.solve(e);
      next.mean = Q * t;
    } else {
      next.mean = Q * (Q.transpose() * prev.mean);
      if (p_.sigma02 == 0 && prev.scalar_form && prev.c == 0) {
        // Noiseless chain: the covariance stays 0. Keep the scalar form c = 0 instead of forming d×d
        // zeros (O(d²T0) per generation); every term it feeds adds +0, so the values are unchanged.
        next.scalar_form = true;
        return next;
      }
      matrix<Real> Rinv = R.template triangularView<Eigen::Upper>().solve(matrix<Real>::Identity(p_.T0, p_.T0));
      matrix<Real> inner = p_.sigma02 * (Rinv.transpose() * Rinv);  // X⁺X⁺ᵀ = Q R^{-T}R^{-1} Qᵀ
      if (prev.scalar_form) {
        if (prev.c != 0) inner += prev.c * (Q.transpose() * p_.eig.cwiseInverse().asDiagonal() * Q);
      } else {
        inner += Q.transpose() * prev.C * Q;
      }
      next.C = Q * inner * Q.transpose();
    }
    return next;
  }

  // ---- the downstream design ---------------------------------------------------------------------
  bool all_lambda_zero() const {
    for (const Real& l : p_.lambda) if (l != 0) return false;
    return true;
  }

  downstream_design<Real> downstream(philox_stream& xr, philox_stream& er) const {
    downstream_design<Real> ds;
    if (p_.reference || p_.T < p_.d) return explicit_downstream(xr, er);
    if (all_lambda_zero()) {
      // OLS with T >= d: A = I and (XᵀX)⁻¹XᵀE =d σ Σ^{-1/2} z/sqrt(g), g ~ χ²_{T-d+1} (same
      // identity as the chain step). The RB noise term is then E_z = σ² d/g.
      ds.reduced = true;
      ds.g = Real(xr.chi_square(double(p_.T - p_.d + 1)));
      if (p_.plain) ds.z = normals<Real>(er, p_.d);
      return ds;
    }
    // Bartlett (1933): W = LLᵀ ~ Wishart_d(I, T) with L lower triangular, L_ii² ~ χ²_{T-i+1}
    // (i = 1..d), L_ij ~ N(0,1) for i > j, all independent; XᵀX =d Σ^{1/2} W Σ^{1/2}.
    matrix<Real> L = matrix<Real>::Zero(p_.d, p_.d);
    for (long i = 0; i < p_.d; ++i) {
      L(i, i) = sqrt_(Real(xr.chi_square(double(p_.T - i))));
      for (long j = 0; j < i; ++j) L(i, j) = Real(xr.normal());
    }
    matrix<Real> H = p_.sqrt_eig.asDiagonal() * L;
    matrix<Real> S = (H * H.transpose()) / Real(p_.T);
    Eigen::SelfAdjointEigenSolver<matrix<Real>> es(S);
    // Same numerical-rank rule as the SVD route: eigenvalues (ascending) at or below
    // d·ε·s_max count as zero (pseudo-inverse at λ = 0).
    const auto& ev = es.eigenvalues();
    Real tol = ev[p_.d - 1] * Real(p_.d) * std::numeric_limits<Real>::epsilon();
    require_resolved<Real>(ev, p_.d, smallest_lambda(p_.lambda), [&](const Real&) { return tol; }, "sample covariance S = X'X/T");
    long first = 0;
    while (first < p_.d && ev[first] <= tol) ++first;
    ds.V = es.eigenvectors().rightCols(p_.d - first);
    ds.s = ev.tail(p_.d - first);
    if (p_.plain) {
      // XᵀE/T | S ~ N(0, σ² S/T); in S's eigenbasis independent coordinates with variances σ² s_i/T.
      vector<Real> z = normals<Real>(er, p_.d);
      ds.e.resize(ds.s.size());
      for (long i = 0; i < ds.s.size(); ++i) ds.e[i] = p_.sigma * sqrt_(ds.s[i] / Real(p_.T)) * z[first + i];
    }
    return ds;
  }

  // Explicit X (T×d) and E; thin SVD X = U D Vᵀ gives s = D²/T and Vᵀ XᵀE/T = D ∘ (UᵀE)/T.
  downstream_design<Real> explicit_downstream(philox_stream& xr, philox_stream& er) const {
    downstream_design<Real> ds;
    matrix<Real> X = design(xr, p_.T, p_.sqrt_eig);
    thin_svd<Real> svd(X, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const auto& D = svd.singularValues();
    // Numerical rank: singular values below max(T, d)·eps·D_max are zero (pseudo-inverse).
    Real tol = D.size() ? D[0] * Real(std::max(p_.T, p_.d)) * std::numeric_limits<Real>::epsilon() : Real(0);
    // s_i = D_i²/T with D_i known to ±tol (numerics/precision_guard.hpp)
    require_resolved<Real>(vector<Real>(D.cwiseAbs2() / Real(p_.T)), D.size(), smallest_lambda(p_.lambda),
                           squared_value_error(tol, Real(p_.T)),
                           "sample covariance S = X'X/T");
    long r = 0;
    while (r < D.size() && D[r] > tol) ++r;
    ds.V = svd.matrixV().leftCols(r);
    ds.s = D.head(r).cwiseAbs2() / Real(p_.T);
    if (p_.plain) {
      vector<Real> E = p_.sigma * normals<Real>(er, p_.T);
      vector<Real> UtE = svd.matrixU().leftCols(r).transpose() * E;
      ds.e = D.head(r).cwiseProduct(UtE) / Real(p_.T);
    }
    return ds;
  }

  // ---- test errors -------------------------------------------------------------------------------
  // With A = RS = V diag(a) Vᵀ, a_i = s_i/(s_i+λ) (λ = 0: a_i = 1 on the kept rank):
  //   plain: ŵ = V[a ∘ Vᵀŵ_k + e/(s+λ)], error (ŵ−w0)ᵀΣ(ŵ−w0);
  //   RB:    (A m_k − w0)ᵀΣ(A m_k − w0) + tr(AΣAC_k) + (σ²/T) Σ_i h_i s_i/(s_i+λ)², h_i = (VᵀΣV)_ii,
  //          tr(AΣAC) = aᵀ[(VᵀΣV) ∘ (VᵀCV)]a (§2.2, §8.6);
  //   RB averaged over the signs of w0 (m_k = w0): the first term becomes Σ_j w0_j² [(A−I)Σ(A−I)]_jj
  //          = (a−1)ᵀ[(VᵀΣV) ∘ (Vᵀdiag(w0²)V)](a−1) on a full basis (r = d), and otherwise
  //          aᵀ[(VᵀΣV) ∘ (Vᵀdiag(w0²)V)]a − 2 aᵀq + Σ_j w0_j² λ_j with q_i = Σ_j w0_j² λ_j V_ji².
  // The r×r products are formed once per trial, on first need.
  struct design_products {
    bool have_h = false;
    vector<Real> h, q;            // diag(VᵀΣV); sign average: q
    matrix<Real> M1, M2, WP;      // VᵀΣV, VᵀΣ⁻¹V, (VᵀΣV) ∘ (Vᵀdiag(w0²)V)
    Real signal = 0;              // Σ_j w0_j² λ_j
  };

  const matrix<Real>& sigma_v(const downstream_design<Real>& ds, design_products& m) const {
    if (m.M1.size() == 0) m.M1 = ds.V.transpose() * p_.eig.asDiagonal() * ds.V;
    return m.M1;
  }
  const matrix<Real>& inverse_sigma_v(const downstream_design<Real>& ds, design_products& m) const {
    if (m.M2.size() == 0) m.M2 = ds.V.transpose() * p_.eig.cwiseInverse().asDiagonal() * ds.V;
    return m.M2;
  }

  void fill_a(const downstream_design<Real>& ds, const Real& lam, vector<Real>& a) const {
    for (long i = 0; i < ds.s.size(); ++i) a[i] = ds.s[i] / (ds.s[i] + lam);
  }

  /// Σ_j w0_j² [(A−I)Σ(A−I)]_jj for A = V diag(a) Vᵀ (the bias averaged over the signs of w0).
  Real sign_averaged_bias(const downstream_design<Real>& ds, design_products& m, const vector<Real>& a) const {
    if (m.WP.size() == 0) {
      vector<Real> w2 = p_.w0.cwiseAbs2();
      m.WP = sigma_v(ds, m).cwiseProduct(ds.V.transpose() * w2.asDiagonal() * ds.V);
      m.q = ds.V.cwiseAbs2().transpose() * w2.cwiseProduct(p_.eig);
      m.signal = w2.dot(p_.eig);
    }
    if (ds.s.size() == p_.d) {
      vector<Real> am1 = a.array() - Real(1);
      return am1.dot(m.WP * am1);
    }
    Real b = a.dot(m.WP * a) - 2 * a.dot(m.q) + m.signal;
    return b > 0 ? b : Real(0);
  }

  /// tr(ΣC) of a chain state (the generator noise's contribution to its own error).
  Real trace_sigma_c(const chain_state<Real>& st) const {
    return st.scalar_form ? st.c * Real(p_.d) : p_.eig.dot(st.C.diagonal());
  }

  void record(int k, const chain_state<Real>& st, const downstream_design<Real>& ds, design_products& m, double* out) const {
    if (p_.record_generator) {
      Real e = p_.eig.dot((st.mean - p_.w0).cwiseAbs2());
      if (!p_.plain) e += trace_sigma_c(st);
      out[p_.layout.generator_offset + k] = static_cast<double>(e);
    }
    if (p_.record_downstream) evaluate(k, st, ds, m, out + p_.layout.downstream_offset);
  }

  void evaluate(int k, const chain_state<Real>& st, const downstream_design<Real>& ds, design_products& m, double* out) const {
    const std::size_t L = p_.lambda.size();
    if (ds.reduced) {
      vector<Real> u = p_.sqrt_eig.cwiseProduct(st.mean - p_.w0);
      Real err;
      if (p_.plain) {
        u += (p_.sigma / sqrt_(ds.g)) * ds.z;
        err = u.squaredNorm();
      } else {
        err = u.squaredNorm() + trace_sigma_c(st) + p_.sigma2 * Real(p_.d) / ds.g;
      }
      for (std::size_t l = 0; l < L; ++l) out[k * L + l] = static_cast<double>(err);
      return;
    }
    const long r = ds.s.size();
    // h_i = (VᵀΣV)_ii. The full VᵀΣV (and VᵀΣ⁻¹V or VᵀCV) is formed only when some λ has A ≠ I:
    // for λ = 0 at full rank A = I and tr(AΣAC) = tr(ΣC).
    if (!p_.plain && !m.have_h) {
      m.h = ds.V.cwiseAbs2().transpose() * p_.eig;
      m.have_h = true;
    }
    vector<Real> a(r), noise(r);
    vector<Real> proj = ds.V.transpose() * st.mean;
    const bool has_cov = !p_.plain && (st.scalar_form ? st.c != 0 : true);
    matrix<Real> H;  // (VᵀΣV) ∘ (VᵀC_kV), formed on first need
    for (std::size_t l = 0; l < L; ++l) {
      const Real& lam = p_.lambda[l];
      for (long i = 0; i < r; ++i) {
        a[i] = ds.s[i] / (ds.s[i] + lam);  // λ = 0: exactly 1 on the kept rank
        noise[i] = p_.plain ? ds.e[i] / (ds.s[i] + lam) : ds.s[i] / ((ds.s[i] + lam) * (ds.s[i] + lam));
      }
      Real err;
      if (p_.sign_average) {
        err = sign_averaged_bias(ds, m, a);
      } else {
        vector<Real> coef = a.cwiseProduct(proj);
        if (p_.plain) coef += noise;
        vector<Real> diff = ds.V * coef - p_.w0;
        err = p_.eig.dot(diff.cwiseAbs2());
      }
      if (!p_.plain) {
        err += p_.sigma2 / Real(p_.T) * m.h.dot(noise);
        if (has_cov && lam == 0 && r == p_.d) {
          err += trace_sigma_c(st);
        } else if (has_cov) {
          if (H.size() == 0) {
            if (st.scalar_form) H = st.c * sigma_v(ds, m).cwiseProduct(inverse_sigma_v(ds, m));
            else H = sigma_v(ds, m).cwiseProduct(ds.V.transpose() * st.C * ds.V);
          }
          err += a.dot(H * a);
        }
      }
      out[k * L + l] = static_cast<double>(err);
    }
  }

  /// tr[ΣAΣ⁻¹A] = aᵀ[(VᵀΣV) ∘ (VᵀΣ⁻¹V)]a per λ (§2.2); A = I (trace d) on the reduced OLS route.
  void design_traces(const downstream_design<Real>& ds, design_products& m, double* out) const {
    const std::size_t L = p_.lambda.size();
    if (ds.reduced) {
      for (std::size_t l = 0; l < L; ++l) out[l] = static_cast<double>(p_.d);
      return;
    }
    matrix<Real> G = sigma_v(ds, m).cwiseProduct(inverse_sigma_v(ds, m));
    vector<Real> a(ds.s.size());
    for (std::size_t l = 0; l < L; ++l) {
      fill_a(ds, p_.lambda[l], a);
      out[l] = static_cast<double>(a.dot(G * a));
    }
  }

  static Real sqrt_(const Real& x) {
    using std::sqrt;
    using boost::multiprecision::sqrt;
    return sqrt(x);
  }
};

/// The scalable paths' data (numerics/scalable_engine.hpp) from the materialised spectrum.
template <class Real>
std::unique_ptr<trial_runner> make_scalable_runner(const simulation_config& c, fast_path path, const std::vector<Real>& eig,
                                                   const std::vector<Real>& w2) {
  scalable_problem<Real> p;
  p.d = static_cast<long>(eig.size());
  p.T = c.T;
  p.n = c.n;
  p.eig = Eigen::Map<const vector<Real>>(eig.data(), p.d);
  p.w0 = Eigen::Map<const vector<Real>>(w2.data(), p.d).cwiseSqrt();
  for (const auto& w : w2) p.w0norm2 += w;
  for (const auto& l : c.lambda) p.lambda.push_back(to_real<Real>(l.value));
  p.sigma2 = to_real<Real>(c.sigma2.value);
  if (resolve_chain(c) == chain_kind::sampled) {  // the general path's χ² draws (T0 >= d)
    p.sample_chain = true;
    p.sigma02 = to_real<Real>(c.sigma02.value);
    p.chain_dof = double(c.T0 - p.d + 1);
  } else if (c.n > 0 && c.sigma02.value > 0) {
    p.chain_step = to_real<Real>(c.sigma02.value) / Real(c.T0 - p.d - 1);  // §2.1
  }
  p.record_design_trace = c.record_design_trace;
  p.layout = layout_of(c);
  p.seed = c.seed;
  if (path == fast_path::isotropic_spectral) return std::make_unique<isotropic_spectral_engine<Real>>(std::move(p));
  return std::make_unique<dual_gram_engine<Real>>(std::move(p));
}

template <class Real> std::unique_ptr<trial_runner> make_trial_runner(const simulation_config& c) {
  problem<Real> p;
  std::vector<Real> eig, w2;
  materialize<Real>(c.spectrum, eig, w2, std::numeric_limits<long>::max());
  if (const fast_path path = resolve_path(c); path != fast_path::general) return make_scalable_runner<Real>(c, path, eig, w2);
  p.d = static_cast<long>(eig.size());
  p.T = c.T;
  p.T0 = c.T0;
  p.n = c.n;
  p.eig.resize(p.d); p.sqrt_eig.resize(p.d); p.inv_sqrt_eig.resize(p.d); p.w0.resize(p.d);
  using std::sqrt;
  using boost::multiprecision::sqrt;
  for (long j = 0; j < p.d; ++j) {
    p.eig[j] = eig[j];
    p.sqrt_eig[j] = sqrt(eig[j]);
    p.inv_sqrt_eig[j] = 1 / p.sqrt_eig[j];
    p.w0[j] = sqrt(w2[j]);
  }
  for (const auto& l : c.lambda) p.lambda.push_back(to_real<Real>(l.value));
  p.sigma2 = to_real<Real>(c.sigma2.value);
  p.sigma02 = to_real<Real>(c.sigma02.value);
  p.sigma = sqrt(p.sigma2);
  p.sigma0 = sqrt(p.sigma02);
  p.plain = c.estimator == estimator_kind::plain;
  p.reference = c.engine == engine_kind::reference;
  p.record_downstream = c.record_downstream;
  p.record_generator = c.record_generator;
  p.record_design_trace = c.record_design_trace;
  p.sign_average = c.sign_average;
  p.layout = layout_of(c);
  p.seed = c.seed;
  return std::make_unique<engine<Real>>(std::move(p));
}

}  // namespace collapse::numerics::detail
