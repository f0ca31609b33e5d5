// numerics/engine_reference.hpp -- the reference engine of numerics/simulation_engine.hpp: the protocol
// literally, explicit designs solved by a complete orthogonal decomposition (chain) and a thin SVD
// (downstream). Included only by simulate_<real>_reference.cpp, which instantiate it once per Real:
// these decompositions are the slowest code of the project to compile, so they live in translation
// units of their own (issue 15 item 7), compiled in parallel with the rest of the engine.
#pragma once

#include "numerics/simulation_engine.hpp"

#include <algorithm>
#include <limits>

namespace collapse::numerics::detail {

// Literal protocol: ŵ_k = X⁺(X ŵ_{k-1} + E), X⁺ by complete orthogonal decomposition (min-norm
// least squares). Rao–Blackwell: mean m_k = P m_{k-1} with P = X⁺X, covariance
// C_k = P C_{k-1} Pᵀ + σ0² X⁺X⁺ᵀ (the noise E enters linearly and is independent of the past).
template <class Real>
chain_state<Real> reference_engine<Real>::step(const problem<Real>& p, const chain_state<Real>& prev,
                                               philox_stream& xr, philox_stream& er) {
  matrix<Real> X = design(xr, p.T0, p.sqrt_eig);
  Eigen::CompleteOrthogonalDecomposition<matrix<Real>> cod(X);
  chain_state<Real> next;
  next.scalar_form = false;
  if (p.plain) {
    vector<Real> y = X * prev.mean + p.sigma0 * normals<Real>(er, p.T0);
    next.mean = cod.solve(y);
  } else if (cod.rank() == p.d) {
    // Full column rank (T0 >= d): P = X⁺X = I and X⁺X⁺ᵀ = (XᵀX)⁻¹. With the pivoted factor XΠ = QT
    // of the decomposition (Z = I at full rank), (XᵀX)⁻¹ = Π T⁻¹T⁻ᵀ Πᵀ: two O(d³) steps instead of
    // forming the d×T0 pseudo-inverse.
    matrix<Real> Tinv = cod.matrixT().topLeftCorner(p.d, p.d).template triangularView<Eigen::Upper>().solve(
        matrix<Real>::Identity(p.d, p.d));
    matrix<Real> G = Tinv * Tinv.transpose();
    next.mean = prev.mean;
    next.C = prev.C + p.sigma02 * (cod.colsPermutation() * G * cod.colsPermutation().transpose());
  } else {
    matrix<Real> pinv = cod.pseudoInverse();
    matrix<Real> P = pinv * X;
    next.mean = P * prev.mean;
    next.C = P * prev.C * P.transpose() + p.sigma02 * (pinv * pinv.transpose());
  }
  return next;
}

// Explicit X (T×d) and E; thin SVD X = U D Vᵀ gives s = D²/T and Vᵀ XᵀE/T = D ∘ (UᵀE)/T.
template <class Real>
downstream_design<Real> reference_engine<Real>::downstream(const problem<Real>& p, philox_stream& xr, philox_stream& er) {
  downstream_design<Real> ds;
  matrix<Real> X = design(xr, p.T, p.sqrt_eig);
  Eigen::BDCSVD<matrix<Real>> svd(X, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const auto& D = svd.singularValues();
  // Numerical rank: singular values below max(T, d)·eps·D_max are zero (pseudo-inverse).
  Real tol = D.size() ? D[0] * Real(std::max(p.T, p.d)) * std::numeric_limits<Real>::epsilon() : Real(0);
  long r = 0;
  while (r < D.size() && D[r] > tol) ++r;
  ds.V = svd.matrixV().leftCols(r);
  ds.s = D.head(r).cwiseAbs2() / Real(p.T);
  if (p.plain) {
    vector<Real> E = p.sigma * normals<Real>(er, p.T);
    vector<Real> UtE = svd.matrixU().leftCols(r).transpose() * E;
    ds.e = D.head(r).cwiseProduct(UtE) / Real(p.T);
  }
  return ds;
}

}  // namespace collapse::numerics::detail
