// cli/commands.hpp -- each `collapse` subcommand registers itself on the CLI11 app.
// A command's run callback throws on bad input; main() turns the exception into one clear line on
// stderr and a nonzero exit, with nothing written to stdout.
#pragma once

#include "cli/options.hpp"
#include "harness/runner.hpp"

#include <CLI/CLI.hpp>

namespace collapse::cli {

void add_eval_command(CLI::App& app);
void add_simulate_command(CLI::App& app);
void add_merge_command(CLI::App& app);       // merge the shard files of simulate --shard I/N (issue 10)
void add_verify_commands(CLI::App& app);     // verify (suites, --report, --golden)
void add_exponents_commands(CLI::App& app);  // exponents, crossover
void add_plot_command(CLI::App& app);        // plot fig1a|fig1b|crossover
void add_krr_command(CLI::App& app);         // krr: kernel ridge on real data (§7)
void add_compare_command(CLI::App& app);     // compare: candidate formulas against one simulation grid (issue 13)

/// The end of `collapse verify` (and of `collapse merge` of verify shards): the summary on stdout in
/// `format`, the report when run.report_dir is set, CLI::RuntimeError(1) when a suite fails.
void print_outcome(const format_options& format, const harness::run_outcome& out, const harness::run_options& run);

}  // namespace collapse::cli
