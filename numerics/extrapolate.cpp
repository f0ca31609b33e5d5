// numerics/extrapolate.cpp -- see extrapolate.hpp.
#include "numerics/extrapolate.hpp"

#include "numerics/weighted_line.hpp"

#include "theory/errors.hpp"

#include <cmath>
#include <string>

namespace collapse::numerics {

inverse_d_fit fit_inverse_d(const std::vector<double>& d, const std::vector<double>& y, const std::vector<double>& se) {
  const std::size_t m = d.size();
  if (y.size() != m || se.size() != m) throw domain_error("fit", "mismatched vectors", "d, y and se of equal length");
  if (m < 2) throw domain_error("fit points", std::to_string(m), "at least 2 values of d");
  std::vector<double> x(m), w(m);
  for (std::size_t i = 0; i < m; ++i) {
    if (!(se[i] > 0)) throw domain_error("se", std::to_string(se[i]), "se > 0 at every d");
    if (!(d[i] > 0)) throw domain_error("d", std::to_string(d[i]), "d > 0");
    x[i] = 1 / d[i];
    w[i] = 1 / (se[i] * se[i]);
  }
  const auto line = numerics::fit_weighted_line(x, y, w, "c/d fit (x = 1/d)");
  inverse_d_fit f;
  f.intercept = line.c0;
  f.slope = line.c1;
  f.chi2 = line.chi2;
  f.dof = static_cast<int>(m) - 2;
  if (f.dof > 0 && f.chi2 / f.dof > 1) f.scale = std::sqrt(f.chi2 / f.dof);
  f.slope_se = std::sqrt(line.cov11) * f.scale;
  f.intercept_se = std::sqrt(line.cov00) * f.scale;
  return f;
}

}  // namespace collapse::numerics
