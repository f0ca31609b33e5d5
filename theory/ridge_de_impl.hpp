// theory/ridge_de_impl.hpp -- the definitions of theory/ridge_de.hpp (its header comment gives the formulas, §
// references and verification). Inside this project's build only theory/instances/ridge_de.cpp and tests that need
// other scalar types include this file (issue 15 item 7).
// Verified by: tests/theory/test_de.cpp (isotropic closed form §3.5, λ → 0 limits = §2.3/§2.4),
// tests/theory/test_edge_sweep.cpp (the λ → 0+ limit at d = T, an explicit spectrum spanning 1e±120).
#pragma once

#include "theory/ridge_de.hpp"

#include "theory/kappa.hpp"
#include "theory/threshold.hpp"

namespace collapse {
/// Pieces shared by the ridge DE and its κ-derivative: everything at a given κ with λ = λ(κ).
template <class Real> struct ridge_pieces {
  Real kappa, lambda, df1, df2, trSQ2, T_minus_df2, T_plus_d_minus_2df1, B;
  /// T − df2 with the λ → 0+ limits at the threshold d = T (theory/threshold.hpp).
  amplification_gap<Real> gap() const { return amplification_gap<Real>::at(kappa, T_minus_df2, "d = T"); }
};

/// The spectral pieces at κ, with λ the value that makes κ the effective regularisation.
/// `lambda` is passed when known exactly (then Tλ/κ uses it), else computed as κ(1 − df1/T).
template <class Real>
ridge_pieces<Real> ridge_pieces_at(const spectrum<Real>& s, const Real& T, const Real& kappa, const Real& lambda,
                                   bool need_collapse) {
  ridge_pieces<Real> p;
  p.kappa = kappa;
  p.lambda = lambda;
  if (kappa == 0) {  // λ = 0, d ≤ T: A = I on the row space; df_m = d (§2.3)
    const Real& d = s.dimension();
    p.df1 = p.df2 = d;
    p.trSQ2 = 0;
    p.T_minus_df2 = T - d;
    p.T_plus_d_minus_2df1 = T - d;
    p.B = 0;
    return p;
  }
  p.df1 = df(s, kappa, 1);
  p.df2 = df(s, kappa, 2);
  p.trSQ2 = tr_sigma_Q2(s, kappa);
  const Real T_lambda_over_kappa = T * lambda / kappa;  // = T − df1 at the root (§3.1)
  p.T_minus_df2 = T_lambda_over_kappa + kappa * p.trSQ2;
  if (need_collapse) p.T_plus_d_minus_2df1 = T_lambda_over_kappa + kappa_complement(s, kappa);
  p.B = bias_numerator(s, kappa);
  return p;
}

namespace detail {
template <class Real> void check_generator(const spectrum<Real>& s, const ridge_params<Real>& p) {
  if (p.n == 0) return;
  if (s.infinite())
    throw domain_error("d", "inf", "a finite d when n >= 1", "the under-parameterised generator needs T0 >= d + 2 (§5.1)");
  if (!(p.sigma02 >= 0)) throw domain_error("sigma02", value_text(p.sigma02), "sigma02 >= 0");
  // Noiseless generators on a full-rank design (T0 >= d) reproduce w0 exactly: no collapse term, and the
  // factor 1/(T0 − d − 1) multiplies 0 (theory/domain.hpp: only sigma02 > 0 makes T0 in {d, d+1} infinite).
  if (p.sigma02 == 0 && p.T0 >= s.dimension()) return;
  if (!(p.T0 - s.dimension() - 1 >= 1))
    throw domain_error("T0", value_text(p.T0),
                       "T0 >= d + 2 = " + value_text(Real(s.dimension() + 2)) + " when n >= 1 and sigma02 > 0 (T0 >= d when sigma02 = 0)",
                       "E(X'X)^-1 is infinite for T0 <= d + 1 (§2.1); T0 < d is the over-parameterised chain (overgen-risk, §4.3)");
}
}  // namespace detail

// ridge_risk: documented in theory/ridge_de.hpp
template <class Real> ridge_risk_result<Real> ridge_risk(const spectrum<Real>& s, const ridge_params<Real>& p) {
  if (!(p.sigma2 >= 0)) throw domain_error("sigma2", value_text(p.sigma2), "sigma2 >= 0");
  if (!(p.n >= 0)) throw domain_error("n", value_text(p.n), "n >= 0");
  detail::check_generator(s, p);
  ridge_risk_result<Real> r;
  r.kappa = solve_kappa(s, p.T, p.lambda);
  auto pc = ridge_pieces_at(s, p.T, r.kappa.kappa, p.lambda, p.n > 0 && p.sigma02 > 0);
  r.df1 = pc.df1;
  r.df2 = pc.df2;
  // At the threshold d = T with λ = 0 each term is its λ → 0+ limit (theory/threshold.hpp): the bias
  // B T/(T − df2) ~ κ T Σ_j w2_j/λ_j /(2 tr Σ⁻¹) → 0, the variance is refused unless σ² = 0,
  // (T + d − 2df1)/(T − df2) → 1 so ρ → d/(T0 − d − 1), and T + d − 2df1 → 0 so σ_eff² → σ².
  const auto gap = pc.gap();
  r.bias = gap.vanishing_over(pc.B * p.T);  // B/(1 − df2/T)
  r.variance = gap.noise_over(p.sigma2, pc.df2);
  r.sigma_eff2 = p.sigma2;
  if (p.n > 0 && p.sigma02 > 0) {
    const Real denom = p.T0 - s.dimension() - 1;
    r.rho = gap.threshold ? Real(pc.df2 / denom) : Real(pc.df2 * pc.T_plus_d_minus_2df1 / (denom * pc.T_minus_df2));
    r.collapse = p.n * p.sigma02 * r.rho;
    r.sigma_eff2 += p.n * p.sigma02 * pc.T_plus_d_minus_2df1 / denom;
  }
  r.total = r.bias + r.variance + r.collapse;
  return r;
}

// effective_noise: documented in theory/ridge_de.hpp
template <class Real> Real effective_noise(const spectrum<Real>& s, const ridge_params<Real>& p) {
  if (!(p.sigma2 >= 0)) throw domain_error("sigma2", value_text(p.sigma2), "sigma2 >= 0");
  ridge_params<Real> noiseless = p;
  noiseless.sigma2 = 0;
  return p.sigma2 + ridge_risk(s, noiseless).sigma_eff2;
}

}  // namespace collapse
