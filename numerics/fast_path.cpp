// numerics/fast_path.cpp -- which per-trial path a configuration takes (numerics::resolve_path, issue 9;
// docs/simulation.md "Paths").
#include "numerics/simulate.hpp"
#include "theory/errors.hpp"

#include <algorithm>

namespace collapse::numerics {

std::string to_string(fast_path p) {
  switch (p) {
    case fast_path::automatic: return "auto";
    case fast_path::general: return "general";
    case fast_path::isotropic_spectral: return "isotropic-spectral";
    default: return "dual-gram";
  }
}

std::string to_string(chain_kind k) {
  switch (k) {
    case chain_kind::automatic: return "auto";
    case chain_kind::integrated: return "integrated";
    default: return "sampled";
  }
}

namespace {

/// Why neither scalable path applies to `c` (empty when they may). Both integrate the chain as an
/// unbiased walk, which needs it absent, noiseless with T0 >= d (ŵ_k = w0) or under-parameterised.
std::string scalable_misfit(const simulation_config& c) {
  if (c.engine != engine_kind::fast) return "the reference engine runs the protocol literally";
  if (c.estimator != estimator_kind::rao_blackwell) return "the scalable paths are Rao-Blackwell estimators (--estimator rb)";
  if (is_variant(c)) return "the issue-12 protocol variants have their own engine";
  if (!c.record_downstream || c.record_generator) return "the scalable paths record the downstream error only";
  if (c.sign_average) return "the scalable paths already average over more than the signs of w0";
  if (c.spectrum.infinite()) return "d must be finite";
  const long d = c.spectrum.dimension().convert_to<long>();
  const bool noisy = c.sigma02.value > 0;
  if (c.chain == chain_kind::sampled) {
    // g_k ~ χ²_{T0−d+1} represents the generator exactly for T0 >= d (the moments are checked elsewhere)
    if (c.n > 0 && c.T0 < d) return "the chain must be under-parameterised (T0 >= d) to be sampled through chi-square variables";
  } else if (c.n > 0 && !(c.T0 >= d + 2 || (!noisy && c.T0 >= d))) {
    return "the chain must be under-parameterised (T0 >= d + 2, or T0 >= d with sigma02 = 0) to be integrated as an unbiased walk";
  }
  return "";
}

}  // namespace

fast_path resolve_path(const simulation_config& c) {
  const std::string misfit = scalable_misfit(c);
  const bool isotropic = c.spectrum.type == spectrum_spec::kind::isotropic;
  const long d = c.spectrum.infinite() ? 0 : c.spectrum.dimension().convert_to<long>();
  const std::string forced = to_string(c.path);
  switch (c.path) {
    case fast_path::general: return fast_path::general;
    case fast_path::isotropic_spectral:
      if (!misfit.empty()) throw domain_error("path", forced, "general here", misfit);
      if (!isotropic) throw domain_error("path", forced, "general or dual-gram here", "the spectral formula needs Sigma = I (--spectrum isotropic)");
      return c.path;
    case fast_path::dual_gram:
      if (!misfit.empty()) throw domain_error("path", forced, "general here", misfit);
      if (c.T >= d) throw domain_error("path", forced, "T < d = " + std::to_string(d), "the dual form works with the T x T Gram matrix");
      return c.path;
    default: break;
  }
  if (!misfit.empty() || d <= scalable_path_min_d) return fast_path::general;
  const bool some_ridge = std::any_of(c.lambda.begin(), c.lambda.end(), [](const exact_number& l) { return l.value != 0; });
  // Σ = I with every λ = 0 and T >= d keeps the general path's O(d) OLS reduction (cheaper still).
  if (isotropic) return (some_ridge || c.T < d || c.record_design_trace) ? fast_path::isotropic_spectral : fast_path::general;
  return c.T < d ? fast_path::dual_gram : fast_path::general;
}

chain_kind resolve_chain(const simulation_config& c) {
  const fast_path path = resolve_path(c);
  if (path == fast_path::general) {
    if (c.chain == chain_kind::integrated)
      throw domain_error("chain", "integrated", "auto or sampled with the general path",
                         "the general path samples every generation; the integrated chain (factor 1/(T0 - d - 1)) exists on the "
                         "scalable paths only (--path isotropic-spectral|dual-gram, d > 64 for auto)");
    return chain_kind::sampled;
  }
  return c.chain == chain_kind::sampled ? chain_kind::sampled : chain_kind::integrated;
}

}  // namespace collapse::numerics
