// numerics/weighted_line.hpp -- the one weighted least-squares line fit of the project, y = c0 + c1 x
// with known weights w_i = 1/Var(y_i), by GSL's gsl_fit_wlinear (centred running sums). Used by the
// finite-size extrapolation (extrapolate.hpp, x = 1/d) and the log-log slope (slope_fit.hpp).
//
// Covariance of (c0, c1): (XᵀWX)⁻¹ for the stated weights (not rescaled; callers widen by the
// reduced χ² where their model says so). χ² = Σ w_i (y_i − c0 − c1 x_i)².
// Verified by: tests/numerics/test_extrapolate.cpp (exact on noiseless data, two-point analytic
//       variance, coverage), tests/eval/test_exponents.cpp (known slopes).
#pragma once

#include <vector>

namespace collapse::numerics {

struct weighted_line {
  double c0 = 0, c1 = 0;                 ///< intercept and slope
  double cov00 = 0, cov01 = 0, cov11 = 0; ///< their covariance for the stated weights
  double chi2 = 0;
  int points = 0;
};

/// Fits y = c0 + c1 x with weights w (> 0, finite), x, y finite. Throws collapse::domain_error naming
/// `what` when the arrays differ in length, there are fewer than 2 points, a weight is not positive,
/// or all x are equal (the slope is undetermined).
weighted_line fit_weighted_line(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& w,
                                const char* what = "line fit");

}  // namespace collapse::numerics
