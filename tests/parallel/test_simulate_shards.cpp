// tests/parallel/test_simulate_shards.cpp -- the integrity of simulate shard files (issue 10): a shard
// of an edited spectrum file, an edited value or time, a run that can never be merged and a shard judged
// by the whole run's duration are refused with one error line and exit 2. The truth is the shard file
// itself: its values are edited here by parsing the JSON, and its checksum recomputed with an FNV-1a
// written out below (a second implementation of the one in harness/runner.cpp).
#include "run_command.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using collapse::test::fresh_dir;
using collapse::test::run_collapse;
using collapse::test::slurp;

namespace {

std::string fnv1a64(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ULL;  // harness::fnv1a_hex's basis (FNV's is 14695981039346656037; a digit short, kept for compatibility)
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

void refused(const collapse::test::command_result& r, const std::string& starts, const std::string& says) {
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.rfind(starts, 0) == 0);
  CHECK(r.err.find(says) != std::string::npos);
}

}  // namespace

TEST_CASE("shards of a --spectrum file edited between or after the shard jobs are not merged", "[parallel][shard]") {
  const std::string dir = fresh_dir("shard-file");
  const std::string spec = dir + "/spec.csv";
  std::ofstream(spec) << "eig,w2\n1,1\n0.5,1\n0.25,1\n";
  const std::string point = "simulate --spectrum file:" + spec + " --T 10 --sigma2 1 --trials 40 --seed 5";
  REQUIRE(run_collapse(point + " --shard 1/2 --output " + dir + "/s1.json").exit_code == 0);
  std::ofstream(spec) << "eig,w2\n1,1\n0.5,1\n0.25,2\n";  // same path, other content
  REQUIRE(run_collapse(point + " --shard 2/2 --output " + dir + "/s2.json").exit_code == 0);
  refused(run_collapse("merge " + dir + "/s1.json " + dir + "/s2.json"), "collapse: error: invalid SHARD", "spectrum_file");
  // both shards of the edited file merge, and give the single-process output of that file ...
  REQUIRE(run_collapse(point + " --shard 1/2 --output " + dir + "/s1.json").exit_code == 0);
  const auto merged = run_collapse("merge " + dir + "/s1.json " + dir + "/s2.json");
  CHECK(merged.exit_code == 0);
  CHECK(merged.out == run_collapse(point).out);
  // ... until the file changes again
  std::ofstream(spec) << "eig,w2\n1,1\n0.5,1\n0.25,3\n";
  refused(run_collapse("merge " + dir + "/s1.json " + dir + "/s2.json"), "collapse: error: invalid SHARD", "changed since the shards were computed");
  fs::remove_all(dir);
}

TEST_CASE("merge refuses a shard whose values or time were edited: checksum, non-finite or negative values, negative time",
          "[parallel][shard]") {
  const std::string dir = fresh_dir("shard-edit");
  const std::string point = "simulate --spectrum isotropic --d 4 --w0norm2 1 --T 12 --sigma2 1 --trials 30 --seed 2";
  for (int i = 1; i <= 2; ++i)
    REQUIRE(run_collapse(point + " --shard " + std::to_string(i) + "/2 --output " + dir + "/s" + std::to_string(i) + ".json").exit_code == 0);
  REQUIRE(run_collapse("merge " + dir + "/s1.json " + dir + "/s2.json").exit_code == 0);
  const auto original = nlohmann::json::parse(slurp(dir + "/s2.json"));
  auto edited = [&](auto edit, bool rehash) {
    nlohmann::json j = original;
    edit(j);
    if (rehash) j["values_fnv1a64"] = fnv1a64(nlohmann::json(j["values"].get<std::vector<double>>()).dump());  // doubles: 0 is "0.0"
    std::ofstream(dir + "/e.json") << j.dump() << "\n";
    return run_collapse("merge " + dir + "/s1.json " + dir + "/e.json");
  };
  const std::string bad = "collapse: error: invalid SHARD = " + dir + "/e.json";
  // an edit that keeps the old checksum fails it
  refused(edited([](nlohmann::json& j) { j["values"][0] = j["values"][0].get<double>() * 1.5; }, false), bad, "fails its checksum");
  refused(edited([](nlohmann::json& j) { j["values"][3] = 1e308; }, false), bad, "fails its checksum");
  // a value that is no squared error is refused even with a matching checksum
  refused(edited([](nlohmann::json& j) { j["values"][0] = -1.0; }, true), bad, "not a finite value >= 0");
  refused(edited([](nlohmann::json& j) { j["elapsed_seconds"] = -5.0; }, true), bad, "not a finite time >= 0");
  refused(edited([](nlohmann::json& j) { j.erase("values_fnv1a64"); }, false), bad, "lacks a field");
  // the unedited file still merges (the checksum round-trips through the JSON text)
  CHECK(edited([](nlohmann::json&) {}, false).exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("every shard of a run with more shards than trials is refused alike, and none is written", "[parallel][shard]") {
  const std::string dir = fresh_dir("shard-empty");
  const std::string point = "simulate --spectrum isotropic --d 4 --w0norm2 1 --T 12 --sigma2 1 --trials 2";
  for (int i = 1; i <= 3; ++i) {
    const std::string out = dir + "/s" + std::to_string(i) + ".json";
    refused(run_collapse(point + " --shard " + std::to_string(i) + "/3 --output " + out),
            "collapse: error: invalid --shard = " + std::to_string(i) + "/3: valid range is N <= trials = 2", "at least one trial");
    CHECK_FALSE(fs::exists(out));
  }
  fs::remove_all(dir);
}

TEST_CASE("collapse simulate --max-seconds judges a shard by its own share of the trials, not by the whole run", "[parallel][shard]") {
  const std::string dir = fresh_dir("shard-duration");
  // 200000 trials of the literal protocol at d = 40 take minutes in one process; shard 1/100000 holds 2
  const std::string point =
      "simulate --spectrum isotropic --d 40 --w0norm2 1 --T 80 --sigma2 1 --trials 200000 --engine reference --max-seconds 1";
  const auto whole = run_collapse(point);
  refused(whole, "collapse: error: invalid --trials = 200000: valid range is a run of at most --max-seconds = 1 s", "estimated");
  const auto r = run_collapse(point + " --shard 1/100000 --output " + dir + "/s.json");
  CAPTURE(r.err);
  CHECK(r.exit_code == 0);
  CHECK(nlohmann::json::parse(slurp(dir + "/s.json"))["trials"] == 2);
  fs::remove_all(dir);
}
