// tests/harness/test_runner.cpp -- running suites: checkpoints and --resume, atomic reports,
// determinism across thread counts, and the exit code of `collapse verify`.
#include "run_command.hpp"

#include "report/output.hpp"
#include "harness/runner.hpp"

#include "theory/errors.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <sstream>

using namespace collapse::harness;
using namespace collapse::test;  // tests/run_command.hpp: run_collapse, fresh_dir, slurp
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
const std::string test_suites = std::string(COLLAPSE_SOURCE_DIR) + "/tests/harness/suites";

run_options options(const std::string& report, std::vector<std::string> suites) {
  run_options o;
  o.suites_dir = test_suites;
  o.suites = std::move(suites);
  o.report_dir = report;
  o.threads = 2;
  o.seed = 99;
  return o;
}

bool same_rows(const suite_result& a, const suite_result& b) {
  if (a.rows.size() != b.rows.size()) return false;
  for (std::size_t i = 0; i < a.rows.size(); ++i)
    if (row_to_json(a.rows[i]) != row_to_json(b.rows[i])) return false;
  return true;
}

std::vector<std::string> leftovers(const std::string& dir) {
  std::vector<std::string> bad;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().string().find(".tmp") != std::string::npos) bad.push_back(e.path().string());
  return bad;
}
}  // namespace

TEST_CASE("resume reproduces the same rows without recomputing any of them", "[runner][checkpoint]") {
  auto dir = fresh_dir("resume");
  std::ostringstream log1, log2;
  auto first = run_suites(options(dir, {"tiny-ols", "tiny-de"}), log1);
  REQUIRE(first.results.size() == 2);
  auto o = options(dir, {"tiny-ols", "tiny-de"});
  o.resume = true;
  auto second = run_suites(o, log2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(same_rows(first.results[i], second.results[i]));
    CHECK(second.results[i].extra.value("resumed_rows", 0L) >= static_cast<long>(first.results[i].rows.size()) - 2);
  }
  // no simulation ran: simulations announce themselves on the progress log with their trial count
  CAPTURE(log2.str());
  CHECK(log2.str().find("trials") == std::string::npos);
  CHECK(first.results[1].extra["fits"] == second.results[1].extra["fits"]);
}

TEST_CASE("resume after an interruption redoes only the unfinished grid points, identically", "[runner][checkpoint]") {
  auto dir = fresh_dir("partial");
  std::ostringstream log1, log2;
  auto full = run_suites(options(dir, {"tiny-de"}), log1);
  // simulate an interruption after the first d: keep only its rows in the checkpoint
  const std::string ck = dir + "/checkpoints/tiny-de.json";
  json j = json::parse(slurp(ck));
  json kept = json::array();
  for (const auto& r : j["rows"])
    if (r["key"].get<std::string>().find("/d=8") != std::string::npos) kept.push_back(r);
  REQUIRE(kept.size() == 2);
  j["rows"] = kept;
  collapse::report::write_file_atomic(ck, j.dump());
  auto o = options(dir, {"tiny-de"});
  o.resume = true;
  auto resumed = run_suites(o, log2);
  CHECK(same_rows(full.results[0], resumed.results[0]));
  CAPTURE(log2.str());
  CHECK(log2.str().find("d = 8,") == std::string::npos);   // finished: not recomputed
  CHECK(log2.str().find("d = 16,") != std::string::npos);  // unfinished: recomputed
}

TEST_CASE("resume refuses a checkpoint made with another seed", "[runner][checkpoint]") {
  auto dir = fresh_dir("seed");
  std::ostringstream log;
  run_suites(options(dir, {"tiny-ols"}), log);
  auto o = options(dir, {"tiny-ols"});
  o.resume = true;
  o.seed = 100;
  CHECK_THROWS_AS(run_suites(o, log), collapse::domain_error);
}

TEST_CASE("a suite's rows are the same for any number of threads", "[runner][threads]") {
  std::ostringstream log;
  auto o = options("", {"tiny-ols", "tiny-de"});
  o.threads = 1;
  auto one = run_suites(o, log);
  o.threads = 3;
  auto three = run_suites(o, log);
  REQUIRE(one.results.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CAPTURE(one.results[i].name);
    CHECK(same_rows(one.results[i], three.results[i]));
  }
}

TEST_CASE("the report directory holds report.md, results.csv, results.json and no half-written file", "[runner][report]") {
  auto dir = fresh_dir("report");
  std::ostringstream log;
  auto o = options(dir, {"tiny-ols", "tiny-de"});
  auto out = run_suites(o, log);
  write_report(dir, out, o, log);
  for (const char* f : {"report.md", "results.csv", "results.json", "checkpoints/tiny-ols.json"}) {
    CAPTURE(f);
    CHECK(fs::exists(dir + "/" + f));
  }
  CHECK(leftovers(dir).empty());
  auto j = json::parse(slurp(dir + "/results.json"));
  CHECK(j["suites"].size() == 2);
  CHECK(slurp(dir + "/report.md").find("## tiny-ols") != std::string::npos);
  // results.csv: a header and one line per row
  std::size_t rows = out.results[0].rows.size() + out.results[1].rows.size();
  auto csv = slurp(dir + "/results.csv");
  CHECK(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) >= rows + 1);
}

TEST_CASE("an atomic write that cannot complete leaves no file behind", "[runner][report]") {
  auto dir = fresh_dir("atomic");
  CHECK_THROWS(collapse::report::write_file_atomic(dir + "/missing-subdir/x.json", "{}"));
  CHECK(fs::is_empty(dir));
  collapse::report::write_file_atomic(dir + "/x.json", "old");
  collapse::report::write_file_atomic(dir + "/x.json", "new");
  CHECK(slurp(dir + "/x.json") == "new");
  CHECK(leftovers(dir).empty());
}

TEST_CASE("collapse verify on one small suite exits 0 and prints one summary table", "[runner][cli]") {
  auto r = run_collapse("verify tiny-ols --suites-dir '" + test_suites + "' --seed 3");
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("tiny-ols") != std::string::npos);
  CHECK(r.out.find("PASS") != std::string::npos);
  CHECK(r.err.find("[1/1] tiny-ols") != std::string::npos);  // progress goes to stderr
}

TEST_CASE("collapse verify exits nonzero when a suite fails", "[runner][cli]") {
  auto dir = fresh_dir("failing");
  // the tiny suite with an absurd acceptance bound: the standard error cannot be below 1e-9 of the value
  std::string text = slurp(test_suites + "/tiny-ols.toml");
  text.replace(text.find("se_rel_max = 0.05"), 17, "se_rel_max = 1e-9");
  std::ofstream(dir + "/strict.toml") << text;
  auto r = run_collapse("verify --suites-dir '" + dir + "' --format csv");
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("FAIL") != std::string::npos);
}

TEST_CASE("collapse verify with an unknown suite lists the known ones", "[runner][cli]") {
  auto r = run_collapse("verify no-such-suite");
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code != 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("ols-exact") != std::string::npos);
  CHECK(r.err.find("no-such-suite") != std::string::npos);
}

TEST_CASE("collapse verify --format json is one JSON document", "[runner][cli]") {
  auto r = run_collapse("verify tiny-ols --suites-dir '" + test_suites + "' --format json");
  REQUIRE(r.exit_code == 0);
  auto j = json::parse(r.out);
  CHECK(j["pass"] == true);
  CHECK(j["suites"][0]["suite"] == "tiny-ols");
}

TEST_CASE("collapse verify runs a committed default suite end to end", "[runner][cli]") {
  auto r = run_collapse("verify identity-ridge");
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("collapse verify --list lists every committed suite, the --full-only ones marked as such", "[runner][cli]") {
  auto r = run_collapse("verify --list --format json");
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  std::map<std::string, std::string> runs;
  for (const auto& s : j["suites"]) runs[s["suite"].get<std::string>()] = s["runs"].get<std::string>();
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(COLLAPSE_SOURCE_DIR) + "/data/suites"))
    if (e.path().extension() == ".toml") ++files;
  CHECK(runs.size() == files);
  CHECK(runs["krr-mnist"] == "--full");  // missing from the list before (review finding)
  CHECK(runs["ols-exact"] == "default");
}
