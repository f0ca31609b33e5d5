// eval/quantities_exact.cpp -- the exact (rational) quantities: §2.3, §2.4, §4.1, §4.2 (theory/exact.hpp).
#include "eval/quantities.hpp"

#include "theory/exact.hpp"

namespace collapse::eval {

std::vector<quantity_info> exact_quantities() {
  std::vector<quantity_info> q;
  q.emplace_back(
      quantity_spec{
          .name = "ols-exact",
          .section = "§2.3",
          .description = "exact E_n of ridgeless OLS after n OLS generators, any Sigma: sigma2 d/(T-d-1) + n sigma02 d/(T0-d-1)",
          .parameters = {dimension(), {"T", positive()}, generator_steps(), {"sigma2", non_negative()}},
          .generator_parameters = generator_noise(),
          .components = {"clean", "collapse"},
      },
      [](const arguments& a) -> exact_eval {
        auto e = exact::ols(a.exact("d"), a.exact("T"), a.exact_or_zero("T0"), a.exact("n"), a.exact("sigma2"), a.exact_or_zero("sigma02"));
        return {e.total, {{"clean", e.clean}, {"collapse", e.collapse}}};
      });
  q.emplace_back(
      quantity_spec{
          .name = "iso-minnorm-exact",
          .section = "§2.4",
          .description = "exact E_n, Sigma = I, min-norm downstream (T <= d-2) after n OLS generators",
          .parameters = {dimension(), {"T", positive()}, generator_steps(), {"sigma2", non_negative()}, {"w0norm2", non_negative()}},
          .generator_parameters = generator_noise(),
          .components = {"clean", "collapse"},
      },
      [](const arguments& a) -> exact_eval {
        auto e = exact::iso_minnorm(a.exact("d"), a.exact("T"), a.exact_or_zero("T0"), a.exact("n"), a.exact("sigma2"),
                                    a.exact_or_zero("sigma02"), a.exact("w0norm2"));
        return {e.total, {{"clean", e.clean}, {"collapse", e.collapse}}};
      });
  q.emplace_back(
      quantity_spec{
          .name = "overgen-iso-generator-exact",
          .section = "§4.1",
          .description = "exact E_test of the n-th over-parameterised min-norm generator, Sigma = I (d >= T0+2)",
          .parameters = {dimension(), {"T0", positive()}, generator_steps(), {"sigma02", non_negative()}, {"w0norm2", non_negative()}},
          .components = {"q", "a_n", "b_n"},
      },
      [](const arguments& a) -> exact_eval {
        auto e = exact::overgen_iso_generator(a.exact("d"), a.exact("T0"), a.exact("n"), a.exact("sigma02"), a.exact("w0norm2"));
        return {e.error, {{"q", e.q}, {"a_n", e.a_n}, {"b_n", e.b_n}}};
      });
  q.emplace_back(
      quantity_spec{
          .name = "overgen-iso-exact",
          .section = "§4.2",
          .description = "exact E_n, Sigma = I, ridgeless (OLS or min-norm) downstream after the over-parameterised chain",
          .parameters = {dimension(), {"T", positive()}, {"T0", positive()}, generator_steps(), {"sigma2", non_negative()},
                         {"sigma02", non_negative()}, {"w0norm2", non_negative()}},
          .components = {"alpha", "V", "generator_error"},
      },
      [](const arguments& a) -> exact_eval {
        auto e = exact::overgen_iso(a.exact("d"), a.exact("T"), a.exact("T0"), a.exact("n"), a.exact("sigma2"), a.exact("sigma02"),
                                    a.exact("w0norm2"));
        return {e.total, {{"alpha", e.alpha}, {"V", e.V}, {"generator_error", e.chain.error}}};
      });
  return q;
}

}  // namespace collapse::eval
