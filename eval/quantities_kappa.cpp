// eval/quantities_kappa.cpp -- the effective regularisation kappa and kappa0 (§3.1, §8.1; theory/kappa.hpp).
#include "eval/quantities.hpp"
#include "eval/spectral_quantity.hpp"

#include "theory/kappa.hpp"

namespace collapse::eval {

namespace {
template <class Real> real_eval<Real> kappa_result(const char* key, const kappa_solution<Real>& k) {
  real_eval<Real> out;
  out.value = k.kappa;
  note_kappa(out.diagnostics, key, k);
  out.diagnostics["method"] = k.method;
  out.diagnostics["iterations"] = k.iterations;
  out.diagnostics["residual"] = static_cast<double>(k.residual);
  return out;
}
}  // namespace

std::vector<quantity_info> kappa_quantities() {
  std::vector<quantity_info> q;
  q.emplace_back(
      quantity_spec{
          .name = "kappa",
          .section = "§3.1",
          .description = "effective regularisation kappa(lambda, T): kappa - lambda = kappa df1(kappa)/T",
          .parameters = {{"T", positive()}, {"lambda", non_negative()}},
          .uses_spectrum = true,
      },
      []<class Real>(const arguments& a, route r) {
        auto s = spectrum_of<Real>(a, r);
        auto out = kappa_result("kappa", solve_kappa(s, a.real<Real>("T"), a.real<Real>("lambda")));
        note_sums(out, s);
        return out;
      });
  q.emplace_back(
      quantity_spec{
          .name = "kappa0",
          .section = "§3.1",
          .description = "kappa0 = kappa(0, T0): 0 if d <= T0, else df1(kappa0) = T0",
          .parameters = {{"T0", positive()}},
          .uses_spectrum = true,
      },
      []<class Real>(const arguments& a, route r) {
        auto s = spectrum_of<Real>(a, r);
        auto out = kappa_result("kappa0", solve_kappa0(s, a.real<Real>("T0")));
        note_sums(out, s);
        return out;
      });
  return q;
}

}  // namespace collapse::eval
