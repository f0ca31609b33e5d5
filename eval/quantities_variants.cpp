// eval/quantities_variants.cpp -- the issue-12 protocol variants (docs/theory-extensions.md): accumulating
// data (§A, theory/variants/accumulate.hpp), mixing real and synthetic data (§B, theory/variants/mixing.hpp),
// ridge-regularised generators (§C, theory/variants/ridge_generator.hpp).
#include "eval/quantities.hpp"
#include "eval/spectral_quantity.hpp"

#include "theory/variants/accumulate.hpp"
#include "theory/variants/mixing.hpp"
#include "theory/variants/ridge_generator.hpp"

#include <algorithm>

namespace collapse::eval {

namespace {
/// A validated integer parameter (its domain is integer_in) as a long.
long integer_of(const arguments& a, const std::string& name) { return numerator(a.exact(name)).convert_to<long>(); }
long integer_or_zero(const arguments& a, const std::string& name) { return a.has(name) ? integer_of(a, name) : 0; }

parameter size(const char* name) { return {name, integer_in(1, rational(1000000000000LL), "1e12")}; }
/// n <= 1000: the exact sum Σ 1/k² has a denominator of about 0.87 n decimal digits.
parameter accumulate_steps() { return {"n", integer_in(0, 1000, {}, "the exact rational sums grow with n")}; }

/// The generators of ridge-generator-risk and ridge-generator-lambda-opt, then `downstream`.
std::vector<parameter> ridge_chain(std::vector<parameter> downstream) {
  std::vector<parameter> p = {{"T0", positive()}, {"lambda0", non_negative()}, {"n", integer_in(0, 200, {}, "the recursion's cost grows as n^2")},
                              {"sigma02", non_negative()}};
  p.insert(p.end(), downstream.begin(), downstream.end());
  return p;
}

exact_eval accumulate_eval(const variants::accumulate_result<rational>& e, const rational& n_eff, bool with_replace) {
  exact_eval out{e.total, {{"generators", e.generators}, {"downstream", e.downstream}, {"n_eff", n_eff}}};
  if (with_replace) out.components.emplace_back("replace", e.replace);
  return out;
}
}  // namespace

std::vector<quantity_info> variants_quantities() {
  std::vector<quantity_info> q;
  q.emplace_back(
      quantity_spec{
          .name = "accumulate-fixed-exact",
          .section = "extensions §A.2 (A1)",
          .description = "exact E_n when every fit is OLS on all batches so far, one design of T rows reused: "
                         "d/(T-d-1) [sigma02 H2(n) + sigma2/(n+1)^2]",
          .parameters = {dimension(), size("T"), accumulate_steps(), {"sigma2", non_negative()}},
          .generator_parameters = {{"sigma02", non_negative()}},
          .components = {"generators", "downstream", "n_eff", "replace"},
      },
      [](const arguments& a) -> exact_eval {
        const long d = integer_of(a, "d"), T = integer_of(a, "T"), n = integer_of(a, "n");
        const auto e = variants::accumulate_fixed_ols<rational>(d, T, n, a.exact("sigma2"), a.exact_or_zero("sigma02"));
        // n_eff = H2(n) (§A.3); T >= d + 2 was checked by accumulate_fixed_ols
        return accumulate_eval(e, variants::accumulate_effective_generations<rational>(d, T, n, variants::accumulate_design::fixed), true);
      });
  q.emplace_back(
      quantity_spec{
          .name = "accumulate-fresh-exact",
          .section = "extensions §A.2 (A2)",
          .description = "exact E_n when every fit is OLS on all batches so far, fresh designs (T0 rows per generator, T "
                         "downstream): sigma02 sum_k d/(k(k T0-d-1)) + sigma2 T d/((n T0+T)(n T0+T-d-1))",
          .parameters = {dimension(), size("T"), accumulate_steps(), {"sigma2", non_negative()}},
          .generator_parameters = {size("T0"), {"sigma02", non_negative()}},
          .components = {"generators", "downstream", "n_eff"},
      },
      [](const arguments& a) -> exact_eval {
        const long d = integer_of(a, "d"), T = integer_of(a, "T"), n = integer_of(a, "n"), T0 = integer_or_zero(a, "T0");
        const auto e = variants::accumulate_fresh_ols<rational>(d, T, T0, n, a.exact("sigma2"), a.exact_or_zero("sigma02"));
        const rational n_eff = n == 0 ? rational(0) : variants::accumulate_effective_generations<rational>(d, T0, n, variants::accumulate_design::fresh);
        return accumulate_eval(e, n_eff, false);
      });
  q.emplace_back(
      quantity_spec{
          .name = "mixing-exact",
          .section = "extensions §B.2 (B1)",
          .description = "exact E_test of OLS on T rows, T2 of them labelled by the shifted teacher w0 + Delta, any Sigma: "
                         "sigma2 d/(T-d-1) + |Delta|_Sigma^2 [p2^2 + p1 p2 c(d,T)]",
          .parameters = {dimension(), size("T"), {"T2", integer_in(0, rational(1000000000000LL), "1e12")}, {"sigma2", non_negative()},
                         {"delta-norm2", non_negative()}},
          .components = {"variance", "bias", "floor"},
      },
      [](const arguments& a) -> exact_eval {
        const auto e = variants::mixing_ols<rational>(integer_of(a, "d"), integer_of(a, "T"), integer_of(a, "T2"), a.exact("sigma2"),
                                                      a.exact("sigma2"), a.exact("delta-norm2"));
        return {e.total, {{"variance", e.variance}, {"bias", e.bias}, {"floor", e.floor}}};
      });
  q.emplace_back(
      quantity_spec{
          .name = "ridge-generator-risk",
          .section = "extensions §C.2 (§7 corrected)",
          .description = "downstream ridge after n ridge(lambda0) generators, DE recursion (§4.3 with kappa0 = kappa(lambda0, T0) "
                         "and G -> (T0 - df2(kappa0))/kappa0)",
          .parameters = ridge_chain({{"T", positive()}, {"lambda", non_negative()}, {"sigma2", non_negative()}}),
          .uses_spectrum = true,
          .components = {"kappa0", "kappa", "generator_error", "shrinkage", "bias", "variance", "collapse_variance"},
      },
      []<class Real>(const arguments& a, route r) {
        real_eval<Real> out;
        auto s = spectrum_of<Real>(a, r);
        variants::ridge_generator_params<Real> p;
        p.T0 = a.real<Real>("T0"); p.lambda0 = a.real<Real>("lambda0"); p.n = a.real<Real>("n"); p.sigma02 = a.real<Real>("sigma02");
        p.T = a.real<Real>("T"); p.lambda = a.real<Real>("lambda"); p.sigma2 = a.real<Real>("sigma2");
        const auto e = variants::ridge_generator_risk(s, p);
        out.value = e.total;
        out.components = {{"kappa0", e.kappa0.kappa}, {"kappa", e.kappa.kappa}, {"generator_error", e.generator_error},
                          {"shrinkage", e.shrinkage}, {"bias", e.bias}, {"variance", e.variance}, {"collapse_variance", e.collapse_variance}};
        note_kappa(out.diagnostics, "kappa0", e.kappa0);
        note_kappa(out.diagnostics, "kappa", e.kappa);
        out.diagnostics["iterations"] = e.kappa0.iterations + e.kappa.iterations;
        out.diagnostics["residual"] = static_cast<double>(std::max(e.kappa0.residual, e.kappa.residual));
        out.diagnostics["method"] = "deterministic-equivalent recursion (extensions §C.2), symbolic in positive terms";
        note_sums(out, s);
        return out;
      });
  q.emplace_back(
      quantity_spec{
          .name = "ridge-generator-lambda-opt",
          .section = "extensions §C.4",
          .description = "optimal downstream lambda after n ridge(lambda0) generators: argmin of ridge-generator-risk over lambda "
                         "(DE; log grid, then Brent on log lambda)",
          .parameters = ridge_chain({{"T", positive()}, {"sigma2", non_negative()}}),
          .uses_spectrum = true,
          .components = {"risk_opt", "kappa_opt", "generator_error"},
      },
      []<class Real>(const arguments& a, route r) {
        real_eval<Real> out;
        auto s = spectrum_of<Real>(a, r);
        variants::ridge_generator_params<Real> p;
        p.T0 = a.real<Real>("T0"); p.lambda0 = a.real<Real>("lambda0"); p.n = a.real<Real>("n"); p.sigma02 = a.real<Real>("sigma02");
        p.T = a.real<Real>("T"); p.sigma2 = a.real<Real>("sigma2");
        const auto e = variants::ridge_generator_lambda_opt(s, p);
        out.value = e.lambda;
        out.components = {{"risk_opt", e.at.total}, {"kappa_opt", e.at.kappa.kappa}, {"generator_error", e.at.generator_error}};
        out.diagnostics["iterations"] = e.iterations;
        out.diagnostics["method"] = "minimum of the extensions §C.2 DE over lambda: log grid in double, Brent on log lambda in the working "
                                    "precision (lambda* to half its digits)";
        note_sums(out, s);
        return out;
      });
  return q;
}

}  // namespace collapse::eval
