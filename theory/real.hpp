// theory/real.hpp -- the scalar types every formula in theory/ is instantiated for, and the few
// precision-aware helpers the generic code needs (epsilon, digits, value text).
//
// One code path per formula, generic over `Real`: double, long double, boost cpp_bin_float_50 and
// MPFR with a runtime precision (`mpfr_real`, precision set with `precision_guard`).
// Verified by: tests/theory/test_de.cpp and tests/theory/test_powerlaw_sum.cpp (every formula at each scalar type).
#pragma once

#include <boost/math/tools/precision.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>

namespace collapse {

using mp50 = boost::multiprecision::cpp_bin_float_50;
/// MPFR number whose precision (decimal digits) is chosen at run time; expression templates off so
/// that `auto` is always a value.
using mpfr_real = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<0>,
                                                boost::multiprecision::et_off>;

template <class Real> struct is_mpfr : std::false_type {};
template <> struct is_mpfr<mpfr_real> : std::true_type {};
template <> struct is_mpfr<boost::multiprecision::mpfr_float> : std::true_type {};

/// Sets the default precision of new mpfr_real values for the lifetime of the guard (RAII).
class precision_guard {
public:
  explicit precision_guard(unsigned digits10)
      : saved_(mpfr_real::default_precision()) { mpfr_real::default_precision(digits10); }
  ~precision_guard() { mpfr_real::default_precision(saved_); }
  precision_guard(const precision_guard&) = delete;
  precision_guard& operator=(const precision_guard&) = delete;
private:
  unsigned saved_;
};

/// Machine epsilon of Real at its current precision (runtime precision for MPFR).
template <class Real> Real epsilon() {
  if constexpr (is_mpfr<Real>::value) {
    Real one = 1;
    return boost::multiprecision::ldexp(one, 1 - static_cast<int>(mpfr_get_prec(one.backend().data())));
  } else {
    return std::numeric_limits<Real>::epsilon();
  }
}

/// Decimal digits carried by Real at its current precision.
template <class Real> int digits10() {
  if constexpr (is_mpfr<Real>::value) return static_cast<int>(Real::default_precision());
  else return std::numeric_limits<Real>::digits10;
}

/// Binary digits carried by Real at its current precision.
template <class Real> int digits2() {
  if constexpr (is_mpfr<Real>::value) {
    Real one = 1;
    return static_cast<int>(mpfr_get_prec(one.backend().data()));
  } else {
    return std::numeric_limits<Real>::digits;
  }
}

template <class Real> bool is_finite(const Real& x) {
  using std::isfinite;
  using boost::multiprecision::isfinite;
  return isfinite(x);
}

/// A value as it appears in a domain_error message: up to 17 significant digits (`value` of
/// domain_error(parameter, value, range), theory/errors.hpp).
template <class Real> std::string value_text(const Real& x) {
  std::ostringstream os;
  os.precision(17);
  os << x;
  return os.str();
}

/// Human name of a scalar type, for diagnostics and test names.
template <class Real> std::string type_name() {
  if constexpr (std::is_same_v<Real, double>) return "double";
  else if constexpr (std::is_same_v<Real, long double>) return "long double";
  else if constexpr (std::is_same_v<Real, mp50>) return "cpp_bin_float_50";
  else if constexpr (is_mpfr<Real>::value) return "mpfr(" + std::to_string(digits10<Real>()) + ")";
  else return "unknown";
}

}  // namespace collapse
