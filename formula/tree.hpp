// formula/tree.hpp -- a parsed formula as plain data (internal to formula/): the GiNaC expression compiled
// once into a flat tree of nodes with exact rational constants, which evaluate.cpp walks generically over
// the scalar type (rational for the exact path, double, mpfr_real). No GiNaC object is touched while
// evaluating, so evaluation is cheap, and safe to run from several threads on the same formula.
#pragma once

#include "theory/rational.hpp"

#include <optional>
#include <string>
#include <vector>

namespace collapse::formula {
class formula;
}

namespace collapse::formula::detail {

/// What a node computes. Arithmetic: constant, symbol, add, mul (n-ary), power. Elementary functions
/// (elementary_*), constants π, γ (Euler), G (Catalan). The spectral primitives (§1, §3.1) call theory/.
enum class op {
  constant, symbol, summand_eig, summand_w2, add, mul, power,
  pi, euler, catalan,
  exp, log, sin, cos, tan, sinh, cosh, tanh, atan, abs, tgamma, lgamma, psi, zeta, min, max,
  kappa, kappa0, df, bias_numerator, tr_sigma, w0_sigma, spectral, sum_j,
};

/// True for the primitives that need a spectrum (the formula then takes --spectrum).
inline bool is_spectral(op o) { return o >= op::kappa; }

struct node {
  op kind = op::constant;
  rational value;            // constant
  int slot = -1;             // symbol: index into tree::symbols
  std::vector<int> args;     // children (indices into tree::nodes)
  int memo = -1;             // spectral primitives independent of the summand: a slot shared by equal calls
  std::string text;          // the sub-expression as GiNaC prints it, for error messages
};

struct tree {
  std::vector<node> nodes;
  int root = -1;
  std::vector<std::string> symbols;  // the free symbols, sorted; a symbol node's slot indexes this
  int memo_slots = 0;
  bool spectral = false;             // uses a spectral primitive
  bool summand = false;              // uses sumj (needs an explicit list of the spectrum's directions)
};

/// GiNaC's exact value of `f` where its symbols (f.symbols() order) take `values`: a rational when GiNaC's
/// exact rules give one (sin(Pi) = 0, log(1) = 0, exp(0) = 1, sqrt(4) = 2), else nullopt (also for spectral
/// primitives, for a power whose exponent is not a constant of at most 1000, and for a fraction beyond
/// 10^+-100000). Throws domain_error naming the sub-expression for a pole (tan(Pi/2), psi(0), ...), a
/// division by zero or 0^0 that GiNaC meets there.
std::optional<rational> symbolic_value(const formula& f, const std::vector<rational>& values);

}  // namespace collapse::formula::detail
