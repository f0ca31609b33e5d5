// tests/harness/test_suite_file.cpp -- suite files: bad input is reported with file, line and what was
// expected; unknown suite names and kinds list the known ones.
#include "run_command.hpp"

#include "harness/runner.hpp"
#include "harness/suite_file.hpp"

#include "theory/errors.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace collapse::harness;
using collapse::test::fresh_dir;

namespace {
std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  std::string p = dir + "/" + name;
  std::ofstream(p) << text;
  return p;
}

const char* good_suite = R"(result = "tiny exact OLS"
section = "§2.3"
kind = "exact-mc"
[theory]
quantity = "ols-exact"
[simulation]
trials = 200
[acceptance]
z_max = 4
se_rel_max = 0.05
[[case]]
spectrum = "isotropic"
w0norm2 = 1
d = 5
T = 20
T0 = 20
sigma2 = 1
sigma02 = 1
n = [0, 1]
)";

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}
}  // namespace

TEST_CASE("malformed TOML is reported with the file, the line and what the parser expected", "[suite-file]") {
  auto dir = fresh_dir("toml-syntax");
  auto p = write(dir, "broken.toml", "result = \"x\"\nsection = \"§1\"\nkind = = \"exact-mc\"\n");
  std::string msg = message_of([&] { load_suite_file(p); });
  CAPTURE(msg);
  CHECK(msg.find("invalid " + p + ":3:") == 0);
  CHECK(msg.find("TOML = (malformed): valid range is valid TOML") != std::string::npos);
}

TEST_CASE("a missing header key names the file and what is expected", "[suite-file]") {
  auto dir = fresh_dir("toml-missing");
  auto p = write(dir, "nokind.toml", "result = \"x\"\nsection = \"§1\"\n");
  std::string msg = message_of([&] { load_suite_file(p); });
  CAPTURE(msg);
  CHECK(msg.find("invalid " + p) == 0);
  CHECK(msg.find("kind = (missing): valid range is a string") != std::string::npos);
}

TEST_CASE("a value of the wrong type inside a suite is reported at its own line", "[suite-file]") {
  auto dir = fresh_dir("toml-type");
  std::string text = good_suite;
  text.replace(text.find("trials = 200"), 12, "trials = \"many\"");
  auto p = write(dir, "badtype.toml", text);
  std::string msg = message_of([&] { select_suites(dir, {}); });
  CAPTURE(msg);
  CHECK(msg.find("invalid " + p + ":7:") == 0);  // `trials = "many"` is on line 7
  CHECK(msg.find("trials = \"many\": valid range is an integer 2 <= trials <= 100000000 (found a string)") != std::string::npos);
}

TEST_CASE("an out-of-domain case parameter is reported at its case with the theory's reason", "[suite-file]") {
  auto dir = fresh_dir("toml-domain");
  std::string text = good_suite;
  text.replace(text.find("T0 = 20"), 7, "T0 = 6");  // T0 = d + 1: the chain's moments are infinite
  auto p = write(dir, "domain.toml", text);
  std::string msg = message_of([&] { select_suites(dir, {}); });
  CAPTURE(msg);
  CHECK(msg.find("invalid " + p + ":11:") == 0);  // the [[case]] table starts on line 11
  CHECK(msg.find("invalid T0 = 6: valid range is T0 <= d - 2 = 3 or T0 >= d + 2 = 7") != std::string::npos);
}

TEST_CASE("a lambda-opt-digits case that collapse eval would refuse fails while the suite files are read", "[suite-file]") {
  // The eval request of every case is validated against its catalogue entry before anything runs: a case
  // passing T0 and sigma02 at n = 0 (parameters eval refuses to ignore) once stopped `collapse verify`
  // at its tenth suite instead.
  auto dir = fresh_dir("toml-eval-request");
  auto p = write(dir, "quartic.toml", R"(result = "quartic"
section = "§6"
kind = "lambda-opt-digits"
[acceptance]
min_digits = 25
work_digits = 100
[[case]]
label = "m0"
phi = "1/2"
w0norm2 = 1
sigma2 = "1/4"
m = 0
d = 100
T = 200
n = 0
)");
  CHECK_NOTHROW(select_suites(dir, {}));
  std::ofstream(p, std::ios::app) << "T0 = 201\nsigma02 = 1\n";
  std::string msg = message_of([&] { select_suites(dir, {}); });
  CAPTURE(msg);
  CHECK(msg.find("invalid " + p + ":") == 0);  // with its file and line, before anything runs
  CHECK(msg.find("T0 = 201") != std::string::npos);
}

TEST_CASE("an unknown suite name is an error listing the known suites", "[suite-file]") {
  auto dir = fresh_dir("unknown-suite");
  write(dir, "alpha.toml", good_suite);
  write(dir, "beta.toml", good_suite);
  std::string msg = message_of([&] { select_suites(dir, {"gamma"}); });
  CAPTURE(msg);
  CHECK(msg.find("gamma") != std::string::npos);
  CHECK(msg.find("one of: alpha, beta") != std::string::npos);
}

TEST_CASE("an unknown kind is an error at the kind line listing the registered kinds", "[suite-file]") {
  auto dir = fresh_dir("unknown-kind");
  std::string text = good_suite;
  text.replace(text.find("kind = \"exact-mc\""), 17, "kind = \"exakt\"");
  auto p = write(dir, "k.toml", text);
  std::string msg = message_of([&] { select_suites(dir, {}); });
  CAPTURE(msg);
  CHECK(msg.find("invalid " + p + ":3:") == 0);
  CHECK(msg.find("exact-mc") != std::string::npos);
  CHECK(msg.find("de-extrapolation") != std::string::npos);
}

TEST_CASE("every committed suite file parses and names a registered kind", "[suite-file]") {
  auto files = select_suites(default_suites_dir(), {});
  CHECK(files.size() >= 10);
}

TEST_CASE("a suite-file number that is a parameter of collapse eval has the eval catalogue's range", "[suite-file][ranges]") {
  CHECK(parameter_range("beta") == "1 < beta <= 64");  // trace class: the catalogue's, not a copy
  CHECK(parameter_range("n") == "an integer 0 <= n <= 1000000");
  CHECK(parameter_range("T") == "T > 0");
  CHECK(parameter_range("sigma02") == "sigma02 >= 0");
  CHECK(parameter_range("d") == "an integer 1 <= d <= 100000");  // a suite's d is simulated: the harness's own bound
  CHECK(parameter_range("phi0") == "phi0 > 0");                    // the §5 chain's d/T0, any size
  // every value at the edge of an entry's range is accepted by the suite-file range of that name
  for (const auto& q : collapse::eval::catalogue())
    for (const auto& p : q.parameters) {
      if (p.name == "d" || p.name == "phi0") continue;
      CAPTURE(q.name, p.name);
      const auto dom = parameter_domain(p.name);
      if (!p.range.lo_open) CHECK(dom.contains(p.range.lo));
      if (p.range.hi) CHECK(dom.contains(*p.range.hi));
    }
}
