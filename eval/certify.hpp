// eval/certify.hpp -- the certification of a real result (the two-precision rule of evaluate_certified,
// eval/catalogue.hpp), as one function shared by every catalogue quantity and by the formulas of formula/.
// Its own header so that a translation unit needing it does not make every includer of catalogue.hpp rebuild.
#pragma once

#include "eval/catalogue.hpp"

#include <functional>
#include <string>

namespace collapse::eval {

/// How certify_real escalates. The defaults are the catalogue's rule (below), whose formulas are written
/// without cancellation; a formula typed by a user (formula/) may cancel, and takes `doubling` and `accept`.
struct certify_options {
  /// false: the second evaluation at D + 2·guard, the guard doubling per attempt (the catalogue).
  /// true: the second evaluation at twice the first's digits, and the first's digits doubling per attempt
  /// (D + guard, then 2(D + guard), ...): a cancellation that leaves no digit at the first precision
  /// leaves some at the second, so the two cannot agree by accident on what it left.
  bool doubling = false;
  int max_attempts = 4;
  /// Called when the two evaluations agree on the printed digits, with the first's working digits: an
  /// empty string accepts them, else the reason (e.g. the evaluation cancelled more digits than it had)
  /// and the next attempt is made.
  std::function<std::string(int first_digits)> accept;
};

/// `evaluate(route::primary)` at D + guard digits and `evaluate(route::independent)` at D + 2·guard
/// (mpfr_real's default precision is set for each call; guard = 20 + D/10 at first); the printed digits
/// are those shared by every value within twice their difference (plus a floor of 10^-(D+guard+5)
/// relative), else the guard doubles (at most 4 attempts) and finally a convergence_error naming `name`.
/// A convergence_error of `evaluate` counts as a failed attempt; a domain_error is passed on, never
/// retried (more digits cannot make an undefined quantity defined).
/// Returns quantity = name, digits, value, components and diagnostics (without "seconds" and "section").
eval_output certify_real(const std::string& name, int digits, const std::function<real_eval<mpfr_real>(route)>& evaluate,
                         const certify_options& options = {});

}  // namespace collapse::eval
