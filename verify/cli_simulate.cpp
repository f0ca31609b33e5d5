// verify/cli_simulate.cpp -- `collapse simulate` (placeholder until its issue lands).
#include "verify/commands.hpp"
#include <stdexcept>
namespace collapse::cli {
void add_simulate_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("simulate", "not implemented yet");
  cmd->callback([] { throw std::runtime_error("collapse simulate: not implemented yet"); });
}
}  // namespace collapse::cli
