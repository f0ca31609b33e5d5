// tests/theory/test_symbolic_exponents.cpp -- the §5 exponent formulas printed by
// `collapse exponents --symbolic` (theory/exponents.hpp exponent_formulas, a symbolic::expr tree) are the
// exact rational table of predict_exponents: each formula is evaluated exactly by the tree's evaluator
// (substituting β, r, a, ℓ) and compared with the table on a grid of rational points that includes
// every regime boundary (r = 1, ℓ = β, ℓ/β = a, ℓ = ℓ_crit).
#include "theory/exponents.hpp"
#include "theory/symbolic.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace collapse;
using symbolic::symbol;

namespace {

/// The exact table's value of a formula key, or nothing when the table has no such entry.
std::optional<rational> table_value(const predicted_exponents& e, const std::string& key) {
  if (key == "r_under") return e.r_under;
  if (key == "ell_crit") return e.ell_crit;
  if (key == "gamma") return e.gamma;
  if (key == "bias_exponent") return e.bias_exponent;
  if (key == "variance_exponent") return e.variance_exponent;
  if (key == "collapse_exponent") return e.collapse_exponent;
  if (key == "best_ell") return e.best_ell;
  if (key == "best_gamma") return e.best_gamma;
  FAIL("unknown formula key " << key);
  return std::nullopt;
}

}  // namespace

TEST_CASE("every symbolic exponent formula equals the exact rational table on 1440 grid points with all regime boundaries",
          "[theory][exponents][symbolic]") {
  const std::vector<rational> betas = {rational(11, 10), rational(3, 2), rational(2), rational(3), rational(13, 2)};
  const std::vector<rational> rs = {rational(1, 4), rational(2, 5), rational(99, 100), rational(1), rational(101, 100), rational(3, 2)};
  const std::vector<rational> as = {rational(1, 5), rational(3, 5), rational(9, 10)};
  std::size_t points = 0, checks = 0, at_r1 = 0, at_ell_beta = 0, at_ell_a = 0, at_crit = 0;
  std::set<std::string> keys_seen;
  for (const auto& beta : betas)
    for (const auto& r : rs)
      for (const auto& a : as) {
        const rational lc = ell_crit(beta, r);
        // ℓ: both sides of and on each boundary: ℓ = aβ (ℓ/β = a), ℓ = β, ℓ_crit, a·ℓ_crit, far above β
        const std::vector<rational> ells = {rational(1, 10), a * lc, lc, a * beta - rational(1, 1000), a * beta,
                                            a * beta + rational(1, 1000), beta - rational(1, 1000), beta, beta + rational(1, 1000),
                                            3 * beta, beta / 2, (a * beta + beta) / 2, a * beta / 2, 7 * lc / 5, lc / 3, rational(63, 64) * beta};
        for (const auto& ell : ells) {
          ++points;
          at_r1 += r == 1;
          at_ell_beta += ell == beta;
          at_ell_a += ell == a * beta;
          at_crit += ell == lc;
          const std::vector<coupling> cs = {coupling::proportional(), coupling::power(a), coupling::fixed(), coupling::clean_noisy(),
                                            coupling::clean_noiseless()};
          for (const auto& c : cs) {
            const predicted_exponents e = predict_exponents(beta, r, c, ell);
            const symbolic::bindings b = {{symbol::beta, beta}, {symbol::r, r}, {symbol::a, c.a}, {symbol::ell, ell}};
            std::set<std::string> keys;
            for (const auto& f : exponent_formulas(c.type)) {
              const auto expected = table_value(e, f.key);
              INFO("coupling " << c.ascii() << ", " << f.key << " = " << symbolic::to_text(f.formula) << " at beta = " << fraction_string(beta)
                               << ", r = " << fraction_string(r) << ", a = " << fraction_string(c.a) << ", ell = " << fraction_string(ell));
              REQUIRE(expected.has_value());  // a formula for an entry the table leaves empty would be invented
              const rational got = symbolic::evaluate(f.formula, b);
              CHECK(fraction_string(got) == fraction_string(*expected));
              keys.insert(f.key);
              keys_seen.insert(f.key);
              ++checks;
            }
            // and every entry the table has is given as a formula
            CHECK(keys.count("gamma") + keys.count("ell_crit") + keys.count("best_ell") + keys.count("best_gamma") + keys.count("bias_exponent") == 5);
            CHECK(keys.count("collapse_exponent") == (e.collapse_exponent ? 1u : 0u));
            CHECK(keys.count("variance_exponent") == (e.variance_exponent ? 1u : 0u));
          }
        }
      }
  CHECK(points == 1440);
  CHECK(points >= 200);
  CHECK(at_r1 == 240);                  // r = 1: the boundary of r̲ = min(r, 1)
  CHECK(at_ell_beta >= 90);             // ℓ = β: the boundary of κ ≍ max(λ, T^-β)
  CHECK(at_ell_a >= 90);                // ℓ/β = a: d ≍ T^a meets df2 ≍ T^(ℓ/β)
  CHECK(at_crit >= 90);  // (some grid values of ℓ coincide with a boundary at other parameters)
  CHECK(keys_seen.size() == 8);
  CHECK(checks > 10000);
}

TEST_CASE("the symbolic formulas print as the theory document writes them, in text and in LaTeX", "[theory][exponents][symbolic]") {
  auto find = [](coupling::kind k, const std::string& key) {
    for (const auto& f : exponent_formulas(k))
      if (f.key == key) return f.formula;
    FAIL("no formula " << key);
    return symbolic::expr{};
  };
  using K = coupling::kind;
  CHECK(symbolic::to_text(find(K::proportional, "ell_crit")) == "β/(1 + 2βr̲)");
  CHECK(symbolic::to_latex(find(K::proportional, "ell_crit")) == "\\frac{\\beta}{1 + 2\\beta\\underline{r}}");
  CHECK(symbolic::to_text(find(K::proportional, "best_gamma")) == "2βr̲/(2βr̲ + 1)");
  CHECK(symbolic::to_text(find(K::power, "best_gamma")) == "2aβr̲/(2βr̲ + 1)");
  CHECK(symbolic::to_text(find(K::power, "best_ell")) == "aβ/(1 + 2βr̲)");
  CHECK(symbolic::to_text(find(K::proportional, "gamma")) == "{ min(2ℓr̲, 1 − ℓ/β) if ℓ < β; 0 if otherwise }");
  CHECK(symbolic::to_text(find(K::power, "collapse_exponent")) == "{ ℓ/β − a if ℓ/β < a; 0 if otherwise }");
  CHECK(symbolic::to_text(find(K::clean_noiseless, "gamma")) == "{ 2ℓr̲ if ℓ < β; 2βr̲ if otherwise }");
  CHECK(symbolic::to_text(r_under_formula()->args[0]) == "{ r if r < 1; 1 if otherwise }");
  CHECK(symbolic::to_latex(find(K::power, "collapse_exponent")) ==
        "\\begin{cases}\\frac{\\ell}{\\beta} - a & \\frac{\\ell}{\\beta} < a \\\\ 0 & \\text{otherwise}\\end{cases}");
}

TEST_CASE("the expression evaluator refuses an unbound symbol and a division by zero instead of inventing a value",
          "[theory][symbolic]") {
  using namespace symbolic;
  CHECK_THROWS_AS(evaluate(var(symbol::a), {{symbol::beta, rational(2)}}), domain_error);
  CHECK_THROWS_WITH(evaluate(num(1) / (var(symbol::r) - num(1)), {{symbol::r, rational(1)}}), Catch::Contains("divided by zero"));
  CHECK(evaluate(min(num(3, 2), var(symbol::r)), {{symbol::r, rational(7, 5)}}) == rational(7, 5));
}
