// theory/symbolic.hpp -- a small exact expression tree for the §5 exponent formulas: rationals, the
// symbols β, r, a, ℓ, named sub-expressions (r̲ = min(r, 1)), + − × ÷, min, and piecewise regimes;
// exact evaluation on GMP rationals and printers to plain Unicode text and to LaTeX (math mode).
//
// Why not a computer-algebra library (GiNaC, SymEngine): the §5 formulas need no simplification,
// differentiation or solving -- only to be stored once, printed two ways and evaluated exactly -- and
// the choice of a project-wide symbolic library is another issue's. About 250 lines of tree with
// exact evaluation keep the dependency list unchanged and make every printed formula checkable.
// Verified by: tests/theory/test_symbolic_exponents.cpp (each formula, evaluated on a grid of
// rationals, against the exact table of theory/exponents.hpp predict_exponents, which is separate
// code; the printed text and LaTeX; refusals of unbound symbols and division by zero).
#pragma once

#include "theory/errors.hpp"
#include "theory/rational.hpp"

#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace collapse::symbolic {

/// The free symbols of the §5 formulas.
enum class symbol { beta, r, a, ell };

/// Values of the symbols for evaluate().
using bindings = std::map<symbol, rational>;

struct node;

/// An immutable expression (a shared tree; copying is cheap).
class expr {
public:
  expr() = default;
  explicit expr(std::shared_ptr<const node> n) : n_(std::move(n)) {}
  const node& operator*() const { return *n_; }
  const node* operator->() const { return n_.get(); }
  explicit operator bool() const { return static_cast<bool>(n_); }

private:
  std::shared_ptr<const node> n_;
};

/// A comparison that selects a regime: lhs < rhs or lhs ≥ rhs (the two sides of a boundary).
struct condition {
  enum class relation { less, greater_equal };
  expr lhs;
  relation rel = relation::less;
  expr rhs;
};

/// One regime of a piecewise expression: `value` where `when` holds (no condition: otherwise).
struct piece {
  std::optional<condition> when;
  expr value;
};

struct node {
  enum class op { number, variable, named, add, sub, mul, div, neg, min, piecewise };
  op kind = op::number;
  rational value;                // number
  symbol var = symbol::beta;     // variable
  std::string text_name, latex_name;  // named: "r̲", "\underline{r}"
  std::vector<expr> args;        // named: {definition}; add/sub/mul/div/min: two; neg: one
  std::vector<piece> pieces;     // piecewise: the first piece whose condition holds; the last has none
};

// ---- builders (with the few simplifications that keep printed formulas tidy: x·1, 1·x, x + 0, x − 0) ----

inline expr make(node n) { return expr(std::make_shared<const node>(std::move(n))); }
inline expr num(const rational& q) { node n; n.kind = node::op::number; n.value = q; return make(std::move(n)); }
inline expr num(long p, long q = 1) { return num(rational(p, q)); }
inline expr var(symbol s) { node n; n.kind = node::op::variable; n.var = s; return make(std::move(n)); }
/// A named sub-expression: printed as its name, evaluated as its definition.
inline expr named(std::string text, std::string latex, expr definition) {
  node n; n.kind = node::op::named; n.text_name = std::move(text); n.latex_name = std::move(latex); n.args = {std::move(definition)};
  return make(std::move(n));
}
inline bool is_number(const expr& e, const rational& q) { return e->kind == node::op::number && e->value == q; }
inline expr binary(node::op k, expr x, expr y) { node n; n.kind = k; n.args = {std::move(x), std::move(y)}; return make(std::move(n)); }
inline expr operator+(expr x, expr y) { return is_number(y, 0) ? x : is_number(x, 0) ? y : binary(node::op::add, x, y); }
inline expr operator-(expr x, expr y) { return is_number(y, 0) ? x : binary(node::op::sub, x, y); }
inline expr operator*(expr x, expr y) { return is_number(y, 1) ? x : is_number(x, 1) ? y : binary(node::op::mul, x, y); }
inline expr operator/(expr x, expr y) { return is_number(y, 1) ? x : binary(node::op::div, x, y); }
inline expr operator-(expr x) { node n; n.kind = node::op::neg; n.args = {std::move(x)}; return make(std::move(n)); }
inline expr min(expr x, expr y) { return binary(node::op::min, x, y); }
inline condition operator<(expr x, expr y) { return {std::move(x), condition::relation::less, std::move(y)}; }
inline condition operator>=(expr x, expr y) { return {std::move(x), condition::relation::greater_equal, std::move(y)}; }
/// Regimes in order; the last piece must have no condition (otherwise).
inline expr piecewise(std::vector<piece> pieces) {
  node n; n.kind = node::op::piecewise; n.pieces = std::move(pieces);
  return make(std::move(n));
}

// ---- exact evaluation ----------------------------------------------------------------------------------

inline rational evaluate(const expr& e, const bindings& b);

inline bool holds(const condition& c, const bindings& b) {
  const rational l = evaluate(c.lhs, b), r = evaluate(c.rhs, b);
  return c.rel == condition::relation::less ? l < r : l >= r;
}

/// The exact value of `e` with the symbols bound by `b`. Throws domain_error for an unbound symbol, a
/// division by zero, or a piecewise expression without an applicable piece.
inline rational evaluate(const expr& e, const bindings& b) {
  switch (e->kind) {
    case node::op::number: return e->value;
    case node::op::variable: {
      auto it = b.find(e->var);
      if (it == b.end()) throw domain_error("symbol", std::to_string(static_cast<int>(e->var)), "a bound symbol", "evaluate() needs every symbol");
      return it->second;
    }
    case node::op::named: return evaluate(e->args[0], b);
    case node::op::add: return evaluate(e->args[0], b) + evaluate(e->args[1], b);
    case node::op::sub: return evaluate(e->args[0], b) - evaluate(e->args[1], b);
    case node::op::mul: return evaluate(e->args[0], b) * evaluate(e->args[1], b);
    case node::op::div: {
      const rational d = evaluate(e->args[1], b);
      if (d == 0) throw domain_error("denominator", "0", "nonzero", "a formula divided by zero at these parameters");
      return evaluate(e->args[0], b) / d;
    }
    case node::op::neg: return -evaluate(e->args[0], b);
    case node::op::min: {
      const rational x = evaluate(e->args[0], b), y = evaluate(e->args[1], b);
      return x < y ? x : y;
    }
    case node::op::piecewise:
      for (const auto& p : e->pieces)
        if (!p.when || holds(*p.when, b)) return evaluate(p.value, b);
      throw domain_error("regime", "(none applies)", "a piece for every parameter", "a piecewise formula without 'otherwise'");
  }
  return 0;
}

// ---- printers ----------------------------------------------------------------------------------------

namespace detail {

enum class style { text, latex };

inline int precedence(const node& n) {
  switch (n.kind) {
    case node::op::add: case node::op::sub: return 1;
    case node::op::mul: case node::op::div: return 2;
    case node::op::neg: return 3;
    case node::op::number: return n.value < 0 ? 3 : boost::multiprecision::denominator(n.value) != 1 ? 2 : 4;
    default: return 4;
  }
}

inline std::string symbol_name(symbol s, style st) {
  switch (s) {
    case symbol::beta: return st == style::text ? "β" : "\\beta";
    case symbol::r: return "r";
    case symbol::a: return "a";
    case symbol::ell: return st == style::text ? "ℓ" : "\\ell";
  }
  return "?";
}

inline std::string print(const expr& e, style st);
inline std::string print(const condition& c, style st);

/// `e` as an operand of an operator of precedence `p` (parenthesised when it binds less tightly;
/// `strict`: also when equally, the right side of − and ÷).
inline std::string operand(const expr& e, int p, style st, bool strict = false) {
  const int q = precedence(*e);
  const std::string s = print(e, st);
  if (q < p || (strict && q == p)) return st == style::text ? "(" + s + ")" : "\\left(" + s + "\\right)";
  return s;
}

/// Does the product of x and y read unambiguously without a sign (2β, βr̲, 2ℓr̲)?
inline bool juxtapose(const expr& x, const expr& y) {
  const bool y_starts_with_digit = y->kind == node::op::number || (y->kind == node::op::mul && y->args[0]->kind == node::op::number);
  return !y_starts_with_digit && (x->kind == node::op::number || x->kind == node::op::variable || x->kind == node::op::named || x->kind == node::op::mul);
}

inline std::string print(const expr& e, style st) {
  const bool tex = st == style::latex;
  switch (e->kind) {
    case node::op::number: {
      const rational& q = e->value;
      const std::string sign = q < 0 ? "-" : "";
      const rational m = q < 0 ? -q : q;
      if (boost::multiprecision::denominator(m) == 1) return (tex || q >= 0 ? sign : "−") + fraction_string(m);
      if (tex) return sign + "\\tfrac{" + boost::multiprecision::numerator(m).str() + "}{" + boost::multiprecision::denominator(m).str() + "}";
      return (q < 0 ? "−" : "") + fraction_string(m);
    }
    case node::op::variable: return symbol_name(e->var, st);
    case node::op::named: return tex ? e->latex_name : e->text_name;
    case node::op::add: return print(e->args[0], st) + " + " + operand(e->args[1], 1, st);
    case node::op::sub: return print(e->args[0], st) + (tex ? " - " : " − ") + operand(e->args[1], 1, st, true);
    case node::op::mul: {
      const std::string l = operand(e->args[0], 2, st), r = operand(e->args[1], 2, st);
      if (juxtapose(e->args[0], e->args[1])) return l + (tex && std::isalpha(static_cast<unsigned char>(r[0])) && l.back() != '}' ? " " : "") + r;
      return l + (tex ? " \\cdot " : "·") + r;
    }
    case node::op::div:
      if (tex) return "\\frac{" + print(e->args[0], st) + "}{" + print(e->args[1], st) + "}";
      return operand(e->args[0], 2, st) + "/" + operand(e->args[1], 2, st, true);
    case node::op::neg: return (tex ? "-" : "−") + operand(e->args[0], 2, st);  // −2ℓr̲, −(a − b)
    case node::op::min:
      return (tex ? "\\min\\left(" : "min(") + print(e->args[0], st) + ", " + print(e->args[1], st) + (tex ? "\\right)" : ")");
    case node::op::piecewise: {
      std::string s = tex ? "\\begin{cases}" : "{ ";
      for (std::size_t i = 0; i < e->pieces.size(); ++i) {
        const auto& p = e->pieces[i];
        if (tex) s += (i ? " \\\\ " : "") + print(p.value, st) + " & " + (p.when ? print(*p.when, st) : std::string("\\text{otherwise}"));
        else s += (i ? "; " : "") + print(p.value, st) + " if " + (p.when ? print(*p.when, st) : std::string("otherwise"));
      }
      return s + (tex ? "\\end{cases}" : " }");
    }
  }
  return "?";
}

}  // namespace detail

/// Plain Unicode text: "β/(1 + 2βr̲)", "min(2ℓr̲, 1 − ℓ/β)".
inline std::string to_text(const expr& e) { return detail::print(e, detail::style::text); }
/// LaTeX math (without the $): "\frac{\beta}{1 + 2\beta \underline{r}}".
inline std::string to_latex(const expr& e) { return detail::print(e, detail::style::latex); }

namespace detail {
inline std::string print(const condition& c, style st) {
  const bool less = c.rel == condition::relation::less;
  return print(c.lhs, st) + (less ? " < " : st == style::text ? " ≥ " : " \\ge ") + print(c.rhs, st);
}
}  // namespace detail

/// A regime condition as text ("ℓ < β", "ℓ/β ≥ a") or LaTeX math ("\ell \ge \beta").
inline std::string to_text(const condition& c) { return detail::print(c, detail::style::text); }
inline std::string to_latex(const condition& c) { return detail::print(c, detail::style::latex); }

}  // namespace collapse::symbolic
