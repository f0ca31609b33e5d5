// numerics/extrapolate.hpp -- finite-size extrapolation of a deterministic-equivalent discrepancy
// (theory document §3.6: the relative error of a DE is O(1/d) at fixed ratios d/T, d/T0).
//
// Model  y_i = a + c/d_i + ε_i,  ε_i ~ N(0, se_i²) independent (one Monte Carlo run per d).
// Weighted least squares with weights 1/se_i²; the covariance of (a, c) is (XᵀWX)⁻¹, scaled by the
// reduced χ² when that exceeds 1 (the model fits worse than the stated errors allow: widen, never
// narrow). The acceptance rule of the DE suites is |a| ≤ k·se(a): the extrapolated d → ∞
// discrepancy is consistent with zero.
// Verified by: tests/numerics/test_extrapolate.cpp (recovers known a, c; coverage of se(a)).
#pragma once

#include <vector>

namespace collapse::numerics {

struct inverse_d_fit {
  double intercept = 0, intercept_se = 0;  // a: the d → ∞ discrepancy
  double slope = 0, slope_se = 0;          // c: the coefficient of 1/d
  double chi2 = 0;                         // Σ ((y − a − c/d)/se)²
  int dof = 0;                             // points − 2
  double scale = 1;                        // max(1, √(χ²/dof)) applied to both standard errors
};

/// Fits y = a + c/d; needs at least two distinct d and every se > 0 (domain_error otherwise).
inverse_d_fit fit_inverse_d(const std::vector<double>& d, const std::vector<double>& y, const std::vector<double>& se);

}  // namespace collapse::numerics
