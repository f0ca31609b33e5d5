// eval/digits.hpp -- how many significant decimal digits two values share: −log10 |a − e|/|e| (absolute
// |a| when e = 0). The one definition used by the harness, the CLI and the tests; the overloads below only
// convert their inputs.
#pragma once

#include "theory/rational.hpp"
#include "theory/real.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace collapse::eval {

/// Largest |decimal exponent| of a certified value, and of the crossover T* (§5.6) that reaches it first
/// as r -> 0: formatting 10^E exactly costs time and memory growing with E (E = 1.6e6 did not finish in
/// 10 minutes), so a result beyond it is refused, never printed. The certification (eval/evaluate.cpp)
/// refuses such a result naming the quantity; evaluators that know the parameter driving it refuse
/// naming that parameter before computing.
inline constexpr double max_decimal_exponent = 1e5;

/// −log10 of the relative distance of `a` from the reference `e` (absolute distance when e = 0), at
/// most `cap`; `cap` when they are equal. Any Real (double, mpfr_real, ...).
template <class Real> double agreeing_digits(const Real& a, const Real& e, double cap = 1e9) {
  using std::abs; using std::log10;
  const Real rel = e == 0 ? Real(abs(a)) : Real(abs(Real(a - e)) / abs(e));
  if (rel == 0) return cap;
  return std::min(cap, -static_cast<double>(log10(rel)));
}

/// A measured double against an exact rational (e.g. a slope against its §5.4 exponent), capped at 99.
inline double agreeing_digits(double measured, const rational& exact) {
  return agreeing_digits(measured, exact.convert_to<double>(), 99.0);
}

/// Two decimal strings ("1.2345e-7"), compared at 120 significant digits; 120 when they are equal.
inline double agreeing_digits(const std::string& a, const std::string& b) {
  precision_guard g(120);
  return agreeing_digits(mpfr_real(a), mpfr_real(b), 120.0);
}

}  // namespace collapse::eval
