// numerics/cost.hpp -- the a priori work model of the scalable paths (issue 9, "Bad input": a run whose
// cost would exceed a stated bound says so before starting). Used by `collapse simulate`'s duration check.
//
// \test tests/cli/bad_inputs.sh (dual-path and spectral-path runs of hours refused before their first trial)
#pragma once

#include "numerics/simulate.hpp"

namespace collapse::numerics {

/// A priori work of one trial, in floating-point operations, on the scalable paths (docs/simulation.md
/// "Paths"): dual-gram 4T²d (QR of Xᵀ and Q₁, both in place) + T²d per T×T Gram matrix (two with a noisy
/// chain or the design trace) + 10T³ (T×T SVD and rotations) + 20Td (drawing X); isotropic-spectral
/// 30m² + 40m + 10Lm, m = min(T, d), L λ values. 0 for the general path (not modelled: `collapse simulate`
/// times a pilot instead).
long double flops_per_trial(const simulation_config& config);

/// Sustained rate assumed with flops_per_trial, per thread (flop/s). The dual path sustains 6-8 Gflop/s on
/// one core of the issue-9 machine (AMD EPYC, Eigen without -march); a third of that, so the estimate errs long.
inline constexpr long double assumed_flops_per_second = 2.5e9L;

}  // namespace collapse::numerics
