// theory/variants/accumulate.hpp -- "accumulate instead of replace" (issue 12; Gerstgrasser et al. 2024):
// every fit trains on ALL batches so far, OLS everywhere. Derivations: docs/theory-extensions.md §A.
//
// Protocol (§A.1). Batches j = 1..n+1; batch j = (X_j, y_j), y_j = X_j ŵ_{j−1} + E_j, E_j ~ N(0, s_j² I),
// ŵ_0 = w0; fit k is OLS on the stacked batches 1..k. The n generator batches have s_j² = σ0², the
// downstream batch n+1 has s_{n+1}² = σ² (the roles of §1: n = 0 is the clean fit).
// Key identity (EXACT, any design): with G_k = Σ_{j≤k} X_jᵀX_j,  ŵ_k = ŵ_{k−1} + G_k⁻¹ X_kᵀ E_k,
// so ŵ_m − w0 = Σ_{k≤m} G_k⁻¹ X_kᵀ E_k (unbiased, uncorrelated steps) and
//   E_test(ŵ_m) = Σ_{k≤m} s_k² E tr(Σ G_k⁻¹ X_kᵀX_k G_k⁻¹).
//   fixed design (X_j = X, T rows):  E tr(...) = d/(k²(T−d−1))                         (§A.2)
//   fresh designs (T_j rows, N_k = Σ_{j≤k} T_j):  E tr(...) = (T_k/N_k) · d/(N_k−d−1)  (§A.2, row exchangeability)
// A downstream fit on its own fresh data (any λ) sees the accumulated chain as the replacing one with n
// replaced by n_eff (Cov(ŵ_n − w0) = σ0² n_eff Σ⁻¹/(T0−d−1)), so §2.2–§3.3 apply with n → n_eff (§A.3).
// Status: EXACT (finite sample, any Σ, Gaussian rows); the fixed-design result also holds conditionally on
// any full-rank X with d/(T−d−1) replaced by tr(Σ(XᵀX)⁻¹).
// Verified by: tests/theory/test_variants.cpp (Monte Carlo of the literal protocol, z-rule, and exact
// rational identities), generator tests/theory/variants_mc/variants_mc.py.
#pragma once

#include "theory/errors.hpp"
#include "theory/real.hpp"

#include <string>

namespace collapse::variants {

/// Which design the accumulating chain uses (§A.1): one design X reused by every batch (Gerstgrasser et
/// al.'s analysis), or a fresh Gaussian design per batch (the protocol of §1).
enum class accumulate_design { fixed, fresh };

template <class Real> struct accumulate_result {
  Real total;       // E_test of the downstream fit (fit n+1, trained on all n+1 batches)
  Real generators;  // the n generator batches' share (σ0² terms)
  Real downstream;  // the downstream batch's share (σ² term)
  Real replace;     // the replacing protocol at the same sizes (§2.3), for comparison
};

namespace detail {
inline void require_at_least(const char* name, long value, long lo, const std::string& why) {
  if (value < lo) throw domain_error(name, std::to_string(value), std::string(name) + " >= " + std::to_string(lo), why);
}
template <class Real> void require_nonnegative(const char* name, const Real& v) {
  if (!(v >= 0)) throw domain_error(name, value_text(v), std::string(name) + " >= 0");
}
/// E tr(Σ G_k⁻¹ X_kᵀX_k G_k⁻¹) for the k-th of batches sharing one design of T rows: d/(k²(T−d−1)) (§A.2).
template <class Real> Real fixed_step(long d, long T, long k) { return Real(d) / (Real(k) * Real(k) * Real(T - d - 1)); }
/// The same for fresh designs: batch of `rows` rows, `total` rows so far: (rows/total)·d/(total−d−1) (§A.2).
template <class Real> Real fresh_step(long d, long rows, long total) { return Real(rows) * Real(d) / (Real(total) * Real(total - d - 1)); }
}  // namespace detail

/// E_test of the downstream fit when every fit, downstream included, is OLS on all batches so far and all
/// batches share one design X of T rows (§A.2, EXACT):
///   E_n^acc = d/(T−d−1) · [ σ0² Σ_{k=1}^n 1/k² + σ²/(n+1)² ]     (replace: d/(T−d−1)·[nσ0² + σ²]).
/// The σ²d/(T−d−1) Σ_{i=1}^{m} 1/i² is the case σ0 = σ with m = n + 1 fits.
/// Inputs: d ≥ 1, T ≥ d + 2, n ≥ 0 integers; σ² = sigma2 ≥ 0, σ0² = sigma02 ≥ 0.
/// Throws domain_error naming T (T ≤ d + 1: E tr(XᵀX)⁻¹ is infinite or OLS undefined), d, n, sigma2, sigma02.
template <class Real>
accumulate_result<Real> accumulate_fixed_ols(long d, long T, long n, const Real& sigma2, const Real& sigma02) {
  detail::require_at_least("d", d, 1, "");
  detail::require_at_least("n", n, 0, "");
  detail::require_at_least("T", T, d + 2, "every fit is OLS on one design of T rows: E tr(X'X)^-1 needs T >= d + 2 (§2.3)");
  detail::require_nonnegative("sigma2", sigma2);
  detail::require_nonnegative("sigma02", sigma02);
  accumulate_result<Real> r;
  r.generators = 0;
  for (long k = 1; k <= n; ++k) r.generators += detail::fixed_step<Real>(d, T, k);
  r.generators *= sigma02;
  r.downstream = sigma2 * detail::fixed_step<Real>(d, T, n + 1);
  r.total = r.generators + r.downstream;
  r.replace = (Real(n) * sigma02 + sigma2) * Real(d) / Real(T - d - 1);
  return r;
}

/// The same with a fresh Gaussian design per batch (the protocol of §1): n generator batches of T0 rows,
/// then the downstream batch of T rows, every fit OLS on all rows so far (§A.2, EXACT):
///   E_n^acc = σ0² Σ_{k=1}^n d/(k(kT0−d−1)) + σ² · T d/((nT0+T)(nT0+T−d−1))
///   (replace, §2.3: nσ0² d/(T0−d−1) + σ² d/(T−d−1)).
/// Inputs: integers d ≥ 1, n ≥ 0; the first fit must be OLS with a finite mean: T0 ≥ d + 2 when n ≥ 1,
/// T ≥ d + 2 when n = 0 (with n ≥ 1 any T ≥ 1 works: the downstream fit has nT0 + T rows).
/// `replace` is reported only where it is finite (T ≥ d + 2); otherwise it is left 0 and `replace_defined` false.
template <class Real> struct accumulate_fresh_result : accumulate_result<Real> { bool replace_defined = true; };
template <class Real>
accumulate_fresh_result<Real> accumulate_fresh_ols(long d, long T, long T0, long n, const Real& sigma2, const Real& sigma02) {
  detail::require_at_least("d", d, 1, "");
  detail::require_at_least("n", n, 0, "");
  detail::require_nonnegative("sigma2", sigma2);
  detail::require_nonnegative("sigma02", sigma02);
  if (n >= 1) {
    detail::require_at_least("T0", T0, d + 2, "the first generator is OLS on T0 rows: E tr(X'X)^-1 needs T0 >= d + 2 (§2.1)");
    detail::require_at_least("T", T, 1, "");
  } else {
    detail::require_at_least("T", T, d + 2, "with n = 0 the downstream fit is OLS on T rows alone (§2.3)");
  }
  accumulate_fresh_result<Real> r;
  r.generators = 0;
  for (long k = 1; k <= n; ++k) r.generators += detail::fresh_step<Real>(d, T0, k * T0);
  r.generators *= sigma02;
  r.downstream = sigma2 * detail::fresh_step<Real>(d, T, n * T0 + T);
  r.total = r.generators + r.downstream;
  r.replace_defined = T >= d + 2;
  r.replace = r.replace_defined ? Real(Real(n) * sigma02 * Real(d) / Real(T0 - d - 1) + sigma2 * Real(d) / Real(T - d - 1)) : Real(0);
  return r;
}

/// n_eff of §A.3: the accumulating chain's error is the replacing chain's with n → n_eff,
///   Cov(ŵ_n − w0) = σ0² n_eff Σ⁻¹/(T0−d−1),   E_test(ŵ_n) = σ0² n_eff d/(T0−d−1)   (EXACT),
///   fixed design: n_eff = Σ_{k=1}^n 1/k² < π²/6;   fresh: n_eff = Σ_{k=1}^n (T0−d−1)/(k(kT0−d−1)).
/// Any downstream fit on its own fresh data (OLS, min-norm, ridge: §2.2–§3.3) then follows with n → n_eff
/// (EXACT for §2.2–§2.4, DE for §3.3). Inputs: integers d ≥ 1, T0 ≥ d + 2, n ≥ 0.
template <class Real> Real accumulate_effective_generations(long d, long T0, long n, accumulate_design design) {
  detail::require_at_least("d", d, 1, "");
  detail::require_at_least("n", n, 0, "");
  detail::require_at_least("T0", T0, d + 2, "the generators are OLS: E tr(X'X)^-1 needs T0 >= d + 2 (§2.1)");
  Real s = 0;
  for (long k = 1; k <= n; ++k)
    s += design == accumulate_design::fixed ? detail::fixed_step<Real>(d, T0, k) : detail::fresh_step<Real>(d, T0, k * T0);
  return s * Real(T0 - d - 1) / Real(d);
}

}  // namespace collapse::variants
