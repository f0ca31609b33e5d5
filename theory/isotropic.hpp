// theory/isotropic.hpp -- closed forms for Σ = I in the proportional limit (theory document §3.5,
// §4.2, §6): κ(φ, λ), the ridge risk with collapse, the over-parameterised chain followed by ridge,
// and the optimal λ from the quartic.
// Verified by: tests/theory/test_isotropic.cpp (against the general-spectrum code of ridge_de.hpp /
// overgen_de.hpp with an isotropic spectrum, and the λ → 0 limits of §2.3/§2.4).
#pragma once

#include "theory/errors.hpp"
#include "theory/real.hpp"

#include <boost/math/tools/roots.hpp>

#include <vector>

namespace collapse {

/// κ(φ, λ) for Σ = I (§3.5): κ = [(λ+φ−1) + √((λ+φ−1)² + 4λ)]/2, evaluated as 2λ/(√(·) − (λ+φ−1))
/// when λ+φ−1 < 0 (no cancellation); λ = 0 gives max(0, φ−1).
template <class Real> Real iso_kappa(const Real& phi, const Real& lambda) {
  using std::sqrt;
  if (!(phi > 0)) throw domain_error("phi", "non-positive", "phi > 0");
  if (!(lambda >= 0)) throw domain_error("lambda", "negative", "lambda >= 0");
  if (lambda == 0) return phi > 1 ? Real(phi - 1) : Real(0);
  const Real b = (phi - 1) + lambda;  // φ − 1 first: exact for rational φ near 1, no absorption of λ
  const Real root = sqrt(b * b + 4 * lambda);
  return b >= 0 ? Real((b + root) / 2) : Real(2 * lambda / (root - b));
}

/// (1+κ)² − φ evaluated as (1−φ) + κ(2+κ) (§8.2).
template <class Real> Real iso_gap(const Real& phi, const Real& kappa) { return (1 - phi) + kappa * (2 + kappa); }

template <class Real> struct iso_risk_result { Real kappa, clean, collapse, total; };

/// E_n ≃ R_clean(λ; a + m, s) + m(1−κ)/(1+κ),  R_clean(λ; a, s) = [κ²a + sφ]/((1+κ)² − φ)   (§3.5)
/// with m = m_col (n σ0² d/(T0−d−1), or n σ0² φ0/(1−φ0) in the limit).
template <class Real> iso_risk_result<Real> iso_risk(const Real& phi, const Real& lambda, const Real& a, const Real& s, const Real& m) {
  if (!(a >= 0)) throw domain_error("w0norm2", "negative", "w0norm2 >= 0");
  if (!(s >= 0)) throw domain_error("sigma2", "negative", "sigma2 >= 0");
  if (!(m >= 0)) throw domain_error("m", "negative", "m >= 0");
  if (lambda == 0 && phi == 1) throw domain_error("lambda", "0", "lambda > 0 when phi = 1", "the ridgeless variance is infinite at phi = 1 (§8.2)");
  iso_risk_result<Real> r;
  r.kappa = iso_kappa(phi, lambda);
  const Real& k = r.kappa;
  const Real gap = iso_gap(phi, k);
  r.clean = (k * k * a + s * phi) / gap;
  // collapse part: m·[(1+κ)² − φ + κ²φ]/[(1+κ)²((1+κ)² − φ)]  (= R_clean's m-share + m(1−κ)/(1+κ)), positive form
  r.collapse = m * (gap + k * k * phi) / ((1 + k) * (1 + k) * gap);
  r.total = r.clean + r.collapse;
  return r;
}

template <class Real> struct iso_overgen_result { Real kappa, alpha1, alpha2, V, E0, Einf, total; };

/// Isotropic ridge after n steps of the over-parameterised min-norm chain, proportional limit (§4.1–4.2):
///   E_n = E_0 + (1 − qⁿ)(E_∞ − E_0),  q = 1/φ0,  with
///   E_0 = aκ²/((1+κ)²−φ) + V,  E_∞ − E_0 = a(2α1 − α2) + α2 σ0² φ0/(φ0−1)²,
///   α1 = 1/(1+κ),  α2 = [(1+κ)²−φ+κ²φ]/[(1+κ)²((1+κ)²−φ)],  V = σ²φ/((1+κ)²−φ).
/// Every piece is a sum of positive terms (2α1 − α2 ≥ α1 since A² ≤ A).
template <class Real>
iso_overgen_result<Real> overgen_iso_risk(const Real& phi, const Real& phi0, const Real& lambda, const Real& n,
                                          const Real& a, const Real& s, const Real& s0, const Real& one_minus_qn) {
  if (!(phi0 > 1)) throw domain_error("phi0", "at most 1", "phi0 > 1 (over-parameterised generator, T0 < d)");
  if (lambda == 0 && phi == 1) throw domain_error("lambda", "0", "lambda > 0 when phi = 1", "the ridgeless variance is infinite at phi = 1");
  iso_overgen_result<Real> r;
  r.kappa = iso_kappa(phi, lambda);
  const Real& k = r.kappa;
  const Real gap = iso_gap(phi, k), t2 = (1 + k) * (1 + k);
  r.alpha1 = 1 / (1 + k);
  r.alpha2 = (gap + k * k * phi) / (t2 * gap);
  r.V = s * phi / gap;
  r.E0 = a * k * k / gap + r.V;
  const Real excess = a * (2 * r.alpha1 - r.alpha2) + r.alpha2 * s0 * phi0 / ((phi0 - 1) * (phi0 - 1));
  r.Einf = r.E0 + excess;
  r.total = r.E0 + one_minus_qn * excess;
  return r;
}

template <class Real> struct iso_lambda_opt_result { Real lambda, kappa, t, risk; int iterations; };

/// Optimal λ for Σ = I with collapse (§6): t = 1+κ is the largest real root above max(1, φ) of
///   a t⁴ − [(a+m)(1+φ) + sφ] t³ + (a+3m)φ t² − mφ² = 0,   λ* = (t−1)(t−φ)/t.
/// The quartic is negative at t = max(1, φ) (it equals −m(1−φ)² − sφ at t = 1 and −mφ²(1−φ)² − sφ⁴ at
/// t = φ), so the largest root is bracketed by [max(1,φ), Cauchy bound]; it is isolated by scanning
/// down from the bound in double and refined by TOMS 748 in Real to the last bit.
template <class Real> iso_lambda_opt_result<Real> iso_lambda_opt(const Real& phi, const Real& a, const Real& s, const Real& m) {
  using std::abs;
  if (!(phi > 0)) throw domain_error("phi", "non-positive", "phi > 0");
  if (!(a > 0)) throw domain_error("w0norm2", "non-positive", "w0norm2 > 0", "with a = 0 the best λ is infinite (predict 0)");
  if (!(s >= 0)) throw domain_error("sigma2", "negative", "sigma2 >= 0");
  if (!(m >= 0)) throw domain_error("m", "negative", "m >= 0");
  if (s == 0 && m == 0) throw domain_error("sigma2", "0", "sigma2 > 0 or m > 0", "without noise the optimum is λ → 0 (no interior minimum)");
  const Real c4 = a, c3 = -((a + m) * (1 + phi) + s * phi), c2 = (a + 3 * m) * phi, c0 = -m * phi * phi;
  auto p = [&](const Real& t) { return (((c4 * t + c3) * t + c2) * t) * t + c0; };
  const Real lo = phi > 1 ? phi : Real(1);
  Real bound = 1 + (abs(c3) + abs(c2) + abs(c0)) / c4;
  if (bound < lo) bound = lo * 2;
  // Scan down in double from the bound for the first sign change (the largest root).
  const double lod = static_cast<double>(lo), bd = static_cast<double>(bound);
  double hi_d = bd, lo_d = lod;
  auto pd = [&](double t) { double C4 = static_cast<double>(c4), C3 = static_cast<double>(c3), C2 = static_cast<double>(c2), C0 = static_cast<double>(c0); return (((C4 * t + C3) * t + C2) * t) * t + C0; };
  const int steps = 4000;
  for (int i = 1; i <= steps; ++i) {
    double t = lod * std::pow(bd / lod, 1.0 - double(i) / steps);
    if (pd(t) <= 0) { lo_d = t; break; }
    hi_d = t;
  }
  Real a_br = Real(lo_d), b_br = Real(hi_d);
  if (!(p(a_br) <= 0)) a_br = lo;
  if (!(p(b_br) > 0)) b_br = bound;
  std::uintmax_t iters = 400;
  auto br = boost::math::tools::toms748_solve(p, a_br, b_br, boost::math::tools::eps_tolerance<Real>(digits2<Real>() - 2), iters);
  if (iters >= 400) throw convergence_error("iso-lambda-opt: TOMS748 did not converge");
  iso_lambda_opt_result<Real> r;
  r.t = (br.first + br.second) / 2;
  r.kappa = r.t - 1;
  r.lambda = (r.t - 1) * (r.t - phi) / r.t;
  r.iterations = static_cast<int>(iters);
  if (r.lambda < 0) r.lambda = 0;
  r.risk = iso_risk(phi, r.lambda, a, s, m).total;
  return r;
}

}  // namespace collapse
