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

const std::vector<suite_kind>& suite_kinds() {
  static const std::vector<suite_kind> all = {
      kinds::crossover_kind(),      kinds::de_extrapolation_kind(), kinds::exact_mc_kind(),  kinds::exponents_kind(),
      kinds::identity_kind(),       kinds::lambda_opt_digits_kind(), kinds::lambda_opt_mc_kind(), kinds::simulated_slope_kind(),
      kinds::krr_kind(),            kinds::crossover_mc_kind(),
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
