// tests/cli/test_issue_examples.cpp -- the examples of issue 8 (and the edges found after it: the threshold
// d = T for every quantity, the certified boundary λ* = 0) through the real command line, exactly as a user
// types them: exit 0, nothing on stderr, and every printed digit equal to the independently computed value
// (the values; closed forms of §3.5/§4.2 evaluated by hand or with mpmath, noted per row).
// Refusals of the same edges (σ² > 0 at d = T, σ0² > 0 at T0 ∈ {d, d+1}) are rows of tests/cli/bad_inputs.sh.
#include "run_command.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace {
struct example {
  std::string args;                           // after `collapse eval`
  std::map<std::string, std::string> expect;  // "value" or a component name -> the printed decimal
};
}  // namespace

TEST_CASE("the issue 8 examples print their independently computed values through the command line", "[cli][issue8]") {
  const std::vector<example> examples = {
      // kind 1: λ* does not snap to 0 (for T > d the risk falls at κ = 0)
      {"lambda-opt --spectrum isotropic --d 2 --w0norm2 1 --T 4 --sigma2 1e-14 --n 0",
       {{"value", "5.00000000000000000000000000000e-15"}, {"kappa_opt", "9.99999999999990000000000000300e-15"},
        {"risk_opt", "9.99999999999980000000000000600e-15"}}},
      // kind 2: the bracket search has no floor
      {"lambda-opt --spectrum isotropic --d 100 --w0norm2 1 --T 100 --sigma2 1e-28 --n 0",
       {{"value", "1.00000000000000000000000000000e-28"}, {"kappa_opt", "1.00000000000000500000000000001e-14"},
        {"risk_opt", "9.99999999999995000000000000012e-15"}}},
      // kind 3: κ = λ/(1 − d/T) at 15, 30 and 100 digits
      {"kappa --spectrum isotropic --d 3 --w0norm2 1 --T 10 --lambda 1e-105 --digits 15", {{"value", "1.42857142857143e-105"}}},
      {"kappa --spectrum isotropic --d 3 --w0norm2 1 --T 10 --lambda 1e-105", {{"value", "1.42857142857142857142857142857e-105"}}},
      {"kappa --spectrum isotropic --d 3 --w0norm2 1 --T 10 --lambda 1e-105 --digits 100",
       {{"value", "1.428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571429e-105"}}},
      // kind 4: an extreme aspect ratio (λ* = σ²φ/a)
      {"iso-lambda-opt --phi 1e-54 --w0norm2 1 --sigma2 1 --m 0",
       {{"value", "1.00000000000000000000000000000e-54"}, {"kappa_opt", "1.00000000000000000000000000000e-54"},
        {"risk_opt", "1.00000000000000000000000000000e-54"}}},
      // kind 5: ridgeless at T = d with nothing to amplify, isotropic and a spectrum file
      {"ridge-risk --spectrum isotropic --d 4 --w0norm2 1 --T 4 --lambda 0 --sigma2 0 --n 0", {{"value", "0"}}},
      {"ridge-risk --spectrum file:data/reference/spectra/linspace20.csv --T 20 --lambda 0 --sigma2 0 --n 0", {{"value", "0"}}},
      // the same threshold for the over-parameterised chain: a square downstream design interpolates ŵ_n, so
      // E_n → E_test(ŵ_1) = (1 − T0/d)(a + σ0² φ0/(φ0 − 1)²) = (1/2)(1 + 2) (§4.2, φ0 = 2)
      {"overgen-risk --spectrum isotropic --d 4 --w0norm2 1 --T0 2 --n 1 --sigma02 1 --T 4 --lambda 0 --sigma2 0",
       {{"value", "1.50000000000000000000000000000"}}},
      // ... and for Σ = I in the limit: φ = 1, λ = 0, σ² = 0 leaves the collapse term m
      {"iso-risk --phi 1 --lambda 0 --w0norm2 1 --sigma2 0 --m 1", {{"value", "1.00000000000000000000000000000"}}},
      // noiseless generators at T0 = d reproduce w0: the clean risk (κ² + φ)/((1+κ)² − φ), φ = 1/2, λ = 1 (mpmath)
      {"ridge-risk --spectrum isotropic --d 4 --w0norm2 1 --T 8 --lambda 1 --sigma2 1 --n 2 --T0 4 --sigma02 0",
       {{"value", "0.455213750217997841113438772697"}}},
      // the boundary λ* = 0 decided exactly: φ = 1, σ² = 0, ‖w0‖² ≥ 3m (risk* = m), and no noise at all
      {"iso-lambda-opt --phi 1 --sigma2 0 --w0norm2 4 --m 1",
       {{"value", "0"}, {"kappa_opt", "0"}, {"risk_opt", "1.00000000000000000000000000000"}}},
      {"iso-lambda-opt --phi 1 --sigma2 0 --w0norm2 1 --m 1/3",
       {{"value", "0"}, {"kappa_opt", "0"}, {"risk_opt", "0.333333333333333333333333333333"}}},
      {"iso-lambda-opt --phi 1 --sigma2 0 --w0norm2 1 --m 0", {{"value", "0"}, {"risk_opt", "0"}}},
      // ... and just inside: ‖w0‖² = 2 < 3m, κ* = √3 − 1 − ... (the quartic a x² + 2(a − m)x + (a − 3m) = 0: x = (−1 + √3)/2)
      {"iso-lambda-opt --phi 1 --sigma2 0 --w0norm2 2 --m 1", {{"kappa_opt", "0.366025403784438646763723170753"}}},
      {"lambda-opt --spectrum isotropic --d 2 --w0norm2 4 --T 2 --sigma2 0 --n 1 --T0 4 --sigma02 1/2",
       {{"value", "0"}, {"kappa_opt", "0"}, {"risk_opt", "1.00000000000000000000000000000"}}},
  };
  for (const auto& ex : examples) {
    auto r = collapse::test::run_collapse("eval " + ex.args + " --format json");
    INFO("collapse eval " << ex.args << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    auto j = nlohmann::json::parse(r.out);
    for (const auto& [name, want] : ex.expect) {
      INFO(name);
      CHECK((name == "value" ? j["value"] : j["components"][name]) == want);
    }
  }
}
