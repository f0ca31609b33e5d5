// cli/verify_command.cpp -- `collapse verify [SUITE...]`: runs the verification suites of
// data/suites/ (one per result of theory/model-collapse-regression.md), prints one summary table,
// exits nonzero when a suite fails; `--report DIR` writes report.md, results.csv/json and figures,
// with checkpoints (`--resume`); `--golden` re-checks the golden catalogue values.
#include "cli/commands.hpp"
#include "harness/golden.hpp"
#include "cli/options.hpp"
#include "cli/processes.hpp"
#include "report/output.hpp"
#include "report/table.hpp"
#include "harness/runner.hpp"
#include "parallel/verify_shard.hpp"

#include "theory/errors.hpp"

#include <fmt/format.h>

#include <iostream>
#include <limits>
#include <memory>
#include <filesystem>
#include <optional>

namespace collapse::cli {

namespace {

struct verify_options {
  harness::run_options run;
  std::string seed = "20240707", threads = "2";
  format_options format;
  bool list = false;
  bool golden = false;
  bool write_golden = false;
  bool accept = false;  // --golden --accept: rewrite the moved golden rows (issue 13, item 5)
  std::string golden_file;
  std::string golden_points;
  std::optional<std::string> shard, output;  // issue 10: --shard I/N writes a shard file (--output FILE)
  std::string part_seconds = "0.5";          // issue 10: the size of a shared simulation's trial ranges
};

void list_suites(const verify_options& o, report::format f) {
  // every suite, with when it runs (review: --full-only suites such as krr-mnist were missing from the list)
  auto files = harness::select_suites(o.run.suites_dir, {}, true);
  auto runs = [](const harness::suite_file& s) { return s.root().text("run", "always") == "full" ? "--full" : "default"; };
  if (f == report::format::plain) {  // the listing a reader scans
    std::cout << fmt::format("Suites in {} (run the default ones with `collapse verify`, all with --full, or name some):\n\n",
                             o.run.suites_dir);
    for (const auto& s : files)
      std::cout << fmt::format("  {:<22} {:<8} {:<18} {:<8} {}\n", s.name, s.root().text("section"), s.root().text("kind"), runs(s),
                               s.root().text("result"));
    return;
  }
  report::table t;  // md, csv, json, latex: the same listing through the one renderer
  t.columns = {{.key = "suite"}, {.key = "section"}, {.key = "kind"}, {.key = "runs"}, {.key = "result"}};
  for (const auto& s : files)
    t.rows.push_back({report::cell::of_code(s.name), report::cell::of_text(s.root().text("section")), report::cell::of_code(s.root().text("kind")),
                      report::cell::of_text(runs(s)), report::cell::of_text(s.root().text("result"))});
  t.title = "Suites in " + o.run.suites_dir;
  t.json_document["suites_dir"] = o.run.suites_dir;
  t.json_rows_key = "suites";
  std::cout << o.format.render(t) << std::flush;
}

/// The golden check as one table (every row, moved or not): the form of --format md|csv|json|latex and of
/// the --report files, which keep the old values of an --accept.
report::table golden_table(const verify_options& o, const std::vector<harness::golden_check>& checks, int moved) {
  report::table t;
  report::column agree{.key = "agreeing_digits", .alignment = report::align::right, .number_format = "{:.1f}"};
  t.columns = {{.key = "line", .alignment = report::align::right}, {.key = "quantity"}, {.key = "arguments"}, {.key = "golden"},
               {.key = "now"}, agree, {.key = "golden_digits", .alignment = report::align::right}, {.key = "moved"}};
  for (const auto& c : checks)
    t.rows.push_back({report::cell::of_integer(c.row.line), report::cell::of_code(c.row.quantity), report::cell::of_text(c.row.arguments),
                      report::cell::of_exact(c.row.value), report::cell::of_exact(c.now), report::cell::of_number(c.agreeing),
                      report::cell::of_integer(c.row.digits), report::cell::of_bool(c.moved)});
  t.title = fmt::format("golden: {} of {} values unchanged ({} moved{}) -- {}", checks.size() - moved, checks.size(), moved,
                        o.accept && moved > 0 ? ", accepted" : "", o.golden_file);
  t.json_document["golden_file"] = o.golden_file;
  t.json_document["unchanged"] = checks.size() - moved;
  t.json_document["moved"] = moved;
  t.json_document["accepted"] = o.accept ? moved : 0;
  return t;
}

/// `--golden [--accept] [--report DIR]`: re-evaluates the golden rows, reports the moved ones with the digits
/// that still agree; --accept rewrites them (issue 13, item 5) after the report DIR/golden.{md,csv} has kept
/// the old values. Exit 1 when a value moved and was not accepted.
int run_golden(const verify_options& o, report::format f) {
  auto checks = harness::check_golden(o.golden_file, std::cerr);
  int moved = 0;
  for (const auto& c : checks) moved += c.moved ? 1 : 0;
  const report::table t = golden_table(o, checks, moved);
  if (!o.run.report_dir.empty()) {  // written before --accept touches the golden file: the old values survive
    std::filesystem::create_directories(o.run.report_dir);
    report::write_file_atomic(o.run.report_dir + "/golden.md", report::render(t, report::format::md));
    report::write_file_atomic(o.run.report_dir + "/golden.csv", report::render(t, report::format::csv));
  }
  const int accepted = o.accept ? harness::accept_golden(o.golden_file, checks) : 0;
  if (f == report::format::plain) {
    for (const auto& c : checks)
      if (c.moved)
        std::cout << fmt::format("MOVED {}:{}: {} {}\n  golden: {}\n  now:    {}\n  agree to {:.1f} significant digits (of {})\n", o.golden_file,
                                 c.row.line, c.row.quantity, c.row.arguments, c.row.value, c.now, c.agreeing, c.row.digits);
    std::cout << fmt::format("golden: {} of {} values unchanged ({} moved) -- {}\n", checks.size() - moved, checks.size(), moved, o.golden_file);
    if (o.accept)
      std::cout << fmt::format("accepted: {} rows rewritten in {}{}\n", accepted, o.golden_file,
                               accepted == 0 ? "" : o.run.report_dir.empty() ? " (old values above)" : " (old values in " + o.run.report_dir + "/golden.md)");
  } else {
    std::cout << o.format.render(t) << std::flush;
  }
  return moved == accepted ? 0 : 1;
}

/// Refuses --shard with what a shard job cannot do (one error line, exit 2).
void check_shard_options(const verify_options& o) {
  if (o.output && !o.shard) throw domain_error("--output", *o.output, "only with --shard I/N", "a whole run prints its summary to stdout");
  if (!o.shard) return;
  auto refuse = [&](const std::string& why) {
    throw domain_error("--shard", *o.shard, "a verify run without " + why,
                       "a shard job writes only its rows; `collapse merge` makes the summary and report");
  };
  if (!o.run.report_dir.empty()) refuse("--report (give --report to collapse merge)");
  if (o.run.resume) refuse("--resume");
  if (o.list || o.golden || o.write_golden || o.accept) refuse("--list, --golden, --accept, --write-golden");
  if (current_processes().shared())
    throw domain_error("--shard", *o.shard, "a run without mpirun", "a shard is one job of a batch system; under mpirun the ranks share the run");
}

/// The file a verify shard job writes: --output, or collapse-verify-shard-I-of-N.json here.
std::string shard_output_path(const verify_options& o, const parallel::shard_spec& spec) {
  return o.output.value_or(fmt::format("collapse-verify-shard-{}-of-{}.json", spec.index, spec.count));
}

/// Every file or directory this verify run will write, checked before any work (report/output.hpp):
/// --report DIR, the shard file, and the golden file that --write-golden or --golden --accept rewrites.
void check_outputs(const CLI::App& cmd, const verify_options& o) {
  if (cmd.count("--report")) report::check_output_path("--report", o.run.report_dir, report::output_kind::directory);
  if (o.shard) report::check_output_path("--output", shard_output_path(o, parallel::parse_shard("--shard", *o.shard)));
  if (o.write_golden || (o.golden && o.accept)) report::check_output_path("--golden-file", o.golden_file);
}

}  // namespace

void print_outcome(const format_options& format, const harness::run_outcome& out, const harness::run_options& run) {
  std::cout << format.render(harness::summary_table(out, format.parse())) << std::flush;
  if (!run.report_dir.empty()) {
    harness::write_report(run.report_dir, out, run, std::cerr);
    std::cerr << "collapse verify: report written to " << run.report_dir << "/report.md\n";
  }
  if (!out.pass) throw CLI::RuntimeError(1);
}

void add_verify_commands(CLI::App& app) {
  auto o = std::make_shared<verify_options>();
  o->run.suites_dir = harness::default_suites_dir();
  o->golden_file = harness::default_golden_dir() + "/catalogue.csv";
  o->golden_points = harness::default_golden_dir() + "/points.txt";
  auto* cmd = app.add_subcommand("verify",
                                 "run the verification suites (data/suites/*.toml): theory vs simulation for every result, one "
                                 "summary table, nonzero exit if any fails");
  cmd->add_option("SUITE", o->run.suites, "suites to run (file stems; default: all, see --list)");
  cmd->add_flag("--list", o->list, "list the suites with their section, kind and result");
  cmd->add_option("--report", o->run.report_dir, "write DIR/report.md, results.csv, results.json, figures/ and checkpoints/");
  cmd->add_flag("--resume", o->run.resume, "reuse the rows checkpointed in --report DIR (same suite files, --seed, --full)");
  cmd->add_flag("--full", o->run.full, "larger sizes (more trials, larger d)");
  cmd->add_option("--seed", o->seed, "base seed of every simulation (0 <= seed <= 2^64 - 1)")->capture_default_str();
  cmd->add_option("--threads", o->threads, "worker threads of the Monte Carlo (1..256)")->capture_default_str();
  add_format_options(cmd, o->format);
  cmd->add_option("--suites-dir", o->run.suites_dir, "directory of suite files")->capture_default_str();
  cmd->add_flag("--golden", o->golden, "re-evaluate the golden values and report every value that moved");
  cmd->add_flag("--write-golden", o->write_golden, "regenerate the golden file from the points file (50 certified digits)");
  cmd->add_flag("--accept", o->accept,
                "with --golden: rewrite every moved golden value with its value now (a deliberate formula change); the "
                "moved rows are printed, and with --report DIR kept in DIR/golden.{md,csv}, with their old values");
  cmd->add_option("--golden-file", o->golden_file, "golden CSV")->capture_default_str();
  cmd->add_option("--golden-points", o->golden_points, "points evaluated by --write-golden")->capture_default_str();
  cmd->add_option("--shard", o->shard,
                  "I/N: compute only job I's share of the row groups and write a shard file; `collapse merge` of the N files "
                  "prints the summary (and --report) of the whole run (SLURM job arrays; docs/cluster.md)");
  cmd->add_option("--output", o->output, "with --shard: the shard file (default collapse-verify-shard-I-of-N.json)");
  cmd->add_option("--part-seconds", o->part_seconds,
                  "under mpirun or --shard: split a simulation into trial ranges of about S estimated seconds each (0: never "
                  "split; the numbers never depend on it; docs/cluster.md)")
      ->capture_default_str();
  cmd->callback([cmd, o] {
    const report::format f = o->format.parse();
    o->run.seed = parse_unsigned("--seed", o->seed, 0, std::numeric_limits<std::uint64_t>::max());
    o->run.threads = static_cast<int>(parse_integer("--threads", o->threads, 1, 256));
    const exact_number part = parse_exact("--part-seconds", o->part_seconds);
    if (part.infinite || part.value < 0 || part.value > 1000000)
      throw domain_error("--part-seconds", o->part_seconds, "0 <= part-seconds <= 1e6 (0: never split a simulation)");
    o->run.part_seconds = to_real<double>(part.value);
    const processes& procs = current_processes();
    check_shard_options(*o);
    if (!o->run.suites.empty() && (o->list || o->golden || o->write_golden))
      throw domain_error("SUITE", o->run.suites.front(), "no SUITE with --list, --golden or --write-golden",
                         "they cover every suite or the golden catalogue; run `collapse verify SUITE` to run one");
    check_outputs(*cmd, *o);
    if (o->shard) {  // issue 10: one job's share of the row groups, to a shard file; nothing on stdout
      const auto spec = parallel::parse_shard("--shard", *o->shard);
      const std::string path = shard_output_path(*o, spec);
      const std::size_t rows = parallel::run_verify_shard(o->run, spec, path, std::cerr);
      std::cerr << fmt::format("collapse verify: shard {} ({} rows) written to {}\n", *o->shard, rows, path);
      return;
    }
    // issue 10: under mpirun the suites are shared (harness::row_sharing); the listing and the golden
    // checks are rank 0's alone
    if ((o->list || o->write_golden || o->golden) && !procs.root()) return;
    if (o->list) {
      list_suites(*o, f);
      return;
    }
    if (o->write_golden) {
      harness::write_golden(o->golden_points, o->golden_file, 50, std::cerr);
      std::cout << "wrote " << o->golden_file << "\n";
      return;
    }
    if (o->accept && !o->golden) throw domain_error("--accept", "true", "only with --golden", "it accepts the moved golden values");
    if (o->golden) {
      if (int rc = run_golden(*o, f)) throw CLI::RuntimeError(rc);
      return;
    }
    if (procs.shared()) o->run.sharing = procs.sharing;
    auto out = harness::run_suites(o->run, std::cerr);
    if (!out.root) return;
    print_outcome(o->format, out, o->run);
  });
}

}  // namespace collapse::cli
