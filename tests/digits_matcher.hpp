// tests/digits_matcher.hpp -- Catch2 matchers for multiprecision values: the distance of `actual` from
// `expected` in epsilons of Real (Catch's Approx converts to double and would hide every digit past 16).
#pragma once

#include "eval/digits.hpp"
#include "theory/real.hpp"

#include <catch2/catch.hpp>
#include <boost/multiprecision/number.hpp>
#include <sstream>

namespace collapse::test {

template <class Real> Real abs_(const Real& x) { return x < 0 ? Real(-x) : x; }

/// Relative distance in units of eps<Real>: |a − e| / (|e| eps).
template <class Real> Real eps_distance(const Real& actual, const Real& expected) {
  if (expected == 0) return abs_(actual) / epsilon<Real>();
  return abs_(actual - expected) / (abs_(expected) * epsilon<Real>());
}

template <class Real> class within_eps_matcher : public Catch::MatcherBase<Real> {
public:
  within_eps_matcher(Real expected, double max_eps) : expected_(std::move(expected)), max_eps_(max_eps) {}
  bool match(const Real& actual) const override {
    dist_ = eps_distance(actual, expected_);
    return dist_ <= max_eps_;
  }
  std::string describe() const override {
    std::ostringstream os;
    os.precision(digits10<Real>() + 3);
    os << "is within " << max_eps_ << " eps of " << expected_ << " (distance " << static_cast<double>(dist_) << " eps; "
       << type_name<Real>() << ")";
    return os.str();
  }
private:
  Real expected_;
  double max_eps_;
  mutable Real dist_ = 0;
};

/// actual == expected to within max_eps epsilons of Real (relative).
template <class Real> within_eps_matcher<Real> WithinEps(const Real& expected, double max_eps) { return {expected, max_eps}; }

/// Number of agreeing significant decimal digits, −log10 |a − e|/|e| (eval/digits.hpp).
using eval::agreeing_digits;

}  // namespace collapse::test
