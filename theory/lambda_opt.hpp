// theory/lambda_opt.hpp -- the ridge λ that minimises the §3.3 deterministic equivalent for any
// spectrum (theory document §6, "General Σ"), to full precision.
//
// Parametrise by κ ≥ κ_0(T), with λ(κ) = κ(1 − df1(κ)/T) (the κ equation of §3.1 solved for λ). Then
//   E(κ) = [T·B + σ_eff² df2] / D,   D = T − df2 = (T − df1) + κ tr ΣQ²,
//   σ_eff² = σ² + nσ0² c/(T0−d−1),   c = T + d − 2df1 = (T − df1) + Σ_j κ/(λ_j+κ),
// and with df1' = −tr ΣQ² =: −t1, df2' = −2 Σ_j λ_j²/(λ_j+κ)³ =: −2 t2, B' = 2κ Σ_j λ_j² w2_j/(λ_j+κ)³:
//   E' ∝ N'D − N D',   N = TB + σ_eff² df2,   N' = TB' + (2nσ0² t1/(T0−d−1)) df2 − 2σ_eff² t2,   D' = 2 t2.
// A minimiser would locate λ* only to √eps; the root of E' is located to full precision instead:
// a log-spaced scan in double finds the first sign change of E' (− to +), TOMS 748 refines it in Real.
// If E' ≥ 0 already at κ_0, the optimum is the boundary λ* = 0 (interpolation), reported as such.
// Verified by: tests/theory/test_lambda_opt.cpp (isotropic quartic §6 to full precision; the doc's
// power-law values λ* = 7.23e-4, 0.0279, 0.0800, 0.0254).
#pragma once

#include "theory/ridge_de.hpp"

#include <boost/math/tools/roots.hpp>

#include <cmath>
#include <type_traits>

namespace collapse {

template <class Real> struct lambda_opt_params { Real T = 0, sigma2 = 0, n = 0, T0 = 0, sigma02 = 0; };

template <class Real> struct lambda_opt_result {
  Real lambda = 0, kappa = 0, risk = 0;
  bool at_boundary = false;  // λ* = 0: interpolation is optimal
  int iterations = 0;
};

namespace detail {

template <class Real> struct risk_and_slope { Real E, slope_sign_part; Real lambda; };

/// E(κ) and the numerator of E'(κ) (its sign is the sign of E').
template <class Real> risk_and_slope<Real> risk_slope_at(const spectrum<Real>& s, const lambda_opt_params<Real>& p, const Real& k) {
  const bool collapse = p.n > 0;
  const Real df1 = df(s, k, 1), df2 = df(s, k, 2), t1 = tr_sigma_Q2(s, k);
  const Real t2 = s.value({-1, 0, {{k, 3}}});
  const Real B = bias_numerator(s, k);
  const Real b3 = s.value({-1, 1, {{k, 3}}});
  Real T_minus_df1 = s.infinite() ? Real(p.T - df1) : Real((p.T - s.dimension()) + kappa_complement(s, k));
  const Real D = T_minus_df1 + k * t1;
  Real seff = p.sigma2, seff_prime = 0;
  if (collapse) {
    const Real denom = p.T0 - s.dimension() - 1;
    const Real c = T_minus_df1 + kappa_complement(s, k);
    seff += p.n * p.sigma02 * c / denom;
    seff_prime = 2 * p.n * p.sigma02 * t1 / denom;
  }
  const Real N = p.T * B + seff * df2;
  const Real Nprime = p.T * 2 * k * b3 + seff_prime * df2 - 2 * seff * t2;
  return {N / D, Nprime * D - N * 2 * t2, k * T_minus_df1 / p.T};
}

}  // namespace detail

template <class Real> lambda_opt_result<Real> lambda_opt(const spectrum<Real>& s, const lambda_opt_params<Real>& p) {
  using std::log; using std::exp;
  if (!(p.sigma2 >= 0)) throw domain_error("sigma2", "negative", "sigma2 >= 0");
  ridge_params<Real> rp; rp.T = p.T; rp.n = p.n; rp.T0 = p.T0; rp.sigma02 = p.sigma02;
  detail::check_generator(s, rp);
  lambda_opt_result<Real> out;
  const Real kmin = solve_kappa0(s, p.T).kappa;
  const bool at_threshold = !s.infinite() && s.dimension() == p.T;
  // --- scan in double for the first sign change of E' ------------------------------------------------
  spectrum<double> sd(s.spec());
  lambda_opt_params<double> pd{static_cast<double>(p.T), static_cast<double>(p.sigma2), static_cast<double>(p.n),
                               static_cast<double>(p.T0), static_cast<double>(p.sigma02)};
  const double scale = static_cast<double>(trace_sigma(s) / p.T) + 1.0;
  double k_lo = static_cast<double>(kmin) > 0 ? static_cast<double>(kmin) * (1 + 1e-9) : scale * 1e-14;
  if (at_threshold) k_lo = scale * 1e-14;
  const double k_hi = scale * 1e8;
  const int steps = 240;
  double prev = k_lo, a = 0, b = 0;
  bool found = false, boundary = false;
  for (int i = 0; i <= steps; ++i) {
    double k = k_lo * std::pow(k_hi / k_lo, double(i) / steps);
    double sl = detail::risk_slope_at(sd, pd, k).slope_sign_part;
    if (sl >= 0) {
      if (i == 0) boundary = true;
      else { a = prev; b = k; found = true; }
      break;
    }
    prev = k;
  }
  if (boundary && !at_threshold && static_cast<double>(kmin) >= 0) {
    out.at_boundary = true;
    out.kappa = kmin;
    out.lambda = 0;
    if (kmin == 0 && !s.infinite()) {  // d < T: the OLS limit
      ridge_params<Real> r0 = rp; r0.sigma2 = p.sigma2; r0.lambda = 0;
      out.risk = ridge_risk(s, r0).total;
    } else {
      out.risk = detail::risk_slope_at(s, p, kmin).E;
    }
    return out;
  }
  if (!found) throw convergence_error("lambda-opt: the risk does not turn upward for kappa up to 1e8 x tr(Sigma)/T");
  // --- refine in Real -----------------------------------------------------------------------------
  auto h = [&](const Real& k) { return detail::risk_slope_at(s, p, k).slope_sign_part; };
  Real A = Real(a), Bk = Real(b);
  if (!(h(A) < 0)) A = kmin > 0 ? Real(kmin * (1 + ldexp(Real(1), 8 - digits2<Real>()))) : Real(a / 2);
  if (!(h(Bk) >= 0)) Bk = Real(b * 2);
  std::uintmax_t iters = 500;
  auto br = boost::math::tools::toms748_solve(h, A, Bk, boost::math::tools::eps_tolerance<Real>(digits2<Real>() - 3), iters);
  if (iters >= 500) throw convergence_error("lambda-opt: TOMS748 did not converge");
  out.kappa = (br.first + br.second) / 2;
  auto at = detail::risk_slope_at(s, p, out.kappa);
  out.lambda = at.lambda;
  out.risk = at.E;
  out.iterations = static_cast<int>(iters);
  return out;
}

}  // namespace collapse
