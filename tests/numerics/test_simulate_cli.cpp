// tests/numerics/test_simulate_cli.cpp -- `collapse simulate` as a user sees it: bad input is one
// error line naming the option, value and valid range, a nonzero exit and nothing on stdout; the
// output of one seed is byte-identical for --threads 1 and 2 (JSON: except `threads` and
// `elapsed_seconds`); JSON carries the documented keys.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

struct outcome { int status; std::string out, err; };

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

outcome run(const std::string& args) {
  std::string base = "/tmp/collapse_sim_cli_" + std::to_string(getpid());
  std::string cmd = std::string(COLLAPSE_BINARY) + " simulate " + args + " >" + base + ".out 2>" + base + ".err";
  int rc = std::system(cmd.c_str());
  outcome o{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(base + ".out"), slurp(base + ".err")};
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return o;
}

const std::string good = "--spectrum powerlaw --beta 2 --r 1/2 --d 8 --T 12 --T0 14 --n 2 --lambda 0,0.1 "
                         "--sigma2 0.5 --sigma02 0.5 --trials 500 --seed 5";

}  // namespace

TEST_CASE("collapse simulate refuses bad input with the option, value and range on stderr and nothing on stdout",
          "[simulate][cli][input]") {
  const std::pair<std::string, std::string> cases[] = {
      {"--trials 1", "invalid --trials = 1"},
      {"--T 0", "invalid --T = 0"},
      {"--T 1.5", "invalid --T = 1.5"},
      {"--lambda 0,-1", "invalid --lambda = -1"},
      {"--lambda 0,x", "invalid --lambda = x"},
      {"--sigma2 -2", "invalid --sigma2 = -2"},
      {"--engine gpu", "invalid --engine = gpu"},
      {"--estimator fancy", "invalid --estimator = fancy"},
      {"--precision quad", "invalid --precision = quad"},
      {"--format xml", "invalid --format = xml"},
      {"--threads 0", "invalid --threads = 0"},
      {"--d 0", "invalid d = 0"},
      {"--d 5000000", "invalid d = 5000000"},  // would not fit in memory: refused before allocating
      {"--target-se 0.01", "invalid --trials"},  // both stopping rules
  };
  for (const auto& [change, message] : cases) {
    // Replace the option being varied in the good command line.
    std::string opt = change.substr(0, change.find(' '));
    std::string args = good;
    auto at = args.find(opt + " ");
    if (at != std::string::npos && opt != "--target-se") {
      auto end = args.find(" --", at + 1);
      args.replace(at, end == std::string::npos ? std::string::npos : end - at, change);
    } else {
      args += " " + change;
    }
    auto o = run(args);
    INFO("collapse simulate " << args << "\nstderr: " << o.err);
    CHECK(o.status != 0);
    CHECK(o.out.empty());
    CHECK(o.err.find("collapse: error: " + message) != std::string::npos);
    CHECK(o.err.find("valid range is") != std::string::npos);
  }
  auto o = run("--spectrum isotropic --d 10 --w0norm2 1 --T 20 --sigma2 1 --n 1 --sigma02 1 --trials 10");
  CHECK(o.status != 0);
  CHECK(o.err.find("invalid --T0 = (missing)") != std::string::npos);
  o = run("--spectrum isotropic --d 10 --w0norm2 1 --T 20 --sigma2 1 --target-se 1e-6 --max-trials 200");
  INFO(o.err);
  CHECK(o.status != 0);
  CHECK(o.out.empty());
  CHECK(o.err.find("invalid target-se") != std::string::npos);
}

TEST_CASE("collapse simulate prints byte-identical results for --threads 1 and 2", "[simulate][cli][threads]") {
  for (const char* engine : {"fast", "reference"})
    for (const char* format : {"csv", "plain", "md"}) {
      std::string args = good + " --engine " + engine + " --format " + format;
      auto a = run(args + " --threads 1"), b = run(args + " --threads 2");
      INFO(args << "\n" << a.err << b.err);
      REQUIRE(a.status == 0);
      REQUIRE(b.status == 0);
      CHECK(!a.out.empty());
      CHECK(a.out == b.out);
    }
  auto a = run(good + " --format json --threads 1"), b = run(good + " --format json --threads 2");
  REQUIRE(a.status == 0);
  auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  for (const char* key : {"parameters", "seed", "engine", "estimator", "results", "elapsed_seconds"}) CHECK(ja.contains(key));
  REQUIRE(ja["results"].size() == 6);  // generations 0..2 × two λ
  for (const char* key : {"generation", "lambda", "mean", "se", "ci95", "trials"}) CHECK(ja["results"][0].contains(key));
  CHECK(ja["results"][0]["trials"] == 500);
  ja.erase("elapsed_seconds"); jb.erase("elapsed_seconds");
  ja.erase("threads"); jb.erase("threads");
  CHECK(ja.dump() == jb.dump());
}

TEST_CASE("collapse simulate's protocol-variant options are validated (one line naming the option, exit 2, nothing on stdout), "
          "and a variant run names its protocol and is byte-identical for --threads 1 and 2",
          "[simulate][cli][variants]") {
  const std::string base = "--spectrum isotropic --d 4 --w0norm2 1 --T 10 --sigma2 1 --trials 50 --seed 2";
  const std::pair<std::string, std::string> cases[] = {
      {"--protocol mix", "invalid --protocol = mix"},
      {"--design fixed", "invalid --design = fixed"},
      {"--n 2 --T0 10 --sigma02 1 --generator-lambda 1/2", "invalid generator-lambda = 1/2"},
      {"--n 2 --T0 10 --sigma02 1 --generator-lambda -1 --engine reference", "invalid generator-lambda = -1"},
      {"--synthetic-fraction 0.3", "invalid --teacher-shift = (missing)"},
      {"--synthetic-fraction 1/3 --teacher-shift 1 --engine reference", "invalid synthetic-fraction = 1/3"},
      {"--teacher-shift 1", "invalid teacher-shift = 1"},
      {"--protocol accumulate --lambda 0.1", "invalid lambda = 0.1"},
  };
  for (const auto& [change, message] : cases) {
    auto o = run(base + " " + change);
    INFO("collapse simulate " << base << " " << change << "\nstderr: " << o.err);
    CHECK(o.status == 2);
    CHECK(o.out.empty());
    CHECK(o.err.find("collapse: error: " + message) == 0);
    CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
  }
  CHECK(run(base + " --n 2 --T0 10 --sigma02 1 --generator-lambda 1/2").err.find("use --engine reference") != std::string::npos);
  const std::string acc = "--spectrum isotropic --d 4 --w0norm2 1 --T 12 --T0 10 --n 2 --sigma2 1 --sigma02 1 --trials 300 --seed 4 "
                          "--protocol accumulate --engine reference --estimator plain";
  auto one = run(acc + " --threads 1"), two = run(acc + " --threads 2");
  CHECK(one.status == 0);
  CHECK(one.out.find("protocol=accumulate design=fresh") != std::string::npos);
  CHECK(one.out == two.out);
}
