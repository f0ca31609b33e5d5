// tests/eval/test_certification.cpp -- the certified evaluator (eval/evaluate.cpp) retries with more guard
// digits after a failure, whether the two routes disagree or the evaluator itself cannot converge or decide
// (convergence_error), and only after its bounded retries refuses, naming the quantity and the reason.
// The probe: lambda-opt at the threshold d = T with one generator, where λ* = 0 iff ‖w0‖² ≥ 3 K d
// (K = n σ0²/(T0 − d − 1); theory/lambda_opt.hpp, decide_boundary). Here K d = 1, so ‖w0‖² = 3 + 3e-50 is
// decided only with more than ~50 digits (the first attempt at 20 digits works at 42 and 64), and ‖w0‖² = 3
// is an exact tie that no precision decides.
#include "eval/catalogue.hpp"
#include "theory/errors.hpp"

#include "run_command.hpp"

#include <catch2/catch.hpp>

using namespace collapse;

namespace {
eval::eval_output lambda_opt_at(const std::string& w0norm2) {
  return eval::evaluate_certified(eval::build_request(
      "lambda-opt",
      eval::parse_option_string("--spectrum isotropic --d 2 --w0norm2 " + w0norm2 + " --T 2 --sigma2 0 --n 1 --T0 4 --sigma02 1/2"), 20));
}
}  // namespace

TEST_CASE("a decision below the rounding error of the first precision is retried with more guard digits and then certified",
          "[eval][certification]") {
  const auto out = lambda_opt_at("3.00000000000000000000000000000000000000000000000003");
  // boundary: λ* = 0, κ* = 0, risk* = the λ → 0+ limit K d = 1 (E(κ) = K d + κ (‖w0‖² − 3Kd)/2 + O(κ²))
  CHECK(out.value == "0");
  REQUIRE(out.components.size() == 2);
  CHECK(out.components[0].second == "0");
  CHECK(out.components[1].second == "1.0000000000000000000");
  CHECK(out.diagnostics["attempts"].get<int>() >= 2);
  CHECK(out.diagnostics["at_boundary"].get<bool>());
}

TEST_CASE("an undecidable quantity is refused after the bounded retries, naming the quantity and the reason",
          "[eval][certification]") {
  try {
    lambda_opt_at("3");
    FAIL("an exact tie of the boundary decision was printed as certified");
  } catch (const convergence_error& e) {
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(what.rfind("lambda-opt: cannot certify 20 digits after 4 attempts", 0) == 0);
    CHECK(what.find("whether lambda* = 0") != std::string::npos);
  }
  // through the command line: one `collapse: error:` line, nothing on stdout, exit 1 (not bad input)
  auto r = test::run_collapse("eval lambda-opt --spectrum isotropic --d 2 --w0norm2 3 --T 2 --sigma2 0 --n 1 --T0 4 --sigma02 1/2");
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("collapse: error: lambda-opt: cannot certify", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}
