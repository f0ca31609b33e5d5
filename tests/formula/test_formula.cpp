// tests/formula/test_formula.cpp -- formulas as data (issue 13, formula/formula.hpp) against independent truth:
// the compiled catalogue evaluators (tests/formula/catalogue_formulas.txt: every catalogue quantity with a
// closed form, to the same certified digits at 30 and 100 digits), finite differences at high precision and
// the analytic dE/dkappa of theory/lambda_opt.hpp for the symbolic derivatives, and the one-line refusals.
#include "digits_matcher.hpp"
#include "run_command.hpp"

#include "eval/catalogue.hpp"
#include "eval/decimal.hpp"
#include "formula/formula.hpp"

#include "theory/lambda_opt_impl.hpp"  // detail::risk_slope_at (the analytic dE/dkappa)

#include <catch2/catch.hpp>

#include <fstream>
#include <set>

using namespace collapse;

namespace {

struct catalogue_row {
  int line = 0;
  std::string quantity, options, formula;  // formula empty: no closed form (options then holds the reason)
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

/// The rows of catalogue_formulas.txt with its `let NAME = ...` macros expanded.
std::vector<catalogue_row> catalogue_rows() {
  std::ifstream in(std::string(COLLAPSE_SOURCE_DIR) + "/tests/formula/catalogue_formulas.txt");
  REQUIRE(in);
  std::vector<std::pair<std::string, std::string>> macros;
  std::vector<catalogue_row> rows;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    auto expand = [&](std::string s) {
      for (const auto& [name, text] : macros)
        for (std::size_t at; (at = s.find("{" + name + "}")) != std::string::npos;) s.replace(at, name.size() + 2, "(" + text + ")");
      return s;
    };
    if (line.rfind("let ", 0) == 0) {
      const auto eq = line.find('=');
      macros.emplace_back(trim(line.substr(4, eq - 4)), expand(trim(line.substr(eq + 1))));
      continue;
    }
    const auto a = line.find('|'), b = line.find('|', a + 1);
    catalogue_row r{n, trim(line.substr(0, a)), trim(line.substr(a + 1, b - a - 1)), trim(line.substr(b + 1))};
    if (r.options == "-") {
      r.options = r.formula;
      r.formula.clear();
    } else {
      r.formula = expand(r.formula);
    }
    rows.push_back(r);
  }
  return rows;
}

/// The options of a catalogue request that the formula takes: its symbols and, with spectral
/// primitives, the spectrum's options (the catalogue entry may take more, e.g. r for powerlaw-constants).
std::map<std::string, std::string> formula_options(const formula::formula& f, const std::map<std::string, std::string>& all) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : all) {
    std::string sym = k;
    std::replace(sym.begin(), sym.end(), '-', '_');
    const bool spectrum = f.uses_spectrum() && (k == "spectrum" || k == "d" || k == "w0norm2" || k == "beta" || k == "r");
    if (spectrum || std::count(f.symbols().begin(), f.symbols().end(), sym)) out[k] = v;
  }
  return out;
}

eval::eval_output eval_formula(const std::string& text, const std::string& args, int digits) {
  const auto f = formula::formula::parse(text);
  return formula::evaluate_certified(f, formula::point_of(f, eval::parse_option_string(args)), digits);
}

}  // namespace

TEST_CASE("every catalogue quantity has a row in catalogue_formulas.txt, a formula or the reason it has none") {
  std::set<std::string> listed;
  for (const auto& r : catalogue_rows()) listed.insert(r.quantity);
  for (const auto& q : eval::catalogue()) {
    INFO(q.name);
    CHECK(listed.count(q.name) == 1);
  }
  for (const auto& name : listed) {
    INFO(name);
    CHECK_NOTHROW(eval::find_quantity(name));
  }
}

TEST_CASE("each catalogue quantity re-expressed as a formula prints the compiled evaluator's certified digits at 30 and 100 digits") {
  int compared = 0;
  for (const auto& r : catalogue_rows()) {
    if (r.formula.empty()) continue;
    const auto options = eval::parse_option_string(r.options);
    const auto f = formula::formula::parse(r.formula);
    const auto p = formula::point_of(f, formula_options(f, options));
    for (int digits : {30, 100}) {
      INFO("catalogue_formulas.txt:" << r.line << ": " << r.quantity << " " << r.options << " at " << digits << " digits\n  formula "
                                     << r.formula);
      const auto expected = eval::evaluate_certified(eval::build_request(r.quantity, options, digits));
      const auto got = formula::evaluate_certified(f, p, digits);
      CHECK(got.value == expected.value);
      CHECK(got.exact == expected.exact);  // rational quantities stay exact fractions
      ++compared;
    }
  }
  CHECK(compared >= 2 * 19);
}

TEST_CASE("decimal literals are exact and rational arithmetic gives the exact fraction") {
  const auto o = eval_formula("0.1 + 1/3 + 2e-3*T", "--T 1000", 30);
  REQUIRE(o.exact);
  CHECK(*o.exact == "73/30");  // 1/10 + 1/3 + 2 = 73/30: no binary rounding of 0.1 or 2e-3
  CHECK(o.value == eval::format_decimal(rational(73, 30), 30));
  // a transcendental result is certified by the two-precision rule instead, and has no fraction
  const auto e = eval_formula("exp(1) + log(T)", "--T 2", 50);
  CHECK_FALSE(e.exact);
  precision_guard g(120);
  using boost::multiprecision::exp; using boost::multiprecision::log;
  CHECK(test::agreeing_digits(mpfr_real(e.value), mpfr_real(exp(mpfr_real(1)) + log(mpfr_real(2)))) > 49);
}

TEST_CASE("text and LaTeX printing re-parse to the same value") {
  const auto f = formula::formula::parse("sigma2*d/(T-d-1) + n*sigma02*d/(T0-d-1)");
  const auto again = formula::formula::parse(f.text());
  const auto args = eval::parse_option_string("--d 20 --T 40 --n 2 --sigma2 1 --T0 35 --sigma02 0.49");
  CHECK(*formula::exact_value(f, formula::point_of(f, args)) == *formula::exact_value(again, formula::point_of(again, args)));
  const std::string tex = f.latex();
  CHECK(tex.find("\\sigma^2") != std::string::npos);
  CHECK(tex.find("\\frac") != std::string::npos);
  CHECK(formula::formula::parse("df(2, kappa(lambda, T))").latex() == "\\mathrm{df}_{2}\\left(\\kappa(\\lambda,T)\\right)");
}

TEST_CASE("the symbolic d/dlambda and d/dT of the ridge DE agree with central differences at 80 digits to 25 digits") {
  const std::string E = "B(kappa(lambda,T))/(1-df(2,kappa(lambda,T))/T) + sigma2*df(2,kappa(lambda,T))/(T-df(2,kappa(lambda,T)))"
                        " + n*sigma02*df(2,kappa(lambda,T))*(T+d-2*df(1,kappa(lambda,T)))/((T0-d-1)*(T-df(2,kappa(lambda,T))))";
  const auto f = formula::formula::parse(E);
  const std::map<std::string, std::string> base = {{"spectrum", "powerlaw"}, {"beta", "1.5"}, {"r", "0.4"}, {"d", "50"},
                                                   {"T", "100"},          {"lambda", "0.01"}, {"sigma2", "0.09"}, {"n", "3"},
                                                   {"T0", "80"},          {"sigma02", "0.25"}};
  for (const std::string var : {"lambda", "T"}) {
    INFO("d/d" << var);
    const auto g = f.derivative(var);
    const auto analytic = formula::evaluate_certified(g, formula::point_of(f, base), 30);
    // (E(x + h) − E(x − h))/(2h), h = 1e-15 x: truncation ~ h² E'''/E' ≈ 1e-26, rounding 1e-80/1e-15
    const rational x = parse_exact(var, base.at(var)).value, h = x / rational(integer("1000000000000000"));
    auto at = [&](const rational& v) {
      auto o = base;
      o[var] = fraction_string(v);
      return mpfr_real(formula::evaluate_certified(f, formula::point_of(f, o), 80).value);
    };
    precision_guard guard(120);
    const mpfr_real fd = (at(x + h) - at(x - h)) / (2 * to_real<mpfr_real>(h));
    CHECK(test::agreeing_digits(mpfr_real(analytic.value), fd) > 25);
  }
}

TEST_CASE("d/dkappa of the ridge DE in kappa (§6) equals the analytic dE/dkappa of lambda_opt.hpp to 45 digits") {
  // E(κ) = [T B + σ_eff² df2]/(T − df2), σ_eff² = σ² + nσ0²(T + d − 2df1)/(T0 − d − 1)  (theory/lambda_opt.hpp)
  const auto f = formula::formula::parse(
      "(T*B(kappa) + (sigma2 + n*sigma02*(T+d-2*df(1,kappa))/(T0-d-1))*df(2,kappa))/(T-df(2,kappa))");
  const auto g = f.derivative("kappa");
  const std::string args = "--spectrum powerlaw --beta 1.5 --r 0.4 --d 50 --T 100 --sigma2 0.09 --n 3 --T0 80 --sigma02 0.25 --kappa 0.02";
  const auto p = formula::point_of(f, eval::parse_option_string(args));
  const auto E = formula::evaluate_certified(f, p, 50), dE = formula::evaluate_certified(g, p, 50);
  precision_guard guard(80);
  spectrum_spec spec = *p.spectrum;
  const spectrum<mpfr_real> s(spec);
  lambda_opt_params<mpfr_real> lp;
  lp.T = 100; lp.sigma2 = mpfr_real(9) / 100; lp.n = 3; lp.T0 = 80; lp.sigma02 = mpfr_real(1) / 4;
  const mpfr_real k = mpfr_real(2) / 100;
  const auto rs = collapse::detail::risk_slope_at(s, lp, k);
  const mpfr_real D = lp.T - df(s, k, 2);  // E' = (N'D − N D')/D², slope_sign_part = N'D − N D'
  CHECK(test::agreeing_digits(mpfr_real(E.value), rs.E) > 45);
  CHECK(test::agreeing_digits(mpfr_real(dE.value), mpfr_real(rs.slope_sign_part / (D * D))) > 45);
}

TEST_CASE("a derivative in an integer power, or in a parameter of the spectrum, is refused") {
  CHECK_THROWS_WITH(formula::formula::parse("df(m, kappa)").derivative("m"), Catch::Contains("the power m is an integer"));
  CHECK_THROWS_WITH(formula::formula::parse("kappa(lambda, T)").derivative("beta"), Catch::Contains("through the spectrum"));
  CHECK_THROWS_WITH(formula::formula::parse("T").derivative("x"), Catch::Contains("--diff = x"));
}

TEST_CASE("sumj over the directions of an explicit spectrum equals the primitive it spells out") {
  // B(κ) = Σ_j λ_j w2_j (κ/(λ_j+κ))²  (§1) written as a summand, on an isotropic and a power-law spectrum
  for (const std::string spec : {"--spectrum isotropic --d 30 --w0norm2 2", "--spectrum powerlaw --beta 1.5 --r 0.4 --d 40"}) {
    INFO(spec);
    const auto a = eval_formula("sumj(lambda_j*w2_j*(kappa/(lambda_j+kappa))^2)", spec + " --kappa 0.05", 40);
    const auto b = eval_formula("B(kappa)", spec + " --kappa 0.05", 40);
    CHECK(a.value == b.value);
  }
}

TEST_CASE("bad formulas are refused with the column, the known names, or the sub-expression that fails") {
  CHECK_THROWS_WITH(formula::formula::parse("sigma2*d/(T-d-1"), Catch::Contains("syntax error") && Catch::Contains("column"));
  CHECK_THROWS_WITH(formula::formula::parse("sigma2 * * d"), Catch::Contains("syntax error at column"));
  CHECK_THROWS_WITH(formula::formula::parse("sigma2*x"), Catch::Contains("unknown symbol 'x' at column 8") && Catch::Contains("sigma02"));
  CHECK_THROWS_WITH(formula::formula::parse("foo(T)"), Catch::Contains("unknown function 'foo' at column 1") && Catch::Contains("kappa(lambda, T)"));
  CHECK_THROWS_WITH(formula::formula::parse("lambda_j + 1"), Catch::Contains("outside sumj"));
  CHECK_THROWS_WITH(eval_formula("sigma2*d/(T-d-1)", "--d 10 --T 11 --sigma2 1", 30), Catch::Contains("= 0") && Catch::Contains("divides by it"));
  CHECK_THROWS_WITH(eval_formula("kappa(lambda, T)", "--spectrum isotropic --d 10 --w0norm2 1 --lambda -1 --T 20", 30),
                    Catch::Contains("lambda") && Catch::Contains("lambda >= 0"));
  CHECK_THROWS_WITH(eval_formula("log(T - 6)", "--T 5", 30), Catch::Contains("> 0"));
  // T - 5 = 0 is a sum that cancels: decided by GiNaC's exact value, log(0)
  CHECK_THROWS_WITH(eval_formula("log(T - 5)", "--T 5", 30), Catch::Contains("log(-5+T) = log(0)") && Catch::Contains("pole of log"));
  CHECK_THROWS_WITH(eval_formula("T + n", "--T 5", 30), Catch::Contains("--n = (missing)"));
  CHECK_THROWS_WITH(eval_formula("T", "--T 5 --n 2", 30), Catch::Contains("--n = 2") && Catch::Contains("does not use"));
  CHECK_THROWS_WITH(eval_formula("T", "--spectrum isotropic --T 5", 30), Catch::Contains("--spectrum"));
}

TEST_CASE("collapse eval --expr prints the value, the exact fraction and the derivative; bad input is one line and exit 2") {
  auto ok = test::run_collapse("eval --expr 'sigma2*d/(T-d-1) + n*sigma02*d/(T0-d-1)' --d 20 --T 40 --n 2 --sigma2 1 --T0 35 --sigma02 0.49");
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("exact") != std::string::npos);
  CHECK(ok.out.find(eval::format_decimal(rational(20, 19) + rational(2 * 49 * 20, 100 * 14), 30)) != std::string::npos);
  auto d = test::run_collapse("eval --expr 'sigma2*lambda^2' --diff lambda --sigma2 3 --lambda 0.5 --print latex");
  CHECK(d.exit_code == 0);
  CHECK(d.out.find("d/dlambda") != std::string::npos);
  CHECK(d.out.find("= 3\n") != std::string::npos);  // 2·3·0.5
  for (const std::string bad : {"eval --expr 'sigma2*(d' --d 1 --sigma2 1", "eval --expr 'x+1'", "eval --expr '1/(T-2)' --T 2",
                                "eval --expr 'kappa(lambda,T)' --spectrum isotropic --d 10 --w0norm2 1 --T 20 --lambda -1",
                                "eval --expr 'T' --T 1 --diff x"}) {
    INFO(bad);
    auto r = test::run_collapse(bad);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("collapse: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}

// ---- the hostile review's faults (each kind, against independent truth) --------------------------------

TEST_CASE("a formula that cancels below the working digits is certified at more digits, never printed as a wrong 0") {
  // Truth: mpmath at 200 digits (/usr/bin/python3):
  //   exp(1) - exp(1 + mpf(10)**-100)                                       -> -2.71828182845904523536028747135e-100
  //   sum(j**-1.5/(j**-1.5 + 1e-100) for j in 1..50) - 50   (powerlaw, beta 1.5) -> -7.24870290690979200012190201315e-97
  //   1/(10/(1 + 1e-90) - 10)                               (isotropic, d 10)   -> -(1 + 1e-90)/1e-89 = -1.0e89 (-1e89 - 0.1)
  //   d e^T + e^lambda - sigma2 e^T at d = sigma2 = 1e80, T = lambda = 1    -> e = 2.71828182845904523536028747135
  struct row {
    const char *formula, *args, *truth;
  };
  for (const row& r : {row{"exp(d)-exp(d+1e-100)", "--d 1", "-2.71828182845904523536028747135e-100"},
                       row{"df(1,kappa) - d", "--spectrum powerlaw --beta 1.5 --r 0.4 --d 50 --kappa 1e-100", "-7.24870290690979200012190201315e-97"},
                       row{"1/(df(1,kappa)-d)", "--spectrum isotropic --d 10 --w0norm2 1 --kappa 1e-90", "-1.0e89"},
                       row{"d*exp(T) + exp(lambda) - sigma2*exp(T)", "--d 1e80 --sigma2 1e80 --T 1 --lambda 1", "2.71828182845904523536028747135"}}) {
    INFO(r.formula << " " << r.args);
    const auto o = eval_formula(r.formula, r.args, 30);
    precision_guard guard(60);
    CHECK(test::agreeing_digits(mpfr_real(o.value), mpfr_real(r.truth)) >= 29);
  }
  // beyond the last attempt's digits (16 (D + guard) = 848 at D = 30) the cancellation is refused, not printed
  CHECK_THROWS_WITH(eval_formula("exp(d)-exp(d+1e-2000)", "--d 1", 30), Catch::Contains("cannot certify") && Catch::Contains("cancel"));
  // a true zero that the floating evaluations cannot certify is GiNaC's exact 0; a pole there is a domain error
  const auto z = eval_formula("sin(Pi*d)", "--d 1", 30);
  CHECK(z.value == "0");
  CHECK(z.exact == std::optional<std::string>("0"));
  CHECK(eval_formula("exp(d) - exp(T)", "--d 1 --T 1", 30).value == "0");
  CHECK_THROWS_AS(eval_formula("tan(Pi/2*d)", "--d 1", 30), domain_error);
  CHECK_THROWS_WITH(eval_formula("tan(Pi/2*d)", "--d 1", 30), Catch::Contains("pole of tan"));
  CHECK_THROWS_WITH(eval_formula("1/sin(Pi*d)", "--d 1", 30), Catch::Contains("sin(Pi*d) = 0") && Catch::Contains("divides by it"));
}

TEST_CASE("collapse eval --expr prints the same bytes in every run (GiNaC's hash order depends on the load address)") {
  const std::string sum = "eval --expr 'sigma2*d/(T-d-1) + n*sigma02*d/(T0-d-1)' --d 20 --T 40 --n 2 --sigma2 1 --T0 35 --sigma02 0.49";
  const std::string diff = "eval --expr 'df(2, kappa(lambda, T)) + B(kappa(lambda,T))/(1-df(2,kappa(lambda,T))/T)' --diff lambda "
                           "--spectrum isotropic --d 10 --w0norm2 1 --T 20 --lambda 0.1 --print latex";
  for (const auto& args : {sum, diff}) {
    INFO(args);
    const auto first = test::run_collapse(args);
    REQUIRE(first.exit_code == 0);
    for (int run = 0; run < 4; ++run) CHECK(test::run_collapse(args).out == first.out);
  }
  // and the value is the exact 20/19 + 2*0.49*20/14 = 233/95
  CHECK(test::run_collapse(sum).out.find("exact   = 233/95") != std::string::npos);
}

TEST_CASE("a formula nested deeper than 256 levels is refused before GiNaC parses it, naming the depth and the limit") {
  for (const std::string deep : {std::string(8000, '(') + "d" + std::string(8000, ')'), std::string(10000, '-') + "d"}) {
    CHECK_THROWS_WITH(formula::formula::parse(deep), Catch::Contains("nesting depth 257") && Catch::Contains("at most 256"));
    const auto r = test::run_collapse("eval --expr '" + deep + "' --d 1");
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  // 200 levels are evaluated: (((d))) = d, and an even number of minus signs is +d
  CHECK(eval_formula(std::string(200, '(') + "d" + std::string(200, ')'), "--d 3", 30).exact == std::optional<std::string>("3"));
  CHECK(eval_formula(std::string(200, '-') + "d", "--d 3", 30).exact == std::optional<std::string>("3"));
}

TEST_CASE("a constant power beyond 10^+-100000 is refused before GiNaC computes it; 2^(10^5) is exact") {
  // log10(2^(10^7)) = 3.01e6, log10(3^(-10^8)) = -4.77e7, log10(2^(10^6)) = 301030 (took 18 s, printed 301030 digits)
  for (const char* f : {"2^(10^7)", "3^(-10^8)", "2^(10^6)", "pow(10, 10^5+1)", "sqrt(2^(10^6))"})
    CHECK_THROWS_WITH(formula::formula::parse(f), Catch::Contains("magnitude about 10^"));
  // GiNaC raises a product's numeric coefficient exactly ((2*d)^k = 2^k d^k); an exact fraction of 3e5 digits
  CHECK_THROWS_WITH(formula::formula::parse("(2*d)^(10^7)"), Catch::Contains("numeric coefficient"));
  CHECK_THROWS_WITH(formula::formula::parse("(1+1e-30)^(10^4)"), Catch::Contains("exact fraction has about 3e+05 digits"));
  // 2^(10^5) = 9.99002...e30102: its exact integer, checked by its size and last digits (2^100000 mod 10^6 = 109376)
  const auto f = formula::formula::parse("2^(10^5)");
  const auto q = formula::exact_value(f, formula::point{});
  REQUIRE(q);
  CHECK(boost::multiprecision::msb(boost::multiprecision::numerator(*q)) == 100000);
  CHECK(boost::multiprecision::mpz_int(boost::multiprecision::numerator(*q) % 1000000) == 109376);
  // the same through a parameter is refused by the certification's magnitude check, as before
  CHECK_THROWS_WITH(eval_formula("2^d", "--d 1e7", 30), Catch::Contains("10^"));
}

TEST_CASE("a division by zero, a pole or 0^0 among the numbers of a formula is one domain error naming the sub-expression") {
  struct row {
    const char *formula, *args, *names;
  };
  for (const row& r : {row{"log(0)", "", "'log(0)' is the logarithmic pole of log at 0"},
                       row{"d/0", "--d 1", "'d/0' is a division by zero"},
                       row{"T + 1/(d-d)", "--d 1 --T 1", "'1/(d-d)' is a division by zero"},
                       row{"0^0", "", "'0^0' is undefined (0^0)"},
                       row{"tgamma(0)", "", "'tgamma(0)' is a pole of tgamma"},
                       row{"psi(0)", "", "'psi(0)' is a pole of psi"},
                       row{"tan(Pi/2)", "", "'tan(Pi/2)' is a pole of tan"},
                       row{"lgamma(0)", "", "'lgamma(0)' is a logarithmic pole of lgamma"},
                       row{"1 + 1/sin(Pi)", "", "'1/sin(Pi)' is a division by zero"}}) {
    INFO(r.formula);
    const auto res = test::run_collapse(std::string("eval --expr '") + r.formula + "' " + r.args);
    CHECK(res.exit_code == 2);
    CHECK(res.out.empty());
    CHECK(res.err.rfind("collapse: error: invalid formula = '", 0) == 0);
    CHECK(res.err.find(r.names) != std::string::npos);
    CHECK(res.err.find("eval()") == std::string::npos);  // no GiNaC message text
    CHECK(std::count(res.err.begin(), res.err.end(), '\n') == 1);
  }
  // at a parameter: exit 2 too (a pole is bad input, not a failure to certify)
  const auto t = test::run_collapse("eval --expr 'tan(Pi/2*d)' --d 1");
  CHECK(t.exit_code == 2);
  CHECK(t.err.find("pole of tan") != std::string::npos);
}

TEST_CASE("smaller faults: a^b^c names its column, an overflow says so, zeta names its argument, min's refusal is right") {
  CHECK_THROWS_WITH(formula::formula::parse("d^d^d^d"), Catch::Contains("a^b^c") && Catch::Contains("at column 4"));
  CHECK_THROWS_WITH(eval_formula("exp(d)", "--d 1e9", 30), Catch::Contains("overflows") && Catch::Contains("10^100000"));
  CHECK_THROWS_WITH(eval_formula("zeta(d)", "--d 1", 30), Catch::Contains("invalid d in zeta(d) = 1") && Catch::Contains("pole"));
  CHECK_THROWS_WITH(formula::formula::parse("min(d,T)").derivative("d"),
                    !Catch::Contains("where a = b") && Catch::Contains("depending on which argument is smaller"));
}
