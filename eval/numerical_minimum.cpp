// eval/numerical_minimum.cpp -- see numerical_minimum.hpp.
#include "eval/numerical_minimum.hpp"

#include "theory/isotropic.hpp"
#include "theory/rational.hpp"

#include <boost/math/tools/minima.hpp>

#include <cmath>

namespace collapse::eval {

std::string iso_risk_argmin(const std::string& phi_s, const std::string& a_s, const std::string& s_s, const std::string& m_s,
                            int work_digits) {
  using std::exp; using std::log;
  precision_guard g(static_cast<unsigned>(work_digits));
  const mpfr_real phi = to_real<mpfr_real>(parse_exact("phi", phi_s).value);
  const mpfr_real a = to_real<mpfr_real>(parse_exact("w0norm2", a_s).value);
  const mpfr_real s = to_real<mpfr_real>(parse_exact("sigma2", s_s).value);
  const mpfr_real m = to_real<mpfr_real>(parse_exact("m", m_s).value);
  auto f = [&](const mpfr_real& u) { return iso_risk(phi, mpfr_real(exp(u)), a, s, m).total; };
  // coarse bracket in double: the risk is unimodal in log λ on the scan range
  double best_u = 0, best = 1e300;
  for (int i = 0; i <= 400; ++i) {
    double u = -20 + 40.0 * i / 400;
    double v = static_cast<double>(f(mpfr_real(u)));
    if (v < best) { best = v; best_u = u; }
  }
  std::uintmax_t iters = 2000;
  const int bits = static_cast<int>(work_digits * 3.3219);
  auto r = boost::math::tools::brent_find_minima(f, mpfr_real(best_u - 0.2), mpfr_real(best_u + 0.2), bits / 2, iters);
  if (iters >= 2000) throw convergence_error("iso_risk_argmin: Brent did not converge in 2000 iterations");
  mpfr_real lambda = exp(r.first);
  return lambda.str(work_digits / 2 - 2, std::ios_base::scientific);
}

}  // namespace collapse::eval
