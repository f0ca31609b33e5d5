// parallel/verify_shard.hpp -- `collapse verify --shard I/N` (issue 10): one job of a SLURM job array
// (or any batch system) computes a deterministic share of the verify run's row groups and writes them
// to a shard file (parallel/shard.hpp); `collapse merge` checks that the N files belong to one run and
// reruns the suites with every row cached (harness::run_options::computed), which gives exactly the
// summary and report of a single process (the rows are those it computes: Philox keyed by seed and
// trial; the fits, extrapolations and verdicts are computed once, from them).
#pragma once

#include "harness/runner.hpp"
#include "parallel/shard.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace collapse::parallel {

/// Which row groups job I of N computes: the k-th group a suite's walk asks for (k = 0, 1, ...) goes to
/// job ((k + h) mod N) + 1, with h = FNV-1a 64 of the suite name. Round robin within a suite (its
/// groups are usually of similar cost), offset per suite so that suites of one group each do not all
/// land on job 1. Every job walks every suite in the same order with the same placeholders for the
/// groups of others, so the groups form a partition; a group no job computed (a kind whose walk stops
/// at a placeholder) is computed by `merge`, so the result never depends on the assignment.
/// The trials of a simulation of a kind that splits them (harness/trial_parts.hpp) are shared by part.
/// Implements harness::row_sharing as the "root" of a one-process walk: rows and parts stay in this process.
class shard_share : public harness::row_sharing {
public:
  explicit shard_share(shard_spec spec) : spec_(spec) {}
  int rank() const override { return 0; }
  int size() const override { return static_cast<int>(spec_.count); }
  bool open(bool ready, std::function<bool(const std::string&, const std::string&)> finished,
            std::function<void(const std::string&, const std::string&)> on_row,
            std::function<void(const std::string&, const std::string&, const harness::trial_part&)> on_part) override;
  bool claim(const std::string& suite, const std::string& key) override;
  /// A shard job resumes nothing: false.
  bool finished(const std::string&, const std::string&) override { return false; }
  /// The parts of a shared simulation round robin too: part p is job ((p + u) mod N) + 1, u = the
  /// simulation's key (FNV-1a 64) mod N; successive calls return this job's parts in order, then -1.
  long take(const std::string& suite, const std::string& unit, long parts) override;
  void deliver(const std::string& suite, const std::string& row_json) override;
  void deliver_part(const std::string& suite, const std::string& unit, const harness::trial_part& part) override;
  void close() override {}

private:
  shard_spec spec_;
  std::map<std::string, std::uint64_t> walked_;  // suite -> groups asked for so far
  std::map<std::pair<std::string, std::string>, long> next_;  // (suite, unit) -> the next part to consider
  std::function<void(const std::string&, const std::string&)> on_row_;
  std::function<void(const std::string&, const std::string&, const harness::trial_part&)> on_part_;
};

/// The fingerprint "run" of a verify shard: {"command": "verify", "options": {"suites": "A,B" (run
/// order), "suite A": FNV-1a 64 of A's file, ..., "full": "true|false", "seed": S}, "build": build_id()}.
/// --threads is not part of it: rows do not depend on it.
nlohmann::json verify_fingerprint(const std::vector<harness::suite_file>& files, bool full, std::uint64_t seed);

/// Runs shard `spec` of the verify run `opt` (opt.sharing is set here) and writes the shard file to
/// `path` atomically. Progress goes to `log`. Returns the number of rows computed.
std::size_t run_verify_shard(harness::run_options opt, const shard_spec& spec, const std::string& path, std::ostream& log);

/// `collapse merge` of verify shards: checks them (parallel::merge_rows, the build) and that the suite
/// files in `suites_dir` are those the shards were computed from (domain_error naming --suites-dir and
/// the changed suite), and returns the run options whose run_suites gives the serial result.
harness::run_options verify_merge_options(const std::vector<shard>& shards, const std::string& suites_dir);

}  // namespace collapse::parallel
