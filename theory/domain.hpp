// theory/domain.hpp -- the one decision "is the finite-sample mean E_n finite?" (theory document §2.1,
// §2.3, §2.4, §4.1, §8.2), shared by the exact formulas (theory/exact.hpp), hence `collapse eval`, and by
// the simulator's parameter check (numerics/simulate.cpp), so that `collapse simulate` never prints a
// confident mean ± se for an infinite quantity (issue 7, kind 2).
//
// The mean of the test error (ŵ − w0)ᵀΣ(ŵ − w0) after n generators is infinite exactly when an
// inverse-Wishart moment with too few degrees of freedom enters with a non-zero weight:
//   * generators (n ≥ 1) with label noise σ0² > 0: the step X0⁺E has E‖X0⁺E‖²_Σ ∝ E tr (X0ᵀX0)⁻¹Σ
//     (T0 ≥ d, §2.1) or E tr (X0X0ᵀ)⁻¹ (T0 < d, §4.1), finite iff T0 ≥ d + 2 or T0 ≤ d − 2. The
//     downstream fit, ridge or not, is a.s. a non-degenerate linear map of ŵ_n independent of it, so an
//     infinite generator error stays infinite for every λ ≥ 0;
//   * the ridgeless downstream fit (λ = 0) with label noise σ² > 0: σ² E tr (XᵀX)⁻¹Σ (T ≥ d, §2.3) or
//     σ² E tr (XXᵀ)⁻¹ (T < d, §2.4), finite iff T ≥ d + 2 or T ≤ d − 2 (§8.2: infinite at
//     T ∈ {d−1, d, d+1}).
// Everything else is finite: λ > 0 bounds the downstream map (‖(S+λ)⁻¹S‖ ≤ 1, ‖(S+λ)⁻¹Xᵀ/T‖ ≤ 1/(2√(Tλ)));
// σ² = 0 removes the variance term (ŵ = X⁺Xŵ_n is a projection of ŵ_n); σ0² = 0 makes every generator
// a projection (ŵ_k = P_k ŵ_{k−1}).
// Verified by: tests/theory/test_domain.cpp (each threshold, both sides; the simulate command line).
#pragma once

#include "theory/errors.hpp"
#include "theory/rational.hpp"

#include <string>

namespace collapse {

/// Throws domain_error naming the parameter (T0 or T), its value and the valid range when the
/// finite-sample mean E_n of the protocol (§1) with dimension d, downstream size T, generator size T0,
/// n generators, ridge λ (the smallest of a grid), label noise σ² and generator noise σ0² is infinite.
/// Inputs are exact rationals; d, T, T0, n integers (T0 is ignored when n = 0). Returns normally when
/// E_n is finite. Source: §2.1, §2.3, §2.4, §4.1, §8.2.
inline void require_finite_mean(const rational& d, const rational& T, const rational& T0, const rational& n,
                                const rational& lambda, const rational& sigma2, const rational& sigma02) {
  auto near_threshold = [&](const rational& size) { return size >= d - 1 && size <= d + 1; };
  auto outside = [&](const char* name) {
    const std::string below = d - 2 >= 1 ? std::string(name) + " <= d - 2 = " + fraction_string(d - 2) + " or " : "";
    return below + name + " >= d + 2 = " + fraction_string(d + 2);
  };
  if (n > 0 && sigma02 > 0 && near_threshold(T0))
    throw domain_error("T0", fraction_string(T0), outside("T0") + " when n >= 1 and sigma02 > 0",
                       "the generators' error is infinite: E tr (X0'X0)^-1 or E tr (X0 X0')^-1 diverges for T0 in {d-1, d, d+1} "
                       "(d = " + fraction_string(d) + ", §2.1, §4.1)");
  if (lambda == 0 && sigma2 > 0 && near_threshold(T))
    throw domain_error("T", fraction_string(T), outside("T") + " when lambda = 0 and sigma2 > 0 (any T when lambda > 0 or sigma2 = 0)",
                       "the ridgeless variance sigma2 E tr (X'X)^-1 or sigma2 E tr (XX')^-1 is infinite for T in {d-1, d, d+1} "
                       "(d = " + fraction_string(d) + ", §2.3, §2.4, §8.2)");
}

}  // namespace collapse
