// numerics/variant_engine.hpp -- the issue-12 protocol variants of the simulator (docs/simulation.md
// "Protocol variants", docs/theory-extensions.md §A–§D): accumulate instead of replace (fixed or fresh
// designs), ridge-regularised generators, and mixing real with synthetic rows from a shifted teacher.
// Implementation detail of simulate.cpp; the public API is numerics/simulate.hpp (simulation_config's
// protocol, design, generator_lambda, synthetic_fraction, teacher_shift; is_variant).
//
// Engines. reference: the protocols literally, in double. fast: only accumulate with a fixed design,
// whose exact-in-distribution shortcut is the Bartlett factor of the one design (see variant_engine.cpp);
// every other variant in the fast engine is refused by validate_variant ("use --engine reference").
// Streams: the keys of numerics/random.hpp (downstream_design/noise, chain_design(k)/chain_noise(k));
// runs without a variant never reach this file, so their outputs are unchanged.
//
// \test tests/numerics/test_variants_sim.cpp
#pragma once

#include "numerics/simulate.hpp"

#include <memory>

namespace collapse::numerics::detail {

struct trial_runner;

/// Checks the variant fields of `config` (alone and against the rest of the config); throws
/// collapse::domain_error naming the parameter (protocol, design, generator-lambda, synthetic-fraction,
/// teacher-shift, lambda, T, T0, n, engine, precision, sign_average), its value and the valid range.
/// Also refuses the variant fields set without the variant they belong to (e.g. a teacher shift with
/// p2 = 0), which would otherwise be silently ignored. No-op for the §1 defaults.
void validate_variant(const simulation_config& config);

/// The per-thread trial evaluator of a variant run (is_variant(config), validated).
std::unique_ptr<trial_runner> make_variant_runner(const simulation_config& config);

}  // namespace collapse::numerics::detail
