// tests/eval/test_catalogue.cpp -- the catalogue's entries are complete and self-consistent, every request
// goes through one builder and one validation, and bad input (parameters that would be ignored, numbers
// that would hang, spectrum files that would grow without bound) is refused with the parameter named.
#include "digits_matcher.hpp"
#include "run_command.hpp"
#include "eval/catalogue.hpp"
#include "eval/decimal.hpp"
#include "eval/spectrum_input.hpp"

#include "theory/errors.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

using namespace collapse;
using namespace collapse::eval;

namespace {

/// The first point of each quantity in data/golden/points.txt, as options.
std::map<std::string, std::map<std::string, std::string>> golden_points() {
  std::ifstream in(std::string(COLLAPSE_SOURCE_DIR) + "/data/golden/points.txt");
  std::map<std::string, std::map<std::string, std::string>> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto sp = line.find(' ');
    const std::string q = line.substr(0, sp);
    if (!out.count(q)) out[q] = parse_option_string(sp == std::string::npos ? "" : line.substr(sp + 1));
  }
  return out;
}

/// A value inside `d` (validation only looks at ranges, not at what a formula needs).
std::string inside(const domain& d) {
  rational x = d.lo + 1;
  if (d.hi && x > *d.hi) x = *d.hi;
  return fraction_string(x);
}

}  // namespace

TEST_CASE("every catalogue entry has one evaluator, distinct parameters with a help line, and a unique name") {
  std::set<std::string> names;
  for (const auto& q : catalogue()) {
    INFO(q.name);
    CHECK(names.insert(q.name).second);
    CHECK((q.exact() ? 1 : 0) + (q.evaluate_double && q.evaluate_mpfr ? 1 : 0) == 1);
    std::set<std::string> ps;
    for (const auto* list : {&q.parameters, &q.generator_parameters})
      for (const auto& p : *list) {
        CHECK(ps.insert(p.name).second);
        CHECK_FALSE(parameter_help(p.name).empty());
      }
  }
  CHECK(names.size() == catalogue().size());
}

TEST_CASE("every catalogue evaluator returns the components its entry lists, at its first golden point") {
  std::filesystem::current_path(COLLAPSE_SOURCE_DIR);  // golden points name spectrum files relative to the repository
  const auto points = golden_points();
  for (const auto& q : catalogue()) {
    auto it = points.find(q.name);
    if (it == points.end()) continue;  // a new quantity is checked by its own test
    INFO(q.name);
    const eval_request req = build_request(q.name, it->second, 30);
    validate(req, q);
    const arguments a(req);
    std::vector<std::string> got;
    if (q.exact()) {
      for (const auto& [n, v] : q.evaluate_exact(a).components) got.push_back(n);
    } else {
      const auto e = q.evaluate_double(a, route::primary);
      CHECK(std::isfinite(e.value));
      for (const auto& [n, v] : e.components) got.push_back(n);
    }
    CHECK(got == q.components);
  }
}

TEST_CASE("T0 and sigma02 are refused with n = 0 for every quantity that has them, never silently ignored") {
  int checked = 0;
  for (const auto& q : catalogue()) {
    if (q.generator_parameters.empty()) continue;
    INFO(q.name);
    eval_request req;
    req.quantity = q.name;
    for (const auto& p : q.parameters) req.params[p.name] = parse_exact(p.name, inside(p.range));
    req.params["n"] = parse_exact("n", "0");
    if (q.uses_spectrum) req.spectrum = parse_spectrum({"isotropic", "10", "1", {}, {}});
    CHECK_NOTHROW(validate(req, q));
    for (const auto& g : q.generator_parameters) {
      eval_request bad = req;
      bad.params[g.name] = parse_exact(g.name, "100");
      CHECK_THROWS_WITH(validate(bad, q), Catch::Contains("--" + g.name + " = 100") && Catch::Contains("n >= 1"));
    }
    ++checked;
  }
  CHECK(checked >= 4);  // ols-exact, iso-minnorm-exact, ridge-risk, lambda-opt
  auto r = test::run_collapse("eval ols-exact --d 20 --T 40 --T0 35 --n 0 --sigma2 1");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("collapse: error: ", 0) == 0);
  CHECK(r.err.find("--T0 = 35") != std::string::npos);
}

TEST_CASE("the one request builder refuses a parameter no quantity has (the golden path included)") {
  CHECK_THROWS_WITH(build_request("ols-exact", parse_option_string("--d 20 --T 40 --n 0 --sigma2 1 --foo 1"), 30),
                    Catch::Contains("--foo = 1"));
  CHECK_THROWS_WITH(parse_option_string("--d 20 --d 21"), Catch::Contains("each parameter once"));
}

TEST_CASE("a huge decimal exponent is refused at once, naming the parameter and the range") {
  const auto t0 = std::chrono::steady_clock::now();
  auto r = test::run_collapse("eval ols-exact --d 20 --T 1e999999 --n 0 --sigma2 1");
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 10);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("--T = 1e999999") != std::string::npos);
  CHECK(r.err.find("10000") != std::string::npos);
  CHECK_THROWS_WITH(parse_exact("--x", "1e-10001"), Catch::Contains("decimal exponent"));
  CHECK_THROWS_WITH(parse_exact("--x", std::string(10001, '7')), Catch::Contains("digits"));
  // the bound is far from any meaningful input: 1e10000 is exact
  CHECK(parse_exact("--x", "1e10000").value == rational(boost::multiprecision::pow(integer(10), 10000)));
}

TEST_CASE("a number with a blank inside is refused, not read as its digits run together") {
  auto r = test::run_collapse("eval ols-exact --d 20 --T '4 0' --n 0 --sigma2 1");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("--T = '4 0'") != std::string::npos);
  CHECK(r.err.find("blank") != std::string::npos);
  CHECK(parse_exact("--x", " 40 ").value == 40);  // blanks around a number are harmless
}

TEST_CASE("spectrum files: a device, a directory, a huge file or an endless line are refused with the file named") {
  auto dev = test::run_collapse("eval kappa --spectrum file:/dev/zero --T 10 --lambda 1");
  CHECK(dev.exit_code == 2);
  CHECK(dev.out.empty());
  CHECK(dev.err.find("file:/dev/zero") != std::string::npos);
  CHECK(dev.err.find("not a regular file") != std::string::npos);
  CHECK_THROWS_WITH(read_spectrum_file("/tmp"), Catch::Contains("not a regular file"));

  const std::string dir = test::fresh_dir("spectrum-file");
  const std::string long_line = dir + "/long.csv";
  {
    std::ofstream f(long_line);
    f << "eig,w2\n1,0.5\n1," << std::string(max_spectrum_line_chars + 10, '5') << "\n";
  }
  CHECK_THROWS_WITH(read_spectrum_file(long_line), Catch::Contains(long_line + ":3") && Catch::Contains("characters"));
  const std::string big = dir + "/big.csv";
  {
    std::ofstream f(big);
    f << "eig,w2\n";
  }
  std::filesystem::resize_file(big, max_spectrum_file_bytes + 1);  // sparse: no disk used
  CHECK_THROWS_WITH(read_spectrum_file(big), Catch::Contains("file:" + big) && Catch::Contains("MiB"));
  std::filesystem::remove_all(dir);
}
