// harness/suite_powerlaw.cpp -- registers the power-law suite kinds with the harness (harness/suite.hpp).
// The kinds themselves live in harness/powerlaw_suites.cpp, so that they can be linked and tested
// without the registry.
#include "harness/powerlaw_suites.hpp"
#include "harness/suite.hpp"

namespace collapse::harness {

suite_result run_simulated_slope_suite(const toml::table& suite, const suite_context& ctx);  // suite_simslope.cpp

void register_powerlaw_suite_kinds() {
  register_suite_kind("exponents", run_exponents_suite);
  register_suite_kind("crossover", run_crossover_suite);
  register_suite_kind("simulated-slope", run_simulated_slope_suite);
}

}  // namespace collapse::harness
