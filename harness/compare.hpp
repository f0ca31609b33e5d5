// harness/compare.hpp -- `collapse compare` (issue 13): two or more candidate formulas -- catalogue quantities
// (eval/catalogue.hpp) or formulas typed as text (formula/formula.hpp) -- against ONE simulation of the §1
// protocol on a grid, side by side: each candidate's value at every grid point, its discrepancy
// z = (MC mean − value)/se, the relative discrepancy (MC − value)/value fitted as a + c/x along the grid's axis x
// (numerics/extrapolate.hpp, the fit of the de-extrapolation suites), and a verdict:
//   consistent                 |z| <= z_max at every grid point (the candidate is right at these sizes);
//   asymptotically consistent  not so, but |a| <= k se(a) for every generation n (right only as x -> inf);
//   inconsistent               otherwise.
// The simulation is the suites' (harness/kinds/kind.hpp: fast engine, Rao–Blackwell estimator, general path),
// the grid point i seeded block_seed(seed, 0, i): output is the same for any number of threads.
#pragma once

#include "numerics/extrapolate.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace collapse::harness {

/// The grid and the candidates. `options` are `collapse eval` option texts (names without "--", "spectrum"
/// included) fixed over the grid; `axis` is one of d, T, T0, taking `axis_values` (at least 2, distinct);
/// `ns` the generations (ascending, one simulation records each).
struct compare_request {
  std::vector<std::string> candidates;  // each a catalogue name, or a formula when is_formula[i]
  std::vector<bool> is_formula;
  std::map<std::string, std::string> options;
  std::string axis;
  std::vector<std::string> axis_values;
  std::vector<long> ns;
  std::string observable = "downstream";  // downstream (needs T, sigma2; lambda default 0) | generator
  std::uint64_t trials = 4000, seed = 20240707;
  unsigned threads = 1;
  double z_max = 3, k = 3;
};

struct compare_point {
  std::string axis_value;  // as given
  double x = 0;            // its value
  long n = 0;
  double mean = 0, se = 0; // the simulation
  std::vector<double> value, z;  // per candidate
};

struct compare_result {
  compare_request request;
  std::vector<std::string> labels;  // f1, f2, ...
  std::vector<std::string> texts;   // a catalogue name, or the formula as typed
  std::vector<compare_point> points;                            // axis-major, then n
  std::vector<std::vector<std::optional<numerics::inverse_d_fit>>> fits;  // [candidate][n index]; none when a value or se is 0
  std::vector<double> max_abs_z;
  std::vector<std::string> verdicts;
  std::string rule;
};

/// Runs the simulation at every grid point and evaluates every candidate there (20 certified digits; the exact
/// rational when a formula is rational arithmetic). Throws domain_error naming the option (or candidate) for
/// bad input: an unknown quantity, a formula's fault, a parameter a candidate needs and the grid lacks, a
/// simulation outside its domain.
compare_result run_compare(const compare_request& request);

struct plot_options;  // harness/figures.hpp
/// The figure of a comparison (harness/figures_compare.cpp): every candidate's relative discrepancy with its 95 %
/// interval against the axis, its fitted a + c/x, and 0; out_dir/compare.<format> and out_dir/compare.csv (the
/// plotted points), as render_figure writes them. Returns the paths written; throws as render_figure does.
std::vector<std::string> render_compare_figure(const compare_result& r, const std::string& out_dir, const plot_options& options);

}  // namespace collapse::harness
