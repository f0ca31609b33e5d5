// verify/cli_exponents.cpp -- `collapse exponents` and `collapse crossover` (placeholder until issue 4 lands).
#include "verify/commands.hpp"
#include <stdexcept>
namespace collapse::cli {
void add_exponents_commands(CLI::App& app) {
  app.add_subcommand("exponents", "not implemented yet")->callback([] { throw std::runtime_error("collapse exponents: not implemented yet"); });
  app.add_subcommand("crossover", "not implemented yet")->callback([] { throw std::runtime_error("collapse crossover: not implemented yet"); });
}
}  // namespace collapse::cli
