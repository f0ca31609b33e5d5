// eval/quantities.hpp -- the formula families of the catalogue, one translation unit each
// (eval/quantities_<family>.cpp), so that each includes only the theory headers it needs and a touched
// theory header rebuilds only the families that use it. Internal to eval/.
#pragma once

#include "eval/catalogue.hpp"

#include <string>
#include <vector>

namespace collapse::eval {

std::vector<quantity_info> exact_quantities();        // §2.3, §2.4, §4.1, §4.2: exact rationals (theory/exact.hpp)
std::vector<quantity_info> isotropic_quantities();    // §3.5, §4.2, §6: Sigma = I closed forms (theory/isotropic.hpp)
std::vector<quantity_info> spectral_sum_quantities(); // §1: spectral sums at a given kappa (theory/spectrum.hpp)
std::vector<quantity_info> kappa_quantities();        // §3.1: the fixed points kappa, kappa0 (theory/kappa.hpp)
std::vector<quantity_info> ridge_quantities();        // §3.2-3.3: the ridge DE (theory/ridge_de.hpp)
std::vector<quantity_info> overgen_quantities();      // §4.3: over-parameterised chain (theory/overgen_de.hpp)
std::vector<quantity_info> powerlaw_quantities();     // §5: power-law asymptotics (theory/powerlaw_asymptotics.hpp)
std::vector<quantity_info> lambda_opt_quantities();   // §6: optimal lambda, any spectrum (theory/lambda_opt.hpp)
std::vector<quantity_info> variants_quantities();     // issue 12: accumulate, mixing, ridge generators (theory/variants/)

// Parameters shared by several families, with their ranges.
inline parameter generator_steps() { return {"n", integer_in(0, 1000000)}; }
inline parameter dimension() { return {"d", integer_in(1, rational(max_dimension()), "1e18")}; }
inline parameter capacity_exponent() { return {"beta", above_at_most(1, 64)}; }
/// T0 and sigma02, used only when n >= 1.
inline std::vector<parameter> generator_noise() { return {{"T0", positive()}, {"sigma02", non_negative()}}; }

/// Records a kappa solution (theory/kappa.hpp's kappa_solution) in the diagnostics under `key`.
template <class K> void note_kappa(nlohmann::json& d, const char* key, const K& k) {
  d[key] = {{"method", k.method}, {"iterations", k.iterations}, {"residual", static_cast<double>(k.residual)},
            {"certified_relative_error", static_cast<double>(k.relative_error)}};
}

}  // namespace collapse::eval
