// theory/variants/ridge_generator_impl.hpp -- the definitions of theory/variants/ridge_generator.hpp (its header
// comment gives the formulas, § references and verification). Inside this project's build only
// theory/instances/ridge_generator.cpp and tests that need other scalar types include this file (issue 15 item 7).
// Verified by: tests/theory/test_variants.cpp (Monte Carlo of the literal protocol, isotropic closed form,
// λ0 = 0 against theory/overgen_de.hpp), generator tests/theory/variants_mc/variants_mc.py.
#pragma once

#include "theory/variants/ridge_generator.hpp"
#include "theory/overgen_de_impl.hpp"

#include "theory/overgen_de.hpp"

#include <boost/math/tools/minima.hpp>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace collapse::variants {
namespace detail {

template <class Real> void check_ridge_generator(const spectrum<Real>& s, const ridge_generator_params<Real>& p) {
  if (!(p.n >= 0) || p.n != static_cast<long>(p.n) || p.n > 10000)
    throw domain_error("n", value_text(p.n), "an integer 0 <= n <= 10000");
  if (!(p.sigma02 >= 0)) throw domain_error("sigma02", value_text(p.sigma02), "sigma02 >= 0");
  if (!(p.T0 >= 1)) throw domain_error("T0", value_text(p.T0), "T0 >= 1");
  if (!(p.lambda0 >= 0)) throw domain_error("lambda0", value_text(p.lambda0), "lambda0 >= 0");
  if (p.lambda0 == 0 && !s.infinite() && !(p.T0 < s.dimension()))
    throw domain_error("lambda0", "0", "lambda0 > 0 when T0 >= d = " + value_text(s.dimension()),
                       "an OLS generator (T0 >= d + 2) has the exact §2 results: use ols-exact or ridge-risk");
}

}  // namespace detail

namespace detail {

/// The ridge-generator chain evaluated once: the result's κ0, D0, generator error and shrinkage, and the γ
/// coefficients the downstream step needs (so ridge_generator_risk does not solve the chain twice).
template <class Real>
std::pair<ridge_generator_result<Real>, std::vector<Real>> ridge_generator_chain_with_gammas(const spectrum<Real>& s,
                                                                                          const ridge_generator_params<Real>& p) {
  check_ridge_generator(s, p);
  ridge_generator_result<Real> r;
  r.kappa0 = p.lambda0 > 0 ? solve_kappa(s, p.T0, p.lambda0) : solve_kappa0(s, p.T0);
  const Real& k0 = r.kappa0.kappa;
  const long n = static_cast<long>(p.n);
  const Real G = tr_sigma_Q2(s, k0);
  r.D0 = (p.lambda0 > 0 ? Real(p.T0 * p.lambda0 / k0) : Real(0)) + k0 * G;
  // the §4.3 chain with coupling κ0²/D0 and noise σ0²/D0 (D0 = κ0 G when λ0 = 0)
  auto gamma = collapse::detail::chain_gammas(s, k0, Real(k0 * k0 / r.D0), Real(p.sigma02 / r.D0), n);
  r.generator_error = collapse::detail::chain_generator_error(s, k0, gamma, n);
  r.shrinkage = n == 0 ? Real(1) : Real(s.value({1, 1, {{k0, static_cast<int>(n)}}}) / signal_norm(s));
  r.total = r.generator_error;
  return {std::move(r), std::move(gamma)};
}

}  // namespace detail

// ridge_generator_chain: documented in theory/variants/ridge_generator.hpp
template <class Real>
ridge_generator_result<Real> ridge_generator_chain(const spectrum<Real>& s, const ridge_generator_params<Real>& p) {
  return detail::ridge_generator_chain_with_gammas(s, p).first;
}

// ridge_generator_risk: documented in theory/variants/ridge_generator.hpp
template <class Real>
ridge_generator_result<Real> ridge_generator_risk(const spectrum<Real>& s, const ridge_generator_params<Real>& p) {
  if (!(p.sigma2 >= 0)) throw domain_error("sigma2", value_text(p.sigma2), "sigma2 >= 0");
  if (!(p.T >= 1)) throw domain_error("T", value_text(p.T), "T >= 1");
  auto [r, gamma] = detail::ridge_generator_chain_with_gammas(s, p);
  collapse::detail::chain_downstream(s, r.kappa0.kappa, gamma, static_cast<long>(p.n), p.T, p.lambda, p.sigma2, r);
  return r;
}

// ridge_generator_lambda_opt: documented in theory/variants/ridge_generator.hpp
template <class Real>
ridge_generator_lambda_opt_result<Real> ridge_generator_lambda_opt(const spectrum<Real>& s, ridge_generator_params<Real> p) {
  using std::exp;
  using std::log;
  // The grid runs in double: a parameter that overflows or underflows there would be searched at another value.
  auto double_range = [](const char* name, const Real& v) {
    const double x = static_cast<double>(v);
    if (!std::isfinite(x) || x > 1e300 || (v != 0 && std::fabs(x) < 1e-300))
      throw domain_error(name, value_text(v), "0 or 1e-300 <= " + std::string(name) + " <= 1e300",
                         "ridge-generator-lambda-opt brackets its minimum on a grid in double precision");
  };
  double_range("lambda0", p.lambda0);
  double_range("sigma02", p.sigma02);
  double_range("sigma2", p.sigma2);
  double_range("T0", p.T0);
  double_range("T", p.T);
  spectrum<double> sd(s.spec());
  ridge_generator_params<double> pd{static_cast<double>(p.T0), static_cast<double>(p.lambda0), static_cast<double>(p.n),
                                    static_cast<double>(p.sigma02), static_cast<double>(p.T), 0.0, static_cast<double>(p.sigma2)};
  const double scale = static_cast<double>(trace_sigma(s) / p.T) + 1.0;
  const int steps = 320;
  auto grid = [&](int i) { return scale * std::pow(10.0, -8.0 + 16.0 * i / steps); };
  int best = 0;
  double best_value = 0;
  for (int i = 0; i <= steps; ++i) {
    pd.lambda = grid(i);
    const double e = ridge_generator_risk(sd, pd).total;
    if (i == 0 || e < best_value) { best = i; best_value = e; }
  }
  if (best == steps)
    throw convergence_error("ridge-generator-lambda-opt: the risk decreases up to lambda = 1e8 x (tr(Sigma)/T + 1) = " + value_text(grid(steps)) +
                            ": the best downstream model is the null predictor (lambda* = infinity), no finite optimum");
  if (best == 0)
    throw convergence_error("ridge-generator-lambda-opt: the smallest risk on the grid is at lambda = 1e-8 x (tr(Sigma)/T + 1) = " +
                            value_text(grid(0)) + ": the optimum lies below it and is not resolved here");
  auto f = [&](const Real& u) {
    p.lambda = exp(u);
    return ridge_generator_risk(s, p).total;
  };
  std::uintmax_t iterations = 1000;
  const Real lo = log(Real(grid(best - 1))), hi = log(Real(grid(best + 1)));
  const auto m = boost::math::tools::brent_find_minima(f, lo, hi, digits2<Real>() / 2, iterations);
  if (iterations >= 1000) throw convergence_error("ridge-generator-lambda-opt: Brent's minimisation did not converge");
  // An interior minimum only: a flat stretch that rounding makes look like a dip (the double grid cannot tell
  // 1 + 1e-17 from 1) sends Brent to an end of its bracket, a double grid value both precisions would "agree" on.
  const Real edge = (hi - lo) / 1000;
  if (!(m.first - lo > edge && hi - m.first > edge))
    throw convergence_error("ridge-generator-lambda-opt: the minimum over lambda is at an end of its bracket [" + value_text(grid(best - 1)) +
                            ", " + value_text(grid(best + 1)) + "]: the risk is flat to working precision there, no optimum resolved");
  ridge_generator_lambda_opt_result<Real> out;
  out.lambda = exp(m.first);
  p.lambda = out.lambda;
  out.at = ridge_generator_risk(s, p);
  // λ → ∞ is the null predictor ŵ = 0, risk ‖w0‖²_Σ: a finite λ* must beat it.
  const Real null_risk = signal_norm(s);
  if (!(out.at.total < null_risk))
    throw convergence_error("ridge-generator-lambda-opt: E_n(lambda) at the best finite lambda = " + value_text(out.lambda) +
                            " is not below the null predictor's risk ||w0||^2_Sigma = " + value_text(null_risk) +
                            ": lambda* = infinity, no finite optimum");
  out.iterations = static_cast<int>(iterations);
  return out;
}

}  // namespace collapse::variants
