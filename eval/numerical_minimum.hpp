// eval/numerical_minimum.hpp -- the independent route of the §6 check: direct numerical
// minimisation of the isotropic DE (§3.5) over λ, in MPFR, and digit comparison of decimal strings.
#pragma once

#include "eval/digits.hpp"

#include <string>

namespace collapse::eval {

/// argmin over λ > 0 of E(λ) = R_clean(λ; a+m, s) + m(1−κ)/(1+κ) (§3.5) by Brent's method in log λ at
/// `work_digits` decimal digits; a minimum is located to about half the working digits (Boost.Math
/// minima.hpp), so the result is returned with work_digits/2 − 2 significant digits.
/// Arguments are exact-number texts ("1/2", "0.25").
std::string iso_risk_argmin(const std::string& phi, const std::string& w0norm2, const std::string& sigma2, const std::string& m,
                            int work_digits);


}  // namespace collapse::eval
