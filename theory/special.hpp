// theory/special.hpp -- the special functions the asymptotic constants need (Γ, π, sin), generic over
// Real: MPFR's own correctly rounded functions for mpfr_real, Boost.Math otherwise.
// Verified by: tests/theory/test_asymptotics.cpp (the §5.2 constants against the spectral sums).
#pragma once

#include "theory/real.hpp"

#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/gamma.hpp>

namespace collapse {

template <class Real> Real gamma_fn(const Real& x) {
  if constexpr (is_mpfr<Real>::value) { Real r; mpfr_gamma(r.backend().data(), x.backend().data(), MPFR_RNDN); return r; }
  else return boost::math::tgamma(x);
}

template <class Real> Real pi_const() {
  if constexpr (is_mpfr<Real>::value) { Real r; mpfr_const_pi(r.backend().data(), MPFR_RNDN); return r; }
  else return boost::math::constants::pi<Real>();
}

}  // namespace collapse
