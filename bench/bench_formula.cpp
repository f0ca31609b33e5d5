// bench/bench_formula.cpp -- issue 13 "Performance": a formula evaluated through the expression path
// (formula/: GiNaC-parsed, compiled once, walked over mpfr_real with the spectral primitives of theory/) against
// the compiled catalogue evaluator of the same quantity, both certified at 50 digits (two precisions each), in the
// same run. Each case: 3 warm-up runs, then the median of 9. Prints a markdown table with the ratio (required <= 3).
//   build: cmake -DCOLLAPSE_BUILD_BENCH=ON ...; cmake --build build --target bench_formula; build/bench_formula
#include "eval/catalogue.hpp"
#include "formula/formula.hpp"

#include "bench/timing.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

using namespace collapse;

namespace {
double median_ms(const std::function<void()>& f, int reps = 9) { return bench::median_ms(f, reps); }

struct bench_case {
  const char* quantity;
  const char* options;
  const char* formula;
};
}  // namespace

int main() {
  const int digits = 50;
  const std::string K = "kappa(lambda,T)";
  const std::string ridge = "B(" + K + ")/(1-df(2," + K + ")/T) + sigma2*df(2," + K + ")/(T-df(2," + K + ")) + n*sigma02*df(2," + K +
                            ")*(T+d-2*df(1," + K + "))/((T0-d-1)*(T-df(2," + K + ")))";
  const std::vector<bench_case> cases = {
      {"ridge-risk", "--spectrum powerlaw --beta 1.5 --r 0.4 --d 10000000 --T 1000 --lambda 1e-3 --sigma2 1 --n 3 --T0 20000000 --sigma02 0.25",
       ridge.c_str()},
      {"ridge-risk", "--spectrum isotropic --d 200 --w0norm2 1 --T 300 --lambda 0.1 --sigma2 0.25 --n 3 --T0 400 --sigma02 1", ridge.c_str()},
      {"kappa", "--spectrum powerlaw --beta 1.5 --r 0.4 --d inf --T 1000 --lambda 1e-3", "kappa(lambda, T)"},
      {"ols-exact", "--d 20 --T 40 --n 2 --sigma2 1 --T0 35 --sigma02 0.49", "sigma2*d/(T-d-1) + n*sigma02*d/(T0-d-1)"},
  };
  std::printf("| quantity | point | compiled evaluator, median ms | formula path, median ms | ratio |\n|---|---|---|---|---|\n");
  for (const auto& c : cases) {
    const auto options = eval::parse_option_string(c.options);
    const auto req = eval::build_request(c.quantity, options, digits);
    const auto f = formula::formula::parse(c.formula);
    const auto p = formula::point_of(f, options);
    if (formula::evaluate_certified(f, p, digits).value != eval::evaluate_certified(req).value) {
      std::fprintf(stderr, "bench_formula: %s: the formula's digits differ from the catalogue's\n", c.quantity);
      return 1;
    }
    const double compiled = median_ms([&] { eval::evaluate_certified(req); });
    const double expr = median_ms([&] { formula::evaluate_certified(f, p, digits); });
    std::printf("| %s | `%s` | %.2f | %.2f | %.2f |\n", c.quantity, c.options, compiled, expr, expr / compiled);
    std::fflush(stdout);
  }
  return 0;
}
