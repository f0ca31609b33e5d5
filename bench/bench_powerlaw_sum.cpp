// bench/bench_powerlaw_sum.cpp -- time per power-law sum (theory/powerlaw_sum.hpp), Euler–Maclaurin
// route, for df1, df2 and the bias numerator over β ∈ {1.2, 2, 3.7}, κ ∈ {1e-12 .. 0.5}, d = ∞ and
// d = 1e7, at double and MPFR 70 / 200 digits. κ is perturbed on every call, so nothing that depends
// on κ can be reused. Reports mean and worst thread-CPU µs per sum for each precision and d.
#include "theory/powerlaw_sum.hpp"

#include <cstdio>
#include <ctime>
#include <string>

using namespace collapse;

// Thread CPU time in µs: the machine is shared, wall time would measure the neighbours.
static double cpu_us() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec * 1e-3;
}

template <class Real> void bench(const std::string& name, int reps) {
  for (bool inf : {true, false}) {
    double total = 0, worst = 0;
    int cases = 0;
    for (double beta : {1.2, 2.0, 3.7})
      for (int q = 0; q < 3; ++q)
        for (double kd : {1e-12, 1e-8, 1e-4, 1e-2, 0.5}) {
          const Real b = Real(beta), k = Real(kd);
          powerlaw_summand<Real> f = q == 2 ? powerlaw_summand<Real>{Real(-1 - 2 * b * Real(0.8) + 2 * b), {{k, 2}}}
                                            : powerlaw_summand<Real>{Real(0), {{k, q + 1}}};
          const powerlaw_dim d = inf ? powerlaw_dim::inf() : powerlaw_dim::finite(10000000);
          powerlaw_sum_em(b, f, d);  // fill the per-(β, a, precision) caches
          const double t0 = cpu_us();
          for (int r = 0; r < reps; ++r) {
            f.factors[0].kappa = k * (1 + Real(r + 1) / 1000000);
            auto res = powerlaw_sum_em(b, f, d);
            if (!(res.error >= 0)) std::printf("bad\n");
          }
          const double us = (cpu_us() - t0) / reps;
          total += us;
          worst = std::max(worst, us);
          ++cases;
        }
    std::printf("%-10s d = %-4s mean %9.1f us   worst %9.1f us   (%d cases)\n", name.c_str(), inf ? "inf" : "1e7",
                total / cases, worst, cases);
  }
}

/// Thread-CPU ns of one in-place MPFR multiplication at the current precision: the unit to which the
/// timings above scale from machine to machine.
static double mpfr_mul_ns() {
  mpfr_real a = mpfr_real(1) / 3, b = mpfr_real(2) / 7, c;
  const int n = 200000;
  const double t0 = cpu_us();
  for (int i = 0; i < n; ++i) boost::multiprecision::multiply(c, a, b);
  return (cpu_us() - t0) * 1000 / n;
}

int main() {
  bench<double>("double", 2000);
  {
    precision_guard g(70);
    std::printf("mpfr_mul at 70 digits: %.0f ns\n", mpfr_mul_ns());
    bench<mpfr_real>("mpfr(70)", 40);
  }
  {
    precision_guard g(200);
    std::printf("mpfr_mul at 200 digits: %.0f ns\n", mpfr_mul_ns());
    bench<mpfr_real>("mpfr(200)", 10);
  }
}
