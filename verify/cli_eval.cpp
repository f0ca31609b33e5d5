// verify/cli_eval.cpp -- `collapse eval` (placeholder until its issue lands).
#include "verify/commands.hpp"
#include <stdexcept>
namespace collapse::cli {
void add_eval_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "not implemented yet");
  cmd->callback([] { throw std::runtime_error("collapse eval: not implemented yet"); });
}
}  // namespace collapse::cli
