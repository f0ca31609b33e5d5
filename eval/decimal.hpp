// eval/decimal.hpp -- exact decimal rounding of rationals and of binary floating-point values:
// a printed digit string is the correctly rounded (half-even) D-significant-digit decimal of an exact
// value, so certifying an interval [v − e, v + e] reduces to checking that both ends print alike.
#pragma once

#include "theory/rational.hpp"

#include <string>

namespace collapse::eval {

/// The D-significant-digit decimal of q, rounded half-to-even, as a string: positional for
/// 1e-5 <= |q| < 1e15, scientific ("1.25e-7") otherwise; "0" for zero.
std::string format_decimal(const rational& q, int digits);

/// Exact rational value of a binary floating-point number.
rational exact_value(const mpfr_real& x);
rational exact_value(double x);

}  // namespace collapse::eval
