// eval/quantities_spectral_sum.cpp -- spectral sums at a given kappa (§1, §8.3; theory/spectrum.hpp).
#include "eval/quantities.hpp"
#include "eval/spectral_quantity.hpp"

namespace collapse::eval {

std::vector<quantity_info> spectral_sum_quantities() {
  std::vector<quantity_info> q;
  q.emplace_back(
      quantity_spec{
          .name = "df",
          .section = "§1",
          .description = "df_m(kappa) = sum_j (lambda_j/(lambda_j+kappa))^m",
          .parameters = {{"kappa", positive()}, {"m", integer_in(1, 64)}},
          .uses_spectrum = true,
      },
      []<class Real>(const arguments& a, route r) {
        real_eval<Real> out;
        auto s = spectrum_of<Real>(a, r);
        out.value = df(s, a.real<Real>("kappa"), static_cast<int>(boost::multiprecision::numerator(a.exact("m")).convert_to<long>()));
        out.diagnostics["method"] = "spectral sum";
        note_sums(out, s);
        return out;
      });
  q.emplace_back(
      quantity_spec{
          .name = "bias-numerator",
          .section = "§1, §8.3",
          .description = "B(kappa) = sum_j lambda_j w2_j (kappa/(lambda_j+kappa))^2",
          .parameters = {{"kappa", positive()}},
          .uses_spectrum = true,
      },
      []<class Real>(const arguments& a, route r) {
        real_eval<Real> out;
        auto s = spectrum_of<Real>(a, r);
        out.value = bias_numerator(s, a.real<Real>("kappa"));
        out.diagnostics["method"] = "spectral sum of positive terms";
        note_sums(out, s);
        return out;
      });
  return q;
}

}  // namespace collapse::eval
