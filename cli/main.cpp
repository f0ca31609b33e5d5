// cli/main.cpp -- the `collapse` command-line tool.
#include "theory/errors.hpp"
#include "cli/commands.hpp"

#include <cstdio>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"collapse: model collapse in ridge regression -- exact and deterministic-equivalent "
               "formulas at any precision, exact-in-distribution simulation, verification suites.\n"
               "Theory: Dohmatob, Feng & Kempe, 'Model Collapse Demystified: The Case of Regression' "
               "(NeurIPS 2024); see the README for each quantity's section of the theory document."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "collapse 0.1.0");
  collapse::cli::add_eval_command(app);
  collapse::cli::add_simulate_command(app);
  collapse::cli::add_verify_commands(app);
  collapse::cli::add_exponents_commands(app);
  collapse::cli::add_plot_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const collapse::domain_error& e) {
    std::cout.flush();
    std::cerr << "collapse: error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "collapse: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
