// theory/rational.hpp -- exact rational numbers: parsing user input exactly ("0.1" is 1/10, "1/3" is
// one third, "1e-6" is 10^-6, "inf" only where a parameter allows it) and conversion to any Real.
//
// Every numeric parameter of the CLI goes through parse_exact, so a formula never sees a binary
// rounding of a decimal the user typed: the rounding happens once, at the working precision.
// Verified by: tests/theory/test_rational.cpp (exact parsing, refusals, one rounding to Real).
#pragma once

#include "theory/errors.hpp"
#include "theory/real.hpp"

#include <boost/multiprecision/gmp.hpp>

#include <cctype>
#include <string>
#include <type_traits>

namespace collapse {

using rational = boost::multiprecision::mpq_rational;
using integer = boost::multiprecision::mpz_int;

/// A parameter value as typed: an exact rational, or +infinity where allowed.
struct exact_number {
  rational value{0};
  bool infinite = false;
  std::string text;  // as given, for error messages and JSON "params"
};

/// Bounds of the exact-number parser: at most this many mantissa digits and a decimal exponent of at most
/// this magnitude (beyond them an exact expansion costs minutes and gigabytes: 1e999999 would hang).
inline constexpr long max_decimal_exponent = 10000;

namespace detail {
inline bool parse_decimal(const std::string& s, rational& out, std::string* why = nullptr) {
  // [+-]? digits [. digits]? ([eE] [+-]? digits)?   (at least one digit in the mantissa)
  std::size_t i = 0, n = s.size();
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  integer mant = 0;
  long frac_digits = 0, ndigits = 0;
  while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) { mant = mant * 10 + (s[i++] - '0'); ++ndigits; }
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) {
      mant = mant * 10 + (s[i++] - '0'); ++frac_digits; ++ndigits;
    }
  }
  if (ndigits == 0) return false;
  long exp10 = 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    long e = 0, edigits = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (e > max_decimal_exponent) {  // refuse rather than expand a huge power of ten
        if (why) *why = "decimal exponent beyond " + std::to_string(max_decimal_exponent);
        return false;
      }
      e = e * 10 + (s[i++] - '0'); ++edigits;
    }
    if (edigits == 0) return false;
    if (e > max_decimal_exponent) {
      if (why) *why = "decimal exponent beyond " + std::to_string(max_decimal_exponent);
      return false;
    }
    exp10 = eneg ? -e : e;
  }
  if (i != n) return false;
  if (ndigits > max_decimal_exponent) {
    if (why) *why = "more than " + std::to_string(max_decimal_exponent) + " digits";
    return false;
  }
  long e = exp10 - frac_digits;
  integer p10 = 1;
  for (long k = 0; k < (e < 0 ? -e : e); ++k) p10 *= 10;
  out = e >= 0 ? rational(mant * p10) : rational(mant, p10);
  if (neg) out = -out;
  return true;
}
}  // namespace detail

/// Parses `text` exactly. Accepts decimals with optional exponent, fractions "p/q" of two decimals,
/// and (if allow_infinity) "inf"/"infinity". Throws domain_error naming `parameter` otherwise.
inline exact_number parse_exact(const std::string& parameter, const std::string& text,
                                bool allow_infinity = false) {
  exact_number r;
  r.text = text;
  const auto b = text.find_first_not_of(" \t\r\n"), e = text.find_last_not_of(" \t\r\n");
  const std::string t = b == std::string::npos ? "" : text.substr(b, e - b + 1);  // "2 0" is not 20
  const std::string shown = text.size() > 60 ? text.substr(0, 60) + "..." : text;
  for (char c : t)
    if (std::isspace(static_cast<unsigned char>(c)))
      throw domain_error(parameter, "'" + shown + "'", "one number without blanks inside", "embedded blank");
  std::string lower;
  for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "inf" || lower == "+inf" || lower == "infinity" || lower == "+infinity") {
    if (!allow_infinity)
      throw domain_error(parameter, text, "a finite number", "infinity is not allowed here");
    r.infinite = true;
    return r;
  }
  auto slash = t.find('/');
  bool ok;
  std::string why;
  if (slash == std::string::npos) {
    ok = detail::parse_decimal(t, r.value, &why);
  } else {
    rational p, q;
    ok = detail::parse_decimal(t.substr(0, slash), p, &why) && detail::parse_decimal(t.substr(slash + 1), q, &why);
    if (ok && q == 0) throw domain_error(parameter, text, "a number", "division by zero");
    if (ok) r.value = p / q;
  }
  if (!ok && !why.empty())
    throw domain_error(parameter, shown, "a number of at most " + std::to_string(max_decimal_exponent) +
                       " digits with a decimal exponent between -" + std::to_string(max_decimal_exponent) + " and " +
                       std::to_string(max_decimal_exponent), why);
  if (!ok)
    throw domain_error(parameter, text.empty() ? "''" : shown,
                       "a decimal (0.1, 1e-6), a fraction (1/3)" + std::string(allow_infinity ? " or inf" : ""),
                       "not a number");
  return r;
}

/// Nearest Real to the rational q at Real's current precision.
template <class Real> Real to_real(const rational& q) {
  if constexpr (is_mpfr<Real>::value) {
    Real x;
    mpfr_set_q(x.backend().data(), q.backend().data(), MPFR_RNDN);
    return x;
  } else if constexpr (std::is_floating_point_v<Real>) {
    mpfr_t t;
    mpfr_init2(t, 128);
    mpfr_set_q(t, q.backend().data(), MPFR_RNDN);
    Real x = static_cast<Real>(mpfr_get_ld(t, MPFR_RNDN));
    mpfr_clear(t);
    return x;
  } else {
    return Real(boost::multiprecision::numerator(q).str()) / Real(boost::multiprecision::denominator(q).str());
  }
}

/// Exact value as "p/q" (or "p" when integral).
inline std::string fraction_string(const rational& q) {
  if (boost::multiprecision::denominator(q) == 1) return boost::multiprecision::numerator(q).str();
  return boost::multiprecision::numerator(q).str() + "/" + boost::multiprecision::denominator(q).str();
}

inline bool is_integer(const rational& q) { return boost::multiprecision::denominator(q) == 1; }

}  // namespace collapse
