// cli/main.cpp -- the `collapse` command-line tool.
//
// Exit codes (docs/cli.md): 0 success; 1 a verification failed (a suite, a golden value) or an internal
// error; 2 bad input -- one line `collapse: error: invalid PARAMETER = VALUE: valid range is RANGE (why)`
// on stderr and nothing on stdout, for every command-line, file and domain error; 128 + N when killed
// by signal N (temporary files are removed first: report/cleanup.hpp).
#include "theory/errors.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/processes.hpp"
#include "report/cleanup.hpp"
#ifdef COLLAPSE_MPI
#include "parallel/mpi/mpi_group.hpp"
#endif

#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>

int main(int argc, char** argv) {
  collapse::report::install_signal_cleanup();
#ifdef COLLAPSE_MPI
  // Issue 10: under mpirun the ranks share the run (docs/cluster.md); only rank 0 prints. A plain
  // `collapse ...` never initialises MPI.
  std::unique_ptr<collapse::parallel::mpi_session> mpi;
  if (collapse::parallel::launched_by_mpi()) {
    try {
      mpi = std::make_unique<collapse::parallel::mpi_session>(argc, argv);
    } catch (const std::exception& e) {
      std::cerr << "collapse: error: " << e.what() << '\n';
      return 1;
    }
    collapse::cli::set_processes({mpi->group(), mpi->sharing()});
    if (!collapse::cli::current_processes().root() && (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr)))
      return 1;
  }
#endif
  CLI::App app{"collapse: model collapse in ridge regression -- exact and deterministic-equivalent "
               "formulas at any precision, exact-in-distribution simulation, verification suites.\n"
               "Theory: Dohmatob, Feng & Kempe, 'Model Collapse Demystified: The Case of Regression' "
               "(NeurIPS 2024); see the README for each quantity's section of the theory document."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "collapse 0.1.0");
  collapse::cli::add_eval_command(app);
  collapse::cli::add_simulate_command(app);
  collapse::cli::add_merge_command(app);
  collapse::cli::add_verify_commands(app);
  collapse::cli::add_exponents_commands(app);
  collapse::cli::add_plot_command(app);
  collapse::cli::add_krr_command(app);
  collapse::cli::add_compare_command(app);
  try {
    app.parse(argc, argv);
  } catch (const collapse::cli::quiet_exit& e) {  // a non-root rank stopping with the root's verdict
    return e.code;
  } catch (const CLI::ParseError& e) {
    return collapse::cli::report_parse_error(app, e);
  } catch (const collapse::domain_error& e) {
    std::cerr << "collapse: error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "collapse: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
