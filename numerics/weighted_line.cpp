// numerics/weighted_line.cpp -- see weighted_line.hpp.
#include "numerics/weighted_line.hpp"

#include "theory/errors.hpp"

#include <gsl/gsl_fit.h>

#include <cmath>
#include <string>

namespace collapse::numerics {

weighted_line fit_weighted_line(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& w,
                                const char* what) {
  const std::size_t m = x.size();
  if (y.size() != m || w.size() != m)
    throw domain_error(what, "arrays of different lengths", "x, y and weights of equal length");
  if (m < 2) throw domain_error(what, std::to_string(m) + " points", "at least 2 points");
  for (std::size_t i = 0; i < m; ++i) {
    if (!(w[i] > 0) || !std::isfinite(w[i])) throw domain_error(what, "weight " + std::to_string(w[i]), "finite weights > 0");
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw domain_error(what, "point (" + std::to_string(x[i]) + ", " + std::to_string(y[i]) + ")", "finite x and y");
  }
  bool distinct = false;
  for (std::size_t i = 1; i < m; ++i) distinct = distinct || x[i] != x[0];
  if (!distinct) throw domain_error(what, "all x equal", "at least two distinct x");
  weighted_line f;
  f.points = static_cast<int>(m);
  // gsl_fit_wlinear has no error path (it always returns GSL_SUCCESS); the checks above exclude its
  // division by a zero spread of x.
  gsl_fit_wlinear(x.data(), 1, w.data(), 1, y.data(), 1, m, &f.c0, &f.c1, &f.cov00, &f.cov01, &f.cov11, &f.chi2);
  return f;
}

}  // namespace collapse::numerics
