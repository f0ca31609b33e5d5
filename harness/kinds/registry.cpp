// harness/kinds/registry.cpp -- the one list of suite kinds (harness/suite.hpp). Adding a kind: a file
// in harness/kinds/ defining `suite_kind NAME_kind()`, and one line below.
#include "harness/suite.hpp"

#include "theory/errors.hpp"

namespace collapse::harness {

namespace kinds {
suite_kind exact_mc_kind();
suite_kind identity_kind();
suite_kind de_extrapolation_kind();
suite_kind lambda_opt_digits_kind();
suite_kind lambda_opt_mc_kind();
suite_kind exponents_kind();
suite_kind crossover_kind();
suite_kind crossover_mc_kind();
suite_kind simulated_slope_kind();
suite_kind krr_kind();
}  // namespace kinds

namespace {
/// Issue 10: a kind whose row groups cost their simulations, each run through kinds::run_case or
/// kinds::simulate_trials (suite_context::trials), with nothing expensive besides: a shared run splits
/// its simulations into trial ranges (suite_kind::splits_trials). The other kinds' groups are handed out
/// whole, because their points cannot be split that way:
///   crossover          -- locates a point on the DE (root finding on theory values, no simulation);
///   exponents          -- MPFR local slopes of the DE, one evaluation chain per case;
///   lambda-opt-digits  -- certified digits (Brent minimisation, certified roots), no simulation;
///   crossover-mc       -- one bootstrap over the trials of a whole T grid (its trials could be split
///                         the same way; not done yet);
///   krr                -- its own trial loop over real-digit subsamples and dsyevd spectra (krr/), not
///                         numerics::run_trials; its trials could be split the same way once krr/ exposes
///                         a trial range.
suite_kind splitting(suite_kind k) {
  k.splits_trials = true;
  return k;
}
}  // namespace

const std::vector<suite_kind>& suite_kinds() {
  static const std::vector<suite_kind> all = {
      kinds::crossover_kind(),      splitting(kinds::de_extrapolation_kind()), splitting(kinds::exact_mc_kind()), kinds::exponents_kind(),
      splitting(kinds::identity_kind()), kinds::lambda_opt_digits_kind(), splitting(kinds::lambda_opt_mc_kind()),
      splitting(kinds::simulated_slope_kind()), kinds::krr_kind(), kinds::crossover_mc_kind(),
  };
  return all;
}

const suite_kind& find_suite_kind(const std::string& kind) {
  std::string known;
  for (const auto& k : suite_kinds()) {
    if (k.name == kind) return k;
    known += (known.empty() ? "" : ", ") + k.name;
  }
  throw domain_error("kind", kind.empty() ? "(missing)" : kind, "one of: " + known);
}

}  // namespace collapse::harness
