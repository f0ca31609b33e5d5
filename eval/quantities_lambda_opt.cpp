// eval/quantities_lambda_opt.cpp -- the optimal ridge penalty with collapse, any spectrum (§6;
// theory/lambda_opt.hpp).
#include "eval/quantities.hpp"
#include "eval/spectral_quantity.hpp"

#include "theory/lambda_opt.hpp"

namespace collapse::eval {

std::vector<quantity_info> lambda_opt_quantities() {
  std::vector<quantity_info> q;
  q.emplace_back(
      quantity_spec{
          .name = "lambda-opt",
          .section = "§6",
          .description = "optimal lambda minimising the ridge DE with collapse, any spectrum",
          .parameters = {{"T", positive()}, {"sigma2", non_negative()}, generator_steps()},
          .generator_parameters = generator_noise(),
          .uses_spectrum = true,
          .components = {"kappa_opt", "risk_opt"},
      },
      []<class Real>(const arguments& a, route r) {
        real_eval<Real> out;
        auto s = spectrum_of<Real>(a, r);
        lambda_opt_params<Real> p;
        p.T = a.real<Real>("T"); p.sigma2 = a.real<Real>("sigma2"); p.n = a.real<Real>("n");
        p.T0 = a.real_or_zero<Real>("T0");
        p.sigma02 = a.real_or_zero<Real>("sigma02");
        auto e = lambda_opt(s, p);
        out.value = e.lambda;
        out.components = {{"kappa_opt", e.kappa}, {"risk_opt", e.risk}};
        out.diagnostics["method"] = e.at_boundary ? "boundary optimum: dE/dkappa >= 0 at kappa_0, lambda* = 0 (interpolation)"
                                                  : "root of dE/dkappa (§6), TOMS 748";
        out.diagnostics["iterations"] = e.iterations;
        out.diagnostics["at_boundary"] = e.at_boundary;
        note_sums(out, s);
        return out;
      });
  return q;
}

}  // namespace collapse::eval
