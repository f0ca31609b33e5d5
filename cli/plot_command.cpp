// cli/plot_command.cpp -- `collapse plot fig1a|fig1b|crossover [--out DIR] [--format png|svg|both] [--trials N] [--seed S] [--threads K]`.
#include "cli/commands.hpp"
#include "harness/figures.hpp"

#include <chrono>
#include <iostream>
#include <memory>

namespace collapse::cli {

void add_plot_command(CLI::App& app) {
  struct options { std::string figure, out = "."; harness::plot_options plot; };
  auto o = std::make_shared<options>();
  auto* cmd = app.add_subcommand("plot", "the paper's figures through gnuplot: fig1a (isotropic, E vs lambda), fig1b (power law, "
                                         "E vs T at lambda = T^-ell_crit), crossover (§5.6, T* marked)");
  cmd->add_option("FIGURE", o->figure, "fig1a | fig1b | crossover | all")->required();
  cmd->add_option("--out", o->out, "output directory (created if missing)")->capture_default_str();
  cmd->add_option("--format", o->plot.format, "png | svg | both")->capture_default_str();
  cmd->add_option("--trials", o->plot.trials, "Monte Carlo trials per simulated point of fig1a/fig1b (0: theory lines only)")->capture_default_str();
  cmd->add_option("--seed", o->plot.seed, "seed of the simulated points")->capture_default_str();
  cmd->add_option("--threads", o->plot.threads, "simulation threads (results do not depend on it)")->capture_default_str();
  cmd->callback([o] {
    std::vector<std::string> figs;
    if (o->figure == "all") figs = harness::plot_figures();
    else figs = {o->figure};
    for (const auto& f : figs) {
      const auto t0 = std::chrono::steady_clock::now();
      for (const auto& path : harness::render_figure(f, o->out, o->plot)) std::cout << path << "\n";
      std::cerr << "collapse plot: " << f << " in "
                << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s\n";
    }
    std::cout << std::flush;
  });
}

}  // namespace collapse::cli
