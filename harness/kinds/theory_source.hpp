// harness/kinds/theory_source.hpp -- the one way a suite kind obtains its theory value (issue 13): the
// kind's compiled evaluator of `[theory] quantity = "..."` (theory/ through each kind's own code, as before),
// or a formula typed in the suite file, `[theory] formula = "..."` (formula/formula.hpp, docs/formulas.md),
// evaluated at the kind's point -- the case's keys by symbol name and its spectrum. Every kind that compares
// a theory value with something (exact-mc, de-extrapolation, simulated-slope, crossover) reads its [theory]
// through read_theory() and asks theory_source::value(); nothing else in the kind changes.
#pragma once

#include "harness/kinds/kind.hpp"

#include "formula/formula.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace collapse::harness::kinds {

/// The formula of [theory] `key`, or a suite_error at the key naming the formula's fault (column, symbol).
formula::formula formula_at(const entries& th, const std::string& key);

/// What a kind offers a formula at one point: exact values by symbol name (formula::symbol_names()), the
/// spectrum for its spectral primitives, and the keys the kind offers (for the message of a missing symbol).
struct formula_point {
  std::map<std::string, exact_number> values;
  std::optional<spectrum_spec> spectrum;
  std::string offered;  // e.g. "d, T, T0, n, lambda, sigma2, sigma02"
};

/// Formula `f` at `at`: the exact rational when the formula is rational arithmetic there, else its 30
/// certified digits (as an exact decimal). A symbol `at` does not give, a division by zero or a domain error
/// of a primitive is a suite_error at table `c`.
rational formula_value(const formula::formula& f, const entries& c, const formula_point& at);
/// Whether formula_value(f, c, at) is the exact value rather than 30 certified digits.
bool formula_is_exact(const formula::formula& f, const entries& c, const formula_point& at);

/// The [theory] of a suite: exactly one of `quantity` (one of the kind's quantities) and `formula`.
struct theory_source {
  std::string quantity;                    // empty with a formula
  std::optional<formula::formula> formula;

  /// The theory at a point: the formula's value at `at` (rational or 30 certified digits, as a double), or
  /// compiled() -- the kind's own evaluator of `quantity` -- when the suite names a quantity.
  template <class Compiled> double value(const entries& c, const formula_point& at, Compiled&& compiled) const {
    if (formula) return to_real<double>(formula_value(*formula, c, at));
    return compiled();
  }
  /// "the formula TEXT" or the quantity's name (for rule texts).
  std::string describe() const;
};

/// Reads [theory] `th`: `formula = "..."` (then `quantity` is refused), else `quantity`, one of `quantities`
/// (the first is the default when `quantity_optional`). Suite errors name the file, line and key.
theory_source read_theory(const entries& th, const std::vector<std::string>& quantities, bool quantity_optional = false);

}  // namespace collapse::harness::kinds
