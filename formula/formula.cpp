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
#include "theory/errors.hpp"

#include <ginac/ginac.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <sstream>

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
ex min_deriv(const ex&, const ex&, unsigned) { not_differentiable("min(a, b)", "a or b", "min is not differentiable where a = b"); }
ex max_deriv(const ex&, const ex&, unsigned) { not_differentiable("max(a, b)", "a or b", "max is not differentiable where a = b"); }

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

std::string print_text(const ex& e) {
  std::ostringstream os;
  os << GiNaC::dflt << e;
  return os.str();
}
std::string print_latex(const ex& e) {
  std::ostringstream os;
  os << GiNaC::latex << e;
  return os.str();
}

// ---- scanning: exact literals, known names, columns ------------------------------------------------------

[[noreturn]] void refuse(const std::string& text, const std::string& range, const std::string& why) {
  const std::string shown = text.size() > 200 ? text.substr(0, 200) + "..." : text;
  throw domain_error("formula", "'" + shown + "'", range, why);
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

/// Where a text GiNaC refused goes wrong: a recognizer of the expression grammar (numbers, names, calls,
/// parentheses, + - * / ^ and unary signs) that stops at the first character no formula can continue with, and
/// checks the number of arguments of each call. GiNaC's parse_error carries the scanner's position after its
/// look-ahead token, which is past the fault; this is used only to place GiNaC's errors.
struct locator {
  const std::string& s;
  std::size_t i = 0;
  std::string why;  // set for an argument-count error (at `i`, the call's name)

  void ws() { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; }
  bool at(char c) { ws(); return i < s.size() && s[i] == c; }
  bool expr() {
    if (!term()) return false;
    while (at('+') || at('-')) {
      ++i;
      if (!term()) return false;
    }
    return true;
  }
  bool term() {
    if (!factor()) return false;
    while (at('*') || at('/')) {
      ++i;
      if (!factor()) return false;
    }
    return true;
  }
  bool factor() {
    while (at('+') || at('-')) ++i;
    if (!primary()) return false;
    if (at('^')) {
      ++i;
      return factor();
    }
    return true;
  }
  bool primary() {
    ws();
    if (i >= s.size()) return false;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isdigit(c) || c == '.') {
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      return true;
    }
    if (std::isalpha(c) || c == '_') {
      const std::size_t start = i;
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
        i = start;
        return false;
      }
      return true;
    }
    if (c == '(') {
      ++i;
      if (!expr()) return false;
      if (!at(')')) return false;
      ++i;
      return true;
    }
    return false;
  }
};

/// Parses `s.text` with GiNaC; a syntax error names its source column (located by `locator`).
ex parse_scanned(const std::string& src, const scanned& s) {
  GiNaC::symtab syms;
  for (const auto& [name, sym] : symbol_table()) syms[name] = sym;
  GiNaC::parser p(syms, true, reader());
  try {
    return p(s.text);
  } catch (const std::invalid_argument&) {  // GiNaC::parse_error, or an unknown name (already refused by scan())
    locator loc{s.text};
    const bool whole = loc.expr() && (loc.ws(), loc.i == s.text.size());
    const std::string example = "a formula such as sigma2*d/(T-d-1) + n*sigma02*d/(T0-d-1)";
    if (whole) refuse(src, example, "syntax error");  // GiNaC refused what the recognizer accepts: no column to give
    if (loc.i >= s.text.size()) refuse(src, example, "syntax error: the formula ends early (column " + std::to_string(src.size() + 1) + ")");
    const std::size_t col = s.column[loc.i];
    const std::string at = " at column " + std::to_string(col);
    if (!loc.why.empty()) refuse(src, "the functions " + join(function_signatures()), loc.why + at);
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

  int compile(const ex& e, bool in_sum) {
    detail::node n;
    n.text = print_text(e);
    if (GiNaC::is_a<GiNaC::numeric>(e)) {
      const auto& num = GiNaC::ex_to<GiNaC::numeric>(e);
      if (!num.is_rational()) refuse(src, "a real formula", "the number " + n.text + " is not a rational number");
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
      for (std::size_t i = 0; i < e.nops(); ++i) args.push_back(compile(e.op(i), in_sum));
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
  const scanned s = scan(text);
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

}  // namespace collapse::formula
