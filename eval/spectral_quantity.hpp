// eval/spectral_quantity.hpp -- what the families that take a spectrum share: the spectrum at the route
// being certified, and the count of its sums for the diagnostics. Internal to eval/.
#pragma once

#include "eval/catalogue.hpp"

#include "theory/spectrum.hpp"

namespace collapse::eval {

/// The request's spectrum as a Real evaluator of spectral sums, summed by `r` (§8.4).
template <class Real> spectrum<Real> spectrum_of(const arguments& a, route r) {
  return spectrum<Real>(a.spectrum(), r == route::primary ? sum_route::primary : sum_route::independent);
}

/// Copies the spectrum's sum count and worst relative error into the result.
template <class Real> void note_sums(real_eval<Real>& out, const spectrum<Real>& s) {
  out.worst_sum_error = static_cast<double>(s.worst_relative_error());
  out.sums = s.sums_evaluated();
}

}  // namespace collapse::eval
