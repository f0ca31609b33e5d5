// eval/decimal.cpp -- see decimal.hpp.
#include "eval/decimal.hpp"

namespace collapse::eval {

namespace {
integer pow10(long k) {
  integer r = 1;
  for (long i = 0; i < k; ++i) r *= 10;
  return r;
}
/// floor(log10 |q|) for q != 0, exactly.
long floor_log10(const rational& aq) {
  // start from a double estimate, then correct by exact comparisons
  long e = 0;
  {
    integer num = boost::multiprecision::numerator(aq), den = boost::multiprecision::denominator(aq);
    long dn = static_cast<long>(num.str().size()), dd = static_cast<long>(den.str().size());
    e = dn - dd;
  }
  auto ten_pow = [](long k) { return k >= 0 ? rational(pow10(k)) : rational(1, pow10(-k)); };
  while (aq < ten_pow(e)) --e;
  while (aq >= ten_pow(e + 1)) ++e;
  return e;
}
}  // namespace

std::string format_decimal(const rational& q, int digits) {
  if (q == 0) return "0";
  bool neg = q < 0;
  rational aq = neg ? rational(-q) : q;
  long e = floor_log10(aq);
  // scaled = |q| · 10^(digits−1−e) ∈ [10^(digits−1), 10^digits)
  long shift = digits - 1 - e;
  rational scaled = shift >= 0 ? rational(aq * pow10(shift)) : rational(aq / pow10(-shift));
  integer num = boost::multiprecision::numerator(scaled), den = boost::multiprecision::denominator(scaled);
  integer m = num / den, rem = num - m * den;
  // half-to-even
  integer twice = rem * 2;
  if (twice > den || (twice == den && (m % 2) == 1)) m += 1;
  std::string ds = m.str();
  if (static_cast<long>(ds.size()) > digits) {  // rounding carried into a new digit: 9.99 -> 10.0
    ++e;
    ds = ds.substr(0, digits);
  }
  std::string out = neg ? "-" : "";
  if (e >= -5 && e < 15) {
    if (e >= 0) {
      if (static_cast<long>(ds.size()) <= e + 1) {
        out += ds + std::string(e + 1 - ds.size(), '0');
      } else {
        out += ds.substr(0, e + 1) + "." + ds.substr(e + 1);
      }
    } else {
      out += "0." + std::string(-e - 1, '0') + ds;
    }
  } else {
    out += ds.substr(0, 1);
    if (ds.size() > 1) out += "." + ds.substr(1);
    out += "e" + std::to_string(e);
  }
  return out;
}

rational exact_value(const mpfr_real& x) {
  rational q;
  mpfr_get_q(q.backend().data(), x.backend().data());
  return q;
}

rational exact_value(double x) {
  mpfr_t t;
  mpfr_init2(t, 64);
  mpfr_set_d(t, x, MPFR_RNDN);
  rational q;
  mpfr_get_q(q.backend().data(), t);
  mpfr_clear(t);
  return q;
}

}  // namespace collapse::eval
