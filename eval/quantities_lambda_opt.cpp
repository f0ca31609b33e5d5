// eval/quantities_lambda_opt.cpp -- the optimal ridge penalty with collapse, any spectrum (§6;
// theory/lambda_opt.hpp).
#include "eval/quantities.hpp"
#include "eval/spectral_quantity.hpp"

#include "theory/lambda_opt.hpp"

#include <algorithm>

namespace collapse::eval {

namespace {

/// With w0 = 0 the risk only falls as lambda grows: lambda* is infinite (predict 0), not a number to
/// certify. Refused as iso-lambda-opt refuses it (theory/isotropic.hpp), naming w0norm2 or the file.
void require_signal(const spectrum_spec& s) {
  const std::string why = "with w0 = 0 the best lambda is infinite (predict 0)";
  if (s.type == spectrum_spec::kind::isotropic && s.w0norm2.value == 0)
    throw domain_error("w0norm2", s.w0norm2.text, "w0norm2 > 0", why);
  if (s.type == spectrum_spec::kind::explicit_list && std::all_of(s.w2.begin(), s.w2.end(), [](const rational& w) { return w == 0; }))
    throw domain_error("spectrum file", s.path, "at least one row with w2 > 0", why);
}

}  // namespace

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
        require_signal(a.spectrum());
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
