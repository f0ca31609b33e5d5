// harness/runner.hpp -- running suites (selection, checkpoints, timing), the summary table and the
// report directory of `collapse verify`.
#pragma once

#include "report/table.hpp"

#include "harness/suite.hpp"
#include "harness/suite_file.hpp"
#include "harness/trial_parts.hpp"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace collapse::harness {

/// Default directories: suites/ and golden/ of harness::data_dir() (installed data, $COLLAPSE_DATA_DIR,
/// or the source tree the binary was built from).
std::string default_suites_dir();
std::string default_golden_dir();

/// Issue 10: spreads the row groups of a verify run over processes (parallel/mpi/ implements it over
/// MPI; harness/ sees only this). A row group is what a kind computes at once (the keys it asks the
/// cache for together), named by its suite and first key. Every process walks the same suites in the
/// same order; the first process to claim a group computes it (dynamic load balancing at the
/// granularity of a group), the others use placeholders for it, and the root (rank 0) receives every
/// computed row and then runs the suites once more with all rows cached, so its summary and report
/// equal those of a single process.
///
/// The groups of a kind whose cost is its simulations (suite_kind::splits_trials) are not claimed:
/// every process enters them, and each simulation's trials are split into parts (harness/trial_parts.hpp)
/// that the processes take one at a time (`take`) and send to the root (`deliver_part`); the root
/// rebuilds each table in trial order. So one large grid point is shared too, at the granularity of a part.
class row_sharing {
public:
  virtual ~row_sharing() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Collective start of the walk. The root passes `ready` (false: its preparation failed, e.g. the
  /// report directory is locked, and nobody walks) and, when ready, starts serving the others on a
  /// thread of its own: `finished(suite, key)` says a group is done already (checkpointed, --resume),
  /// `on_row(suite, row_json)` stores a row computed by any process and `on_part(suite, unit, part)` a
  /// part of a simulation (both called on the serving thread or, for the root's own, on the caller's).
  /// Returns the root's `ready` on every process.
  virtual bool open(bool ready, std::function<bool(const std::string&, const std::string&)> finished,
                    std::function<void(const std::string&, const std::string&)> on_row,
                    std::function<void(const std::string&, const std::string&, const trial_part&)> on_part) = 0;
  /// Whether this process computes the group of `suite` whose first key is `key`.
  virtual bool claim(const std::string& suite, const std::string& key) = 0;
  /// Whether the group of `suite` whose first key is `key` is finished already (checkpointed; --resume).
  virtual bool finished(const std::string& suite, const std::string& key) = 0;
  /// The next part p (0 <= p < parts) of simulation `unit` (simulation_key) of `suite` that this process
  /// computes, or -1 when none is left for it. Every process asks with the same `parts`.
  virtual long take(const std::string& suite, const std::string& unit, long parts) = 0;
  /// A row this process computed (row_to_json), for the root.
  virtual void deliver(const std::string& suite, const std::string& row_json) = 0;
  /// A part this process took (its values empty if computing it failed here), for the root.
  virtual void deliver_part(const std::string& suite, const std::string& unit, const trial_part& part) = 0;
  /// True on the root of a run whose other processes deliver to it while it walks (MPI): the root may
  /// then wait for the parts of a simulation it shares (every part is taken, so every part arrives).
  virtual bool gathers() const { return false; }
  /// Ends the walk: the others tell the root they are done; the root waits for all of them and
  /// rethrows a failure of its serving thread.
  virtual void close() = 0;
};

/// Issue 10, `verify --shard`: rows computed by other jobs (suite -> row key -> row) and the seconds
/// each suite took there. A run given them computes only the row groups missing from them.
struct computed_rows {
  std::map<std::string, std::map<std::string, check_row>> rows;
  std::map<std::string, double> seconds;
  /// suite -> simulation_key -> the parts of that simulation computed by other jobs
  std::map<std::string, std::map<std::string, part_set>> parts;
};

struct run_options {
  std::vector<std::string> suites;  // names (file stems); empty = all
  std::string suites_dir;
  std::string report_dir;           // empty = no report, no checkpoints
  bool resume = false;
  bool full = false;
  std::uint64_t seed = 20240707;
  int threads = 2;
  std::shared_ptr<row_sharing> sharing;  // issue 10: several processes share the run (null: this one alone)
  std::shared_ptr<const computed_rows> computed;  // issue 10: rows of verify shards, used as cached (null: none)
  /// Issue 10: a shared run splits a simulation into parts of about this many estimated seconds
  /// (harness/trial_parts.hpp parts_of); only the granularity of the sharing depends on it, never a number.
  double part_seconds = 0.5;
};

struct run_outcome {
  bool root = true;  // false on the other processes of a shared run: results empty, nothing to print
  std::vector<suite_result> results;
  bool pass = true;
  double seconds = 0;
  std::shared_ptr<void> report_lock;  // held from run_suites to the end of write_report (DIR/.lock)
};

/// The suite files to run: all of `dir`, or the named ones (an unknown name is a domain_error listing
/// the known names; a directory without suites is a domain_error naming --suites-dir). Every file is
/// read and checked by its kind (ctx.check_only: values in range, tolerances finite and in range, no
/// unknown key) before anything runs, so a broken file fails early, with exit status 2.
std::vector<suite_file> select_suites(const std::string& dir, const std::vector<std::string>& names, bool full = false);

/// Runs the suites; progress lines go to `log`. With a report directory (locked against a second run
/// into it; its completion marker DIR/COMPLETE removed until write_report), every finished row is
/// checkpointed to DIR/checkpoints/SUITE.json (atomically); with `resume`, rows found there are reused
/// once their checksum and verdict check out.
run_outcome run_suites(const run_options& opt, std::ostream& log);

/// Issue 10, `verify --shard`: the first pass of a shared run alone, in this process. Walks the suites
/// (`opt.sharing` required; its rank 0 view: it computes every group it claims, placeholders for the
/// rest) and returns the rows it computed. Nothing is checkpointed (no report directory).
computed_rows compute_share(const run_options& opt, std::ostream& log);

/// One summary table: suite, section, result, fraction of its tolerance used, the binding statistic
/// of its worst row, verdict, time.
/// The summary as one report::table: per suite its section, result, the tolerance used (its margin to
/// its own acceptance rule, > 100 % fails), the worst row's statistic and rule, verdict and seconds.
report::table summary_table(const run_outcome& out, report::format f);
std::string render_summary(const run_outcome& out, const std::string& format);

/// report.md, results.csv, results.json and figures/ (gnuplot, when installed), each written atomically
/// and checked (a figure that is not a complete PNG/SVG is not renamed into place); DIR/COMPLETE last.
void write_report(const std::string& dir, const run_outcome& out, const run_options& opt, std::ostream& log);

/// "uses 62 % of its tolerance" as a table cell: "62 %" (">999 %" or "inf" beyond).
std::string used_text(double used);

/// JSON of a row (the checkpoint format, with its criteria and a checksum) and back.
nlohmann::json row_to_json(const check_row& r);
check_row row_from_json(const nlohmann::json& j);
/// Why a checkpointed row cannot be reused ("" when it can): a checksum that does not match its
/// content, a verdict that its criteria do not give, a passing row with a non-finite number.
std::string row_defect(const nlohmann::json& j);

/// Checkpoints of one suite in DIR/checkpoints/NAME.json, keyed by the row key and fingerprinted by
/// the suite file, the seed and --full: resuming against a different fingerprint is an error.
class checkpoint_store {
public:
  checkpoint_store(const std::string& dir, const std::string& suite, const nlohmann::json& fingerprint, bool resume);
  std::optional<check_row> cached(const std::string& key) const;
  /// The keys of the rows held (read at construction with resume, or stored since).
  std::vector<std::string> keys() const;
  void store(const check_row& row);
  std::size_t size() const { return rows_.size(); }
  long reused() const { return reused_; }

private:
  std::string path_;
  nlohmann::json fingerprint_;
  std::vector<check_row> rows_;
  mutable long reused_ = 0;
};

/// FNV-1a 64 of a byte string, as 16 hex digits (stable across platforms).
std::string fnv1a_hex(const std::string& bytes);

}  // namespace collapse::harness
