// eval/quantities_ridge.cpp -- the ridge deterministic equivalent with collapse (§3.2-3.3; theory/ridge_de.hpp).
#include "eval/quantities.hpp"
#include "eval/spectral_quantity.hpp"

#include "theory/ridge_de.hpp"

namespace collapse::eval {

namespace {
template <class Real> ridge_params<Real> ridge_params_of(const arguments& a) {
  ridge_params<Real> p;
  p.T = a.real<Real>("T"); p.lambda = a.real<Real>("lambda"); p.sigma2 = a.real<Real>("sigma2"); p.n = a.real<Real>("n");
  p.T0 = a.real_or_zero<Real>("T0");
  p.sigma02 = a.real_or_zero<Real>("sigma02");
  return p;
}
std::vector<parameter> ridge_parameters() {
  return {{"T", positive()}, {"lambda", non_negative()}, {"sigma2", non_negative()}, generator_steps()};
}
}  // namespace

std::vector<quantity_info> ridge_quantities() {
  std::vector<quantity_info> q;
  q.emplace_back(
      quantity_spec{
          .name = "ridge-risk",
          .section = "§3.2-3.3",
          .description = "ridge DE after n under-parameterised generators: Bias + Var + n sigma02 rho",
          .parameters = ridge_parameters(),
          .generator_parameters = generator_noise(),
          .uses_spectrum = true,
          .components = {"kappa", "df1", "df2", "bias", "variance", "collapse", "sigma_eff2"},
      },
      []<class Real>(const arguments& a, route r) {
        real_eval<Real> out;
        auto s = spectrum_of<Real>(a, r);
        auto e = ridge_risk(s, ridge_params_of<Real>(a));
        out.value = e.total;
        out.components = {{"kappa", e.kappa.kappa}, {"df1", e.df1},           {"df2", e.df2},
                          {"bias", e.bias},         {"variance", e.variance}, {"collapse", e.collapse},
                          {"sigma_eff2", e.sigma_eff2}};
        note_kappa(out.diagnostics, "kappa", e.kappa);
        out.diagnostics["method"] = "deterministic equivalent (§3.2-3.3), cancellation-free forms (§8.2)";
        out.diagnostics["iterations"] = e.kappa.iterations;
        out.diagnostics["residual"] = static_cast<double>(e.kappa.residual);
        note_sums(out, s);
        return out;
      });
  q.emplace_back(
      quantity_spec{
          .name = "effective-noise",
          .section = "§3.3",
          .description = "effective label-noise variance sigma_eff2 = sigma2 + n sigma02 (T + d - 2 df1)/(T0 - d - 1)",
          .parameters = ridge_parameters(),
          .generator_parameters = generator_noise(),
          .uses_spectrum = true,
      },
      []<class Real>(const arguments& a, route r) {
        real_eval<Real> out;
        auto s = spectrum_of<Real>(a, r);
        out.value = effective_noise(s, ridge_params_of<Real>(a));
        out.diagnostics["method"] = "deterministic equivalent (§3.3), T + d - 2 df1 in positive terms (§8.2)";
        note_sums(out, s);
        return out;
      });
  return q;
}

}  // namespace collapse::eval
