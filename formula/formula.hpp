// formula/formula.hpp -- risk formulas as data (issue 13): a formula typed as text ("sigma2*d/(T-d-1) +
// n*sigma02*d/(T0-d-1)", "B(kappa(lambda,T))/(1-df(2,kappa(lambda,T))/T)") is parsed by GiNaC, printed
// as text or LaTeX, differentiated and simplified symbolically by GiNaC, and evaluated by one tree walk
// generic over the scalar type whose spectral primitives call theory/ -- the evaluators the catalogue uses
// -- and certified by the catalogue's own two-precision rule (eval/certify.hpp). A formula is therefore
// certified exactly as a catalogue quantity is; its result is an exact rational when every input is
// rational and only + - * / and integer powers are involved.
//
// Grammar, symbols and primitives: docs/formulas.md. GiNaC's headers stay inside formula/*.cpp.
// Verified by: tests/formula/ (every catalogue quantity with a closed form re-expressed as a formula, to the
// same certified digits at 30 and 100 digits; derivatives against finite differences and against the dE/dκ
// of theory/lambda_opt.hpp; the one-line errors).
#pragma once

#include "eval/catalogue.hpp"

#include "theory/rational.hpp"
#include "theory/spectrum_spec.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace collapse::formula {

namespace detail {
struct tree;
struct symbolic;
struct builder;
}  // namespace detail

/// The symbols a formula may use: the parameters of `collapse eval` (eval::all_parameter_names(), with
/// '-' written '_': sigma_eff2, delta_norm2), in that order. Inside sumj(...) also lambda_j and w2_j.
const std::vector<std::string>& symbol_names();
/// The functions a formula may call, as "name(arguments)" for messages and docs/formulas.md.
const std::vector<std::string>& function_signatures();
/// The option of `collapse eval` that gives a symbol its value ("sigma_eff2" -> "sigma-eff2").
std::string option_of(const std::string& symbol);

/// A parsed formula (immutable; copies share it).
class formula {
public:
  /// Parses `text`. Decimal literals are exact ("0.1" is 1/10, "1e-6" is 10^-6). Throws domain_error
  /// (parameter "--expr", value the text) for a syntax error, naming its column; for an unknown symbol or
  /// function, naming its column and listing the known ones; for lambda_j/w2_j outside sumj(...); for a
  /// complex number or a function without a numerical evaluator here.
  static formula parse(const std::string& text);

  const std::string& source() const;  // as typed
  std::string text() const;           // as GiNaC prints it (re-parses to the same formula)
  std::string latex() const;          // LaTeX math, without $
  /// d/d`symbol` (a symbol of symbol_names()), simplified by GiNaC (the shorter of the derivative and its
  /// normal form). Throws domain_error for an unknown symbol, for a symbol the spectrum depends on (d,
  /// w0norm2, beta, r) when the formula has spectral primitives, and where a primitive has no derivative
  /// in an argument (the integer powers m, p, q; min, max).
  formula derivative(const std::string& symbol) const;

  /// The free symbols, sorted (lambda_j, w2_j excluded).
  const std::vector<std::string>& symbols() const;
  /// Whether the formula calls a spectral primitive (kappa, kappa0, df, B, tr_sigma, w0_sigma, spectral, sumj).
  bool uses_spectrum() const;

  /// The compiled tree (formula/tree.hpp), for the numerical walk.
  const detail::tree& compiled() const;

private:
  friend struct detail::builder;
  formula(std::shared_ptr<const detail::symbolic> s, std::shared_ptr<const detail::tree> t) : sym_(std::move(s)), tree_(std::move(t)) {}
  std::shared_ptr<const detail::symbolic> sym_;
  std::shared_ptr<const detail::tree> tree_;
};

/// Where a formula is evaluated: the exact value of each of its symbols, and the spectrum of its
/// spectral primitives (required iff it has some).
struct point {
  std::map<std::string, exact_number> values;  // by symbol name
  std::optional<spectrum_spec> spectrum;
};

/// A point from option texts as `collapse eval` takes them (names without "--": "T", "sigma-eff2",
/// "spectrum", ...). With spectral primitives --spectrum is required and --d/--w0norm2/--beta/--r build
/// it (eval/spectrum_input.hpp); the symbols d (finite spectra), w0norm2 (isotropic), beta and r (power law)
/// then take the spectrum's values. Without them --spectrum is refused. Every symbol of the formula needs a
/// value; an option the formula does not use is refused (it would be silently ignored). Throws domain_error.
point point_of(const formula& f, const std::map<std::string, std::string>& options, const std::string& base_dir = {});

/// The point's values for the symbols of `f`, checked: every symbol present; the spectrum present iff `f`
/// uses one; d, w0norm2, beta, r consistent with the spectrum. Throws domain_error naming what is missing.
void check_point(const formula& f, const point& p);

/// `f` at `p` with every printed digit certified: the exact rational when the walk over rationals succeeds
/// (no primitive, function or non-integer power on the way), else the two-precision rule of
/// eval::certify_real with the primitives summed by the primary route at D + guard digits and by the
/// independent route (§8.4) at D + 2 guard. Division by zero at the point, a domain error of a primitive or
/// of an elementary function (log of a negative number, ...) are domain_errors naming the sub-expression;
/// an uncertifiable value is a convergence_error. quantity = f.text().
eval::eval_output evaluate_certified(const formula& f, const point& p, int digits);

/// The exact rational value of `f` at `p`, or nullopt when it is not rational arithmetic there.
std::optional<rational> exact_value(const formula& f, const point& p);

/// Fast double value (not certified), for sweeps. Same errors as evaluate_certified.
double evaluate_double(const formula& f, const point& p);

}  // namespace collapse::formula
