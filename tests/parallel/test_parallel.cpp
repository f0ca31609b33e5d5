// tests/parallel/test_parallel.cpp -- issue 10: a run shared by MPI ranks or split into shards gives
// exactly what one process gives. The truth here is the single-process output of the same binary
// (itself tested against closed forms in tests/numerics and tests/harness): byte for byte for
// `simulate` and `merge`, the results.csv rows for `verify`. Runs `mpirun --oversubscribe -np K`
// (COLLAPSE_MPIEXEC); as root Open MPI needs OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM), set by CMake on these
// tests. Without an MPI build (COLLAPSE_MPIEXEC empty) only the shard tests run.
#include "run_command.hpp"

#include "harness/trial_parts.hpp"
#include "theory/rational.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using collapse::test::command_result;
using collapse::test::fresh_dir;
using collapse::test::run_collapse;
using collapse::test::slurp;

namespace {

const std::string mpiexec = COLLAPSE_MPIEXEC;

/// `mpirun --oversubscribe -np K collapse ARGS`, stdout and stderr captured.
command_result run_mpi(int ranks, const std::string& args) {
  const std::string dir = fresh_dir("mpi");
  const std::string cmd = mpiexec + " --oversubscribe -np " + std::to_string(ranks) + " '" + COLLAPSE_BINARY + "' " + args + " >'" + dir +
                          "/out' 2>'" + dir + "/err'";
  const int status = std::system(cmd.c_str());
  command_result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir + "/out");
  r.err = slurp(dir + "/err");
  fs::remove_all(dir);
  return r;
}

/// The JSON output without the two fields that name the layout and the time (docs/simulation.md).
nlohmann::json without_layout(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  j.erase("threads");
  j.erase("elapsed_seconds");
  return j;
}

// Several batches (64, 128, 256, 512, 1024, ...), a λ grid and a chain: the fast engine's Bartlett path.
const std::string fast_point = "simulate --spectrum powerlaw --beta 2 --r 1/2 --d 12 --T 30 --T0 40 --n 2 --lambda 0,0.1 "
                               "--sigma2 0.5 --sigma02 0.5 --trials 2500 --seed 11";
// The literal protocol (explicit designs, COD, SVD), plain estimator.
const std::string reference_point = "simulate --spectrum isotropic --d 6 --w0norm2 1 --T 14 --T0 12 --n 2 --lambda 0,0.05 "
                                    "--sigma2 1 --sigma02 1 --trials 300 --seed 3 --engine reference --estimator plain";

}  // namespace

TEST_CASE("mpirun -np 2 and -np 3 collapse simulate print byte for byte what one process prints, fast and reference engines, any --threads",
          "[parallel]") {
  if (mpiexec.empty()) SUCCEED("built without MPI");
  else
    for (const std::string& point : {fast_point, reference_point}) {
      const auto serial = run_collapse(point);
      REQUIRE(serial.exit_code == 0);
      REQUIRE(serial.out.find("generation") != std::string::npos);
      for (const auto& [ranks, threads] : {std::pair{2, 1}, std::pair{2, 2}, std::pair{3, 1}}) {
        INFO(point << " with " << ranks << " ranks x " << threads << " threads");
        const auto shared = run_mpi(ranks, point + " --threads " + std::to_string(threads));
        CHECK(shared.exit_code == 0);
        CHECK(shared.out == serial.out);
        CHECK(shared.err.find("collapse:") == std::string::npos);
      }
      const auto serial_json = run_collapse(point + " --format json");
      const auto shared_json = run_mpi(2, point + " --format json");
      REQUIRE(shared_json.exit_code == 0);
      CHECK(without_layout(shared_json.out) == without_layout(serial_json.out));
    }
}

TEST_CASE("mpirun -np 2 collapse simulate --target-se stops after the same trials as one process, with the same numbers", "[parallel]") {
  if (mpiexec.empty()) SUCCEED("built without MPI");
  else {
    const std::string point = "simulate --spectrum isotropic --d 5 --w0norm2 1 --T 20 --T0 20 --n 1 --sigma2 1 --sigma02 1 "
                              "--target-se 0.01 --seed 4";
    const auto serial = run_collapse(point);
    REQUIRE(serial.exit_code == 0);
    const auto shared = run_mpi(2, point);
    CHECK(shared.exit_code == 0);
    CHECK(shared.out == serial.out);
    // the stop happened after a batch beyond the first (64), so the decision was really shared
    std::smatch m;
    REQUIRE(std::regex_search(serial.out, m, std::regex("trials=([0-9]+)")));
    CHECK(std::stoul(m[1]) > 64);
  }
}

TEST_CASE("mpirun -np 2 collapse simulate with bad input is one error line from rank 0, exit 2, nothing on stdout", "[parallel]") {
  if (mpiexec.empty()) SUCCEED("built without MPI");
  else {
    const auto r = run_mpi(2, "simulate --spectrum isotropic --d 5 --w0norm2 1 --T 5 --sigma2 1 --trials 100");
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    // mpirun adds its own banner about the non-zero exit; ours is one line, once (not once per rank)
    const auto at = r.err.find("collapse: error: invalid T = 5: ");
    REQUIRE(at != std::string::npos);
    CHECK((at == 0 || r.err[at - 1] == '\n'));
    CHECK(r.err.find("collapse: error:", at + 1) == std::string::npos);
  }
}

TEST_CASE("collapse merge of shards 1/3, 2/3 and 3/3, given in any order, prints exactly the single-process output", "[parallel]") {
  const std::string dir = fresh_dir("shards");
  for (const std::string& point : {fast_point, reference_point}) {
    INFO(point);
    const auto serial = run_collapse(point);
    REQUIRE(serial.exit_code == 0);
    for (int i = 1; i <= 3; ++i) {
      const auto s = run_collapse(point + " --threads 2 --shard " + std::to_string(i) + "/3 --output " + dir + "/s" + std::to_string(i) + ".json");
      REQUIRE(s.exit_code == 0);
      CHECK(s.out.empty());
    }
    const auto merged = run_collapse("merge " + dir + "/s3.json " + dir + "/s1.json " + dir + "/s2.json");
    CHECK(merged.exit_code == 0);
    CHECK(merged.out == serial.out);
    const auto merged_csv = run_collapse("merge " + dir + "/s1.json " + dir + "/s2.json " + dir + "/s3.json --format csv");
    CHECK(merged_csv.out == run_collapse(point + " --format csv").out);
  }
  fs::remove_all(dir);
}

TEST_CASE("collapse merge refuses shards of another run, a missing shard, a duplicate and a truncated file, with one error line and exit 2",
          "[parallel]") {
  const std::string dir = fresh_dir("bad-shards");
  const std::string point = "simulate --spectrum isotropic --d 4 --w0norm2 1 --T 12 --sigma2 1 --trials 90";
  for (int i = 1; i <= 3; ++i)
    REQUIRE(run_collapse(point + " --seed 1 --shard " + std::to_string(i) + "/3 --output " + dir + "/a" + std::to_string(i) + ".json").exit_code == 0);
  REQUIRE(run_collapse(point + " --seed 2 --shard 3/3 --output " + dir + "/b3.json").exit_code == 0);
  {
    std::ofstream out(dir + "/cut.json");
    const std::string whole = slurp(dir + "/a3.json");
    out << whole.substr(0, whole.size() / 2);
  }
  auto refused = [&](const std::string& files, const std::string& says) {
    INFO(files);
    const auto r = run_collapse("merge " + files);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.rfind("collapse: error: invalid SHARD", 0) == 0);
    CHECK(r.err.find(says) != std::string::npos);
  };
  refused(dir + "/a1.json " + dir + "/a2.json " + dir + "/b3.json", "options.seed");
  refused(dir + "/a1.json " + dir + "/a3.json", "missing 2/3");
  refused(dir + "/a1.json " + dir + "/a2.json " + dir + "/a2.json " + dir + "/a3.json", "each shard once");
  refused(dir + "/a1.json " + dir + "/a2.json " + dir + "/cut.json", "not complete JSON");
  // and a shard of a --target-se run does not exist: it is refused up front
  const auto r = run_collapse("simulate --spectrum isotropic --d 4 --w0norm2 1 --T 12 --sigma2 1 --target-se 0.1 --shard 1/2");
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("collapse: error: invalid --shard = 1/2", 0) == 0);
  fs::remove_all(dir);
}

namespace {
const std::string test_suites = "--suites-dir tests/harness/suites";

/// results.csv of a verify --report run (no times in it: the rows and verdicts only).
std::string verify_rows(const std::string& dir) { return slurp(dir + "/results.csv"); }
}  // namespace

TEST_CASE("mpirun -np 2 collapse verify gives the rows, verdicts and report rows of one process for two suites", "[parallel]") {
  if (mpiexec.empty()) SUCCEED("built without MPI");
  else {
    const std::string one = fresh_dir("verify-one"), two = fresh_dir("verify-two");
    const auto serial = run_collapse("verify tiny-ols tiny-de " + test_suites + " --threads 1 --format json --report " + one);
    REQUIRE(serial.exit_code == 0);
    const auto shared = run_mpi(2, "verify tiny-ols tiny-de " + test_suites + " --threads 1 --format json --report " + two);
    CHECK(shared.exit_code == 0);
    REQUIRE(!verify_rows(one).empty());
    CHECK(verify_rows(two) == verify_rows(one));
    auto strip = [](const std::string& text) {
      auto j = nlohmann::json::parse(text);
      j.erase("seconds");
      for (auto& s : j["suites"]) s.erase("seconds");
      return j;
    };
    CHECK(strip(shared.out) == strip(serial.out));
    CHECK(fs::exists(two + "/COMPLETE"));
    fs::remove_all(one);
    fs::remove_all(two);
  }
}

namespace {
/// The summary JSON of verify or merge without its times.
nlohmann::json without_seconds(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  j.erase("seconds");
  for (auto& s : j["suites"]) s.erase("seconds");
  return j;
}
}  // namespace

TEST_CASE("collapse merge of verify shards 1/3, 2/3 and 3/3 gives the results.csv of one process byte for byte and its summary but for the times",
          "[parallel]") {
  const std::string dir = fresh_dir("verify-shards"), one = fresh_dir("verify-serial"), merged_dir = fresh_dir("verify-merged");
  const std::string suites = "verify tiny-ols tiny-de " + test_suites;
  const auto serial = run_collapse(suites + " --threads 1 --format json --report " + one);
  REQUIRE(serial.exit_code == 0);
  std::size_t rows = 0;
  for (int i = 1; i <= 3; ++i) {
    const std::string file = dir + "/s" + std::to_string(i) + ".json";
    const auto s = run_collapse(suites + " --threads 2 --shard " + std::to_string(i) + "/3 --output " + file);
    REQUIRE(s.exit_code == 0);
    CHECK(s.out.empty());
    const auto shard = nlohmann::json::parse(slurp(file));
    for (const auto& [suite, list] : shard.at("rows").items()) rows += list.size();
  }
  // every simulated row of the serial run (not its fits over d) was computed by exactly one job
  const std::string csv = verify_rows(one);
  const auto lines = static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n'));
  CHECK(rows == lines - 1 - 2);  // the header, and tiny-de's fits over d for n = 0 and n = 2
  const auto merged = run_collapse("merge " + dir + "/s2.json " + dir + "/s3.json " + dir + "/s1.json " + test_suites + " --format json --report " +
                                   merged_dir);
  CHECK(merged.exit_code == 0);
  CHECK(merged.err.find("trials") == std::string::npos);  // merge computed nothing: every row came from a shard
  REQUIRE(!csv.empty());
  CHECK(verify_rows(merged_dir) == csv);
  CHECK(without_seconds(merged.out) == without_seconds(serial.out));
  CHECK(fs::exists(merged_dir + "/COMPLETE"));
  // refused, one error line, exit 2: a missing shard, a shard of another seed, suite files that changed since
  REQUIRE(run_collapse(suites + " --seed 5 --shard 2/3 --output " + dir + "/seed5.json").exit_code == 0);
  const std::string changed = fresh_dir("verify-changed-suites");
  fs::copy(std::string("tests/harness/suites"), changed);
  std::ofstream(changed + "/tiny-de.toml", std::ios::app) << "# edited after the shards ran\n";
  auto refused = [&](const std::string& args, const std::string& starts, const std::string& says) {
    INFO(args);
    const auto r = run_collapse("merge " + args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.rfind("collapse: error: invalid " + starts, 0) == 0);
    CHECK(r.err.find(says) != std::string::npos);
  };
  refused(dir + "/s1.json " + dir + "/s3.json " + test_suites, "SHARD", "missing 2/3");
  refused(dir + "/s1.json " + dir + "/seed5.json " + dir + "/s3.json " + test_suites, "SHARD", "options.seed");
  refused(dir + "/s1.json " + dir + "/s2.json " + dir + "/s3.json --suites-dir " + changed, "--suites-dir", "tiny-de differs");
  for (const auto& d : {dir, one, merged_dir, changed}) fs::remove_all(d);
}

TEST_CASE("collapse verify --shard refuses --report, --resume and --output without --shard with one error line", "[parallel]") {
  for (const std::string& args : {" --shard 1/2 --report /nonexistent/r", " --shard 1/2 --resume", " --output x.json", " --shard 3/2"}) {
    INFO(args);
    const auto r = run_collapse("verify tiny-ols " + test_suites + args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.rfind("collapse: error: invalid --", 0) == 0);
  }
}

TEST_CASE("a simulation's table rebuilt from trial ranges computed apart -- uneven, one failed, one overlapping, one missing -- is run_trials' bit for bit",
          "[parallel]") {
  using namespace collapse;
  numerics::simulation_config c;
  c.spectrum.type = spectrum_spec::kind::powerlaw;
  c.spectrum.d = parse_exact("d", "9");
  c.spectrum.beta = parse_exact("beta", "2");
  c.spectrum.r = parse_exact("r", "0.5");
  c.T = 20;
  c.T0 = 25;
  c.n = 2;
  c.lambda = {parse_exact("lambda", "0"), parse_exact("lambda", "0.1")};
  c.sigma2 = parse_exact("sigma2", "0.5");
  c.sigma02 = parse_exact("sigma02", "1");
  c.trials = 203;
  c.seed = 17;
  const auto whole = numerics::run_trials(c);
  auto part = [&](std::uint64_t first, std::uint64_t count) {
    return harness::trial_part{first, count, numerics::run_trial_range(c, first, count).values};
  };
  harness::part_set parts;
  for (const auto& p : {part(0, 50), part(50, 1), part(51, 70), part(150, 53)}) parts[p.first] = p;
  parts[121] = {121, 29, {}};            // failed where it was taken: computed again
  parts[60] = part(60, 10);              // overlaps trials 51..120: skipped
  std::uint64_t here = 0;
  const auto rebuilt = harness::assemble_parts(c, parts, &here);
  CHECK(rebuilt.trials == whole.trials);
  CHECK(rebuilt.values == whole.values);  // exact equality of every double
  CHECK(here == 29);
  parts.erase(150);                       // missing at the end: computed here too
  here = 0;
  CHECK(harness::assemble_parts(c, parts, &here).values == whole.values);
  CHECK(here == 29 + 53);
  // the split itself: contiguous ranges covering every trial once, sizes within one
  for (long n : {1L, 2L, 7L, 203L}) {
    std::uint64_t next = 0;
    for (long p = 0; p < n; ++p) {
      const auto [first, count] = harness::part_range(c.trials, n, p);
      CHECK(first == next);
      CHECK((count == c.trials / n || count == c.trials / n + 1));
      next = first + count;
    }
    CHECK(next == c.trials);
  }
  // a second simulation differing in one field is another simulation; the threads are not part of it
  auto other = c;
  other.seed = 18;
  CHECK(harness::simulation_key(other) != harness::simulation_key(c));
  other = c;
  other.threads = 4;
  CHECK(harness::simulation_key(other) == harness::simulation_key(c));
}

TEST_CASE("mpirun -np 2 and -np 3 collapse verify with every simulation split into trial ranges give the rows and summary of one process",
          "[parallel]") {
  if (mpiexec.empty()) SUCCEED("built without MPI");
  else {
    const std::string one = fresh_dir("split-one");
    const std::string suites = "verify tiny-ols tiny-de " + test_suites + " --threads 1 --format json";
    const auto serial = run_collapse(suites + " --report " + one);
    REQUIRE(serial.exit_code == 0);
    REQUIRE(!verify_rows(one).empty());
    for (int ranks : {2, 3}) {
      INFO(ranks << " ranks");
      const std::string two = fresh_dir("split-shared");
      // 1e-9 s: every simulation in ranges of 4 trials (tiny-ols: 100 of its 400 trials' ranges, tiny-de: 15)
      const auto shared = run_mpi(ranks, suites + " --part-seconds 1e-9 --report " + two);
      CHECK(shared.exit_code == 0);
      CHECK(verify_rows(two) == verify_rows(one));
      CHECK(without_seconds(shared.out) == without_seconds(serial.out));
      std::smatch m;
      REQUIRE(std::regex_search(shared.err, m, std::regex("([0-9]+) simulations shared as ([0-9]+) trial ranges, ([0-9]+) of them computed by the other")));
      CHECK(std::stoul(m[1]) == 2 + 3);          // tiny-ols: 2 cases, tiny-de: 3 sizes
      CHECK(std::stoul(m[2]) == 2 * 100 + 3 * 15);
      CHECK(std::stoul(m[3]) > 0);               // the other ranks computed parts of the simulations ...
      CHECK(std::stoul(m[3]) < std::stoul(m[2]));  // ... and so did rank 0
      fs::remove_all(two);
    }
    fs::remove_all(one);
  }
}

TEST_CASE("collapse merge of verify shards 1/3..3/3 whose simulations are split into trial ranges gives the results.csv of one process byte for byte",
          "[parallel]") {
  const std::string dir = fresh_dir("split-shards"), one = fresh_dir("split-serial"), merged_dir = fresh_dir("split-merged");
  const std::string suites = "verify tiny-ols tiny-de " + test_suites;
  const auto serial = run_collapse(suites + " --threads 1 --format json --report " + one);
  REQUIRE(serial.exit_code == 0);
  std::map<std::string, std::set<int>> jobs_of;         // simulation -> the jobs that computed a part of it
  std::map<std::string, std::uint64_t> trials_of;       // simulation -> trials computed over all jobs
  for (int i = 1; i <= 3; ++i) {
    const std::string file = dir + "/s" + std::to_string(i) + ".json";
    REQUIRE(run_collapse(suites + " --threads 2 --part-seconds 1e-9 --shard " + std::to_string(i) + "/3 --output " + file).exit_code == 0);
    const auto shard = nlohmann::json::parse(slurp(file));
    for (const auto& [suite, units] : shard.at("parts").items())
      for (const auto& [unit, list] : units.items())
        for (const auto& p : list) {
          jobs_of[suite + "/" + unit].insert(i);
          trials_of[suite + "/" + unit] += p.at("count").get<std::uint64_t>();
        }
  }
  REQUIRE(jobs_of.size() == 5);
  for (const auto& [unit, jobs] : jobs_of) {
    INFO(unit);
    CHECK(jobs.size() == 3);  // every simulation was shared by the three jobs
    CHECK(trials_of[unit] == (unit.rfind("tiny-ols/", 0) == 0 ? 400u : 60u));  // and each trial computed once
  }
  const auto merged = run_collapse("merge " + dir + "/s3.json " + dir + "/s1.json " + dir + "/s2.json " + test_suites + " --format json --report " +
                                   merged_dir);
  CHECK(merged.exit_code == 0);
  CHECK(merged.err.find("5 simulations rebuilt from 245 trial ranges computed in parallel (0 trials computed again here)") != std::string::npos);
  CHECK(verify_rows(merged_dir) == verify_rows(one));
  CHECK(without_seconds(merged.out) == without_seconds(serial.out));
  for (const auto& d : {dir, one, merged_dir}) fs::remove_all(d);
}

namespace {
/// The pid of rank `rank` among the children of `parent` (Open MPI sets OMPI_COMM_WORLD_RANK), or 0.
pid_t child_rank(pid_t parent, int rank) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string pid, comm, state;
    long ppid = 0;
    stat >> pid >> comm >> state >> ppid;
    if (ppid != parent) continue;
    std::ifstream env(e.path() / "environ");
    std::string var;
    while (std::getline(env, var, '\0'))
      if (var == "OMPI_COMM_WORLD_RANK=" + std::to_string(rank)) return static_cast<pid_t>(std::stol(name));
  }
  return 0;
}
}  // namespace

TEST_CASE("a rank killed mid-run fails mpirun collapse verify with a non-zero exit, no half-written report, and --resume completes it",
          "[parallel]") {
  if (mpiexec.empty()) SUCCEED("built without MPI");
  else {
    const std::string dir = fresh_dir("verify-killed"), ref = fresh_dir("verify-killed-ref");
    const std::string args = "verify iso-minnorm-exact --threads 1 --report " + dir;
    const pid_t mpirun = ::fork();
    REQUIRE(mpirun >= 0);
    if (mpirun == 0) {
      ::freopen("/dev/null", "w", stdout);
      ::freopen("/dev/null", "w", stderr);
      ::execlp(mpiexec.c_str(), mpiexec.c_str(), "--oversubscribe", "-np", "2", COLLAPSE_BINARY, "verify", "iso-minnorm-exact", "--threads", "1",
               "--report", dir.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // wait until the run has checkpointed something (mid-run), then kill rank 1
    const auto start = std::chrono::steady_clock::now();
    pid_t victim = 0;
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
      if (!victim) victim = child_rank(mpirun, 1);
      if (victim && fs::exists(dir + "/checkpoints/iso-minnorm-exact.json")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(victim > 0);
    ::kill(victim, SIGKILL);
    int status = 0;
    ::waitpid(mpirun, &status, 0);
    CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 0));
    CHECK(!fs::exists(dir + "/COMPLETE"));
    CHECK(!fs::exists(dir + "/report.md"));
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      INFO(e.path());
      CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);  // nothing half-written left behind
      if (e.path().extension() == ".json") CHECK_NOTHROW(nlohmann::json::parse(slurp(e.path())));
    }
    // --resume completes it, with the rows of an uninterrupted single process
    const auto resumed = run_mpi(2, args + " --resume");
    CHECK(resumed.exit_code == 0);
    CHECK(fs::exists(dir + "/COMPLETE"));
    REQUIRE(run_collapse("verify iso-minnorm-exact --threads 1 --report " + ref).exit_code == 0);
    CHECK(verify_rows(dir) == verify_rows(ref));
    fs::remove_all(dir);
    fs::remove_all(ref);
  }
}
