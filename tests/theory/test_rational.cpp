// tests/theory/test_rational.cpp -- exact parsing of user input.
#include "theory/rational.hpp"
#include <catch2/catch.hpp>

using collapse::parse_exact;
using collapse::rational;

TEST_CASE("decimals, exponents and fractions parse to the exact rational they denote") {
  CHECK(parse_exact("x", "0.1").value == rational(1, 10));
  CHECK(parse_exact("x", "1e-6").value == rational(1, 1000000));
  CHECK(parse_exact("x", "1/3").value == rational(1, 3));
  CHECK(parse_exact("x", "-2.50E+2").value == rational(-250));
  CHECK(parse_exact("x", "0.5/0.25").value == rational(2));
  CHECK(parse_exact("d", "inf", true).infinite);
}

TEST_CASE("non-numbers and disallowed infinity are domain errors naming the parameter") {
  CHECK_THROWS_WITH(parse_exact("sigma2", "abc"), Catch::Contains("sigma2") && Catch::Contains("abc"));
  CHECK_THROWS_WITH(parse_exact("T", "inf"), Catch::Contains("T") && Catch::Contains("finite"));
  CHECK_THROWS(parse_exact("x", "1/0"));
  CHECK_THROWS(parse_exact("x", "nan"));
  CHECK_THROWS(parse_exact("x", "1e"));
  CHECK_THROWS(parse_exact("x", ""));
}

TEST_CASE("conversion to Real rounds the exact rational once at the working precision") {
  CHECK(collapse::to_real<double>(rational(1, 10)) == 0.1);
  collapse::precision_guard g(60);
  auto x = collapse::to_real<collapse::mpfr_real>(rational(1, 3));
  CHECK(abs(x * 3 - 1) < collapse::epsilon<collapse::mpfr_real>() * 4);
}
