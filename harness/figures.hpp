// harness/figures.hpp -- the paper's figures through gnuplot (Debian gnuplot-nox): data files and a .gp
// script are written to a private temporary directory, gnuplot renders into a temporary name in the
// output directory, and the finished file is renamed into place (a reader never sees half a figure).
//
//   fig1a      isotropic (§3.5): E_n vs λ, DE lines for several T and n, λ* marked (§6)
//   fig1b      power law (§5.4): E_n vs T with λ = T^-ℓ_crit for several n (the doc's §5.6 MC setting)
//   crossover  §5.6: E*_n(T) with λ optimised, E_0, the fast/slow guides, T* (formula and DE) marked,
//              and the local slope passing from −2βr̲ to −2βr̲/(2βr̲+1)
//   accumulate, mixing  issue 12 (harness/figures_variants.hpp), not part of `all` or a verify report
//   krr-lambda, krr-n   issue 11 (harness/figures_krr.hpp, MNIST), not part of `all` or a verify report
// fig1a and fig1b also draw simulated points (numerics/simulate.hpp: fast engine, Rao–Blackwell
// estimator, fixed seed) with their 95 % intervals as error bars, unless trials = 0.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace collapse::harness {

/// The paper's figures (`collapse plot all`, and the figures of a `collapse verify --report`).
const std::vector<std::string>& plot_figures();
/// The issue-12 figures (harness/figures_variants.hpp): `collapse plot accumulate`, `collapse plot mixing`;
/// render_figure accepts these and plot_figures().
const std::vector<std::string>& extension_figures();
/// The issue-11 figures on MNIST (harness/figures_krr.hpp): `collapse plot krr-lambda`, `collapse plot krr-n`.
/// render_figure also accepts "crossover-mc" (issue 9, harness/figures_crossover_mc.hpp: the §5.6 crossover in
/// simulation, at most 40 trials at the largest T whatever plot_options::trials says above it; 0: the DE only).
const std::vector<std::string>& krr_figures();

/// A figure size in inches.
struct figure_size {
  double width_in = 0, height_in = 0;
};

/// Parses `--size` "WIDTH,HEIGHT" with a unit on each length, cm or in ("12cm,8cm", "5in,3in",
/// "12cm,3in"), each between 2 cm and 100 cm; throws domain_error naming --size, the value and the range.
figure_size parse_figure_size(const std::string& text);

/// The formats `collapse plot --format` accepts: png | svg | pdf | cairolatex | tikz | both (png + svg).
const std::vector<std::string>& figure_formats();

/// Renders `figure` into out_dir and returns the paths written, the plotted data last:
///   png, svg   NAME.png / NAME.svg (cairo; 100 pixels per inch), both = the two;
///   pdf        NAME.pdf (cairo, vector);
///   cairolatex NAME.tex + NAME.pdf: the graphics as PDF, every text typeset by LaTeX from NAME.tex
///              (\input{NAME.tex} in a document with graphicx and color; labels are LaTeX);
///   tikz       NAME.tex: a tikzpicture of gnuplot's lua terminal (\usepackage{gnuplot-lua-tikz}, from
///              Debian gnuplot-data, and TikZ from texlive-pictures);
///   NAME.csv   always: the plotted data, one row per point, columns dataset,x,y,ci95_low,ci95_high
///              (the interval only for simulated points) -- to redraw the figure in pgfplots or matplotlib.
/// Sizes: `size` in inches, else each figure's own (12 x 5.6, 10 x 6.4, 10 x 9 in). Throws domain_error
/// for an unknown figure or format, runtime_error when gnuplot is missing or fails (its stderr is
/// included); every file is written atomically.
struct plot_options {
  std::string format = "png";      // one of figure_formats()
  std::uint64_t trials = 400;      // Monte Carlo trials per simulated point (0: theory lines only)
  std::uint64_t seed = 20240707;
  unsigned threads = 2;
  std::optional<figure_size> size; // inches; none = the figure's own size
};

std::vector<std::string> render_figure(const std::string& figure, const std::string& out_dir, const plot_options& options);

namespace detail {
struct variant_figure_script;
}
/// Issue 13: a figure whose data another command computed (`collapse compare`, harness/figures_compare.cpp):
/// called with `file(name)` (a path in the figure's private temporary directory, for its data files) and
/// `latex` (labels for LaTeX terminals), it writes its data and returns the script (harness/figures_variants.hpp).
using computed_figure = std::function<detail::variant_figure_script(const std::function<std::string(const std::string&)>& file, bool latex)>;
/// Renders it exactly as render_figure renders its own figures: NAME.<format> in out_dir, and NAME.csv.
std::vector<std::string> render_computed_figure(const std::string& name, const std::string& out_dir, const plot_options& options,
                                                const computed_figure& make);

/// Throws runtime_error unless `path` is a complete figure of `format` ("png": the PNG signature and a
/// final IEND chunk; "svg": non-empty, an <svg> element closed by </svg>). Every figure written by the
/// harness is checked this way before it is renamed into place, so a truncated PNG or a 0-byte SVG
/// (a full disk, a killed gnuplot) is an error, never a file.
void check_figure_file(const std::string& path, const std::string& format);

/// The gnuplot executable found on PATH, or "" if none.
std::string find_gnuplot();

}  // namespace collapse::harness
