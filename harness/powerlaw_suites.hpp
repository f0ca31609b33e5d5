// harness/powerlaw_suites.hpp -- the suite kinds "exponents" (§5.4) and "crossover" (§5.6) of
// `collapse verify` (contract: harness/suite.hpp). Registered by register_powerlaw_suite_kinds()
// (harness/suite_powerlaw.cpp); callable directly, which is how tests/harness/ runs them.
//
// Suite files: data/suites/exponents.toml, data/suites/crossover.toml. Each row of a suite is a grid
// point with its own tolerance column and a source comment (STYLE.md §9).
//   exponents: pass when the local log-log slope of the DE over the last decade before T-max agrees
//              with the exact rational exponent to `min_digits` significant digits (absolute digits
//              when the exponent is 0), and the collapse term's slope to `collapse_min_digits`.
//   crossover: pass when T*_DE / T*_formula lies within [1/max_factor, max_factor].
#pragma once

#include "harness/suite.hpp"

namespace collapse::harness {

suite_result run_exponents_suite(const toml::table& suite, const suite_context& ctx);
suite_result run_crossover_suite(const toml::table& suite, const suite_context& ctx);

}  // namespace collapse::harness
