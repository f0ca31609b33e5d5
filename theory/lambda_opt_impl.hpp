// theory/lambda_opt_impl.hpp -- the definitions of theory/lambda_opt.hpp (its header comment gives the formulas, §
// references and verification). Inside this project's build only theory/instances/lambda_opt.cpp and tests that
// need other scalar types include this file (issue 15 item 7).
// Verified by: tests/theory/test_de.cpp (isotropic quartic §6 to 45 digits), tests/theory/test_asymptotics.cpp
// (§5.5 limit), tests/theory/test_edge_sweep.cpp (λ* = σ²φ/a for Σ = I from σ² = 1 down to 1e-40, T ∈ {d−1, …, d+2};
// φ from 1e-60 to 1e160 × σ² from 0 to 1 × (‖w0‖², m) against the §6 quartic in exact rationals,
// tests/theory/data/lambda_opt_reference.csv).
#pragma once

#include "theory/lambda_opt.hpp"
#include "theory/ridge_de_impl.hpp"

#include "theory/ridge_de.hpp"

#include <boost/math/tools/roots.hpp>

#include <cmath>
#include <type_traits>

namespace collapse {
namespace detail {

template <class Real> struct risk_and_slope { Real E, slope_sign_part; Real lambda; };

/// E(κ) and the numerator of E'(κ) (its sign is the sign of E').
template <class Real> risk_and_slope<Real> risk_slope_at(const spectrum<Real>& s, const lambda_opt_params<Real>& p, const Real& k) {
  const bool collapse = p.n > 0 && p.sigma02 > 0;  // σ0² = 0: no collapse term (T0 may then be d or d + 1)
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

namespace detail {

enum class boundary_decision { interior, boundary };

/// Whether λ* = 0 (interpolation) is optimal, decided with a certified sign (issue 8):
///  * d < T (κ_0 = 0): E'(0) = −2 tr Σ⁻¹ [σ² T/(T−d)² + nσ0²/(T0−d−1)] exactly, so λ* = 0 iff there is
///    no noise at all (σ² = 0 and nσ0² = 0);
///  * d = T (κ_0 = 0, T − df2 → 0): σ² > 0 makes E → ∞ at κ → 0 (interior); with σ² = 0 the expansion
///    E(κ) = K d + κ [T Σw2/λ /(2a1) + K(d a2/(2a1) − 2a1)] + O(κ²), K = nσ0²/(T0−d−1), a_k = Σ_j λ_j^-k,
///    decides by the sign of the bracket;
///  * d > T or d = ∞ (κ_0 > 0, where T − df1 = 0 exactly): the numerator of E'(κ_0) is
///    2Tκ0² Q + 2K κ0 t1² df2 − 2T t2 (σ² + K c),  Q = Σλ²w2/(λ+κ)³ · t1 − Σλw2/(λ+κ)² · t2,
///    c = Σ_j κ/(λ_j+κ); Q = 0 exactly for Σ = I. Its sign must exceed its rounding error (64 eps of the
///    sum of the magnitudes), else convergence_error; an exact 0 (Σ = I without noise: the stationary
///    point is κ_0 itself) is the boundary.
template <class Real> boundary_decision decide_boundary(const spectrum<Real>& s, const lambda_opt_params<Real>& p, const Real& k0) {
  const Real K = p.n > 0 && p.sigma02 > 0 ? Real(p.n * p.sigma02 / (p.T0 - s.dimension() - 1)) : Real(0);
  const Real eps = epsilon<Real>();
  auto sign_of = [&](const Real& value, const Real& magnitude) {
    if (value > 64 * eps * magnitude) return boundary_decision::boundary;
    if (value < -64 * eps * magnitude) return boundary_decision::interior;
    throw convergence_error("lambda-opt: cannot decide at this precision whether lambda* = 0 (dE/dkappa at kappa0 = " +
                            value_text(k0) + " is below its rounding error)");
  };
  if (k0 == 0) {
    if (p.sigma2 == 0 && K == 0) return boundary_decision::boundary;
    if (s.dimension() < p.T || p.sigma2 > 0) return boundary_decision::interior;
    const Real d = s.dimension(), a1 = s.value({-1, 0, {}}), a2 = s.value({-2, 0, {}}), u = s.value({-1, 1, {}});
    const Real bias = p.T * u / (2 * a1), plus = K * d * a2 / (2 * a1), minus = 2 * K * a1;
    return sign_of(bias + plus - minus, bias + plus + minus);
  }
  const Real t1 = tr_sigma_Q2(s, k0), t2 = s.value({-1, 0, {{k0, 3}}}), df2 = df(s, k0, 2);
  Real bias = 0, bias_magnitude = 0;
  if (!s.isotropic()) {
    const Real b3 = s.value({-1, 1, {{k0, 3}}}), b2 = s.value({-1, 1, {{k0, 2}}});
    bias = 2 * p.T * k0 * k0 * (b3 * t1 - b2 * t2);
    bias_magnitude = 2 * p.T * k0 * k0 * (b3 * t1 + b2 * t2);
  }
  const Real c = K > 0 ? kappa_complement(s, k0) : Real(0);
  const Real plus = 2 * K * k0 * t1 * t1 * df2, minus = 2 * p.T * t2 * (p.sigma2 + K * c);
  const Real value = bias + plus - minus, magnitude = bias_magnitude + plus + minus;
  if (magnitude == 0) return boundary_decision::boundary;  // Σ = I, no noise: E' = 0 at κ_0, > 0 beyond
  return sign_of(value, magnitude);
}

}  // namespace detail

// lambda_opt: documented in theory/lambda_opt.hpp
template <class Real> lambda_opt_result<Real> lambda_opt(const spectrum<Real>& s, const lambda_opt_params<Real>& p) {
  using std::ldexp;
  if (!(p.sigma2 >= 0)) throw domain_error("sigma2", value_text(p.sigma2), "sigma2 >= 0");
  ridge_params<Real> rp; rp.T = p.T; rp.n = p.n; rp.T0 = p.T0; rp.sigma02 = p.sigma02; rp.sigma2 = p.sigma2;
  detail::check_generator(s, rp);
  lambda_opt_result<Real> out;
  const Real kmin = solve_kappa0(s, p.T).kappa;
  if (detail::decide_boundary(s, p, kmin) == detail::boundary_decision::boundary) {
    out.at_boundary = true;
    out.kappa = kmin;
    out.lambda = 0;
    rp.lambda = 0;
    out.risk = ridge_risk(s, rp).total;  // the λ → 0+ limit (d = T included, ridge_de.hpp)
    return out;
  }
  auto h = [&](const Real& k) { return detail::risk_slope_at(s, p, k).slope_sign_part; };
  // --- scan in double for the first sign change of E' ------------------------------------------------
  const bool at_threshold = !s.infinite() && s.dimension() == p.T;
  spectrum<double> sd(s.spec());
  lambda_opt_params<double> pd{static_cast<double>(p.T), static_cast<double>(p.sigma2), static_cast<double>(p.n),
                               static_cast<double>(p.T0), static_cast<double>(p.sigma02)};
  const double scale = static_cast<double>(trace_sigma(s) / p.T) + 1.0;
  double k_lo = static_cast<double>(kmin) > 0 ? static_cast<double>(kmin) * (1 + 1e-9) : scale * 1e-14;
  if (at_threshold) k_lo = scale * 1e-14;
  const double k_hi = scale * 1e8;
  const int steps = 240;
  double prev = k_lo, a = k_lo, b = k_hi;
  bool first_nonnegative = false;
  for (int i = 0; i <= steps; ++i) {
    double k = k_lo * std::pow(k_hi / k_lo, double(i) / steps);
    double sl = detail::risk_slope_at(sd, pd, k).slope_sign_part;
    if (sl >= 0) {
      if (i == 0) first_nonnegative = true;
      a = prev; b = k;
      break;
    }
    prev = k;
    a = k;
  }
  // --- check the bracket in Real, extending it by factors of 16 where double was not enough -------------
  Real A = first_nonnegative ? Real(kmin + (Real(k_lo) - kmin) / 16) : Real(a), Bk = Real(b);
  if (!(A > kmin)) A = kmin + (Bk - kmin) / 16;
  // Below κ_0 + 16 ulps the sign of E' is rounding: an optimum there is refused, not guessed. Just above it
  // the root may carry few correct digits; the caller's two-precision certification then asks for more.
  const Real floor = kmin * ldexp(Real(1), 4 - digits2<Real>());
  for (int tries = 0; !(h(A) < 0); ++tries) {
    if (tries > 1000 || !(A - kmin > floor))
      throw convergence_error("lambda-opt: the optimum lies closer to kappa0 = " + value_text(kmin) +
                              " than the working precision resolves");
    Bk = A;
    const Real next = (A - kmin) / 16;
    A = kmin + (next > floor ? next : floor);
  }
  for (int tries = 0; !(h(Bk) >= 0); ++tries) {
    A = Bk;
    Bk = kmin + (Bk - kmin) * 16;
    if (tries > 250) throw convergence_error("lambda-opt: the risk does not turn upward for kappa up to 1e300 x (tr(Sigma)/T + 1)");
  }
  // --- refine in Real -----------------------------------------------------------------------------
  std::uintmax_t iters = 500;
  try {
    auto br = boost::math::tools::toms748_solve(h, A, Bk, boost::math::tools::eps_tolerance<Real>(digits2<Real>() - 3), iters);
    out.kappa = (br.first + br.second) / 2;
  } catch (const std::exception& e) {
    throw convergence_error(std::string("lambda-opt: the root of dE/dkappa could not be refined (") + e.what() + ")");
  }
  if (iters >= 500) throw convergence_error("lambda-opt: TOMS748 did not converge");
  auto at = detail::risk_slope_at(s, p, out.kappa);
  out.lambda = at.lambda;
  out.risk = at.E;
  out.iterations = static_cast<int>(iters);
  return out;
}

}  // namespace collapse
