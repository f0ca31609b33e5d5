// bench/bench_eval.cpp -- timing of the theory evaluators (issue 2, "Performance").
//
//   ridge-risk on the power law β = 1.5, r = 0.4 (κ solve + all components), d = ∞ and d = 10^7,
//   (a) one evaluation at the working precision D + 20 digits (what a library caller gets), and
//   (b) the certified `collapse eval` path (primary route at D+guard, independent route at D+2·guard).
// Each case: 3 warm-up runs (caches of head powers, Gauss–Legendre nodes, zeta values), then the median
// of 15 runs. Prints a markdown table.
#include "theory/ridge_de.hpp"
#include "eval/catalogue.hpp"

#include "bench/timing.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

using namespace collapse;

namespace {
double median_ms(const std::function<void()>& f, int reps = 15) { return bench::median_ms(f, reps); }
}  // namespace

int main() {
  std::printf("| case | digits | one evaluation (working D+20), median ms | certified `collapse eval`, median ms |\n|---|---|---|---|\n");
  for (const char* d : {"inf", "10000000"}) {
    for (int digits : {30, 50}) {
      spectrum_spec sp;
      sp.type = spectrum_spec::kind::powerlaw;
      sp.beta = parse_exact("beta", "1.5");
      sp.r = parse_exact("r", "0.4");
      sp.d = parse_exact("d", d, true);
      double one = median_ms([&] {
        precision_guard g(digits + 20);
        spectrum<mpfr_real> s(sp);
        ridge_params<mpfr_real> p;
        p.T = 1000; p.lambda = mpfr_real(1) / 1000; p.sigma2 = 1;
        volatile double sink = static_cast<double>(ridge_risk(s, p).total);
        (void)sink;
      });
      auto req = eval::build_request("ridge-risk", {{"spectrum", "powerlaw"}, {"beta", "1.5"}, {"r", "0.4"}, {"d", d}, {"T", "1000"},
                                                   {"lambda", "1e-3"}, {"sigma2", "1"}, {"n", "0"}}, digits);
      double certified = median_ms([&] { eval::evaluate_certified(req); }, 5);
      std::printf("| ridge-risk, power law beta=1.5 r=0.4 d=%s T=1000 lambda=1e-3 | %d | %.1f | %.1f |\n", d, digits, one, certified);
      std::fflush(stdout);
    }
  }
  return 0;
}
