// verify/cli_plot.cpp -- `collapse plot` (placeholder until issue 4 lands).
#include "verify/commands.hpp"
#include <stdexcept>
namespace collapse::cli {
void add_plot_command(CLI::App& app) {
  app.add_subcommand("plot", "not implemented yet")->callback([] { throw std::runtime_error("collapse plot: not implemented yet"); });
}
}  // namespace collapse::cli
