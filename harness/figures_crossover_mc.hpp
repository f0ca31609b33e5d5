// harness/figures_crossover_mc.hpp -- `collapse plot crossover-mc` (issue 9; internal to harness/figures.cpp):
// the §5.6 fast → slow crossover in simulation (harness/crossover_mc.hpp) at the default case of
// data/suites/crossover-mc.toml. Top panel: the simulated optimally tuned curve E*_sim(T) with bootstrap 95 %
// intervals, the DE minimised over λ >= 0 and over the simulation's λ grid, the fast and slow rates as guide
// lines, T* marked (formula, DE, simulated with its interval). Bottom panel: the local slopes of both curves,
// the two rates and the midpoint level of the rule.
#pragma once

#include "harness/crossover_mc.hpp"
#include "harness/figures_variants.hpp"

namespace collapse::harness::detail {

/// The parameters of the figure (the suite's default case; trials at the largest T = min(o.trials, 40), 0: the DE only).
crossover_mc_params crossover_mc_figure_params(const plot_options& o);

variant_figure_script crossover_mc_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o, bool latex);

}  // namespace collapse::harness::detail
