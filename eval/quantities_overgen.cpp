// eval/quantities_overgen.cpp -- the over-parameterised (T0 < d) min-norm chain, DE recursion (§4.3;
// theory/overgen_de.hpp).
#include "eval/quantities.hpp"
#include "eval/spectral_quantity.hpp"

#include "theory/overgen_de.hpp"

namespace collapse::eval {

namespace {
const char* const recursion_method = "deterministic-equivalent recursion (§4.3), symbolic in positive terms";

/// n <= 200: the recursion's cost grows as n^2.
parameter recursion_steps() { return {"n", integer_in(0, 200, {}, "its cost grows as n^2 in the over-parameterised recursion")}; }

template <class Real> overgen_params<Real> overgen_params_of(const arguments& a) {
  overgen_params<Real> p;
  p.T0 = a.real<Real>("T0"); p.n = a.real<Real>("n"); p.sigma02 = a.real<Real>("sigma02");
  return p;
}
}  // namespace

std::vector<quantity_info> overgen_quantities() {
  std::vector<quantity_info> q;
  q.emplace_back(
      quantity_spec{
          .name = "overgen-generator-risk",
          .section = "§4.3",
          .description = "E_test of the n-th over-parameterised (T0 < d) min-norm generator, DE recursion",
          .parameters = {{"T0", positive()}, recursion_steps(), {"sigma02", non_negative()}},
          .uses_spectrum = true,
          .components = {"kappa0", "shrinkage"},
      },
      []<class Real>(const arguments& a, route r) {
        real_eval<Real> out;
        auto s = spectrum_of<Real>(a, r);
        auto e = overgen_generator_risk(s, overgen_params_of<Real>(a));
        out.value = e.generator_error;
        out.components = {{"kappa0", e.kappa0.kappa}, {"shrinkage", e.shrinkage}};
        note_kappa(out.diagnostics, "kappa0", e.kappa0);
        out.diagnostics["iterations"] = e.kappa0.iterations;
        out.diagnostics["residual"] = static_cast<double>(e.kappa0.residual);
        out.diagnostics["method"] = recursion_method;
        note_sums(out, s);
        return out;
      });
  q.emplace_back(
      quantity_spec{
          .name = "overgen-risk",
          .section = "§4.3",
          .description = "downstream ridge after the over-parameterised chain, DE recursion",
          .parameters = {{"T0", positive()}, recursion_steps(), {"sigma02", non_negative()}, {"T", positive()},
                         {"lambda", non_negative()}, {"sigma2", non_negative()}},
          .uses_spectrum = true,
          .components = {"kappa0", "kappa", "generator_error", "bias", "variance", "collapse_variance"},
      },
      []<class Real>(const arguments& a, route r) {
        real_eval<Real> out;
        auto s = spectrum_of<Real>(a, r);
        auto p = overgen_params_of<Real>(a);
        p.T = a.real<Real>("T"); p.lambda = a.real<Real>("lambda"); p.sigma2 = a.real<Real>("sigma2");
        auto e = overgen_risk(s, p);
        out.value = e.total;
        out.components = {{"kappa0", e.kappa0.kappa}, {"kappa", e.kappa.kappa}, {"generator_error", e.generator_error},
                          {"bias", e.bias}, {"variance", e.variance}, {"collapse_variance", e.collapse_variance}};
        note_kappa(out.diagnostics, "kappa0", e.kappa0);
        note_kappa(out.diagnostics, "kappa", e.kappa);
        out.diagnostics["iterations"] = e.kappa0.iterations + e.kappa.iterations;
        out.diagnostics["residual"] = static_cast<double>(std::max(e.kappa0.residual, e.kappa.residual));
        out.diagnostics["method"] = recursion_method;
        note_sums(out, s);
        return out;
      });
  return q;
}

}  // namespace collapse::eval
