// eval/quantities_isotropic.cpp -- Sigma = I in the proportional limit: closed forms of §3.5, §4.2 and the
// quartic of §6 (theory/isotropic.hpp).
#include "eval/quantities.hpp"

#include "theory/exact.hpp"
#include "theory/isotropic.hpp"

#include <cmath>

namespace collapse::eval {

namespace {
/// 1 − φ0^-n without cancellation: exactly for n <= 4096, else −expm1(−n log1p(φ0 − 1)).
template <class Real> Real one_minus_q_pow_n(const rational& phi0, const rational& n) {
  using std::expm1; using std::log1p;
  long nn = boost::multiprecision::numerator(n).convert_to<long>();
  if (nn <= 4096) return to_real<Real>(1 - exact::detail::pow_int(1 / phi0, nn));
  return -expm1(-Real(nn) * log1p(to_real<Real>(phi0 - 1)));
}
}  // namespace

std::vector<quantity_info> isotropic_quantities() {
  std::vector<quantity_info> q;
  q.emplace_back(
      quantity_spec{
          .name = "overgen-iso-risk",
          .section = "§4.2",
          .description = "isotropic ridge after the over-parameterised chain, proportional limit: E_0 + (1-phi0^-n)(E_inf - E_0)",
          .parameters = {{"phi", positive()}, {"phi0", above(1)}, {"lambda", non_negative()}, generator_steps(),
                         {"w0norm2", non_negative()}, {"sigma2", non_negative()}, {"sigma02", non_negative()}},
          .components = {"kappa", "alpha1", "alpha2", "E0", "Einf"},
      },
      []<class Real>(const arguments& a, route) {
        real_eval<Real> out;
        auto e = overgen_iso_risk(a.real<Real>("phi"), a.real<Real>("phi0"), a.real<Real>("lambda"), a.real<Real>("n"),
                                  a.real<Real>("w0norm2"), a.real<Real>("sigma2"), a.real<Real>("sigma02"),
                                  one_minus_q_pow_n<Real>(a.exact("phi0"), a.exact("n")));
        out.value = e.total;
        out.components = {{"kappa", e.kappa}, {"alpha1", e.alpha1}, {"alpha2", e.alpha2}, {"E0", e.E0}, {"Einf", e.Einf}};
        out.diagnostics["method"] = "closed form (proportional limit)";
        return out;
      });
  q.emplace_back(
      quantity_spec{
          .name = "iso-kappa",
          .section = "§3.5",
          .description = "effective regularisation kappa(phi, lambda) for Sigma = I",
          .parameters = {{"phi", positive()}, {"lambda", non_negative()}},
      },
      []<class Real>(const arguments& a, route) {
        real_eval<Real> out;
        out.value = iso_kappa(a.real<Real>("phi"), a.real<Real>("lambda"));
        out.diagnostics["method"] = "closed form, cancellation-free branch";
        return out;
      });
  q.emplace_back(
      quantity_spec{
          .name = "iso-risk",
          .section = "§3.5",
          .description = "isotropic ridge DE with collapse: R_clean(lambda; a+m, s) + m(1-kappa)/(1+kappa), m = m_col",
          .parameters = {{"phi", positive()}, {"lambda", non_negative()}, {"w0norm2", non_negative()}, {"sigma2", non_negative()},
                         {"m", non_negative()}},
          .components = {"kappa", "clean", "collapse"},
      },
      []<class Real>(const arguments& a, route) {
        real_eval<Real> out;
        auto e = iso_risk(a.real<Real>("phi"), a.real<Real>("lambda"), a.real<Real>("w0norm2"), a.real<Real>("sigma2"), a.real<Real>("m"));
        out.value = e.total;
        out.components = {{"kappa", e.kappa}, {"clean", e.clean}, {"collapse", e.collapse}};
        out.diagnostics["method"] = "closed form";
        return out;
      });
  q.emplace_back(
      quantity_spec{
          .name = "iso-lambda-opt",
          .section = "§6",
          .description = "optimal lambda for Sigma = I with collapse, from the quartic",
          .parameters = {{"phi", positive()}, {"w0norm2", non_negative()}, {"sigma2", non_negative()}, {"m", non_negative()}},
          .components = {"kappa_opt", "risk_opt"},
      },
      []<class Real>(const arguments& a, route) {
        real_eval<Real> out;
        // λ* = 0 is decided on the exact inputs (theory/isotropic.hpp: iso_interpolation_optimal).
        auto e = iso_lambda_opt(a.real<Real>("phi"), a.real<Real>("w0norm2"), a.real<Real>("sigma2"), a.real<Real>("m"),
                                iso_interpolation_optimal(a.exact("phi"), a.exact("w0norm2"), a.exact("sigma2"), a.exact("m")));
        out.value = e.lambda;
        out.components = {{"kappa_opt", e.kappa}, {"risk_opt", e.risk}};
        out.diagnostics["method"] = e.at_boundary ? "boundary optimum, decided exactly: sigma2 = 0 and (m = 0 or phi = 1 and w0norm2 >= 3m), lambda* = 0 (interpolation)"
                                                  : "largest real root of the quartic (§6), TOMS 748";
        out.diagnostics["at_boundary"] = e.at_boundary;
        out.diagnostics["iterations"] = e.iterations;
        return out;
      });
  return q;
}

}  // namespace collapse::eval
