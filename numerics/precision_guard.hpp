// numerics/precision_guard.hpp -- refuses a trial whose design the working precision cannot resolve.
// Every path divides by the eigenvalues s_i of S = XᵀX/T (plus λ); a value known only to its rounding error
// makes a confident wrong mean. Used by the general engine (numerics/simulation_engine.hpp) and the dual
// T×T path (numerics/scalable_engine.hpp).
// Verified by: tests/numerics/test_simulate.cpp ("a spectrum too ill-conditioned for double is refused ...").
#pragma once

#include "numerics/eigen_real.hpp"
#include "theory/errors.hpp"
#include "theory/real.hpp"

#include <string>
#include <type_traits>
#include <vector>

namespace collapse::numerics::detail {

/// The --precision name of Real, for messages.
template <class Real> const char* precision_name() {
  if constexpr (std::is_same_v<Real, double>) return "double";
  else if constexpr (std::is_same_v<Real, long double>) return "long-double";
  else return "mp50";
}

/// Largest relative rounding error tolerated in a spectral value s_i + λ that the estimator divides by.
inline constexpr double resolved_relative_error = 0.01;

/// The smallest λ of a grid (0 for an empty one): the guard's worst case.
template <class Real> Real smallest_lambda(const std::vector<Real>& lambda) {
  Real m = lambda.empty() ? Real(0) : lambda[0];
  for (const Real& l : lambda) if (l < m) m = l;
  return m;
}

/// Rounding bound of a value x = v²/scale whose root v is known to ±tol (an SVD's singular value, a QR pivot):
/// (2 v tol + tol²)/scale, with v = sqrt(x·scale). The `err` argument of require_resolved for those routes.
template <class Real> auto squared_value_error(const Real& tol, const Real& scale) {
  return [tol, scale](const Real& x) {
    using std::sqrt;
    return (2 * Real(sqrt(x * scale)) * tol + tol * tol) / scale;
  };
}

/// Refuses a trial whose design the working precision cannot resolve (hostile review, 2026-11-30: on
/// λ_j = j^-16, d = 30, T = 60 the λ grid {0, 1} gave a λ = 0 mean of 0.0135 ± 0.00005 where the exact
/// OLS error is 0.1034, because the eigenvalues of S below d·ε·s_max had been cut; λ = 1e-20 was off by
/// 3× in the same way). `s` are the computed spectral values (any order; cut ones included), `err` bounds
/// the absolute rounding error of s_i (a function of s_i), `rank` is the design's rank min(T, d), almost
/// surely. Refused when some s_i + λ_min is known to worse than 1 %, which at λ_min = 0 includes every
/// rank cut of a full-rank Gaussian design. Throws domain_error naming --precision.
template <class Real, class Err>
void require_resolved(const vector<Real>& s, long rank, const Real& lambda_min, Err err, const char* design) {
  auto resolved = [&](const Real& si) { return err(si) <= Real(resolved_relative_error) * (si + lambda_min); };
  long kept = 0;
  Real worst = -1;
  for (long i = 0; i < s.size(); ++i) {
    const Real si = s[i] > 0 ? s[i] : Real(0);
    if (resolved(si)) ++kept;
    else if (worst < 0 || si < worst) worst = si;
  }
  if (worst < 0) return;
  throw domain_error("precision", precision_name<Real>(),
                     "a precision that resolves every eigenvalue of the " + std::string(design) + " that the estimator divides by",
                     "an eigenvalue " + value_text(worst) + " plus lambda = " + value_text(lambda_min) +
                         " is below 100 times its rounding error " + value_text(err(worst)) + "; " + std::to_string(kept) +
                         " of its " + std::to_string(rank) + " are resolved: " +
                         (std::is_same_v<Real, double> || std::is_same_v<Real, long double> ? "use --precision mp50" : "the spectrum is beyond mp50"));
}

}  // namespace collapse::numerics::detail
