// theory/threshold.hpp -- the one rule for the interpolation threshold (theory document §3.2, §3.5, §8.2;
// issue 8, kind 5): the λ → 0+ limit of every "amplified" term y/(T − df2) at d = T (φ = 1 for Σ = I).
//
// The downstream ridge fit amplifies by 1/(T − df2) (1/((1+κ)² − φ) for Σ = I). With λ = 0 and d < T this
// is 1/(T − d) (κ = 0); at the threshold d = T the denominator vanishes, and each term has to be replaced
// by its λ → 0+ limit, which is finite or infinite depending on the term, never 0/0:
//   * near the threshold κ → 0 and T − df2 = Tλ/κ + κ tr ΣQ² ~ 2κ tr Σ⁻¹ (Σ = I: (1+κ)² − φ ~ 2κ), so a
//     numerator that vanishes like κ² (the bias B·T = κ²T Σ λw2/(λ+κ)², κ² Σ λm/(λ+κ)², κ²a) gives 0:
//     a square design interpolates its labels exactly;
//   * the label-noise term σ² df2/(T − df2) (σ²φ/((1+κ)² − φ)) grows like σ² d/(2κ tr Σ⁻¹): infinite
//     unless σ² = 0, and then 0.
// Only what is really infinite is refused, with the parameter (λ) and the reason. Every formula of
// theory/ that divides by that gap (ridge_de.hpp, overgen_de.hpp, isotropic.hpp, lambda_opt.hpp through
// ridge_risk) goes through amplification_gap, so the rule lives here once.
// Verified by: tests/theory/test_edge_sweep.cpp (ridge-risk, overgen-risk, iso-risk, overgen-iso-risk at
// d = T / φ = 1 for isotropic and explicit spectra, against the limits above).
#pragma once

#include "theory/errors.hpp"

#include <string>

namespace collapse {

/// The amplification denominator T − df2 ≥ 0 of the downstream fit (or (1+κ)² − φ for Σ = I, §3.5) at
/// effective regularisation κ ≥ 0, with the λ → 0+ limits of the terms divided by it.
/// `threshold` is true exactly when κ = 0 and the denominator is 0 (λ = 0 at d = T, or φ = 1).
/// Source: §3.2, §3.5, §8.2.
template <class Real> struct amplification_gap {
  Real value = 0;
  bool threshold = false;
  std::string where;  // "d = T" or "phi = 1": named in a refusal

  /// Builds the gap from its value at κ (κ = 0 and value = 0 is the threshold).
  static amplification_gap at(const Real& kappa, const Real& value, std::string where) {
    return {value, kappa == 0 && value == 0, std::move(where)};
  }
  /// y/gap for a numerator y that vanishes like κ² as κ → 0: 0 at the threshold.
  Real vanishing_over(const Real& y) const { return threshold ? Real(0) : Real(y / value); }
  /// σ²·y/gap, the amplified label noise (y = df2, or φ for Σ = I): at the threshold 0 when σ² = 0, and
  /// refused when σ² > 0. Throws domain_error naming lambda.
  Real noise_over(const Real& sigma2, const Real& y) const {
    if (!threshold) return sigma2 * y / value;
    if (sigma2 == 0) return Real(0);
    throw domain_error("lambda", "0", "lambda > 0 when " + where + " and sigma2 > 0 (lambda = 0 is fine when sigma2 = 0)",
                       "the ridgeless variance is infinite at " + where + ": sigma2 df2/(T - df2) diverges as lambda -> 0 (§8.2)");
  }
};

}  // namespace collapse
