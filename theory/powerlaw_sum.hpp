// theory/powerlaw_sum.hpp -- TEMPORARY STAND-IN (direct summation, finite d only) until the
// Euler-Maclaurin / Hurwitz / Mellin engine lands from the `powerlaw` branch; same interface.
#pragma once
#include "theory/errors.hpp"
#include "theory/real.hpp"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
namespace collapse {
template <class Real> struct powerlaw_factor { Real kappa; int m; };
template <class Real> struct powerlaw_summand { Real a; std::vector<powerlaw_factor<Real>> factors; };
struct powerlaw_dim { bool infinite = true; std::uint64_t d = 0; };
template <class Real> struct sum_result { Real value; Real error; int terms = 0; std::string method; };
template <class Real>
sum_result<Real> powerlaw_sum_em(const Real& beta, const powerlaw_summand<Real>& f, powerlaw_dim d) {
  using std::pow; using boost::multiprecision::pow;
  if (d.infinite || d.d > 2000000) throw domain_error("d", "inf", "d <= 2e6 (stand-in engine)");
  Real s = 0;
  for (std::uint64_t j = 1; j <= d.d; ++j) {
    Real x = Real(j), t = pow(x, f.a), xb = pow(x, beta);
    for (auto& fa : f.factors) t /= pow(1 + fa.kappa * xb, fa.m);
    s += t;
  }
  return {s, s * epsilon<Real>() * Real(d.d), static_cast<int>(d.d), "direct"};
}
template <class Real>
std::optional<sum_result<Real>> powerlaw_sum_independent(const Real&, const powerlaw_summand<Real>&, powerlaw_dim) { return std::nullopt; }
}  // namespace collapse
#include <boost/math/special_functions/zeta.hpp>
namespace collapse {
template <class Real> Real riemann_zeta(const Real& s) {
  if constexpr (is_mpfr<Real>::value) { Real r; mpfr_zeta(r.backend().data(), s.backend().data(), MPFR_RNDN); return r; }
  else return boost::math::zeta(s);
}
}  // namespace collapse
