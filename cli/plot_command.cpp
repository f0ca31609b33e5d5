// cli/plot_command.cpp -- `collapse plot fig1a|fig1b|crossover|accumulate|mixing|all [--out DIR] [--format png|svg|pdf|cairolatex|tikz|both]
// [--size W,H] [--trials N] [--seed S] [--threads K]`: the figure files and NAME.csv (the plotted data) in DIR.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "harness/figures.hpp"
#include "report/output.hpp"
#include "report/progress.hpp"
#include "theory/errors.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <limits>
#include <memory>

namespace collapse::cli {

void add_plot_command(CLI::App& app) {
  struct options { std::string figure, out = ".", trials = "400", seed = "20240707", threads = "2", size; harness::plot_options plot; };
  auto o = std::make_shared<options>();
  auto* cmd = app.add_subcommand("plot", "the paper's figures through gnuplot: fig1a (isotropic, E vs lambda), fig1b (power law, "
                                         "E vs T at lambda = T^-ell_crit), crossover (§5.6, T* marked); accumulate and mixing (issue-12 variants, "
                                         "docs/theory-extensions.md; not part of all)");
  cmd->add_option("FIGURE", o->figure, "fig1a | fig1b | crossover | accumulate | mixing | crossover-mc (§5.6 simulated, at most 40 trials per T) | krr-lambda | krr-n (MNIST, issue 11) | all (= the paper's three)")->required();
  cmd->add_option("--out", o->out, "output directory (created if missing)")->capture_default_str();
  cmd->add_option("--format", o->plot.format,
                  "png | svg | pdf | cairolatex (NAME.tex + NAME-graphics.pdf, text set by LaTeX) | tikz (NAME-tikz.tex, gnuplot-lua-tikz) | "
                  "both (png and svg); the plotted data always goes to NAME.csv")
      ->capture_default_str();
  cmd->add_option("--size", o->size, "figure size WIDTH,HEIGHT in cm or in, e.g. 12cm,8cm or 5in,3in (default: each figure's own)");
  cmd->add_option("--trials", o->trials, "Monte Carlo trials per simulated point (0: theory lines only; at most 1e6)")->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed of the simulated points (0 <= seed <= 2^64 - 1)")->capture_default_str();
  cmd->add_option("--threads", o->threads, "simulation threads, 1..256 (results do not depend on it)")->capture_default_str();
  add_progress_flag(cmd);
  cmd->callback([o] {
    o->plot.trials = parse_unsigned("--trials", o->trials, 0, 1000000, "trials are per simulated point; 2 <= trials unless 0");
    if (o->plot.trials == 1) throw domain_error("--trials", o->trials, "0 (theory lines only) or an integer 2 <= trials <= 1e6");
    o->plot.seed = parse_unsigned("--seed", o->seed, 0, std::numeric_limits<std::uint64_t>::max());
    o->plot.threads = static_cast<unsigned>(parse_integer("--threads", o->threads, 1, 256));
    report::check_output_path("--out", o->out, report::output_kind::directory);
    if (!o->size.empty()) o->plot.size = harness::parse_figure_size(o->size);
    bool known = false;
    for (const auto& f : harness::figure_formats()) known = known || f == o->plot.format;
    if (!known) throw domain_error("--format", o->plot.format, "one of png, svg, pdf, cairolatex, tikz, both (png and svg)");
    std::vector<std::string> figs;
    if (o->figure == "all") figs = harness::plot_figures();
    else figs = {o->figure};
    for (std::size_t i = 0; i < figs.size(); ++i) {
      const auto& f = figs[i];
      const auto t0 = std::chrono::steady_clock::now();
      std::vector<std::string> paths;
      {
        report::progress_ticker ticker(fmt::format("collapse plot: figure {}/{} ({})", i + 1, figs.size(), f));
        paths = harness::render_figure(f, o->out, o->plot);
      }
      for (const auto& path : paths) std::cout << path << "\n";
      std::cerr << "collapse plot: " << f << " in "
                << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s\n";
    }
    std::cout << std::flush;
  });
}

}  // namespace collapse::cli
