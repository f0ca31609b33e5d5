// A downstream program of the installed package: the §3 ridge DE through theory/ridge_de.hpp against the
// isotropic closed form (§3.5), and a run of the simulator (numerics/simulate.hpp, linked from
// libcollapse_numerics.a) against the exact OLS risk σ² d/(T − d − 1) (§2.3). Exit 0 when both agree.
#include "numerics/simulate.hpp"
#include "theory/isotropic.hpp"
#include "theory/ridge_de.hpp"

#include <cmath>
#include <cstdio>

int main() {
  using namespace collapse;
  spectrum_spec spec;
  spec.type = spectrum_spec::kind::isotropic;
  spec.d = parse_exact("d", "200");
  spec.w0norm2 = parse_exact("w0norm2", "1");
  ridge_params<double> p;
  p.T = 300; p.lambda = 0.1; p.sigma2 = 0.25;
  const double de = ridge_risk(spectrum<double>(spec), p).total;
  const double closed = iso_risk(200.0 / 300.0, 0.1, 1.0, 0.25, 0.0).total;
  const bool de_ok = std::abs(de - closed) <= 1e-12 * closed;

  numerics::simulation_config c;
  c.spectrum = spec;
  c.spectrum.d = parse_exact("d", "5");
  c.T = 40;
  c.lambda = {parse_exact("lambda", "0")};
  c.sigma2 = parse_exact("sigma2", "1");
  c.sigma02 = parse_exact("sigma02", "0");
  c.trials = 4000;
  c.seed = 7;
  const auto r = numerics::run_simulation(c);
  const double exact = 5.0 / (40 - 5 - 1), z = (r.rows[0].mean - exact) / r.rows[0].se;
  const bool mc_ok = std::abs(z) <= 4 && r.rows[0].se <= 0.02 * exact;
  std::printf("ridge DE %.17g closed form %.17g; simulated OLS %.6g +- %.2g, exact %.6g (z = %.2f)\n", de, closed, r.rows[0].mean,
              r.rows[0].se, exact, z);
  return de_ok && mc_ok ? 0 : 1;
}
