// tests/numerics/simulation_support.hpp -- helpers shared by the simulation tests: configs built
// from exact parameters, Monte Carlo checks in units of the estimate's own standard error, and a
// one-line report of every z-score (grep "z-report" in the test output).
#pragma once

#include "numerics/simulate.hpp"
#include "theory/errors.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace collapse::test {

inline exact_number exact(const std::string& text) { return parse_exact("test", text); }

inline spectrum_spec isotropic(long d, const std::string& w0norm2) {
  spectrum_spec s;
  s.type = spectrum_spec::kind::isotropic;
  s.d = exact(std::to_string(d));
  s.w0norm2 = exact(w0norm2);
  return s;
}

inline spectrum_spec powerlaw(long d, const std::string& beta, const std::string& r) {
  spectrum_spec s;
  s.type = spectrum_spec::kind::powerlaw;
  s.d = exact(std::to_string(d));
  s.beta = exact(beta);
  s.r = exact(r);
  return s;
}

/// Σ = diag(linspace(lo, hi, d)) exactly, w2_j = w0norm2/d (§2.5's R1a law).
inline spectrum_spec linspace(long d, const rational& lo, const rational& hi, const rational& w0norm2) {
  spectrum_spec s;
  s.type = spectrum_spec::kind::explicit_list;
  s.path = "linspace";
  for (long j = 0; j < d; ++j) {
    s.eig.push_back(lo + (hi - lo) * rational(j) / rational(d - 1));
    s.w2.push_back(w0norm2 / rational(d));
  }
  s.d = exact(std::to_string(d));
  return s;
}

inline numerics::simulation_config config(spectrum_spec s, long T, long T0, int n, std::vector<std::string> lambdas,
                                          const std::string& sigma2, const std::string& sigma02, std::uint64_t trials,
                                          std::uint64_t seed, numerics::engine_kind engine,
                                          numerics::estimator_kind estimator) {
  numerics::simulation_config c;
  c.spectrum = std::move(s);
  c.T = T;
  c.T0 = T0;
  c.n = n;
  for (const auto& l : lambdas) c.lambda.push_back(exact(l));
  c.sigma2 = exact(sigma2);
  c.sigma02 = exact(sigma02);
  c.trials = trials;
  c.seed = seed;
  c.engine = engine;
  c.estimator = estimator;
  c.threads = 2;
  return c;
}

inline std::string describe(const numerics::simulation_config& c) {
  return c.spectrum.describe() + " T=" + std::to_string(c.T) + " T0=" + std::to_string(c.T0) + " n=" +
         std::to_string(c.n) + " sigma2=" + c.sigma2.text + " sigma02=" + c.sigma02.text + " engine=" +
         numerics::to_string(c.engine) + " estimator=" + numerics::to_string(c.estimator) + " seed=" +
         std::to_string(c.seed) + " trials=" + std::to_string(c.trials);
}

/// Monte Carlo mean vs an exact value: |z| <= 4 (z in units of the estimate's own standard error)
/// and the standard error itself at most max_rel_se of the exact value, so that a simulation that
/// became noisy fails too. Every z goes to stdout as a "z-report" line.
inline void check_against_exact(const numerics::simulation_config& c, const numerics::estimate& e, double exact_value,
                                double max_rel_se, const std::string& label) {
  double z = (e.mean - exact_value) / e.se;
  std::printf("z-report %-44s k=%d lambda=%s mean=%.6f se=%.2e exact=%.6f z=%+.2f\n", label.c_str(), e.generation,
              e.lambda_text.c_str(), e.mean, e.se, exact_value, z);
  INFO(describe(c));
  INFO("generation " << e.generation << ", lambda " << e.lambda_text << ": mean " << e.mean << " +- " << e.se
                     << ", exact " << exact_value << ", z = " << z << ", se bound " << max_rel_se * exact_value);
  CHECK(std::abs(z) <= 4);
  CHECK(e.se <= max_rel_se * std::abs(exact_value));
}

/// Two independent estimates of the same mean: |z| <= 4 with z = (a − b)/sqrt(se_a² + se_b²).
inline double check_same_mean(const numerics::estimate& a, const numerics::estimate& b, const std::string& label,
                              double max_rel_se) {
  double s = std::sqrt(a.se * a.se + b.se * b.se), z = (a.mean - b.mean) / s;
  std::printf("z-report %-44s k=%d lambda=%s a=%.6f+-%.1e b=%.6f+-%.1e z=%+.2f\n", label.c_str(), a.generation,
              a.lambda_text.c_str(), a.mean, a.se, b.mean, b.se, z);
  INFO(label << " generation " << a.generation << " lambda " << a.lambda_text << ": " << a.mean << " +- " << a.se
             << " vs " << b.mean << " +- " << b.se << ", z = " << z);
  CHECK(std::abs(z) <= 4);
  CHECK(s <= max_rel_se * std::abs(b.mean));
  return z;
}

/// numerics::validate(c) refuses `c` with a domain_error naming `parameter` (and, if given, saying `says`).
inline void expect_refused(const numerics::simulation_config& c, const std::string& parameter, const std::string& says = "") {
  try {
    numerics::validate(c);
    FAIL("no error for " << parameter);
  } catch (const collapse::domain_error& e) {
    INFO(e.what());
    CHECK(e.parameter() == parameter);
    if (!says.empty()) CHECK(std::string(e.what()).find(says) != std::string::npos);
  }
}

}  // namespace collapse::test
