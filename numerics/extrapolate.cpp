// numerics/extrapolate.cpp -- see extrapolate.hpp.
#include "numerics/extrapolate.hpp"

#include "theory/errors.hpp"

#include <cmath>
#include <string>

namespace collapse::verify {

inverse_d_fit fit_inverse_d(const std::vector<double>& d, const std::vector<double>& y, const std::vector<double>& se) {
  const std::size_t m = d.size();
  if (y.size() != m || se.size() != m) throw domain_error("fit", "mismatched vectors", "d, y and se of equal length");
  if (m < 2) throw domain_error("fit points", std::to_string(m), "at least 2 values of d");
  // normal equations in x = 1/d, centred at the weighted mean of x for conditioning
  double sw = 0, sx = 0, sy = 0;
  for (std::size_t i = 0; i < m; ++i) {
    if (!(se[i] > 0)) throw domain_error("se", std::to_string(se[i]), "se > 0 at every d");
    if (!(d[i] > 0)) throw domain_error("d", std::to_string(d[i]), "d > 0");
    const double w = 1 / (se[i] * se[i]);
    sw += w;
    sx += w / d[i];
    sy += w * y[i];
  }
  const double xbar = sx / sw, ybar = sy / sw;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const double w = 1 / (se[i] * se[i]), dx = 1 / d[i] - xbar;
    sxx += w * dx * dx;
    sxy += w * dx * (y[i] - ybar);
  }
  if (!(sxx > 0)) throw domain_error("d", "all equal", "at least two distinct values of d");
  inverse_d_fit f;
  f.slope = sxy / sxx;
  f.intercept = ybar - f.slope * xbar;
  // Var(c) = 1/Sxx;  a = ȳ − c x̄ with Cov(ȳ, c) = 0:  Var(a) = 1/Σw + x̄²/Sxx
  double var_c = 1 / sxx, var_a = 1 / sw + xbar * xbar / sxx;
  for (std::size_t i = 0; i < m; ++i) {
    const double r = (y[i] - f.intercept - f.slope / d[i]) / se[i];
    f.chi2 += r * r;
  }
  f.dof = static_cast<int>(m) - 2;
  if (f.dof > 0 && f.chi2 / f.dof > 1) f.scale = std::sqrt(f.chi2 / f.dof);
  f.slope_se = std::sqrt(var_c) * f.scale;
  f.intercept_se = std::sqrt(var_a) * f.scale;
  return f;
}

}  // namespace collapse::verify
