// numerics/engine_fast.hpp -- the fast engine of numerics/simulation_engine.hpp: exact in distribution
// in Σ's eigenbasis (chain steps by the Bartlett identity or a Householder QR, downstream designs by the
// Bartlett factor). Included only by simulate_<real>_fast.cpp, which instantiate it once per Real, apart
// from the rest of the engine (issue 15 item 7: these TUs compile in parallel).
#pragma once

#include "numerics/simulation_engine.hpp"

#include <limits>

namespace collapse::numerics::detail {

template <class Real>
chain_state<Real> fast_engine<Real>::step(const problem<Real>& p, const chain_state<Real>& prev, philox_stream& xr,
                                          philox_stream& er) {
  return p.T0 >= p.d ? underparameterised_step(p, prev, xr, er) : overparameterised_step(p, prev, xr, er);
}

// T0 >= d. The step X⁺E = (XᵀX)⁻¹XᵀE. With the Bartlett factor, XᵀX = Σ^{1/2}LLᵀΣ^{1/2} and
// XᵀE | XᵀX ~ N(0, σ0² XᵀX) = σ0 Σ^{1/2}L z, so the step is σ0 Σ^{-1/2} L^{-T} z: given L a
// N(0, σ0² Σ^{-1/2}W⁻¹Σ^{-1/2}) vector with W = LLᵀ ~ Wishart_d(I, T0). The law of u = L^{-T}z is
// rotation invariant (W is), so u = ‖u‖θ with θ uniform and independent of ‖u‖; and
// ‖u‖² = zᵀW⁻¹z =d ‖z‖² (W⁻¹)_11 with 1/(W⁻¹)_11 ~ χ²_{T0-d+1} independent of z (Schur
// complement of a Wishart). Hence u =d z/sqrt(g), g ~ χ²_{T0-d+1}: the triangular solve done in
// distribution, O(d) per generation, and E‖u‖² = d/(T0-d-1) as in §2.1.
// Rao–Blackwell: given g_1..g_k, ŵ_k ~ N(w0, c_k Σ⁻¹), c_k = σ0² Σ_i 1/g_i.
template <class Real>
chain_state<Real> fast_engine<Real>::underparameterised_step(const problem<Real>& p, const chain_state<Real>& prev,
                                                             philox_stream& xr, philox_stream& er) {
  Real g = Real(xr.chi_square(double(p.T0 - p.d + 1)));
  chain_state<Real> next;
  next.scalar_form = true;
  if (p.plain) {
    vector<Real> z = normals<Real>(er, p.d);
    next.mean = prev.mean + (p.sigma0 / sqrt_real(g)) * p.inv_sqrt_eig.cwiseProduct(z);
  } else {
    next.mean = prev.mean;
    next.c = prev.c + p.sigma02 / g;
  }
  return next;
}

// T0 < d: no exact low-dimensional law is used here (for general Σ the projector onto the row space
// of X is not a function of a Wishart matrix); the design is explicit, as in the reference engine
// and from the same stream, but solved by a Householder QR of B = Xᵀ = QR (d×T0, full column rank
// almost surely): P = QQᵀ and X⁺ = B(BᵀB)⁻¹ = Q R^{-T}.
// Rao–Blackwell: m_k = QQᵀm_{k-1}, C_k = Q[Qᵀ C_{k-1} Q + σ0² (RRᵀ)⁻¹]Qᵀ.
template <class Real>
chain_state<Real> fast_engine<Real>::overparameterised_step(const problem<Real>& p, const chain_state<Real>& prev,
                                                            philox_stream& xr, philox_stream& er) {
  matrix<Real> B = design(xr, p.T0, p.sqrt_eig).transpose();
  Eigen::HouseholderQR<matrix<Real>> qr(B);
  matrix<Real> Q = qr.householderQ() * matrix<Real>::Identity(p.d, p.T0);
  matrix<Real> R = qr.matrixQR().topLeftCorner(p.T0, p.T0).template triangularView<Eigen::Upper>();
  auto Rt = R.transpose().template triangularView<Eigen::Lower>();
  chain_state<Real> next;
  next.scalar_form = false;
  if (p.plain) {
    vector<Real> e = p.sigma0 * normals<Real>(er, p.T0);
    vector<Real> t = Q.transpose() * prev.mean + Rt.solve(e);
    next.mean = Q * t;
  } else {
    next.mean = Q * (Q.transpose() * prev.mean);
    matrix<Real> Rinv = R.template triangularView<Eigen::Upper>().solve(matrix<Real>::Identity(p.T0, p.T0));
    matrix<Real> inner = p.sigma02 * (Rinv.transpose() * Rinv);  // X⁺X⁺ᵀ = Q R^{-T}R^{-1} Qᵀ
    if (prev.scalar_form) {
      if (prev.c != 0) inner += prev.c * (Q.transpose() * p.eig.cwiseInverse().asDiagonal() * Q);
    } else {
      inner += Q.transpose() * prev.C * Q;
    }
    next.C = Q * inner * Q.transpose();
  }
  return next;
}

// ---- the downstream design ---------------------------------------------------------------------
template <class Real> bool fast_engine<Real>::all_lambda_zero(const problem<Real>& p) {
  for (const Real& l : p.lambda) if (l != 0) return false;
  return true;
}

template <class Real>
downstream_design<Real> fast_engine<Real>::downstream(const problem<Real>& p, philox_stream& xr, philox_stream& er) {
  if (p.T < p.d) return reference_engine<Real>::downstream(p, xr, er);
  downstream_design<Real> ds;
  if (all_lambda_zero(p)) {
    // OLS with T >= d: A = I and (XᵀX)⁻¹XᵀE =d σ Σ^{-1/2} z/sqrt(g), g ~ χ²_{T-d+1} (same
    // identity as the chain step). The RB noise term is then E_z = σ² d/g.
    ds.reduced = true;
    ds.g = Real(xr.chi_square(double(p.T - p.d + 1)));
    if (p.plain) ds.z = normals<Real>(er, p.d);
    return ds;
  }
  // Bartlett (1933): W = LLᵀ ~ Wishart_d(I, T) with L lower triangular, L_ii² ~ χ²_{T-i+1}
  // (i = 1..d), L_ij ~ N(0,1) for i > j, all independent; XᵀX =d Σ^{1/2} W Σ^{1/2}.
  matrix<Real> L = matrix<Real>::Zero(p.d, p.d);
  for (long i = 0; i < p.d; ++i) {
    L(i, i) = sqrt_real(Real(xr.chi_square(double(p.T - i))));
    for (long j = 0; j < i; ++j) L(i, j) = Real(xr.normal());
  }
  matrix<Real> H = p.sqrt_eig.asDiagonal() * L;
  matrix<Real> S = (H * H.transpose()) / Real(p.T);
  Eigen::SelfAdjointEigenSolver<matrix<Real>> es(S);
  // Same numerical-rank rule as the SVD route: eigenvalues (ascending) at or below
  // d·ε·s_max count as zero (pseudo-inverse at λ = 0).
  const auto& ev = es.eigenvalues();
  Real tol = ev[p.d - 1] * Real(p.d) * std::numeric_limits<Real>::epsilon();
  long first = 0;
  while (first < p.d && ev[first] <= tol) ++first;
  ds.V = es.eigenvectors().rightCols(p.d - first);
  ds.s = ev.tail(p.d - first);
  if (p.plain) {
    // XᵀE/T | S ~ N(0, σ² S/T); in S's eigenbasis independent coordinates with variances σ² s_i/T.
    vector<Real> z = normals<Real>(er, p.d);
    ds.e.resize(ds.s.size());
    for (long i = 0; i < ds.s.size(); ++i) ds.e[i] = p.sigma * sqrt_real(ds.s[i] / Real(p.T)) * z[first + i];
  }
  return ds;
}

}  // namespace collapse::numerics::detail
