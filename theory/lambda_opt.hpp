// theory/lambda_opt.hpp -- the ridge λ that minimises the §3.3 deterministic equivalent for any
// spectrum (theory document §6, "General Σ"), to full precision.
//
// Parametrise by κ ≥ κ_0(T), with λ(κ) = κ(1 − df1(κ)/T) (the κ equation of §3.1 solved for λ). Then
//   E(κ) = [T·B + σ_eff² df2] / D,   D = T − df2 = (T − df1) + κ tr ΣQ²,
//   σ_eff² = σ² + nσ0² c/(T0−d−1),   c = T + d − 2df1 = (T − df1) + Σ_j κ/(λ_j+κ),
// and with df1' = −tr ΣQ² =: −t1, df2' = −2 Σ_j λ_j²/(λ_j+κ)³ =: −2 t2, B' = 2κ Σ_j λ_j² w2_j/(λ_j+κ)³:
//   E' ∝ N'D − N D',   N = TB + σ_eff² df2,   N' = TB' + (2nσ0² t1/(T0−d−1)) df2 − 2σ_eff² t2,   D' = 2 t2.
// A minimiser would locate λ* only to √eps; the root of E' is located to full precision instead:
// a log-spaced scan in double finds the first sign change of E' (− to +), extended in Real where double
// cannot resolve it, and TOMS 748 refines it in Real.
// The boundary λ* = 0 (interpolation) is a decision certified like every digit (detail::decide_boundary):
// for d < T it is exact (E'(0) < 0 whenever there is noise), elsewhere a sign larger than its rounding error.
// Generators without noise (σ0² = 0) add nothing (K = 0), whatever T0 ≥ d.
// Verified by: tests/theory/test_de.cpp (isotropic quartic §6 to 45 digits), tests/theory/test_asymptotics.cpp
// (§5.5 limit), tests/theory/test_edge_sweep.cpp (λ* = σ²φ/a for Σ = I from σ² = 1 down to 1e-40, T ∈ {d−1, …, d+2};
// φ from 1e-60 to 1e160 × σ² from 0 to 1 × (‖w0‖², m) against the §6 quartic in exact rationals,
// tests/theory/data/lambda_opt_reference.csv).
// Build time (issue 15 item 7): this is the interface. The definitions are in theory/lambda_opt_impl.hpp; inside
// this project's build (COLLAPSE_THEORY_INSTANCES) they are compiled once per scalar type of eval/ (double,
// mpfr_real) in theory/instances/lambda_opt.cpp and every other translation unit sees only the declarations below,
// so editing a formula rebuilds one translation unit. Another scalar type: include theory/lambda_opt_impl.hpp. An
// installed, header-only consumer gets the definitions through this header, as before.
#pragma once

#include "theory/errors.hpp"
#include "theory/spectrum.hpp"

namespace collapse {

template <class Real> struct lambda_opt_params { Real T = 0, sigma2 = 0, n = 0, T0 = 0, sigma02 = 0; };

template <class Real> struct lambda_opt_result {
  Real lambda = 0, kappa = 0, risk = 0;
  bool at_boundary = false;  // λ* = 0: interpolation is optimal
  int iterations = 0;
};

/// λ* minimising the §3.3 DE over λ ≥ 0 (§6). The boundary λ* = 0 is decided by a certified sign
/// (detail::decide_boundary); an interior optimum is the first sign change of E' found by a log scan in
/// double over κ ∈ κ_0 + [1e-14, 1e8]·(trΣ/T + 1), checked and, where double cannot resolve it (σ² so
/// small that κ* − κ_0 is below 1e-14 of the scale, or a double overflow), extended in Real by factors of
/// 16 down to the working precision or up to 1e300 times the scale: the bracket comes from the scales
/// of the problem, with no floor (issue 8). TOMS 748 refines in Real.
/// Throws domain_error (σ² < 0, generator out of range) and convergence_error (no upturn of the risk,
/// an undecidable boundary, an optimum closer to κ_0 than the precision resolves); never a library's text.
template <class Real> lambda_opt_result<Real> lambda_opt(const spectrum<Real>& s, const lambda_opt_params<Real>& p);

#define COLLAPSE_LAMBDA_OPT_INSTANCES(EXTERN, R) \
  EXTERN template lambda_opt_result<R> lambda_opt<R>(const spectrum<R>&, const lambda_opt_params<R>&);
#ifdef COLLAPSE_THEORY_INSTANCES
COLLAPSE_LAMBDA_OPT_INSTANCES(extern, double)
COLLAPSE_LAMBDA_OPT_INSTANCES(extern, mpfr_real)
#endif

}  // namespace collapse

#ifndef COLLAPSE_THEORY_INSTANCES
#include "theory/lambda_opt_impl.hpp"
#endif
