// theory/kappa_impl.hpp -- the definitions of theory/kappa.hpp: κ(λ,T) and κ0 = κ(0,T0) (theory document
// §3.1, §8.1), residual-certified. Edit the formulas here; inside this project's build only
// theory/instances/kappa.cpp includes this file, so a change rebuilds one translation unit (issue 15 item 7).
//
//   λ > 0:  κ is the unique positive root of F(κ) = κ(1 − df1(κ)/T) − λ.  F is increasing and convex on
//           (κ_0, ∞) (F' = 1 − df2/T > 0, F'' > 0), so Newton started above the root (λ + trΣ/T is
//           always above it) decreases monotonically to it.
//   λ = 0:  κ_0 = 0 if d ≤ T, otherwise the root of G(κ) = df1(κ) − T, decreasing and convex, with
//           G' = −tr ΣQ² = −(df1 − df2)/κ; Newton started below the root increases monotonically.
// The root is first located in double (same code, Real = double), then refined by Newton in Real from
// the side where the iteration is monotone, and finally *certified*: F (or G) is evaluated at
// κ(1 ∓ δ) and must change sign, so |κ − κ_true| ≤ δκ with δ reported. No damped-step stopping rule.
// Verified by: tests/theory/test_de.cpp (isotropic closed form §3.5, κ0 certificate, the threshold d = T),
// tests/theory/test_edge_sweep.cpp (λ from 1e-300 to 1e300, T ∈ {d−1, …, d+2}, a spectrum spanning 1e±120).
#pragma once

#include "theory/kappa.hpp"

#include <string>
#include <type_traits>

namespace collapse {

namespace detail {

template <class Real> Real abs_(const Real& x) { return x < 0 ? Real(-x) : x; }

/// F(κ) = κ(T − df1)/T − λ  (§3.1). For finite d with df1 > d/2, T − df1 is formed as
/// (T − d) + Σ_j κ/(λ_j+κ) (§8.3), which keeps the root well conditioned at the threshold d = T.
template <class Real> Real kappa_residual(const spectrum<Real>& s, const Real& T, const Real& lambda, const Real& kappa) {
  Real df1 = df(s, kappa, 1);
  Real T_minus_df1 = T - df1;
  if (!s.infinite() && df1 > s.dimension() / 2) T_minus_df1 = (T - s.dimension()) + kappa_complement(s, kappa);
  return kappa * T_minus_df1 / T - lambda;
}

/// F'(κ) = 1 − df2/T. For finite d with df2 > d/2, T − df2 is formed as (T − d) + 2κ tr ΣQ² + κ² tr Q²
/// (d − df2 = Σ_j κ(2λ_j+κ)/(λ_j+κ)², §8.3): near the threshold d = T with tiny λ, 1 − df2/T ≈ 2κ would
/// otherwise cancel to zero once κ is below the working precision.
template <class Real> Real kappa_residual_slope(const spectrum<Real>& s, const Real& T, const Real& kappa) {
  Real df2 = df(s, kappa, 2);
  if (!s.infinite() && df2 > s.dimension() / 2)
    return ((T - s.dimension()) + 2 * kappa * tr_sigma_Q2(s, kappa) + kappa2_trQ2(s, kappa)) / T;
  return 1 - df2 / T;
}

template <class Real> Real double_start(const spectrum<Real>& s, const Real& T, const Real& lambda, bool is_kappa0);

}  // namespace detail

/// κ0 = κ(0, T0): 0 when d ≤ T0, else the root of df1(κ0) = T0 (§3.1, §4.3).
template <class Real> kappa_solution<Real> solve_kappa0(const spectrum<Real>& s, const Real& T0) {
  using std::ldexp; using std::sqrt;
  kappa_solution<Real> out;
  if (!(T0 > 0)) throw domain_error("T0", value_text(T0), "T0 > 0");
  if (!s.infinite() && s.dimension() <= T0) { out.method = "d <= T: kappa0 = 0"; return out; }
  const int bits = digits2<Real>();
  // Start below the root, where G = df1 − T0 > 0; Newton on the convex decreasing G then increases
  // monotonically to the root.
  auto G = [&](const Real& x) { return df(s, x, 1) - T0; };
  Real k = detail::double_start(s, T0, Real(0), true);
  if (!(k > 0)) {
    // No start from a lower precision: bracket [lo, hi] with G(hi) ≤ 0 (df1 ≤ trΣ/κ, so κ = trΣ/T0
    // is at or above the root), then bisect in log κ to 10 bits before Newton takes over.
    Real hi = trace_sigma(s) / T0, lo = hi;
    for (int tries = 0; !(G(lo) > 0); ++tries) {
      if (tries > 2000) throw convergence_error("kappa0: could not bracket the root of df1(kappa) = T");
      lo /= 4;
    }
    while (hi / lo > Real(1) + Real(1) / 1024) {
      Real mid = sqrt(lo * hi);
      (G(mid) > 0 ? lo : hi) = mid;
    }
    k = lo;
  }
  for (int tries = 0; !(G(k) > 0); ++tries) {
    if (tries > 200) throw convergence_error("kappa0: could not bracket the root of df1(kappa) = T");
    k /= 2;
  }
  Real tol = ldexp(Real(1), 6 - bits);
  int it = 0;
  for (;; ++it) {
    if (it > 400) throw convergence_error("kappa0: Newton did not converge in 400 iterations");
    Real g = df(s, k, 1) - T0;
    Real step = g / tr_sigma_Q2(s, k);  // G' = −tr ΣQ²
    if (!(step > 0)) break;             // monotone from below: a non-positive step means rounding level
    k += step;
    if (step <= tol * k) { ++it; break; }
  }
  out.kappa = k;
  out.iterations = it;
  out.residual = detail::abs_(G(k)) / T0;
  // Certify: G(κ(1−δ)) > 0 > G(κ(1+δ)).
  Real delta = ldexp(Real(1), 12 - bits);
  for (int w = 0;; ++w) {
    if (w > 20) throw convergence_error("kappa0: could not certify the root (G does not change sign)");
    if (G(k * (1 - delta)) > 0 && G(k * (1 + delta)) < 0) break;
    delta *= 16;
  }
  out.relative_error = delta;
  out.method = "newton from below on df1(kappa) = T, sign-certified";
  return out;
}

/// κ(λ, T) for λ ≥ 0 (§3.1).
template <class Real> kappa_solution<Real> solve_kappa(const spectrum<Real>& s, const Real& T, const Real& lambda) {
  if (!(lambda >= 0)) throw domain_error("lambda", value_text(lambda), "lambda >= 0");
  if (!(T > 0)) throw domain_error("T", value_text(T), "T > 0");
  if (lambda == 0) return solve_kappa0(s, T);
  using std::ldexp;
  kappa_solution<Real> out;
  const int bits = digits2<Real>();
  auto F = [&](const Real& x) { return detail::kappa_residual(s, T, lambda, x); };
  const Real upper = lambda + trace_sigma(s) / T;  // always above the root (§3.1)
  Real k = detail::double_start(s, T, lambda, false);
  if (!(k > 0) || !(k <= upper) || !(F(k) > 0)) k = upper;
  Real tol = ldexp(Real(1), 6 - bits);
  int it = 0;
  for (;; ++it) {
    if (it > 1000) throw convergence_error("kappa: Newton did not converge in 1000 iterations");
    // The Newton update κ − F/F' in the form (λ + κ² tr ΣQ²/T)/F' (κF' − F = λ + κ(df1 − df2)/T and
    // df1 − df2 = κ tr ΣQ²): a ratio of positive terms. κ − F/F' itself cancels to 0 (or below) once κ
    // exceeds the root by more than 1/eps, which made tiny λ fail erratically (issue 8).
    const Real fprime = detail::kappa_residual_slope(s, T, k);  // F' = 1 − df2/T > 0 on (κ_0, ∞)
    const Real next = (lambda + k * k * tr_sigma_Q2(s, k) / T) / fprime;
    if (!(next < k)) break;  // monotone from above: no decrease = rounding level reached
    const Real step = k - next;
    k = next;
    if (step <= tol * k) { ++it; break; }
  }
  out.kappa = k;
  out.iterations = it;
  out.residual = detail::abs_(F(k)) / (lambda > k ? lambda : k);
  Real delta = ldexp(Real(1), 12 - bits);
  for (int w = 0;; ++w) {
    if (w > 20) throw convergence_error("kappa: could not certify the root (F does not change sign)");
    if (F(k * (1 - delta)) < 0 && F(k * (1 + delta)) > 0) break;
    delta *= 16;
  }
  out.relative_error = delta;
  out.method = "newton from above on kappa(1-df1/T) = lambda, sign-certified";
  return out;
}

namespace detail {
/// A double-precision estimate of the root (same formulas, Real = double), used to start the
/// working-precision Newton close to the root. Returns 0 when double cannot represent the problem.
template <class Real> Real double_start(const spectrum<Real>& s, const Real& T, const Real& lambda, bool is_kappa0) {
  if constexpr (std::is_same_v<Real, double>) {
    return 0;  // the working precision is double: no separate start
  } else {
    try {
      double Td = static_cast<double>(T), ld = static_cast<double>(lambda);
      if (!(Td > 0) || (!is_kappa0 && !(ld > 1e-290))) return 0;
      spectrum<double> sd(s.spec());
      double k = is_kappa0 ? solve_kappa0(sd, Td).kappa : solve_kappa(sd, Td, ld).kappa;
      if (!(k > 1e-290) || !(k < 1e290)) return 0;
      // Step a little to the side from which Newton is monotone (above for κ, below for κ0).
      return Real(k) * (is_kappa0 ? Real(1) - Real(1e-12) : Real(1) + Real(1e-12));
    } catch (const std::exception&) {
      return 0;
    }
  }
}
}  // namespace detail

}  // namespace collapse
