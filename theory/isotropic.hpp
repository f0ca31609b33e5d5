// theory/isotropic.hpp -- closed forms for Σ = I in the proportional limit (theory document §3.5,
// §4.2, §6): κ(φ, λ), the ridge risk with collapse, the over-parameterised chain followed by ridge,
// and the optimal λ from the quartic.
// Verified by: tests/theory/test_de.cpp (against the general-spectrum code of ridge_de.hpp /
// overgen_de.hpp with an isotropic spectrum, the doc's §6 values), tests/theory/test_edge_sweep.cpp
// (φ from 1e-60 to 1e160, λ from 1e-300 to 1e300, against the closed forms at 1000 digits).
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
  if (!(phi > 0)) throw domain_error("phi", value_text(phi), "phi > 0");
  if (!(lambda >= 0)) throw domain_error("lambda", value_text(lambda), "lambda >= 0");
  if (lambda == 0) return phi > 1 ? Real(phi - 1) : Real(0);
  const Real b = (phi - 1) + lambda;  // φ − 1 first: exact for rational φ near 1, no absorption of λ
  const Real root = sqrt(b * b + 4 * lambda);
  return b >= 0 ? Real((b + root) / 2) : Real(2 * lambda / (root - b));
}

/// (1+κ)² − φ at the root of the κ equation, as a sum of positive terms: t² − φ = t(t − φ) + φ(t − 1) with
/// t = 1+κ and t − φ = λt/κ, so (1+κ)² − φ = λ(1+κ)²/κ + φκ (the isotropic form of T − df2 = Tλ/κ + κ tr ΣQ²,
/// §8.2). The form (1−φ) + κ(2+κ) cancels for φ > 1 and tiny λ (κ ≈ φ − 1). κ = 0 (λ = 0, φ < 1): 1 − φ.
template <class Real> Real iso_gap(const Real& phi, const Real& kappa, const Real& lambda) {
  if (kappa == 0) return 1 - phi;
  return lambda * (1 + kappa) * (1 + kappa) / kappa + phi * kappa;
}

template <class Real> struct iso_risk_result { Real kappa, clean, collapse, total; };

/// E_n ≃ R_clean(λ; a + m, s) + m(1−κ)/(1+κ),  R_clean(λ; a, s) = [κ²a + sφ]/((1+κ)² − φ)   (§3.5)
/// with m = m_col (n σ0² d/(T0−d−1), or n σ0² φ0/(1−φ0) in the limit).
template <class Real> iso_risk_result<Real> iso_risk(const Real& phi, const Real& lambda, const Real& a, const Real& s, const Real& m) {
  if (!(a >= 0)) throw domain_error("w0norm2", value_text(a), "w0norm2 >= 0");
  if (!(s >= 0)) throw domain_error("sigma2", value_text(s), "sigma2 >= 0");
  if (!(m >= 0)) throw domain_error("m", value_text(m), "m >= 0");
  if (lambda == 0 && phi == 1) throw domain_error("lambda", "0", "lambda > 0 when phi = 1", "the ridgeless variance is infinite at phi = 1 (§8.2)");
  iso_risk_result<Real> r;
  r.kappa = iso_kappa(phi, lambda);
  const Real& k = r.kappa;
  const Real gap = iso_gap(phi, k, lambda);
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
  if (!(phi0 > 1)) throw domain_error("phi0", value_text(phi0), "phi0 > 1 (over-parameterised generator, T0 < d)");
  if (lambda == 0 && phi == 1) throw domain_error("lambda", "0", "lambda > 0 when phi = 1", "the ridgeless variance is infinite at phi = 1");
  iso_overgen_result<Real> r;
  r.kappa = iso_kappa(phi, lambda);
  const Real& k = r.kappa;
  const Real gap = iso_gap(phi, k, lambda), t2 = (1 + k) * (1 + k);
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

/// Optimal λ for Σ = I with collapse (§6): t = 1+κ is the largest real root above L = max(1, φ) of
///   a t⁴ − [(a+m)(1+φ) + sφ] t³ + (a+3m)φ t² − mφ² = 0,   λ* = (t−1)(t−φ)/t.
/// The root is sought in the shifted variable x = t − L ≥ 0 (x = κ for φ ≤ 1, x = t − φ for φ > 1), with
/// the shifted coefficients expanded symbolically, so that neither x nor λ* = κ(t−φ)/t is ever a
/// difference of nearly equal numbers: at φ = 1e-54 the root is κ ≈ 1e-54, which t = 1 + κ cannot hold
/// (issue 8). The shifted quartic is negative at x = 0 (−m(1−φ)² − sφ for φ ≤ 1, −φ²(m(φ−1)² + sφ²)
/// for φ > 1); the largest root is bracketed by scanning down from Fujiwara's bound in steps of 2^(1/8)
/// (every scale of the problem, 1e-300 to 1e300, is reached in a few thousand cheap steps) and refined
/// by TOMS 748 in Real to the last bit. With m = 0 the root is λ* = sφ/a exactly (tests/theory).
/// Throws domain_error (a ≤ 0, s = m = 0, negative inputs) and convergence_error (never a library's text).
template <class Real> iso_lambda_opt_result<Real> iso_lambda_opt(const Real& phi, const Real& a, const Real& s, const Real& m) {
  using std::abs; using std::pow; using std::ldexp;
  if (!(phi > 0)) throw domain_error("phi", value_text(phi), "phi > 0");
  if (!(a > 0)) throw domain_error("w0norm2", value_text(a), "w0norm2 > 0", "with a = 0 the best lambda is infinite (predict 0)");
  if (!(s >= 0)) throw domain_error("sigma2", value_text(s), "sigma2 >= 0");
  if (!(m >= 0)) throw domain_error("m", value_text(m), "m >= 0");
  if (s == 0 && m == 0) throw domain_error("sigma2", "0", "sigma2 > 0 or m > 0", "without noise the optimum is lambda -> 0 (no interior minimum)");
  const bool over = phi > 1;
  Real c[5];  // c[k] multiplies x^k
  c[4] = a;
  if (!over) {  // x = κ = t − 1
    const Real q = 1 - phi;
    c[3] = 3 * a - (a + m) * phi - m - s * phi;
    c[2] = 3 * a - 2 * a * phi - 3 * m - 3 * s * phi;
    c[1] = (a - 3 * m) * q - 3 * s * phi;
    c[0] = -(m * q * q + s * phi);
  } else {  // x = t − φ
    const Real q = phi - 1;
    c[3] = 3 * a * phi - a - m * phi - m - s * phi;
    c[2] = phi * (3 * a * phi - 2 * a - 3 * m * phi - 3 * s * phi);
    c[1] = phi * phi * ((a - 3 * m) * q - 3 * s * phi);
    c[0] = -phi * phi * (m * q * q + s * phi * phi);
  }
  auto p = [&](const Real& x) { return (((c[4] * x + c[3]) * x + c[2]) * x + c[1]) * x + c[0]; };
  // Fujiwara: every root has |x| ≤ 2 max |c_k/c_4|^(1/(4−k)) (the constant term halved).
  Real bound = 0;
  for (int k = 0; k < 4; ++k) {
    Real r = abs(Real(c[k] / c[4]));
    if (k == 0) r /= 2;
    r = pow(r, Real(1) / (4 - k));
    if (r > bound) bound = r;
  }
  bound *= 2;
  if (!(bound > 0) || !is_finite(bound)) throw convergence_error("iso-lambda-opt: the quartic has no positive root bound");
  const Real step = pow(Real(2), Real(1) / 8);
  Real hi = bound, lo = bound;
  int scanned = 0;
  while (p(lo) > 0) {
    if (++scanned > 200000) throw convergence_error("iso-lambda-opt: no sign change of the quartic above its smallest scale");
    hi = lo;
    lo /= step;
  }
  iso_lambda_opt_result<Real> r;
  Real x = lo;
  r.iterations = 0;
  if (p(lo) < 0) {
    std::uintmax_t iters = 400;
    try {
      auto br = boost::math::tools::toms748_solve(p, lo, hi, boost::math::tools::eps_tolerance<Real>(digits2<Real>() - 2), iters);
      x = (br.first + br.second) / 2;
    } catch (const std::exception& e) {
      throw convergence_error(std::string("iso-lambda-opt: the root of the quartic could not be refined (") + e.what() + ")");
    }
    if (iters >= 400) throw convergence_error("iso-lambda-opt: TOMS748 did not converge");
    r.iterations = static_cast<int>(iters);
  }
  const Real t_minus_phi = over ? x : Real(x + (1 - phi));
  r.kappa = over ? Real(x + (phi - 1)) : x;
  r.t = 1 + r.kappa;
  r.lambda = r.kappa * t_minus_phi / r.t;
  r.risk = iso_risk(phi, r.lambda, a, s, m).total;
  return r;
}

}  // namespace collapse
