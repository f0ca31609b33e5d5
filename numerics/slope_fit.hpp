// numerics/slope_fit.hpp -- the slope of a simulated (noisy) curve: weighted least squares of log E on
// log T over a window of T, with a Student-t confidence interval. Used to compare a simulated scaling
// exponent with the exact one of §5.4 (the exponents suite's "simulated slope consistent with it").
//
// Model: log E_i = c + s log T_i + e_i, Var(e_i) ≈ (se_i/E_i)² (delta method; needs se_i ≪ E_i).
// Weights w_i = (E_i/se_i)², fitted by numerics/weighted_line.hpp (GSL's gsl_fit_wlinear): with
// S = Σw, Sx = Σw x, Sxx = Σw x², Δ = S Sxx − Sx², Var(s) = S/Δ for known variances,
// and the reported se is √(S/Δ · max(1, χ²/(n−2))) so that a curve noisier than its own error bars
// widens the interval instead of passing falsely. CI95 = s ± t_{0.975, n−2} se.
// Verified by: tests/eval/test_exponents.cpp (exact power laws, synthetic noise with known slope).
#pragma once

#include "numerics/weighted_line.hpp"

#include "theory/errors.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace collapse::numerics {

struct slope_fit {
  double slope = 0, se = 0, ci95_lo = 0, ci95_hi = 0;
  double chi2_per_dof = 0;
  int points = 0;
  bool contains(double exponent) const { return ci95_lo <= exponent && exponent <= ci95_hi; }
};

/// Weighted log-log fit of mean(T) ± se(T) over T_lo ≤ T ≤ T_hi (at least 3 points, every mean > 0 and
/// se > 0); throws domain_error otherwise.
inline slope_fit windowed_slope_fit(const std::vector<double>& T, const std::vector<double>& mean, const std::vector<double>& se,
                                    double T_lo, double T_hi) {
  if (T.size() != mean.size() || T.size() != se.size())
    throw domain_error("slope fit", "arrays of different lengths", "T, mean and se of equal length");
  std::vector<double> xs, ys, ws;
  for (std::size_t i = 0; i < T.size(); ++i) {
    if (T[i] < T_lo || T[i] > T_hi) continue;
    if (!(mean[i] > 0) || !(se[i] > 0))
      throw domain_error("slope fit point T=" + std::to_string(T[i]), "mean " + std::to_string(mean[i]) + ", se " + std::to_string(se[i]),
                         "mean > 0 and se > 0");
    xs.push_back(std::log(T[i]));
    ys.push_back(std::log(mean[i]));
    ws.push_back((mean[i] / se[i]) * (mean[i] / se[i]));
  }
  const int n = static_cast<int>(xs.size());
  if (n < 3) throw domain_error("slope fit window", std::to_string(n) + " points", "at least 3 points in [T_lo, T_hi]");
  const auto line = numerics::fit_weighted_line(xs, ys, ws, "slope fit window (log T)");
  slope_fit f;
  f.points = n;
  f.slope = line.c1;
  f.chi2_per_dof = line.chi2 / (n - 2);
  f.se = std::sqrt(line.cov11 * std::max(1.0, f.chi2_per_dof));
  const double t = boost::math::quantile(boost::math::students_t(n - 2), 0.975);
  f.ci95_lo = f.slope - t * f.se;
  f.ci95_hi = f.slope + t * f.se;
  return f;
}

}  // namespace collapse::numerics
