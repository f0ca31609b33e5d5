// theory/isotropic.hpp -- closed forms for Σ = I in the proportional limit (theory document §3.5,
// §4.2, §6): κ(φ, λ), the ridge risk with collapse, the over-parameterised chain followed by ridge,
// and the optimal λ from the quartic.
// Verified by: tests/theory/test_de.cpp (against the general-spectrum code of ridge_de.hpp /
// overgen_de.hpp with an isotropic spectrum, the doc's §6 values), tests/theory/test_edge_sweep.cpp
// (φ from 1e-60 to 1e160, λ from 0 to 1e300, against the closed forms at 1000 digits; λ* against the §6 quartic in
// exact rationals, tests/theory/data/lambda_opt_reference.csv, including the boundary λ* = 0).
#pragma once

#include "theory/errors.hpp"
#include "theory/real.hpp"
#include "theory/threshold.hpp"

#include <boost/math/tools/roots.hpp>

#include <optional>
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
  iso_risk_result<Real> r;
  r.kappa = iso_kappa(phi, lambda);
  const Real& k = r.kappa;
  // At φ = 1 with λ = 0 the gap is 0 and each term is its λ → 0+ limit (theory/threshold.hpp): κ²a/gap → 0,
  // σ²φ/gap refused unless σ² = 0, the collapse part → m.
  const auto gap = amplification_gap<Real>::at(k, iso_gap(phi, k, lambda), "phi = 1");
  r.clean = gap.vanishing_over(k * k * a) + gap.noise_over(s, phi);
  // collapse part: m·[(1+κ)² − φ + κ²φ]/[(1+κ)²((1+κ)² − φ)]  (= R_clean's m-share + m(1−κ)/(1+κ)), positive form
  r.collapse = m * (1 + gap.vanishing_over(k * k * phi)) / ((1 + k) * (1 + k));
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
  iso_overgen_result<Real> r;
  r.kappa = iso_kappa(phi, lambda);
  const Real& k = r.kappa;
  // φ = 1 with λ = 0: the λ → 0+ limits of theory/threshold.hpp (α2 → 1, V refused unless σ² = 0, E_0 → V).
  const auto gap = amplification_gap<Real>::at(k, iso_gap(phi, k, lambda), "phi = 1");
  const Real t2 = (1 + k) * (1 + k);
  r.alpha1 = 1 / (1 + k);
  r.alpha2 = (1 + gap.vanishing_over(k * k * phi)) / t2;
  r.V = gap.noise_over(s, phi);
  r.E0 = gap.vanishing_over(a * k * k) + r.V;
  const Real excess = a * (2 * r.alpha1 - r.alpha2) + r.alpha2 * s0 * phi0 / ((phi0 - 1) * (phi0 - 1));
  r.Einf = r.E0 + excess;
  r.total = r.E0 + one_minus_qn * excess;
  return r;
}

template <class Real> struct iso_lambda_opt_result { Real lambda, kappa, t, risk; int iterations; bool at_boundary = false; };

/// Whether λ* = 0 (interpolation) is optimal for Σ = I (§6), i.e. the risk E(κ) does not fall anywhere
/// on κ > κ_0 = max(0, φ − 1). Exact for exact inputs (Num = rational); a ≥ 0, s ≥ 0, m ≥ 0.
/// The shifted quartic of iso_lambda_opt at x = 0 is −(m(1−φ)² + sφ) (φ ≤ 1) or −φ²(m(φ−1)² + sφ²)
/// (φ > 1), proportional to −E'(κ_0): negative, so the risk falls at κ_0 and λ* > 0, unless s = 0 and
/// (m = 0 or φ = 1). With s = m = 0, E = aκ²/((1+κ)² − φ) increases from κ_0 (λ* = 0). At φ = 1 with s = 0,
/// E(κ) = κ(a+m)/(2+κ) + m(1−κ)/(1+κ): E'(0+) = (a − 3m)/2, and the other stationary points solve
/// a x² + 2(a−m)x + (a−3m) = 0, which has a positive root iff a < 3m. So λ* = 0 iff s = 0 and
/// (m = 0 or (φ = 1 and a ≥ 3m)).
template <class Num> bool iso_interpolation_optimal(const Num& phi, const Num& a, const Num& s, const Num& m) {
  return s == 0 && (m == 0 || (phi == 1 && a >= 3 * m));
}

/// Optimal λ for Σ = I with collapse (§6): t = 1+κ is the largest real root above L = max(1, φ) of
///   a t⁴ − [(a+m)(1+φ) + sφ] t³ + (a+3m)φ t² − mφ² = 0,   λ* = (t−1)(t−φ)/t.
/// The root is sought in the shifted variable x = t − L ≥ 0 (x = κ for φ ≤ 1, x = t − φ for φ > 1), with
/// the shifted coefficients expanded symbolically, so that neither x nor λ* = κ(t−φ)/t is ever a
/// difference of nearly equal numbers: at φ = 1e-54 the root is κ ≈ 1e-54, which t = 1 + κ cannot hold
/// (issue 8). The shifted quartic is negative at x = 0 (−m(1−φ)² − sφ for φ ≤ 1, −φ²(m(φ−1)² + sφ²)
/// for φ > 1); the largest root is bracketed by scanning down from Fujiwara's bound in steps of 2^(1/8)
/// (every scale of the problem, 1e-300 to 1e300, is reached in a few thousand cheap steps) and refined
/// by TOMS 748 in Real to the last bit. With m = 0 the root is λ* = sφ/a exactly (tests/theory).
/// The boundary λ* = 0 (no noise, or φ = 1 with s = 0 and a ≥ 3m: iso_interpolation_optimal) is a
/// decision, not a scan that finds nothing: `interpolation_optimal` is that decision made by the caller
/// from exact inputs; without it the decision is made in Real, and a − 3m within its rounding error
/// (8 eps (a + 3m)) is refused as undecidable (convergence_error) rather than guessed. At the boundary
/// κ* = κ_0 and risk* is the λ → 0+ limit (m at φ = 1, theory/threshold.hpp).
/// Throws domain_error (a ≤ 0, negative inputs) and convergence_error (never a library's text).
template <class Real>
iso_lambda_opt_result<Real> iso_lambda_opt(const Real& phi, const Real& a, const Real& s, const Real& m,
                                           std::optional<bool> interpolation_optimal = std::nullopt) {
  using std::abs; using std::pow; using std::ldexp;
  if (!(phi > 0)) throw domain_error("phi", value_text(phi), "phi > 0");
  if (!(a > 0)) throw domain_error("w0norm2", value_text(a), "w0norm2 > 0", "with a = 0 the best lambda is infinite (predict 0)");
  if (!(s >= 0)) throw domain_error("sigma2", value_text(s), "sigma2 >= 0");
  if (!(m >= 0)) throw domain_error("m", value_text(m), "m >= 0");
  if (!interpolation_optimal) {
    if (s == 0 && m > 0 && phi == 1) {
      const Real diff = a - 3 * m, eps = epsilon<Real>();
      if (!(abs(diff) > 8 * eps * (a + 3 * m)))
        throw convergence_error("iso-lambda-opt: cannot decide at this precision whether lambda* = 0 (w0norm2 - 3 m = " +
                                value_text(diff) + " is below its rounding error)");
    }
    interpolation_optimal = iso_interpolation_optimal(phi, a, s, m);
  }
  if (*interpolation_optimal) {
    iso_lambda_opt_result<Real> r;
    r.lambda = 0;
    r.kappa = phi > 1 ? Real(phi - 1) : Real(0);
    r.t = 1 + r.kappa;
    r.risk = iso_risk(phi, Real(0), a, s, m).total;
    r.iterations = 0;
    r.at_boundary = true;
    return r;
  }
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
