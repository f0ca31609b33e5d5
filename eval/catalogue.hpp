// eval/catalogue.hpp -- the quantities `collapse eval` knows. Each is ONE catalogue entry (eval/quantities_*.cpp,
// one translation unit per formula family): its name, the section of the theory document it implements, its
// parameters with their valid ranges, its components, and its evaluator, generic over Real. An entry cannot be
// built without an evaluator (a compile error), and the request checks, the certification and `--list` all read
// the same entry.
//
// Adding a quantity: the formula goes into theory/; one entry (a quantity_spec and a lambda) goes into the
// family's eval/quantities_*.cpp; a test goes into tests/eval/. Nothing else.
#pragma once

#include "theory/rational.hpp"
#include "theory/real.hpp"
#include "theory/spectrum_spec.hpp"

#include <nlohmann/json.hpp>

#include <concepts>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace collapse::eval {

// ---- parameters and their ranges -------------------------------------------------------------------

/// The valid values of one parameter: lo < x (lo_open) or lo <= x, x <= hi when given, integral when
/// `integer`. `hi_text` prints hi in messages (e.g. "1e18"); `why` is added to the error.
struct domain {
  rational lo{0};
  bool lo_open = false;
  std::optional<rational> hi;
  bool integer = false;
  std::string hi_text, why;

  bool contains(const rational& x) const;
  /// The range as printed in errors, e.g. "phi > 0", "an integer 0 <= n <= 1000000".
  std::string describe(const std::string& name) const;
};

domain non_negative();                          // x >= 0
domain positive();                              // x > 0
domain above(const rational& lo);               // x > lo
domain above_at_most(const rational& lo, const rational& hi);  // lo < x <= hi
domain integer_in(const rational& lo, const rational& hi, std::string hi_text = {}, std::string why = {});

struct parameter {
  std::string name;  // without "--"
  domain range;
};

// ---- requests and results --------------------------------------------------------------------------

struct eval_request {
  std::string quantity;
  std::map<std::string, exact_number> params;  // by name, without "--"
  std::optional<spectrum_spec> spectrum;
  int digits = 30;
};

/// Read access to a validated request, for evaluators.
class arguments {
public:
  explicit arguments(const eval_request& r) : req_(r) {}
  bool has(const std::string& name) const { return req_.params.count(name) > 0; }
  /// The exact value of a parameter the entry lists (validated before any evaluator runs).
  const rational& exact(const std::string& name) const;
  rational exact_or_zero(const std::string& name) const { return has(name) ? exact(name) : rational(0); }
  template <class Real> Real real(const std::string& name) const { return to_real<Real>(exact(name)); }
  template <class Real> Real real_or_zero(const std::string& name) const { return has(name) ? real<Real>(name) : Real(0); }
  const std::string& text(const std::string& name) const;
  const spectrum_spec& spectrum() const;  // quantities with uses_spectrum only
  const eval_request& request() const { return req_; }

private:
  const eval_request& req_;
};

/// An exact (rational) result and its named components.
struct exact_eval {
  rational value;
  std::vector<std::pair<std::string, rational>> components;
};

/// A Real result, its named components, and diagnostics (method, iterations, ...). `sums` and
/// `worst_sum_error` count the spectral sums evaluated (0 when there is no spectrum).
template <class Real> struct real_eval {
  Real value = 0;
  std::vector<std::pair<std::string, Real>> components;
  nlohmann::json diagnostics = nlohmann::json::object();
  double worst_sum_error = 0;
  long sums = 0;
};

/// Which route a Real evaluator takes: the primary one, or the independent one (Hurwitz tail /
/// Mellin expansion for power-law sums, §8.4) used to certify it.
enum class route { primary, independent };

using exact_evaluator = exact_eval (*)(const arguments&);
template <class Real> using real_evaluator = real_eval<Real> (*)(const arguments&, route);

// ---- catalogue entries -----------------------------------------------------------------------------

/// Everything about a quantity except its evaluator; written with designated initialisers.
struct quantity_spec {
  std::string name;
  std::string section;                        // of theory/model-collapse-regression.md
  std::string description;
  std::vector<parameter> parameters;          // all required
  std::vector<parameter> generator_parameters;  // T0/sigma02: required when n >= 1, refused when n = 0
  bool uses_spectrum = false;
  std::vector<std::string> components;        // as the evaluator names them, in order
};

/// A catalogue entry: a quantity_spec and its evaluator. The constructors require an evaluator, so an
/// entry without one does not compile. A Real evaluator is a generic lambda
/// `[]<class Real>(const arguments&, route) -> real_eval<Real>`, instantiated here for double (fast
/// sweeps) and mpfr_real (certified digits); an exact evaluator is `(const arguments&) -> exact_eval`.
struct quantity_info : quantity_spec {
  exact_evaluator evaluate_exact = nullptr;          // set iff the result is rational
  real_evaluator<double> evaluate_double = nullptr;  // set iff the result is real
  real_evaluator<mpfr_real> evaluate_mpfr = nullptr;

  template <class F>
    requires std::is_empty_v<F> && std::is_convertible_v<F, exact_evaluator>
  quantity_info(quantity_spec s, F f) : quantity_spec(std::move(s)), evaluate_exact(f) {}

  template <class F>
    requires std::is_empty_v<F> && std::default_initializable<F> && requires(const arguments& a) {
      { F{}.template operator()<double>(a, route::primary) } -> std::same_as<real_eval<double>>;
    }
  quantity_info(quantity_spec s, F)
      : quantity_spec(std::move(s)),
        evaluate_double([](const arguments& a, route r) { return F{}.template operator()<double>(a, r); }),
        evaluate_mpfr([](const arguments& a, route r) { return F{}.template operator()<mpfr_real>(a, r); }) {}

  bool exact() const { return evaluate_exact != nullptr; }
  /// The entry's parameter (listed or generator) called `name`, or nullptr.
  const parameter* find_parameter(const std::string& name) const;
};

/// Every quantity, grouped by formula family.
const std::vector<quantity_info>& catalogue();
const quantity_info& find_quantity(const std::string& name);  // throws domain_error listing the known names

/// Every numeric parameter name the CLI accepts (spectrum parameters included), and its help text.
const std::vector<std::string>& all_parameter_names();
std::string parameter_help(const std::string& name);

// ---- building and evaluating requests ----------------------------------------------------------------

struct eval_output {
  std::string quantity;
  int digits = 30;
  std::string value;                                           // D significant digits, certified
  std::optional<std::string> exact;                            // "p/q" when the result is rational
  std::vector<std::pair<std::string, std::string>> components; // certified like value
  nlohmann::json diagnostics = nlohmann::json::object();
};

/// Builds a request from option names (without "--"; "spectrum" included) and their texts, routing
/// --d/--w0norm2/--beta/--r to the spectrum when the quantity takes one. The one request builder: the
/// CLI, the golden check and the tests all read parameters through it. `base_dir` resolves a relative
/// `file:PATH` spectrum (empty: the current directory). Throws domain_error for an unknown parameter,
/// a malformed number or a bad spectrum.
eval_request build_request(const std::string& quantity, const std::map<std::string, std::string>& options, int digits,
                           const std::string& base_dir = {});

/// Splits "--name value --name2 value2" (as stored in reference/golden tables) into options.
std::map<std::string, std::string> parse_option_string(const std::string& args);

/// Validates the request against its entry: every parameter listed, none missing, each in its range;
/// T0/sigma02 required when n >= 1 and refused when n = 0 (they would be silently ignored).
void validate(const eval_request& req, const quantity_info& qi);

/// Validates the request and evaluates it with every printed digit certified: exact rationals are
/// rounded exactly; other quantities are evaluated at D + guard digits by the primary method and at
/// D + 2·guard by the independent one (§8.4), and the printed digits must be those of every value
/// within twice their difference (else more guard digits, and finally a convergence_error rather
/// than a wrong digit).
eval_output evaluate_certified(const eval_request& req);

/// Fast double-precision value of a (non-certified) quantity, for sweeps in the harness.
double evaluate_double(const eval_request& req);

}  // namespace collapse::eval
