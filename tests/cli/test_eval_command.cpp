// tests/cli/test_eval_command.cpp -- `collapse eval` end to end: bad input is a clear error naming the
// parameter, its value and the valid range, with a nonzero exit and nothing on stdout; good input
// prints certified digits in every format.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace {
struct run_result { int status; std::string out, err; };

run_result run(const std::string& args) {
  std::string errfile = "/tmp/collapse_test_stderr_" + std::to_string(::getpid());
  std::string cmd = std::string(COLLAPSE_BINARY) + " " + args + " 2>" + errfile;
  run_result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  FILE* e = std::fopen(errfile.c_str(), "r");
  while (e && (n = std::fread(buf.data(), 1, buf.size(), e)) > 0) r.err.append(buf.data(), n);
  if (e) std::fclose(e);
  std::remove(errfile.c_str());
  return r;
}
}  // namespace

TEST_CASE("invalid parameters are refused with the parameter, its value and the valid range, nothing on stdout") {
  struct bad { const char* args; const char* must_mention; };
  for (auto b : {
           bad{"eval ols-exact --d 20 --T 21 --n 0 --sigma2 1", "T = 21"},                       // T ≤ d+1: infinite mean
           bad{"eval ols-exact --d 20 --T 40 --n 2 --sigma2 1 --T0 21 --sigma02 1", "T0 = 21"},  // T0 ≤ d+1
           bad{"eval ols-exact --d 20 --T 40 --n 2 --sigma2 1", "--T0"},                         // missing T0 with n ≥ 1
           bad{"eval ols-exact --d 20 --T 40 --n -1 --sigma2 1", "--n = -1"},
           bad{"eval ols-exact --d 20 --T 40 --n 1.5 --sigma2 1 --T0 40 --sigma02 1", "--n = 1.5"},
           bad{"eval ols-exact --d 20 --T 40 --n 0 --sigma2 -1", "--sigma2 = -1"},
           bad{"eval ols-exact --d 20 --T 40 --n 0 --sigma2 abc", "abc"},
           bad{"eval ols-exact --d 20 --T 40 --n 0 --sigma2 nan", "nan"},
           bad{"eval ols-exact --d 20 --T 40 --n 0 --sigma2 inf", "--sigma2"},
           bad{"eval ols-exact --d 20 --T 40 --n 0 --sigma2 1 --lambda 1", "not a parameter of ols-exact"},
           bad{"eval no-such-quantity", "one of: ols-exact"},
           bad{"eval kappa --spectrum powerlaw --beta 1 --r 0.5 --d inf --T 10 --lambda 1", "beta"},  // β ≤ 1, d = ∞
           bad{"eval kappa --spectrum powerlaw --beta 2 --r 0 --d inf --T 10 --lambda 1", "r = 0"},
           bad{"eval kappa --spectrum powerlaw --beta 2 --r 0.5 --d inf --T 10 --lambda -1", "--lambda = -1"},
           bad{"eval kappa --spectrum file:/nonexistent.csv --T 10 --lambda 1", "/nonexistent.csv"},
           bad{"eval kappa --spectrum isotropic --d 10 --T 10 --lambda 1", "--w0norm2"},
           bad{"eval kappa --spectrum weird --T 10 --lambda 1", "--spectrum = weird"},
           bad{"eval ridge-risk --spectrum powerlaw --beta 2 --r 0.5 --d inf --T 10 --lambda 0.1 --sigma2 1 --n 1 --T0 100 --sigma02 1", "d"},
           bad{"eval iso-risk --phi 1 --lambda 0 --w0norm2 1 --sigma2 1 --m 0", "lambda"},
           bad{"eval iso-kappa --phi 0.5 --lambda 0.1 --digits 5", "--digits = 5"},
           bad{"eval iso-kappa --phi 0.5 --lambda 0.1 --format xml", "--format = xml"},
       }) {
    auto r = run(b.args);
    INFO(b.args << "\nstderr: " << r.err << "\nstdout: " << r.out);
    CHECK(r.status != 0);
    CHECK(r.out.empty());
    CHECK(r.err.find(b.must_mention) != std::string::npos);
    CHECK((r.err.find("nan") == std::string::npos || std::string(b.args).find("nan") != std::string::npos));
  }
}

TEST_CASE("a malformed spectrum file is reported with its file and line") {
  const char* path = "/tmp/collapse_bad_spectrum.csv";
  FILE* f = std::fopen(path, "w");
  std::fputs("eig,w2\n1,0.5\n0.5;0.25\n", f);
  std::fclose(f);
  auto r = run(std::string("eval kappa --spectrum file:") + path + " --T 10 --lambda 1");
  CHECK(r.status != 0);
  CHECK(r.out.empty());
  CHECK(r.err.find(std::string(path) + ":3") != std::string::npos);
  std::remove(path);
}

TEST_CASE("a spectrum file declaring '# rows = N' is refused when cut at a line boundary, and read as usual when whole") {
  const std::string path = "/tmp/collapse_rows_spectrum_" + std::to_string(::getpid()) + ".csv";
  auto write = [&](const char* text) {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(text, f);
    std::fclose(f);
  };
  const std::string args = "eval kappa --spectrum file:" + path + " --T 3 --lambda 1/2 --format json --digits 20";
  write("eig,w2\n1,1\n1/2,1\n1/4,1\n");
  const auto plain = run(args);
  REQUIRE(plain.status == 0);
  write("# written by a tool\n# rows = 3\neig,w2\n1,1\n1/2,1\n1/4,1\n");
  const auto whole = run(args);
  REQUIRE(whole.status == 0);
  CHECK(nlohmann::json::parse(whole.out)["value"] == nlohmann::json::parse(plain.out)["value"]);
  write("# rows = 3\neig,w2\n1,1\n1/2,1\n");  // the last line is gone
  const auto cut = run(args);
  CHECK(cut.status == 2);
  CHECK(cut.out.empty());
  CHECK(cut.err.rfind("collapse: error: invalid spectrum file = " + path + ": valid range is 3 data rows", 0) == 0);
  CHECK(cut.err.find("it has 2") != std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("exact results print the fraction and its correctly rounded digits (§2.3)") {
  auto r = run("eval ols-exact --d 20 --T 40 --T0 35 --n 2 --sigma2 1 --sigma02 0.49 --format json --digits 25");
  REQUIRE(r.status == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["exact"] == "233/95");  // 20/19 + 2·0.49·20/14
  CHECK(j["value"] == "2.452631578947368421052632");
  CHECK(j["components"]["collapse"] == "1.400000000000000000000000");
  CHECK(j["params"]["sigma02"] == "0.49");
}

TEST_CASE("every output format carries the certified value") {
  const std::string q = "eval iso-lambda-opt --phi 0.5 --w0norm2 1 --sigma2 0.25 --m 2 --digits 18";
  // §6 of the theory document: λ* = 2.32093633050418575 for φ = 0.5, s = 0.25, a = 1, m = 2
  for (const char* fmt : {"plain", "json", "csv", "md", "latex"}) {
    auto r = run(q + " --format " + fmt);
    INFO(fmt << "\n" << r.out << r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("2.32093633050418575") != std::string::npos);
  }
}

TEST_CASE("eval --list describes every quantity with its section") {
  auto r = run("eval --list");
  CHECK(r.status == 0);
  for (const char* q : {"ols-exact", "iso-minnorm-exact", "overgen-iso-generator-exact", "overgen-iso-exact", "overgen-iso-risk",
                        "iso-kappa", "iso-risk", "kappa", "kappa0", "df", "bias-numerator", "ridge-risk", "overgen-generator-risk",
                        "overgen-risk", "powerlaw-constants", "crossover", "kappa-opt-asymptotic", "iso-lambda-opt", "lambda-opt"})
    CHECK(r.out.find(q) != std::string::npos);
  CHECK(r.out.find("§2.3") != std::string::npos);
}
