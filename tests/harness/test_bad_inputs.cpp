// tests/harness/test_bad_inputs.cpp -- issue 7 through the real command line: broken suite files,
// directories and checkpoints are input errors (exit 2, one `collapse: error:` line naming
// FILE:LINE:COLUMN, the key, the value and the range, nothing on stdout), distinct from a theory
// failure (exit 1); the report directory is locked, completed by a marker written last, and never
// receives a truncated figure.
#include "run_command.hpp"

#include "harness/runner.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace collapse::harness;
using namespace collapse::test;  // tests/run_command.hpp: run_collapse, fresh_dir, slurp
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
const std::string test_suites = std::string(COLLAPSE_SOURCE_DIR) + "/tests/harness/suites";

/// tiny-ols.toml with `from` replaced by `to`, alone in a fresh directory; returns the directory.
std::string edited_suite(const std::string& name, const std::string& from, const std::string& to) {
  auto dir = fresh_dir(name);
  std::string text = slurp(test_suites + "/tiny-ols.toml");
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), to);
  std::ofstream(dir + "/tiny-ols.toml") << text;
  return dir;
}

/// The input-error contract: exit 2, nothing on stdout, one line on stderr that starts as given.
void check_input_error(const collapse::test::command_result& r, const std::string& starts, const std::string& contains) {
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("collapse: error: " + starts) == 0);
  CHECK(r.err.find(contains) != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

std::string verify_in(const std::string& dir, const std::string& extra = "") {
  return "verify --suites-dir '" + dir + "' --seed 3 " + extra;
}
}  // namespace

TEST_CASE("a tolerance that would disable its check (inf, 1e308) is refused with file:line before anything runs", "[bad-input][tolerance]") {
  for (const std::string& v : {"inf", "1e308", "11"}) {
    auto dir = edited_suite("tol-" + v, "z_max = 4", "z_max = " + v);
    auto r = run_collapse(verify_in(dir));
    check_input_error(r, "invalid " + dir + "/tiny-ols.toml:16:9: z_max = ",
                      "valid range is a finite number 0 < z_max <= 10");
  }
}

TEST_CASE("a negative or NaN tolerance is an input error (exit 2), not a theory failure (exit 1)", "[bad-input][tolerance]") {
  for (const std::string& v : {"-0.05", "nan"}) {
    auto dir = edited_suite("tol-neg", "se_rel_max = 0.05", "se_rel_max = " + v);
    auto r = run_collapse(verify_in(dir));
    check_input_error(r, "invalid " + dir + "/tiny-ols.toml:17:14: se_rel_max = ", "valid range is a finite number 0 < se_rel_max <= 0.5");
  }
}

TEST_CASE("an unknown key such as full_trails is an error naming its line and the keys the table takes", "[bad-input][keys]") {
  auto dir = edited_suite("typo", "trials = 400", "trials = 400\nfull_trails = 2000");
  auto r = run_collapse(verify_in(dir));
  check_input_error(r, "invalid " + dir + "/tiny-ols.toml:13:15: full_trails = 2000", "unknown key");
  CHECK(r.err.find("full_trials") != std::string::npos);  // listed among the keys [simulation] takes
}

TEST_CASE("a run that finds no suite fails as broken input", "[bad-input][empty]") {
  auto dir = fresh_dir("no-suites");
  auto r = run_collapse(verify_in(dir));
  check_input_error(r, "invalid --suites-dir = " + dir, "at least one *.toml suite file");
}

TEST_CASE("a suite case with d = 0 names the file, the line, the key, the value and the range", "[bad-input][domain]") {
  auto dir = edited_suite("d0", "d = 6", "d = 0");
  auto r = run_collapse(verify_in(dir));
  check_input_error(r, "invalid " + dir + "/tiny-ols.toml:23:5: d = 0", "valid range is an integer 1 <= d <= 100000");
}

TEST_CASE("a case outside the theory's domain (T0 within one of d) is refused at the case before anything runs", "[bad-input][domain]") {
  auto dir = edited_suite("T0", "T0 = 18", "T0 = 7");
  auto r = run_collapse(verify_in(dir));
  check_input_error(r, "invalid " + dir + "/tiny-ols.toml:", "T0 >= d + 2 = 8");
}

TEST_CASE("a theory failure exits 1 with the summary; broken input exits 2 without one", "[bad-input][exit-codes]") {
  auto fail_dir = edited_suite("theory-fails", "se_rel_max = 0.05", "se_rel_max = 1e-9");
  auto r = run_collapse(verify_in(fail_dir));
  CAPTURE(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("FAIL") != std::string::npos);
  CHECK(r.out.find(">999 %") != std::string::npos);  // the margin column says how far beyond its rule
}

TEST_CASE("the summary says how much of its tolerance each suite uses, with the raw statistic beside it", "[margin][cli]") {
  auto r = run_collapse(verify_in(test_suites, "tiny-ols tiny-de"));
  CAPTURE(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("tolerance used") != std::string::npos);
  CHECK(r.out.find(" %  ") != std::string::npos);
  CHECK(r.out.find("(|z| <= 4) at ") != std::string::npos);
  auto j = json::parse(run_collapse(verify_in(test_suites, "tiny-ols --format json")).out);
  CHECK(j["suites"][0]["tolerance_used"].get<double>() >= 0);
  CHECK(j["suites"][0]["tolerance_used"].get<double>() <= 1);
}

TEST_CASE("resume refuses a checkpoint row edited to observed = nan, pass = true", "[bad-input][checkpoint]") {
  auto dir = fresh_dir("tampered");
  REQUIRE(run_collapse(verify_in(test_suites, "tiny-ols --report '" + dir + "'")).exit_code == 0);
  const std::string ck = dir + "/checkpoints/tiny-ols.json";
  json j = json::parse(slurp(ck));
  j["rows"][0]["observed"] = "nan";
  j["rows"][0]["pass"] = true;
  std::ofstream(ck) << j.dump(1);
  auto r = run_collapse(verify_in(test_suites, "tiny-ols --report '" + dir + "' --resume"));
  check_input_error(r, "invalid --resume = " + ck, "does not match its checksum");
  // and with the checksum recomputed the verdict is recomputed too
  j["rows"][0].erase("checksum");
  j["rows"][0]["checksum"] = fnv1a_hex(j["rows"][0].dump());
  CHECK(row_defect(j["rows"][0]) == "passes with a non-finite number");
  j["rows"][1]["criteria"][0]["value"] = 99.0;  // |z| = 99 against z_max = 4, still marked pass
  j["rows"][1].erase("checksum");
  j["rows"][1]["checksum"] = fnv1a_hex(j["rows"][1].dump());
  CHECK(row_defect(j["rows"][1]).find("says pass = true, but its criteria give false") == 0);
}

TEST_CASE("two runs into one report directory: the second is refused while the first holds the lock", "[report][lock]") {
  auto dir = fresh_dir("locked");
  const int fd = ::open((dir + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);  // as a running `collapse verify --report DIR` holds it
  auto r = run_collapse(verify_in(test_suites, "tiny-ols --report '" + dir + "'"));
  check_input_error(r, "invalid --report = " + dir, "no other collapse verify is writing");
  CHECK(!fs::exists(dir + "/report.md"));
  ::close(fd);
  auto ok = run_collapse(verify_in(test_suites, "tiny-ols --report '" + dir + "'"));
  CAPTURE(ok.err);
  CHECK(ok.exit_code == 0);
}

TEST_CASE("the report phase shows progress with its real total and an ETA, and writes COMPLETE last", "[report][progress]") {
  auto dir = fresh_dir("complete");
  auto r = run_collapse(verify_in(test_suites, "tiny-ols tiny-de --report '" + dir + "'"));
  CAPTURE(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("[report 1/7, ") != std::string::npos);  // 2 results + 2 suite figures + 3 paper figures
  CHECK(r.err.find("[report 7/7, ") != std::string::npos);
  CHECK(r.err.find("ETA ") != std::string::npos);
  REQUIRE(fs::exists(dir + "/COMPLETE"));
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) CHECK(fs::last_write_time(e.path()) <= fs::last_write_time(dir + "/COMPLETE"));
}

TEST_CASE("a truncated PNG or a 0-byte SVG from gnuplot is an error, never a file in the report", "[report][figures]") {
  // a gnuplot that writes a PNG without its end and an empty SVG, as on a full disk
  auto bin = fresh_dir("fake-gnuplot");
  std::ofstream(bin + "/gnuplot") << "#!/bin/sh\n"
                                     "for f in \"$@\"; do grep -o \"set output '[^']*'\" \"$f\" | sed \"s/set output '\\(.*\\)'/\\1/\" |\n"
                                     "  while read out; do case \"$out\" in *png*) printf '\\211PNG\\r\\n\\032\\nIHDR' > \"$out\";; *) : > \"$out\";; esac; done\n"
                                     "done\nexit 0\n";
  fs::permissions(bin + "/gnuplot", fs::perms::owner_all);
  const std::string old_path = std::getenv("PATH");
  ::setenv("PATH", (bin + ":" + old_path).c_str(), 1);
  auto out = fresh_dir("truncated-plot");
  auto plot = run_collapse("plot fig1a --trials 0 --format both --out '" + out + "'");
  auto dir = fresh_dir("truncated-report");
  auto rep = run_collapse(verify_in(test_suites, "tiny-ols --report '" + dir + "'"));
  ::setenv("PATH", old_path.c_str(), 1);
  CAPTURE(plot.err, rep.err);
  CHECK(plot.exit_code != 0);
  CHECK(plot.err.find("incomplete png") != std::string::npos);
  CHECK(fs::is_empty(out));
  CHECK(rep.exit_code == 0);  // the theory passed; the report says which figures are missing
  CHECK(!fs::exists(dir + "/figures/tiny-ols.png"));
  CHECK(!fs::exists(dir + "/figures/tiny-ols.svg"));
  CHECK(!fs::exists(dir + "/figures/fig1a.png"));
  CHECK(slurp(dir + "/report.md").find("Figure not rendered: gnuplot wrote an incomplete png") != std::string::npos);
  CHECK(json::parse(slurp(dir + "/COMPLETE"))["figures_missing"].size() == 4);
  for (const auto& e : fs::recursive_directory_iterator(dir)) CHECK(e.path().string().find(".tmp") == std::string::npos);
}
