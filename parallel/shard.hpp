// parallel/shard.hpp -- a run split into independent jobs without MPI (issue 10): `collapse simulate
// --shard I/N` computes a contiguous part of the trials and writes a shard file; `collapse merge`
// checks that the shards belong to one run and cover it exactly once, and rebuilds the per-trial
// table, from which the serial result follows bit for bit (the reduction is in trial order and the
// trials' values depend only on (seed, trial): numerics/random.hpp).
//
// Shard file (JSON, written atomically): {"format": "collapse-shard", "format_version": 1,
//   "run": {"command", "options": {NAME: TEXT as given}, "build"}, "shard": I, "shards": N,
//   "first_trial", "trials", "columns", "threads", "elapsed_seconds", "values": [trial-major doubles],
//   "values_fnv1a64": checksum of the values' JSON text}. A --spectrum file:PATH run also fingerprints
//   the file's content in "run" ("spectrum_file": file_fingerprint), so shards of an edited file never merge.
// Doubles are written by nlohmann_json's shortest round-trip formatting, so they read back exactly.
//
// `collapse verify --shard I/N` writes the same header with "command": "verify" and, instead of the
// trial fields, "rows": {SUITE: [row as in a checkpoint, with its checksum]}, "seconds": {SUITE: s} and
// "parts": {SUITE: {SIMULATION_KEY: [{"first", "count", "checksum" (FNV-1a of the values' JSON), "values"}]}},
// the trial ranges of the simulations it shared (harness/trial_parts.hpp; values empty: failed there)
// (parallel/verify_shard.hpp).
#pragma once

#include "harness/runner.hpp"
#include "numerics/simulate.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace collapse::parallel {

/// Shard I of N (1 <= I <= N).
struct shard_spec {
  std::uint64_t index = 0, count = 0;
};

/// Parses "I/N" (1 <= I <= N <= 1e6); throws domain_error naming `option`.
shard_spec parse_shard(const std::string& option, const std::string& text);

/// The trials [first, first + count) of shard I/N of a run of `trials` trials: contiguous, in shard
/// order, sizes differing by at most one. Throws domain_error naming "--shard" when N > trials (a shard
/// would be empty), for every I alike, so that no shard of a run that could never be merged is written.
std::pair<std::uint64_t, std::uint64_t> shard_trials(const shard_spec& s, std::uint64_t trials);

/// The identity of this build: "collapse VERSION fnv1a64:HASH" with HASH over the running executable
/// (/proc/self/exe), so shards of two different builds are never merged. Computed once.
std::string build_id();

/// "fnv1a64:HASH" of the bytes of the file at `path` (empty content when it cannot be read): the content
/// fingerprint of an input file named by a run (a simulate --spectrum file:PATH).
std::string file_fingerprint(const std::string& path);

struct shard {
  std::string path;           // where it was read from (messages)
  nlohmann::json run;         // the fingerprint: command, options, build
  shard_spec spec;
  std::uint64_t first_trial = 0;
  numerics::trial_table table;  // simulate shards
  unsigned threads = 1;
  harness::computed_rows rows;  // verify shards
};

/// Writes `s` to `path` atomically (report::write_file_atomic). Throws runtime_error naming the path.
void write_shard(const std::string& path, const shard& s);

/// Reads and checks one shard file of simulate or verify; throws domain_error naming SHARD and the path
/// (unreadable, not a shard file, inconsistent sizes, a verify row or the simulate values failing their
/// checksum, a simulate value that is not finite and >= 0, a negative or non-finite elapsed_seconds).
shard read_shard(const std::string& path);

/// Checks that `shards` are shards 1..N of one run, each exactly once, covering its `total_trials`
/// trials; returns the complete per-trial table in trial order. Throws domain_error naming SHARD and
/// the offending file (different run, with the first differing field; duplicate; missing shards;
/// wrong trial range).
numerics::trial_table merge_tables(std::vector<shard> shards, std::uint64_t total_trials);

/// Checks that `shards` are shards 1..N of one verify run, each exactly once (as merge_tables), and
/// returns the union of their rows and the seconds per suite (summed). Throws domain_error naming SHARD.
harness::computed_rows merge_rows(const std::vector<shard>& shards);

}  // namespace collapse::parallel
