// harness/figures_variants.hpp -- the issue-12 figures of `collapse plot` (internal to harness/figures.cpp):
//   accumulate  error vs generation n, replace vs accumulate (fixed and fresh designs): exact lines
//               (§2.3, extensions §A.2) and simulated points with 95 % intervals
//   mixing      error vs T for several synthetic fractions p2 (extensions §B.2): exact lines, the floors
//               p2²‖Δ‖²_Σ dashed, simulated points with 95 % intervals
#pragma once

#include "harness/figures.hpp"

#include <functional>
#include <string>
#include <vector>

namespace collapse::harness::detail {

/// One plotted data set (for NAME.csv beside the figure): its file and 1-based columns x, y and the error
/// bar's lo, hi (0: none).
struct variant_series {
  std::string dataset, file;
  int x = 1, y = 2, lo = 0, hi = 0;
};

struct variant_figure_script {
  std::string body;
  double width = 10, height = 6.4;  // inches (the default size; png/svg at 100 pixels per inch)
  std::vector<variant_series> series;
};

/// `file(name)`: the path of a data file in the figure's private temporary directory. `latex`: labels for
/// LaTeX terminals (cairolatex, tikz), typeset by LaTeX; otherwise gnuplot enhanced text.
variant_figure_script accumulate_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o, bool latex);
variant_figure_script mixing_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o, bool latex);

}  // namespace collapse::harness::detail
