// formula/formula.cpp -- the symbolic side of a formula (see formula.hpp): GiNaC parses it (with exact
// decimal literals and the project's symbols and primitives), prints it as text and LaTeX, differentiates
// and simplifies it; the result is compiled once into formula/tree.hpp for the numerical walk.
//
// The primitives are GiNaC functions that never evaluate symbolically (they stay as calls), with the
// partial derivatives of the theory document:
//   ∂κ/∂λ = T/(T − df2(κ)),  ∂κ/∂T = −κ df1(κ)/(T (T − df2(κ)))          (§3.1: F(κ) = κ − κ df1/T − λ,
//                                                                          d(κ df1)/dκ = df2)
//   κ0(T0) = κ(0, T0): the same ∂/∂T (0 for d < T0, where κ0 = 0; undefined at d = T0: a division by zero)
//   ∂df_m/∂κ = −m Σ_j λ_j^m/(λ_j+κ)^(m+1) = −m spectral(−1, 0, κ, m+1)     (§1)
//   ∂B/∂κ = 2κ Σ_j λ_j² w2_j/(λ_j+κ)³ = 2κ spectral(−1, 1, κ, 3)          (§6, the B' of lambda_opt.hpp)
//   ∂spectral(p, q, κ, m)/∂κ = −m spectral(p−1, q, κ, m+1)
//   d/dx sumj(f) = sumj(∂f/∂x)                                             (a finite sum is linear)
#include "formula/formula.hpp"
#include "formula/tree.hpp"

#include "eval/catalogue.hpp"
#include "eval/digits.hpp"
#include "theory/errors.hpp"

#include <fmt/format.h>

#include <ginac/ginac.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <sstream>
#include <type_traits>

namespace collapse::formula {

namespace gfn {
using GiNaC::ex;

DECLARE_FUNCTION_2P(kappa)
DECLARE_FUNCTION_1P(kappa0)
DECLARE_FUNCTION_2P(df)
DECLARE_FUNCTION_1P(B)
DECLARE_FUNCTION_1P(tr_sigma)
DECLARE_FUNCTION_1P(w0_sigma)
DECLARE_FUNCTION_4P(spectral)
DECLARE_FUNCTION_1P(sumj)
DECLARE_FUNCTION_2P(min)
DECLARE_FUNCTION_2P(max)

[[noreturn]] void not_differentiable(const std::string& call, const std::string& argument, const std::string& why) {
  throw domain_error("--diff", argument + " of " + call, "a differentiable argument", why);
}

ex kappa_deriv(const ex& l, const ex& T, unsigned i) {
  const ex k = kappa(l, T);
  if (i == 0) return T / (T - df(2, k));
  return -k * df(1, k) / (T * (T - df(2, k)));
}
ex kappa0_deriv(const ex& T0, unsigned) {
  const ex k = kappa0(T0);
  return -k * df(1, k) / (T0 * (T0 - df(2, k)));
}
ex df_deriv(const ex& m, const ex& k, unsigned i) {
  if (i == 0) not_differentiable("df(m, kappa)", "m", "the power m is an integer");
  return -m * spectral(-1, 0, k, m + 1);
}
ex B_deriv(const ex& k, unsigned) { return 2 * k * spectral(-1, 1, k, 3); }
ex tr_sigma_deriv(const ex&, unsigned) { not_differentiable("tr_sigma(p)", "p", "the power p is an integer"); }
ex w0_sigma_deriv(const ex&, unsigned) { not_differentiable("w0_sigma(p)", "p", "the power p is an integer"); }
ex spectral_deriv(const ex& p, const ex& q, const ex& k, const ex& m, unsigned i) {
  if (i != 2) not_differentiable("spectral(p, q, kappa, m)", i == 0 ? "p" : i == 1 ? "q" : "m", "p, q and m are integers");
  return -m * spectral(p - 1, q, k, m + 1);
}
ex sumj_expl_deriv(const ex& f, const GiNaC::symbol& s) { return sumj(f.diff(s)); }
ex sumj_deriv(const ex& f, unsigned) { return sumj(1); }  // never used: the explicit derivative above applies
ex min_deriv(const ex&, const ex&, unsigned) {
  not_differentiable("min(a, b)", "a or b", "min has no symbolic derivative here: it is a' or b' depending on which argument is smaller");
}
ex max_deriv(const ex&, const ex&, unsigned) {
  not_differentiable("max(a, b)", "a or b", "max has no symbolic derivative here: it is a' or b' depending on which argument is larger");
}

void df_latex(const ex& m, const ex& k, const GiNaC::print_context& c) {
  c.s << "\\mathrm{df}_{";
  m.print(c);
  c.s << "}\\left(";
  k.print(c);
  c.s << "\\right)";
}
void tr_sigma_latex(const ex& p, const GiNaC::print_context& c) {
  c.s << "\\operatorname{tr}\\Sigma^{";
  p.print(c);
  c.s << "}";
}
void w0_sigma_latex(const ex& p, const GiNaC::print_context& c) {
  c.s << "w_0^\\top\\Sigma^{";
  p.print(c);
  c.s << "}w_0";
}
void sumj_latex(const ex& f, const GiNaC::print_context& c) {
  c.s << "\\sum_{j}\\left(";
  f.print(c);
  c.s << "\\right)";
}
void spectral_latex(const ex& p, const ex& q, const ex& k, const ex& m, const GiNaC::print_context& c) {
  c.s << "\\sum_{j}\\lambda_j^{";
  p.print(c);
  c.s << "} w_{2,j}^{";
  q.print(c);
  c.s << "}\\left(\\frac{\\lambda_j}{\\lambda_j+";
  k.print(c);
  c.s << "}\\right)^{";
  m.print(c);
  c.s << "}";
}

REGISTER_FUNCTION(kappa, derivative_func(kappa_deriv).latex_name("\\kappa"))
REGISTER_FUNCTION(kappa0, derivative_func(kappa0_deriv).latex_name("\\kappa_0"))
REGISTER_FUNCTION(df, derivative_func(df_deriv).print_func<GiNaC::print_latex>(df_latex))
REGISTER_FUNCTION(B, derivative_func(B_deriv).latex_name("B"))
REGISTER_FUNCTION(tr_sigma, derivative_func(tr_sigma_deriv).print_func<GiNaC::print_latex>(tr_sigma_latex))
REGISTER_FUNCTION(w0_sigma, derivative_func(w0_sigma_deriv).print_func<GiNaC::print_latex>(w0_sigma_latex))
REGISTER_FUNCTION(spectral, derivative_func(spectral_deriv).print_func<GiNaC::print_latex>(spectral_latex))
REGISTER_FUNCTION(sumj, derivative_func(sumj_deriv).expl_derivative_func(sumj_expl_deriv).print_func<GiNaC::print_latex>(sumj_latex))
REGISTER_FUNCTION(min, derivative_func(min_deriv).latex_name("\\min"))
REGISTER_FUNCTION(max, derivative_func(max_deriv).latex_name("\\max"))
}  // namespace gfn

// ---- names -------------------------------------------------------------------------------------------

namespace {

using GiNaC::ex;
using detail::op;

/// The functions a formula may call: name, arity, node kind, signature for messages.
struct function_entry {
  const char* name;
  std::size_t arity;
  op kind;
  const char* signature;
};
const std::vector<function_entry>& functions() {
  static const std::vector<function_entry> f = {
      {"kappa", 2, op::kappa, "kappa(lambda, T)"},
      {"kappa0", 1, op::kappa0, "kappa0(T0)"},
      {"df", 2, op::df, "df(m, kappa)"},
      {"B", 1, op::bias_numerator, "B(kappa)"},
      {"tr_sigma", 1, op::tr_sigma, "tr_sigma(p)"},
      {"w0_sigma", 1, op::w0_sigma, "w0_sigma(p)"},
      {"spectral", 4, op::spectral, "spectral(p, q, kappa, m)"},
      {"sumj", 1, op::sum_j, "sumj(f(lambda_j, w2_j, ...))"},
      {"sqrt", 1, op::power, "sqrt(x)"},
      {"pow", 2, op::power, "pow(x, y)"},
      {"exp", 1, op::exp, "exp(x)"},
      {"log", 1, op::log, "log(x)"},
      {"sin", 1, op::sin, "sin(x)"},
      {"cos", 1, op::cos, "cos(x)"},
      {"tan", 1, op::tan, "tan(x)"},
      {"sinh", 1, op::sinh, "sinh(x)"},
      {"cosh", 1, op::cosh, "cosh(x)"},
      {"tanh", 1, op::tanh, "tanh(x)"},
      {"atan", 1, op::atan, "atan(x)"},
      {"abs", 1, op::abs, "abs(x)"},
      {"tgamma", 1, op::tgamma, "tgamma(x)"},
      {"lgamma", 1, op::lgamma, "lgamma(x)"},
      {"psi", 1, op::psi, "psi(x)"},
      {"zeta", 1, op::zeta, "zeta(s)"},
      {"min", 2, op::min, "min(a, b)"},
      {"max", 2, op::max, "max(a, b)"},
  };
  return f;
}

const function_entry* find_function(const std::string& name, std::size_t arity) {
  for (const auto& f : functions())
    if (name == f.name && arity == f.arity) return &f;
  return nullptr;
}
bool is_function_name(const std::string& name) {
  return std::any_of(functions().begin(), functions().end(), [&](const function_entry& f) { return name == f.name; });
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::string tex_name(const std::string& s) {
  static const std::map<std::string, std::string> tex = {
      {"T0", "T_0"},          {"sigma2", "\\sigma^2"},   {"sigma02", "\\sigma_0^2"},     {"w0norm2", "\\|w_0\\|^2"},
      {"phi", "\\phi"},       {"phi0", "\\phi_0"},       {"lambda", "\\lambda"},         {"kappa", "\\kappa"},
      {"beta", "\\beta"},     {"sigma_eff2", "\\sigma_{\\mathrm{eff}}^2"},               {"T2", "T_2"},
      {"delta_norm2", "\\|\\Delta\\|_\\Sigma^2"},        {"lambda0", "\\lambda_0"},      {"lambda_j", "\\lambda_j"},
      {"w2_j", "w_{2,j}"}};
  auto it = tex.find(s);
  return it == tex.end() ? s : it->second;
}

/// The GiNaC symbol of every name a formula may use (one object per name, for the whole program).
const std::map<std::string, GiNaC::realsymbol>& symbol_table() {
  static const std::map<std::string, GiNaC::realsymbol> t = [] {
    std::map<std::string, GiNaC::realsymbol> m;
    for (const auto& n : symbol_names()) m.emplace(n, GiNaC::realsymbol(n, tex_name(n)));
    for (const char* n : {"lambda_j", "w2_j"}) m.emplace(n, GiNaC::realsymbol(n, tex_name(n)));
    return m;
  }();
  return t;
}

/// The parser's functions: GiNaC's sqrt, pow and elementary functions, and the primitives above, nothing
/// else (so that a GiNaC function without an evaluator here is an unknown function, not a late surprise).
/// GiNaC's default reader lists every function registered when it is first asked -- the primitives of this
/// file are registered by then, during static initialisation.
const GiNaC::prototype_table& reader() {
  static const GiNaC::prototype_table t = [] {
    const auto& all = GiNaC::get_default_reader();
    GiNaC::prototype_table out;
    for (const auto& f : functions()) {
      auto it = all.find({f.name, f.arity});
      if (it == all.end() || it->first.first != f.name || it->first.second != f.arity)
        throw std::logic_error(std::string("formula: GiNaC does not know the function ") + f.signature);
      out[it->first] = it->second;
    }
    return out;
  }();
  return t;
}

// ---- printing in the same order in every run --------------------------------------------------------
//
// GiNaC keeps the terms of a sum and the factors of a product sorted by hash values seeded with the address
// of a type name inside libginac (GiNaC's hash_seed.h), which address-space randomisation changes in every
// run: a formula printed its terms, and the compiled tree added them, in a different order in each run (and
// a cancelling sum then gave different values). Sums and products are therefore printed here with their
// operands sorted by their own printed text (set_print_func replaces GiNaC's add and mul printers for the
// text and LaTeX contexts), and compile() walks them in that order; the output is then the same in every run.

/// `e` printed alone in a context of type Ctx at `level`.
template <class Ctx> std::string printed(const ex& e, unsigned level) {
  std::ostringstream os;
  Ctx c(os);
  e.print(c, level);
  return os.str();
}

template <class Ctx> std::vector<std::string> sorted_printed(const std::vector<ex>& v, unsigned level) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(printed<Ctx>(x, level));
  std::sort(out.begin(), out.end());
  return out;
}

/// A sum: its terms (with their coefficients) sorted by text, joined by + or their own leading -.
template <class Ctx> void print_add_sorted(const GiNaC::add& a, const Ctx& c, unsigned level) {
  constexpr bool latex = std::is_same_v<Ctx, GiNaC::print_latex>;
  std::vector<std::string> terms;
  for (std::size_t i = 0; i < a.nops(); ++i)  // a numeric term at level 0, as GiNaC prints the constant of a sum
    terms.push_back(printed<Ctx>(a.op(i), GiNaC::is_a<GiNaC::numeric>(a.op(i)) ? 0 : a.precedence()));
  std::sort(terms.begin(), terms.end());
  const bool paren = a.precedence() <= level;
  if (paren) c.s << (latex ? "{(" : "(");
  for (std::size_t i = 0; i < terms.size(); ++i) c.s << (i > 0 && terms[i][0] != '-' ? "+" : "") << terms[i];
  if (paren) c.s << (latex ? ")}" : ")");
}

std::string print_text(const ex& e);

/// GiNaC also normalises the sign of a sum inside a product by its hash order: T-d-1 in a product was
/// (-1-d+T) in one run and -(1+d-T) in another (and a power of a sum built anew is normalised again). A
/// product's factors are therefore taken here with each sum (alone or to an integer power) in one sign
/// chosen by its text -- the sign whose text does not start with '-', else the smaller text -- and the
/// numeric coefficient compensating; such a factor is printed and compiled from (base, exponent) without
/// building a GiNaC power again. Printing and compile() both use this.
struct factor {
  ex whole;             // the factor as GiNaC holds it (used when !sum_power)
  bool sum_power = false;
  ex base, exponent;    // sum_power: base^exponent, base the sum in its chosen sign
};

std::pair<GiNaC::numeric, std::vector<factor>> canonical_factors(const GiNaC::mul& m) {
  GiNaC::numeric coeff = 1;
  std::vector<factor> factors;
  for (std::size_t i = 0; i < m.nops(); ++i) {
    const ex f = m.op(i);
    if (GiNaC::is_a<GiNaC::numeric>(f)) {
      coeff = coeff * GiNaC::ex_to<GiNaC::numeric>(f);
      continue;
    }
    const bool power_of_sum = GiNaC::is_a<GiNaC::power>(f) && GiNaC::is_a<GiNaC::add>(f.op(0)) && GiNaC::is_a<GiNaC::numeric>(f.op(1)) &&
                              GiNaC::ex_to<GiNaC::numeric>(f.op(1)).is_integer();
    if (!power_of_sum && !GiNaC::is_a<GiNaC::add>(f)) {
      factors.push_back({f});
      continue;
    }
    const ex base = power_of_sum ? f.op(0) : f, k = power_of_sum ? f.op(1) : ex(1);
    GiNaC::exvector terms;
    for (const auto& t : base) terms.push_back(-t);
    const ex negated = GiNaC::add(terms);  // -base as a sum
    if (!GiNaC::is_a<GiNaC::add>(negated)) {
      factors.push_back({f, true, base, k});
      continue;
    }
    const std::string a = print_text(base), b = print_text(negated);
    const bool flip = (a[0] == '-') != (b[0] == '-') ? a[0] == '-' : b < a;
    factors.push_back({f, true, flip ? negated : base, k});
    if (flip && GiNaC::ex_to<GiNaC::numeric>(k).is_odd()) coeff = -coeff;
  }
  return {coeff, factors};
}

/// A factor of canonical_factors printed in a context of type Ctx at `level` (a product's precedence).
template <class Ctx> std::string printed_factor(const factor& f, unsigned level) {
  constexpr bool latex = std::is_same_v<Ctx, GiNaC::print_latex>;
  if (!f.sum_power) return printed<Ctx>(f.whole, level);
  if (f.exponent.is_equal(1)) return printed<Ctx>(f.base, level);
  constexpr unsigned power_precedence = 60;
  if (latex) return printed<Ctx>(f.base, power_precedence) + "^{" + printed<Ctx>(f.exponent, 0) + "}";
  return printed<Ctx>(f.base, power_precedence) + "^" + printed<Ctx>(f.exponent, power_precedence);
}

/// A product: GiNaC's layout (the numeric coefficient first; in LaTeX the factors with a negative power
/// as a \frac) with the other factors sorted by text.
template <class Ctx> void print_mul_sorted(const GiNaC::mul& m, const Ctx& c, unsigned level) {
  constexpr bool latex = std::is_same_v<Ctx, GiNaC::print_latex>;
  auto [coeff, factors] = canonical_factors(m);
  std::vector<factor> numer, denom;
  const bool paren = m.precedence() <= level;
  if (paren) c.s << (latex ? "{(" : "(");
  if (coeff.is_negative()) c.s << '-';
  if (!coeff.is_equal(1) && !coeff.is_equal(-1)) {
    GiNaC::abs(coeff).print(c);
    c.s << (latex ? " " : "*");
  }
  auto sorted = [&](const std::vector<factor>& v) {
    std::vector<std::string> out;
    for (const auto& f : v) out.push_back(printed_factor<Ctx>(f, m.precedence()));
    std::sort(out.begin(), out.end());
    return out;
  };
  if (!latex) {
    const auto parts = sorted(factors);
    for (std::size_t i = 0; i < parts.size(); ++i) c.s << (i > 0 ? "*" : "") << parts[i];
  } else {
    for (const auto& f : factors) {
      const ex k = f.sum_power ? f.exponent : GiNaC::is_a<GiNaC::power>(f.whole) ? f.whole.op(1) : ex(1);
      if (!GiNaC::is_a<GiNaC::numeric>(k) || !GiNaC::ex_to<GiNaC::numeric>(k).is_negative()) numer.push_back(f);
      else if (f.sum_power) denom.push_back({f.whole, true, f.base, -k});
      else denom.push_back({GiNaC::pow(f.whole.op(0), -k)});
    }
    auto product = [&](const std::vector<factor>& v) {
      if (v.empty()) return std::string("1");
      if (v.size() == 1) return printed_factor<Ctx>(v[0], 0);
      std::string s;
      for (const auto& p : sorted(v)) s += " " + p;
      return s;
    };
    if (!denom.empty()) {
      c.s << "\\frac{" << product(numer) << "}{" << product(denom) << "}";
    } else {
      for (const auto& p : sorted(numer)) c.s << ' ' << p;
    }
  }
  if (paren) c.s << (latex ? ")}" : ")");
}

void install_sorted_printers() {
  static const bool installed = [] {
    GiNaC::set_print_func<GiNaC::add, GiNaC::print_dflt>(print_add_sorted<GiNaC::print_dflt>);
    GiNaC::set_print_func<GiNaC::add, GiNaC::print_latex>(print_add_sorted<GiNaC::print_latex>);
    GiNaC::set_print_func<GiNaC::mul, GiNaC::print_dflt>(print_mul_sorted<GiNaC::print_dflt>);
    GiNaC::set_print_func<GiNaC::mul, GiNaC::print_latex>(print_mul_sorted<GiNaC::print_latex>);
    return true;
  }();
  (void)installed;
}

std::string print_text(const ex& e) {
  install_sorted_printers();
  return printed<GiNaC::print_dflt>(e, 0);
}
std::string print_latex(const ex& e) {
  install_sorted_printers();
  return printed<GiNaC::print_latex>(e, 0);
}

// ---- scanning: exact literals, known names, columns ------------------------------------------------------

[[noreturn]] void refuse(const std::string& text, const std::string& range, const std::string& why) {
  const std::string shown = text.size() > 200 ? text.substr(0, 200) + "..." : text;
  throw domain_error("formula", "'" + shown + "'", range, why);
}

/// The deepest nesting a formula may have: parentheses, unary signs and powers each open a level. GiNaC's
/// parser, its evaluation and the walks of this file recurse once per level; 8000 parentheses or 10000 signs
/// overflowed the stack (a segfault) before this bound.
constexpr int max_nesting = 256;
/// The largest exact constant, in bits: 10^100000 (eval/digits.hpp's max_decimal_exponent), as collapse prints.
constexpr long max_exact_bits = static_cast<long>(eval::max_decimal_exponent * 3.3219280948873623) + 64;

std::string exact_range() {
  return fmt::format("a formula whose constants and constant powers have magnitudes 10^-{0:g} to 10^{0:g} and exact fractions "
                     "of at most {0:g} digits", eval::max_decimal_exponent);
}
std::string fmt_digits(double bits) { return fmt::format("{:.4g}", bits * 0.30102999566398120); }

/// Refuses a formula nested deeper than max_nesting, naming the depth, the limit and the column.
void check_nesting(const std::string& src) {
  std::vector<int> opened;  // the depth before each open parenthesis
  int depth = 0;
  char prev = '(';          // the last non-blank character ('(' at the start: a sign there is unary)
  for (std::size_t i = 0; i < src.size(); ++i) {
    const char c = src[i];
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    const bool unary = (c == '+' || c == '-') && std::string("(,+-*/^").find(prev) != std::string::npos;
    if (c == '(') {
      opened.push_back(depth);
      ++depth;
    } else if (c == ')') {
      if (!opened.empty()) { depth = opened.back(); opened.pop_back(); }
    } else if (unary || c == '^') {
      ++depth;
    }
    if (depth > max_nesting)
      refuse(src, "a formula nested at most " + std::to_string(max_nesting) + " deep (parentheses, unary signs and powers)",
             "nesting depth " + std::to_string(max_nesting + 1) + " reached at column " + std::to_string(i + 1));
    prev = c;
  }
}


/// The text GiNaC parses: every decimal literal replaced by its exact fraction "(p/q)" (GiNaC would read
/// "0.1" as a binary float), with the source column (1-based) of each character for error messages.
struct scanned {
  std::string text;
  std::vector<std::size_t> column;
};

scanned scan(const std::string& src) {
  scanned out;
  auto emit = [&](const std::string& s, std::size_t col) {
    out.text += s;
    out.column.insert(out.column.end(), s.size(), col);
  };
  const std::string symbols_range = "a formula in the symbols " + join(symbol_names()) + " and the functions " + join(function_signatures());
  std::vector<int> sum_depths;  // parenthesis depths at which a sumj( ... ) opened
  int depth = 0;
  std::size_t i = 0;
  while (i < src.size()) {
    const unsigned char c = static_cast<unsigned char>(src[i]);
    const std::size_t col = i + 1;
    if (std::isdigit(c) || (c == '.' && i + 1 < src.size() && std::isdigit(static_cast<unsigned char>(src[i + 1])))) {
      std::size_t j = i;
      while (j < src.size() && (std::isdigit(static_cast<unsigned char>(src[j])) || src[j] == '.')) ++j;
      if (j < src.size() && (src[j] == 'e' || src[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < src.size() && (src[k] == '+' || src[k] == '-')) ++k;
        if (k < src.size() && std::isdigit(static_cast<unsigned char>(src[k]))) {
          while (k < src.size() && std::isdigit(static_cast<unsigned char>(src[k]))) ++k;
          j = k;
        }
      }
      const std::string lit = src.substr(i, j - i);
      rational q;
      try {
        q = parse_exact("formula", lit).value;
      } catch (const domain_error&) {
        refuse(src, "a formula with decimal numbers such as 0.1, 2, 1e-6", "malformed number '" + lit + "' at column " + std::to_string(col));
      }
      emit("(" + fraction_string(q) + ")", col);
      i = j;
      continue;
    }
    if (std::isalpha(c) || c == '_') {
      std::size_t j = i;
      while (j < src.size() && (std::isalnum(static_cast<unsigned char>(src[j])) || src[j] == '_')) ++j;
      const std::string name = src.substr(i, j - i);
      std::size_t k = j;
      while (k < src.size() && std::isspace(static_cast<unsigned char>(src[k]))) ++k;
      const bool call = k < src.size() && src[k] == '(';
      const std::string at = " at column " + std::to_string(col);
      if (call) {
        if (!is_function_name(name))
          refuse(src, "one of the functions " + join(function_signatures()), "unknown function '" + name + "'" + at);
        if (name == "sumj") {
          if (!sum_depths.empty()) refuse(src, symbols_range, "sumj inside sumj" + at + " (one sum over the directions j at a time)");
          sum_depths.push_back(depth + 1);
        }
      } else if (name == "lambda_j" || name == "w2_j") {
        if (sum_depths.empty()) refuse(src, symbols_range, "'" + name + "'" + at + " outside sumj(...): it is the summation variable of sumj");
      } else if (name == "I") {
        refuse(src, symbols_range, "the imaginary unit 'I'" + at + ": formulas are real");
      } else if (name != "Pi" && name != "Euler" && name != "Catalan" &&
                 std::find(symbol_names().begin(), symbol_names().end(), name) == symbol_names().end()) {
        refuse(src, "a symbol among " + join(symbol_names()) + " (or Pi, Euler, Catalan; lambda_j, w2_j inside sumj)",
               "unknown symbol '" + name + "'" + at);
      }
      emit(name, col);
      i = j;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') {
      if (!sum_depths.empty() && sum_depths.back() == depth) sum_depths.pop_back();
      --depth;
    }
    emit(std::string(1, src[i]), col);
    ++i;
  }
  return out;
}

/// Refuses, before GiNaC parses, a constant power whose value or exact fraction would be beyond the
/// magnitudes collapse prints (10^-100000 .. 10^100000, eval/digits.hpp): GiNaC evaluates a number to an
/// integer power exactly while parsing, so "2^(10^7)" or "3^(-10^8)" ran for ever and "2^(10^6)" printed a
/// 301030-digit integer. A recogniser of the grammar (the scanned text: literals are "(p/q)") estimates each
/// constant's log10 magnitude and the digits of its exact fraction; a power of a product keeps its numeric
/// coefficient's digits too, since GiNaC raises that coefficient exactly ((2*d)^k = 2^k*d^k). A text it cannot
/// follow is left to GiNaC, whose errors are placed by `locator` below.
struct magnitude_check {
  struct est {
    bool constant = false;        // a number GiNaC computes exactly while parsing
    std::optional<rational> exact;  // its value, while it has at most tracked_digits digits
    double lg = 0;                // constant: log10 of its magnitude (-inf for 0)
    double digits = 0;            // constant: digits of its numerator and denominator; else of its numeric coefficient
  };
  struct give_up {};
  static constexpr double tracked_digits = 2000;

  const std::string& src;  // the formula as typed, for the refusal
  const scanned& s;
  std::size_t i = 0;

  static double log10_of(const boost::multiprecision::mpz_int& z) {
    if (z == 0) return -HUGE_VAL;
    const std::size_t bits = boost::multiprecision::msb(abs(z));
    const std::size_t shift = bits > 60 ? bits - 60 : 0;
    return std::log10(std::abs(static_cast<boost::multiprecision::mpz_int>(z >> shift).convert_to<double>())) +
           static_cast<double>(shift) * 0.30102999566398120;
  }
  static est of(const rational& q) {
    est e;
    e.constant = true;
    const double n = log10_of(boost::multiprecision::numerator(q)), d = log10_of(boost::multiprecision::denominator(q));
    e.lg = n - d;
    e.digits = std::max(std::max(n, 0.0), d);
    if (e.digits <= tracked_digits) e.exact = q;
    return e;
  }
  static est symbolic(double coefficient_digits) {
    est e;
    e.digits = coefficient_digits;
    return e;
  }

  void ws() { while (i < s.text.size() && std::isspace(static_cast<unsigned char>(s.text[i]))) ++i; }
  bool at(char c) { ws(); return i < s.text.size() && s.text[i] == c; }

  est expr() {
    est a = term();
    while (at('+') || at('-')) {
      const bool minus = s.text[i++] == '-';
      const est b = term();
      if (a.constant && b.constant && a.exact && b.exact) a = of(minus ? rational(*a.exact - *b.exact) : rational(*a.exact + *b.exact));
      else if (a.constant && b.constant) {
        a.lg = std::max(a.lg, b.lg) + 0.302;
        a.digits += b.digits + 0.302;
        a.exact.reset();
      } else {
        a = symbolic(0);  // GiNaC keeps a power of a sum unexpanded
      }
    }
    return a;
  }
  est term() {
    est a = factor();
    while (at('*') || at('/')) {
      const bool divide = s.text[i++] == '/';
      const est b = factor();
      if (a.constant && b.constant && a.exact && b.exact) {
        if (divide && *b.exact == 0) throw give_up{};  // GiNaC's division by zero, placed by locator
        a = of(divide ? rational(*a.exact / *b.exact) : rational(*a.exact * *b.exact));
      } else if (a.constant && b.constant) {
        a.lg = divide ? a.lg - b.lg : a.lg + b.lg;
        a.digits += b.digits;
        a.exact.reset();
      } else {
        a = symbolic(a.digits + b.digits);
      }
    }
    return a;
  }
  est factor() {
    bool negative = false;
    while (at('+') || at('-')) negative ^= s.text[i++] == '-';
    est a = primary();
    if (at('^')) {
      ++i;
      bool neg_exponent = false;
      while (at('+') || at('-')) neg_exponent ^= s.text[i++] == '-';
      est b = primary();
      if (neg_exponent && b.exact) b.exact = -*b.exact;
      a = power(a, b);
    }
    if (negative && a.exact) a.exact = -*a.exact;
    return a;
  }
  est power(const est& a, const est& b) {
    if (!b.constant) return symbolic(0);
    // |k|, the exponent's size: exact when tracked, else 10^lg (beyond any bound below)
    const double k = b.exact ? std::abs(b.exact->convert_to<double>()) : std::pow(10.0, b.lg);
    if (!a.constant) {
      if (a.digits * k > eval::max_decimal_exponent)
        refuse(src, exact_range(), "a power raises a numeric coefficient to an exponent of about " + fmt::format("{:.4g}", k) +
                                       ": about " + fmt::format("{:.4g}", a.digits * k) + " digits");
      return symbolic(a.digits * k);
    }
    if (a.exact && (*a.exact == 0 || *a.exact == 1 || *a.exact == -1)) {
      if (*a.exact == 0 || !b.exact || !is_integer(*b.exact)) throw give_up{};  // 0^0, 0^-k, (-1)^(p/q): GiNaC decides
      return of(*a.exact == 1 || boost::multiprecision::numerator(*b.exact) % 2 == 0 ? rational(1) : rational(-1));
    }
    const bool negative = b.exact ? *b.exact < 0 : false;
    const double lg = (negative ? -k : k) * a.lg, digits = k * a.digits;
    if (!(std::abs(lg) <= eval::max_decimal_exponent))
      refuse(src, exact_range(), "a constant power of magnitude about 10^" + fmt::format("{:.4g}", lg));
    if (!(digits <= eval::max_decimal_exponent))
      refuse(src, exact_range(), "a constant power whose exact fraction has about " + fmt::format("{:.4g}", digits) + " digits");
    est r;
    r.constant = true;
    r.lg = lg;
    r.digits = digits;
    if (a.exact && b.exact && is_integer(*b.exact) && digits <= tracked_digits) {
      rational x = 1;
      for (long n = static_cast<long>(k); n > 0; --n) x *= *a.exact;
      r = of(negative ? rational(1 / x) : x);
    }
    return r;
  }
  est primary() {
    ws();
    if (i >= s.text.size()) throw give_up{};
    const unsigned char c = static_cast<unsigned char>(s.text[i]);
    if (std::isdigit(c)) {
      const std::size_t start = i;
      while (i < s.text.size() && std::isdigit(static_cast<unsigned char>(s.text[i]))) ++i;
      return of(rational(s.text.substr(start, i - start).c_str()));
    }
    if (std::isalpha(c) || c == '_') {
      const std::size_t start = i;
      while (i < s.text.size() && (std::isalnum(static_cast<unsigned char>(s.text[i])) || s.text[i] == '_')) ++i;
      const std::string name = s.text.substr(start, i - start);
      if (!at('(')) return symbolic(0);
      ++i;
      std::vector<est> args{expr()};
      while (at(',')) {
        ++i;
        args.push_back(expr());
      }
      if (!at(')')) throw give_up{};
      ++i;
      if (name == "sqrt" && args.size() == 1) return power(args[0], of(rational(1, 2)));
      if (name == "pow" && args.size() == 2) return power(args[0], args[1]);
      // another function of numbers may evaluate to one (abs(-2), exp(0), tgamma(5)): its size is not tracked,
      // but its digits are bounded by its arguments' as a proxy, so that a huge power of it is refused
      est r;
      double digits = 1;
      for (const auto& a : args) {
        if (!a.constant) return symbolic(0);
        digits = std::max(digits, std::max(a.digits, std::abs(a.lg)) + 1);
      }
      r.constant = true;
      r.lg = digits;
      r.digits = digits;
      return r;
    }
    if (c == '(') {
      ++i;
      est e = expr();
      if (!at(')')) throw give_up{};
      ++i;
      return e;
    }
    throw give_up{};
  }

  void run() {
    try {
      expr();
    } catch (const give_up&) {
      // GiNaC parses (or refuses) what this does not follow
    }
  }
};

/// Where a text GiNaC refused goes wrong: a recognizer of the expression grammar (numbers, names, calls,
/// parentheses, + - * / ^ and unary signs) that stops at the first character no formula can continue with, and
/// checks the number of arguments of each call. GiNaC's parse_error carries the scanner's position after its
/// look-ahead token, which is past the fault; this is used only to place GiNaC's errors.
struct locator {
  const std::string& s;
  std::size_t i = 0;
  std::string why;    // set for an argument-count error (at `i`, the call's name) or a chain of powers
  std::string range;  // the valid range that goes with `why`
  std::vector<std::pair<std::size_t, std::size_t>>* spans = nullptr;  // if set: every sub-expression parsed, innermost first

  void span(std::size_t start) {
    if (spans) spans->emplace_back(start, i);
  }

  void ws() { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; }
  bool at(char c) { ws(); return i < s.size() && s[i] == c; }
  bool expr() {
    ws();
    const std::size_t start = i;
    if (!term()) return false;
    while (at('+') || at('-')) {
      ++i;
      if (!term()) return false;
      span(start);
    }
    return true;
  }
  bool term() {
    ws();
    const std::size_t start = i;
    if (!factor()) return false;
    while (at('*') || at('/')) {
      ++i;
      if (!factor()) return false;
      span(start);
    }
    return true;
  }
  bool factor() {
    ws();
    const std::size_t start = i;
    while (at('+') || at('-')) ++i;
    if (!primary()) return false;
    if (at('^')) {
      ++i;
      while (at('+') || at('-')) ++i;
      if (!primary()) return false;
      if (at('^')) {  // GiNaC's ^ takes two operands: a^b^c is (a^b)^c or a^(b^c), which one it does not guess
        why = "a^b^c: write (a^b)^c or a^(b^c)";
        range = "a formula with parenthesised powers of powers";
        return false;
      }
    }
    span(start);
    return true;
  }
  bool primary() {
    ws();
    if (i >= s.size()) return false;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const std::size_t start = i;
    if (std::isdigit(c) || c == '.') {
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      return true;
    }
    if (std::isalpha(c) || c == '_') {
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
      const std::string name = s.substr(start, i - start);
      if (!at('(')) return true;
      ++i;
      std::size_t args = 1;
      if (!expr()) return false;
      while (at(',')) {
        ++i;
        ++args;
        if (!expr()) return false;
      }
      if (!at(')')) return false;
      ++i;
      if (!find_function(name, args)) {
        std::string takes;
        for (const auto& f : functions())
          if (name == f.name) takes += (takes.empty() ? "" : " or ") + std::string(f.signature);
        why = "'" + name + "' called with " + std::to_string(args) + " argument" + (args == 1 ? "" : "s") + "; it is " + takes;
        range = "the functions " + join(function_signatures());
        i = start;
        return false;
      }
      span(start);
      return true;
    }
    if (c == '(') {
      ++i;
      if (!expr()) return false;
      if (!at(')')) return false;
      ++i;
      span(start);
      return true;
    }
    return false;
  }
};

/// What a std::domain_error of GiNaC's evaluation means, in words ("power::eval(): division by zero",
/// "tan_eval(): simple pole", "lgamma_eval(): logarithmic pole", "log_eval(): log(0)", "pow(0,0) is undefined").
std::string ginac_reason(const std::string& what) {
  if (what.find("division by zero") != std::string::npos) return "a division by zero";
  if (what.find("pow(0,0)") != std::string::npos) return "undefined (0^0)";
  if (what.find("log(0)") != std::string::npos) return "the logarithmic pole of log at 0";
  const std::size_t e = what.find("_eval");
  const std::string f = e == std::string::npos ? std::string("a function") : what.substr(0, e);
  if (what.find("logarithmic pole") != std::string::npos) return "a logarithmic pole of " + f;
  if (what.find("pole") != std::string::npos) return "a pole of " + f;
  return "undefined (" + f + ")";
}

ex parse_with_ginac(const std::string& text) {
  GiNaC::symtab syms;
  for (const auto& [name, sym] : symbol_table()) syms[name] = sym;
  GiNaC::parser p(syms, true, reader());
  return p(text);
}

/// Parses `s.text` with GiNaC; a syntax error names its source column (located by `locator`); a division by
/// zero, a pole or 0^0 that GiNaC meets while it evaluates the numbers of the formula names the smallest
/// sub-expression where it happens (each sub-expression parsed alone, innermost first).
ex parse_scanned(const std::string& src, const scanned& s) {
  try {
    return parse_with_ginac(s.text);
  } catch (const std::domain_error& e) {  // GiNaC's pole_error, or its division by zero, 0^0
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    locator loc{s.text};
    loc.spans = &spans;
    loc.expr();
    std::string where = src;
    for (const auto& [b, end] : spans) {
      try {
        parse_with_ginac(s.text.substr(b, end - b));
      } catch (const std::domain_error&) {
        const std::size_t from = s.column[b] - 1, to = end < s.text.size() ? s.column[end] - 1 : src.size();
        where = src.substr(from, to - from);
        where.erase(where.find_last_not_of(" \t\r\n") + 1);
        break;
      } catch (const std::exception&) {
        // a fragment GiNaC cannot parse alone: not the place
      }
    }
    refuse(src, "a formula defined at its numbers: no division by zero, pole or 0^0", "'" + where + "' is " + ginac_reason(e.what()));
  } catch (const std::invalid_argument&) {  // GiNaC::parse_error, or an unknown name (already refused by scan())
    locator loc{s.text};
    const bool whole = loc.expr() && (loc.ws(), loc.i == s.text.size());
    const std::string example = "a formula such as sigma2*d/(T-d-1) + n*sigma02*d/(T0-d-1)";
    if (whole) refuse(src, example, "syntax error");  // GiNaC refused what the recognizer accepts: no column to give
    if (loc.i >= s.text.size()) refuse(src, example, "syntax error: the formula ends early (column " + std::to_string(src.size() + 1) + ")");
    const std::size_t col = s.column[loc.i];
    const std::string at = " at column " + std::to_string(col);
    if (!loc.why.empty()) refuse(src, loc.range, loc.why + at);
    refuse(src, example, "syntax error" + at + " (near '" + src.substr(col - 1, 12) + "')");
  }
}

// ---- compiling GiNaC's tree into detail::tree -------------------------------------------------------------

rational rational_of(const GiNaC::numeric& n) {
  std::ostringstream os;
  os << GiNaC::dflt << n;
  return rational(os.str().c_str());
}

struct compiler {
  detail::tree& t;
  std::string src;
  std::map<ex, int, GiNaC::ex_is_less> memo;

  int add_node(detail::node n) {
    t.nodes.push_back(std::move(n));
    return static_cast<int>(t.nodes.size()) - 1;
  }

  /// A factor of canonical_factors: a power of a sum in its chosen sign is compiled from (base, exponent).
  int compile_factor(const factor& f, bool in_sum) {
    if (!f.sum_power) return compile(f.whole, in_sum);
    if (f.exponent.is_equal(1)) return compile(f.base, in_sum);
    detail::node n;
    n.kind = op::power;
    n.text = printed_factor<GiNaC::print_dflt>(f, 0);
    const int b = compile(f.base, in_sum), k = compile(f.exponent, in_sum);
    n.args = {b, k};
    return add_node(std::move(n));
  }

  int compile(const ex& e, bool in_sum) {
    detail::node n;
    n.text = print_text(e);
    if (GiNaC::is_a<GiNaC::numeric>(e)) {
      const auto& num = GiNaC::ex_to<GiNaC::numeric>(e);
      if (!num.is_rational()) refuse(src, "a real formula", "the number " + n.text + " is not a rational number");
      if (num.numer().int_length() > max_exact_bits || num.denom().int_length() > max_exact_bits)
        refuse(src, exact_range(), "a constant of about " + fmt_digits(std::max(num.numer().int_length(), num.denom().int_length())) + " digits");
      n.kind = op::constant;
      n.value = rational_of(num);
      return add_node(std::move(n));
    }
    if (GiNaC::is_a<GiNaC::symbol>(e)) {
      const std::string name = GiNaC::ex_to<GiNaC::symbol>(e).get_name();
      if (name == "lambda_j" || name == "w2_j") {
        if (!in_sum) refuse(src, "lambda_j and w2_j inside sumj(...) only", "'" + name + "' outside sumj");
        n.kind = name == "lambda_j" ? op::summand_eig : op::summand_w2;
        return add_node(std::move(n));
      }
      auto it = std::lower_bound(t.symbols.begin(), t.symbols.end(), name);
      n.kind = op::symbol;
      n.slot = static_cast<int>(it - t.symbols.begin());
      return add_node(std::move(n));
    }
    if (GiNaC::is_a<GiNaC::constant>(e)) {
      if (e.is_equal(GiNaC::Pi)) n.kind = op::pi;
      else if (e.is_equal(GiNaC::Euler)) n.kind = op::euler;
      else if (e.is_equal(GiNaC::Catalan)) n.kind = op::catalan;
      else refuse(src, "a real formula", "the constant " + n.text + " has no evaluator here");
      return add_node(std::move(n));
    }
    std::vector<int> args;
    if (GiNaC::is_a<GiNaC::add>(e) || GiNaC::is_a<GiNaC::mul>(e) || GiNaC::is_a<GiNaC::power>(e)) {
      std::vector<std::pair<std::string, int>> parts;  // (text, node): evaluated in the order of the text
      if (GiNaC::is_a<GiNaC::mul>(e)) {  // its sums in the sign they are printed in (canonical_factors)
        auto [coeff, factors] = canonical_factors(GiNaC::ex_to<GiNaC::mul>(e));
        for (const auto& f : factors) parts.emplace_back(printed_factor<GiNaC::print_dflt>(f, 0), compile_factor(f, in_sum));
        if (!coeff.is_equal(1)) parts.emplace_back(print_text(coeff), compile(coeff, in_sum));
      } else {
        for (const auto& o : e) parts.emplace_back(print_text(o), compile(o, in_sum));
      }
      if (!GiNaC::is_a<GiNaC::power>(e))  // GiNaC's order changes between runs (see the printers above); the text's does not
        std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& pr : parts) args.push_back(pr.second);
      n.kind = GiNaC::is_a<GiNaC::add>(e) ? op::add : GiNaC::is_a<GiNaC::mul>(e) ? op::mul : op::power;
      n.args = std::move(args);
      return add_node(std::move(n));
    }
    if (GiNaC::is_a<GiNaC::function>(e)) {
      const std::string name = GiNaC::ex_to<GiNaC::function>(e).get_name();
      const function_entry* f = find_function(name, e.nops());
      if (!f || f->kind == op::power)
        refuse(src, "the functions " + join(function_signatures()),
               "'" + n.text + "' (a GiNaC function, e.g. from --diff) has no numerical evaluator here");
      const bool sum = f->kind == op::sum_j;
      for (std::size_t i = 0; i < e.nops(); ++i) args.push_back(compile(e.op(i), in_sum || sum));
      n.kind = f->kind;
      n.args = std::move(args);
      if (detail::is_spectral(f->kind)) {
        t.spectral = true;
        if (sum) t.summand = true;
        if (!e.has(symbol_table().at("lambda_j")) && !e.has(symbol_table().at("w2_j")) && !sum) {
          auto [it, fresh] = memo.try_emplace(e, t.memo_slots);
          if (fresh) ++t.memo_slots;
          n.memo = it->second;
        }
      }
      return add_node(std::move(n));
    }
    refuse(src, "a formula of numbers, symbols and the functions " + join(function_signatures()),
           "'" + n.text + "' (from --diff?) has no numerical evaluator here");
  }
};

std::vector<std::string> free_symbols(const ex& e) {
  std::set<std::string> names;
  for (auto it = e.preorder_begin(); it != e.preorder_end(); ++it)
    if (GiNaC::is_a<GiNaC::symbol>(*it)) {
      const std::string n = GiNaC::ex_to<GiNaC::symbol>(*it).get_name();
      if (n != "lambda_j" && n != "w2_j") names.insert(n);
    }
  return {names.begin(), names.end()};
}

}  // namespace

namespace detail {
struct symbolic {
  std::string source;
  GiNaC::ex e;
};
}  // namespace detail

// ---- public ----------------------------------------------------------------------------------------------

const std::vector<std::string>& symbol_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (std::string p : eval::all_parameter_names()) {
      std::replace(p.begin(), p.end(), '-', '_');
      n.push_back(p);
    }
    return n;
  }();
  return names;
}

const std::vector<std::string>& function_signatures() {
  static const std::vector<std::string> s = [] {
    std::vector<std::string> v;
    for (const auto& f : functions()) v.push_back(f.signature);
    return v;
  }();
  return s;
}

std::string option_of(const std::string& symbol) {
  std::string o = symbol;
  std::replace(o.begin(), o.end(), '_', '-');
  return o;
}

namespace {
formula make(std::string source, GiNaC::ex e);
}  // namespace

formula formula::parse(const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) refuse(text, "a formula such as sigma2*d/(T-d-1)", "empty formula");
  if (text.size() > 100000) refuse(text, "a formula of at most 100000 characters", "too long");
  check_nesting(text);
  const scanned s = scan(text);
  magnitude_check{text, s}.run();
  return make(text, parse_scanned(text, s));
}

const std::string& formula::source() const { return sym_->source; }
std::string formula::text() const { return print_text(sym_->e); }
std::string formula::latex() const { return print_latex(sym_->e); }
const std::vector<std::string>& formula::symbols() const { return tree_->symbols; }
bool formula::uses_spectrum() const { return tree_->spectral; }
const detail::tree& formula::compiled() const { return *tree_; }

formula formula::derivative(const std::string& symbol) const {
  const auto& names = symbol_names();
  if (std::find(names.begin(), names.end(), symbol) == names.end())
    throw domain_error("--diff", symbol, "a symbol: " + join(names));
  if (uses_spectrum() && (symbol == "d" || symbol == "w0norm2" || symbol == "beta" || symbol == "r"))
    throw domain_error("--diff", symbol, "a symbol the spectrum does not depend on",
                       "the spectral primitives depend on " + symbol + " through the spectrum, and their derivative in it is not implemented");
  const GiNaC::ex d = sym_->e.diff(symbol_table().at(symbol));
  // GiNaC's derivative keeps the chain rule's shape; its normal form (one fraction) is often shorter
  GiNaC::ex best = d;
  try {
    const GiNaC::ex n = d.normal();
    if (print_text(n).size() < print_text(d).size()) best = n;
  } catch (const std::exception&) {
    // normal() refuses some expressions (e.g. a pole it meets); the plain derivative stands
  }
  return make("d/d" + symbol + " (" + sym_->source + ")", best);
}

namespace detail {
struct builder {
  /// GiNaC's exact value of f at rational symbol values (see tree.hpp).
  static std::optional<rational> symbolic_value(const formula& f, const std::vector<rational>& values) {
    const detail::tree& t = f.compiled();
    if (t.spectral) return std::nullopt;  // the primitives stay calls
    for (const auto& n : t.nodes)         // an exact power GiNaC would compute at a symbolic exponent could be huge
      if (n.kind == op::power) {
        const auto& e = t.nodes[static_cast<std::size_t>(n.args[1])];
        if (e.kind != op::constant || abs(e.value) > 1000) return std::nullopt;
      }
    GiNaC::exmap m;
    for (std::size_t i = 0; i < t.symbols.size(); ++i) m[symbol_table().at(t.symbols[i])] = parse_with_ginac(fraction_string(values[i]));
    const ex& e = f.sym_->e;
    ex r;
    try {
      r = e.subs(m);
    } catch (const std::domain_error& x) {
      // the smallest sub-expression that fails (post-order: its operands substitute)
      for (auto it = e.postorder_begin(); it != e.postorder_end(); ++it) {
        try {
          (void)it->subs(m);
        } catch (const std::domain_error&) {
          const ex& sub = *it;
          if (GiNaC::is_a<GiNaC::power>(sub) && sub.op(0).subs(m).is_zero())
            throw domain_error(print_text(sub.op(0)), "0", "nonzero", "the formula divides by it at these parameters");
          std::string args;
          for (std::size_t k = 0; k < sub.nops(); ++k) args += (k ? "," : "") + print_text(sub.op(k).subs(m));
          const std::string name = GiNaC::is_a<GiNaC::function>(sub) ? GiNaC::ex_to<GiNaC::function>(sub).get_name() : "";
          throw domain_error(print_text(sub), name.empty() ? "(undefined)" : name + "(" + args + ")",
                             "a point where it is defined", ginac_reason(x.what()) + " at these parameters");
        }
      }
      throw domain_error(f.text(), "(undefined)", "a point where it is defined", ginac_reason(x.what()) + " at these parameters");
    }
    if (!GiNaC::is_a<GiNaC::numeric>(r)) return std::nullopt;
    const auto& num = GiNaC::ex_to<GiNaC::numeric>(r);
    if (!num.is_rational() || num.numer().int_length() > max_exact_bits || num.denom().int_length() > max_exact_bits) return std::nullopt;
    return rational_of(num);
  }

  static formula make(std::string source, GiNaC::ex e) {
    auto sym = std::make_shared<symbolic>(symbolic{std::move(source), e});
    auto t = std::make_shared<tree>();
    t->symbols = free_symbols(e);
    compiler c{*t, sym->source, {}};
    t->root = c.compile(e, false);
    return formula(std::move(sym), std::move(t));
  }
};
}  // namespace detail

namespace {
formula make(std::string source, GiNaC::ex e) { return detail::builder::make(std::move(source), std::move(e)); }
}  // namespace

std::optional<rational> detail::symbolic_value(const formula& f, const std::vector<rational>& values) {
  return builder::symbolic_value(f, values);
}

}  // namespace collapse::formula
