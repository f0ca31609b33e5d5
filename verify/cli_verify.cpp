// verify/cli_verify.cpp -- `collapse verify` and friends (placeholder until issue 4 lands).
#include "verify/commands.hpp"
#include <stdexcept>
namespace collapse::cli {
void add_verify_commands(CLI::App& app) {
  auto* cmd = app.add_subcommand("verify", "not implemented yet");
  cmd->callback([] { throw std::runtime_error("collapse verify: not implemented yet"); });
}
}  // namespace collapse::cli
