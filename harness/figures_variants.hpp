// harness/figures_variants.hpp -- the issue-12 figures of `collapse plot` (internal to harness/figures.cpp):
//   accumulate  error vs generation n, replace vs accumulate (fixed and fresh designs): exact lines
//               (§2.3, extensions §A.2) and simulated points with 95 % intervals
//   mixing      error vs T for several synthetic fractions p2 (extensions §B.2): exact lines, the floors
//               p2²‖Δ‖²_Σ dashed, simulated points with 95 % intervals
#pragma once

#include "harness/figures.hpp"

#include <functional>
#include <string>

namespace collapse::harness::detail {

struct variant_figure_script {
  std::string body;
  int width = 1000, height = 640;
};

/// `file(name)`: the path of a data file in the figure's private temporary directory.
variant_figure_script accumulate_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o);
variant_figure_script mixing_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o);

}  // namespace collapse::harness::detail
