// theory/kappa.hpp -- the effective regularisation κ(λ,T) and κ0 = κ(0,T0) (theory document §3.1,
// §8.1), residual-certified: the interface. The algorithm and its certificate are in theory/kappa_impl.hpp.
//
//   λ > 0:  κ is the unique positive root of F(κ) = κ(1 − df1(κ)/T) − λ;
//   λ = 0:  κ_0 = 0 if d ≤ T, otherwise the root of df1(κ) = T.
// Build time (issue 15 item 7): inside this project's build (COLLAPSE_THEORY_INSTANCES) the definitions are
// compiled once per scalar type of eval/ (double, mpfr_real) in theory/instances/kappa.cpp, and every other
// translation unit sees only these declarations, so editing a formula in kappa_impl.hpp rebuilds one
// translation unit. A translation unit that needs another scalar type includes theory/kappa_impl.hpp; an
// installed, header-only consumer gets the definitions through this header, as before.
// Verified by: tests/theory/test_de.cpp (isotropic closed form §3.5, κ0 certificate, the threshold d = T),
// tests/theory/test_edge_sweep.cpp (λ from 1e-300 to 1e300, T ∈ {d−1, …, d+2}, a spectrum spanning 1e±120).
#pragma once

#include "theory/errors.hpp"
#include "theory/spectrum.hpp"

#include <string>

namespace collapse {

template <class Real> struct kappa_solution {
  Real kappa = 0;
  Real residual = 0;        // |F(κ)| / max(λ, κ) (or |G(κ)|/T for κ0)
  Real relative_error = 0;  // certified: the root lies in κ(1 ± relative_error)
  int iterations = 0;       // Newton iterations at the working precision
  std::string method;
};

/// κ0 = κ(0, T0): 0 when d ≤ T0, else the root of df1(κ0) = T0 (§3.1, §4.3), Newton from below and
/// sign-certified: the root lies in κ0(1 ± relative_error). Throws domain_error unless T0 > 0, and
/// convergence_error when the root cannot be bracketed or certified.
template <class Real> kappa_solution<Real> solve_kappa0(const spectrum<Real>& s, const Real& T0);

/// κ(λ, T) for λ ≥ 0 (§3.1): the positive root of κ(1 − df1(κ)/T) = λ, Newton from above and
/// sign-certified (λ = 0 is solve_kappa0). Throws domain_error unless λ ≥ 0 and T > 0, and
/// convergence_error when Newton does not converge or the root cannot be certified.
template <class Real> kappa_solution<Real> solve_kappa(const spectrum<Real>& s, const Real& T, const Real& lambda);

#define COLLAPSE_KAPPA_INSTANCES(EXTERN, R) \
  EXTERN template kappa_solution<R> solve_kappa<R>(const spectrum<R>&, const R&, const R&); \
  EXTERN template kappa_solution<R> solve_kappa0<R>(const spectrum<R>&, const R&);
#ifdef COLLAPSE_THEORY_INSTANCES
COLLAPSE_KAPPA_INSTANCES(extern, double)
COLLAPSE_KAPPA_INSTANCES(extern, mpfr_real)
#endif

}  // namespace collapse

#ifndef COLLAPSE_THEORY_INSTANCES
#include "theory/kappa_impl.hpp"
#endif
