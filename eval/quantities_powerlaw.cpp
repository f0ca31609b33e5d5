// eval/quantities_powerlaw.cpp -- power-law asymptotics: continuum constants, kappa*, crossover (§5.2-5.6;
// theory/powerlaw_asymptotics.hpp).
#include "eval/digits.hpp"
#include "eval/quantities.hpp"

#include "theory/powerlaw_asymptotics.hpp"

#include <fmt/format.h>

#include <cmath>

namespace collapse::eval {

std::vector<quantity_info> powerlaw_quantities() {
  std::vector<quantity_info> q;
  q.emplace_back(
      quantity_spec{
          .name = "powerlaw-constants",
          .section = "§5.2-5.3",
          .description = "continuum constants C1 = (pi/beta)/sin(pi/beta), C2 = (1-1/beta)C1, B_r (value: C1)",
          .parameters = {capacity_exponent(), {"r", positive()}},
          .components = {"C1", "C2", "B"},
      },
      []<class Real>(const arguments& a, route) {
        real_eval<Real> out;
        auto c = powerlaw_constants_of(a.real<Real>("beta"), a.real<Real>("r"));
        out.value = c.C1;
        out.components = {{"C1", c.C1}, {"C2", c.C2}};
        if (c.has_B) out.components.push_back({"B", c.B});
        else out.diagnostics["note"] = "B is omitted at r = 1: the bias is ~ kappa^2 log(1/kappa)/beta there (§5.3), no constant";
        out.diagnostics["method"] = "closed form (Gamma, zeta, pi)";
        return out;
      });
  q.emplace_back(
      quantity_spec{
          .name = "crossover",
          .section = "§5.6",
          .description = "fast-to-slow crossover T* = [2 r_ beta B_r C1^(2 beta r_+1)/(C2 sigma_eff2)]^(1/(2 beta r_))",
          .parameters = {capacity_exponent(), {"r", positive()}, {"sigma-eff2", positive()}},
      },
      []<class Real>(const arguments& a, route) {
        real_eval<Real> out;
        // T* = base^(1/(2 beta r_)) grows like 10^(c/r) as r -> 0: its decimal exponent is decided in double
        // first, so a T* beyond max_decimal_exponent is refused naming r before any digit is computed.
        const double r_double = a.real<double>("r");  // 0 when r is below the smallest double: T* is then beyond any limit
        const double log10_T = r_double > 0 ? crossover_log10_T(a.real<double>("beta"), r_double, a.real<double>("sigma-eff2"))
                                            : HUGE_VAL;
        if (!(std::abs(log10_T) <= max_decimal_exponent))
          throw domain_error("--r", a.text("r"), "r with |log10 T*| <= " + fmt::format("{:g}", max_decimal_exponent),
                             "T* = 10^" + fmt::format("{:.4g}", log10_T) + " here: it grows like 10^(c/r) as r -> 0 (§5.6)");
        out.value = crossover_T(a.real<Real>("beta"), a.real<Real>("r"), a.real<Real>("sigma-eff2"));
        out.diagnostics["method"] = "closed form (§5.6)";
        return out;
      });
  q.emplace_back(
      quantity_spec{
          .name = "kappa-opt-asymptotic",
          .section = "§5.5",
          .description = "kappa* = (sigma_eff2 C2/(2 r_ beta B_r T))^(beta/(2 beta r_+1)); component risk = E*",
          .parameters = {capacity_exponent(), {"r", positive()}, {"T", positive()}, {"sigma-eff2", positive()}},
          .components = {"risk"},
      },
      []<class Real>(const arguments& a, route) {
        real_eval<Real> out;
        auto k = kappa_opt_asymptotic_of(a.real<Real>("beta"), a.real<Real>("r"), a.real<Real>("T"), a.real<Real>("sigma-eff2"));
        out.value = k.kappa;
        out.components = {{"risk", k.risk}};
        out.diagnostics["method"] = "closed form (§5.5)";
        return out;
      });
  return q;
}

}  // namespace collapse::eval
