// formula/evaluate.cpp -- the numerical side of a formula (see formula.hpp): points, and ONE walk of the
// compiled tree (formula/tree.hpp) generic over the scalar type -- rational (the exact path: + - * / and
// integer powers only), double (sweeps), mpfr_real (certified digits, eval/certify.hpp) -- whose spectral
// primitives call theory/ exactly as the catalogue's evaluators do (§1, §3.1, §8.4).
#include "formula/formula.hpp"
#include "formula/tree.hpp"

#include "eval/certify.hpp"
#include "eval/decimal.hpp"
#include "eval/digits.hpp"
#include "eval/spectrum_input.hpp"

#include "theory/errors.hpp"
#include "theory/kappa.hpp"
#include "theory/special.hpp"
#include "theory/spectrum.hpp"
#include "theory/zeta.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <type_traits>

namespace collapse::formula {

namespace {

using detail::node;
using detail::op;

/// Thrown by the rational walk at the first node that is not rational arithmetic.
struct not_rational {};

/// The largest |k| of an exact integer power x^k (beyond it the exact path gives way to the numerical one).
constexpr long max_exact_power = 100000;
/// The most directions sumj(...) sums over.
constexpr long max_summand_directions = 1000000;

std::optional<rational> spectrum_value(const spectrum_spec& s, const std::string& name) {
  if (name == "d" && !s.infinite()) return rational(s.dimension());
  if (name == "w0norm2" && s.type == spectrum_spec::kind::isotropic) return s.w0norm2.value;
  if (name == "beta" && s.type == spectrum_spec::kind::powerlaw) return s.beta.value;
  if (name == "r" && s.type == spectrum_spec::kind::powerlaw) return s.r.value;
  return std::nullopt;
}

/// The value of each symbol of `f` at `p` (in the order of f.symbols()); throws for a missing one.
std::vector<rational> symbol_values(const formula& f, const point& p) {
  std::vector<rational> v;
  for (const auto& name : f.symbols()) {
    if (p.spectrum)
      if (auto sv = spectrum_value(*p.spectrum, name)) {
        auto it = p.values.find(name);
        if (it != p.values.end() && it->second.value != *sv)
          throw domain_error("--" + option_of(name), it->second.text, "the spectrum's " + name + " = " + fraction_string(*sv),
                             "the symbol " + name + " takes the spectrum's value");
        v.push_back(*sv);
        continue;
      }
    auto it = p.values.find(name);
    if (it == p.values.end()) {
      std::string why = "the formula uses it";
      if (p.spectrum && (name == "d" || name == "w0norm2" || name == "beta" || name == "r"))
        why = "the spectrum " + p.spectrum->describe() + " does not define it" +
              (name == "w0norm2" ? "; w0_sigma(0) is ||w0||^2 for any spectrum" : "");
      throw domain_error("--" + option_of(name), "(missing)", "a value for every symbol of the formula: " + [&] {
        std::string s;
        for (const auto& n : f.symbols()) s += (s.empty() ? "" : ", ") + n;
        return s;
      }(), why);
    }
    if (it->second.infinite) throw domain_error("--" + option_of(name), it->second.text, "a finite number");
    v.push_back(it->second.value);
  }
  return v;
}

template <class Real> Real of_rational(const rational& q) {
  if constexpr (std::is_same_v<Real, rational>) return q;
  else return to_real<Real>(q);
}

template <class Real> Real pow_int(Real x, long k) {
  if (k < 0) return Real(1) / pow_int(std::move(x), -k);
  Real r = 1;
  while (k) {
    if (k & 1) r *= x;
    x *= x;
    k >>= 1;
  }
  return r;
}

/// The walk at one point: symbol values, the spectrum (summed by `route`), the memo of primitive calls.
template <class Real> class walker {
public:
  walker(const detail::tree& t, const std::vector<rational>& values, const std::optional<spectrum_spec>& spec, eval::route r)
      : t_(t), memo_(t.memo_slots) {
    for (const auto& v : values) values_.push_back(of_rational<Real>(v));
    if constexpr (!std::is_same_v<Real, rational>)
      if (t.spectral) s_.emplace(*spec, r == eval::route::primary ? sum_route::primary : sum_route::independent);
  }

  Real eval(int i) {
    const node& n = t_.nodes[static_cast<std::size_t>(i)];
    switch (n.kind) {
      case op::constant: return of_rational<Real>(n.value);
      case op::symbol: return values_[static_cast<std::size_t>(n.slot)];
      case op::summand_eig: return eig_j_;
      case op::summand_w2: return w2_j_;
      case op::add: {
        Real s = 0;
        if constexpr (is_mpfr<Real>::value) {
          Real magnitude = 0;  // sum of |term|: the cancellation is log10(magnitude / |s|) digits
          for (int a : n.args) {
            const Real t = eval(a);
            s += t;
            magnitude += abs(t);
          }
          note_cancellation(i, s, magnitude);
        } else {
          for (int a : n.args) s += eval(a);
        }
        return s;
      }
      case op::mul: {
        Real s = 1;
        for (int a : n.args) s *= eval(a);
        return s;
      }
      case op::power: return power(n);
      default: break;
    }
    if constexpr (std::is_same_v<Real, rational>) {
      switch (n.kind) {
        case op::abs: { Real x = eval(n.args[0]); return x < 0 ? Real(-x) : x; }
        case op::min: { Real x = eval(n.args[0]), y = eval(n.args[1]); return x < y ? x : y; }
        case op::max: { Real x = eval(n.args[0]), y = eval(n.args[1]); return x < y ? y : x; }
        default: throw not_rational{};
      }
    } else {
      Real v = detail::is_spectral(n.kind) ? primitive(n) : elementary(n);
      if (isinf_value(v))
        throw domain_error(n.text, value_text(v), magnitude_range(), "its magnitude overflows the number format at these parameters");
      if (!is_finite(v)) throw domain_error(n.text, value_text(v), "a finite value", "the formula is undefined at these parameters");
      return v;
    }
  }

  /// Digits lost to cancellation by the sums of this walk (each sum's worst, added up over the sums), and
  /// whether a sum of nonzero terms came out exactly 0 (every digit lost: the sign and size are unknown).
  double cancelled_digits() const {
    double total = 0;
    for (double l : lost_) total += l;
    return total;
  }
  bool cancelled_to_zero() const { return zero_sum_; }

  /// Number of spectral sums and their worst relative error (diagnostics).
  long sums() const { return s_ ? s_->sums_evaluated() : 0; }
  double worst_sum_error() const { return s_ ? static_cast<double>(s_->worst_relative_error()) : 0.0; }

private:
  const node& arg(const node& n, std::size_t k) const { return t_.nodes[static_cast<std::size_t>(n.args[k])]; }

  static bool isinf_value(const Real& v) {
    using std::isinf;
    return isinf(v);
  }
  static std::string magnitude_range() {
    return "a magnitude of at most 10^" + std::to_string(static_cast<long>(eval::max_decimal_exponent));
  }

  void note_cancellation(int i, const Real& s, const Real& magnitude) {
    if (lost_.empty()) lost_.assign(t_.nodes.size(), 0.0);
    double& l = lost_[static_cast<std::size_t>(i)];
    if (s == 0) {
      if (magnitude != 0) zero_sum_ = true;
      return;
    }
    l = std::max(l, static_cast<double>(log10(Real(magnitude / abs(s)))));
  }

  [[noreturn]] static void division_by_zero(const node& base) {
    throw domain_error(base.text, "0", "nonzero", "the formula divides by it at these parameters");
  }

  Real power(const node& n) {
    const node& e = arg(n, 1);
    const Real b = eval(n.args[0]);
    if (e.kind == op::constant && is_integer(e.value) && abs(e.value) <= max_exact_power) {
      const long k = boost::multiprecision::numerator(e.value).convert_to<long>();
      if (k < 0 && b == 0) division_by_zero(arg(n, 0));
      return pow_int(b, k);
    }
    if constexpr (std::is_same_v<Real, rational>) {
      const Real x = eval(n.args[1]);
      if (!is_integer(x) || abs(x) > max_exact_power) throw not_rational{};
      const long k = boost::multiprecision::numerator(x).template convert_to<long>();
      if (k < 0 && b == 0) division_by_zero(arg(n, 0));
      return pow_int(b, k);
    } else {
      using std::floor; using std::pow; using std::sqrt;
      if (e.kind == op::constant && e.value == rational(1, 2)) {
        if (b < 0) throw domain_error(arg(n, 0).text, value_text(b), ">= 0", "the square root of a negative number");
        return sqrt(b);
      }
      const Real x = eval(n.args[1]);
      const bool integral = x == floor(x);
      if (b == 0 && x < 0) division_by_zero(arg(n, 0));
      if (b == 0 && x == 0) throw domain_error(n.text, "0^0", "a base or an exponent that is not 0", "0^0 is undefined");
      if (b < 0 && !integral)
        throw domain_error(arg(n, 0).text, value_text(b), ">= 0", "a negative number to the non-integer power " + value_text(x));
      return pow(b, x);
    }
  }

  Real elementary(const node& n) {
    using std::abs; using std::atan; using std::cos; using std::cosh; using std::exp; using std::floor; using std::log;
    using std::sin; using std::sinh; using std::tan; using std::tanh;
    switch (n.kind) {
      case op::pi: return pi_const<Real>();
      case op::euler:
        if constexpr (is_mpfr<Real>::value) { Real r; mpfr_const_euler(r.backend().data(), MPFR_RNDN); return r; }
        else return boost::math::constants::euler<Real>();
      case op::catalan:
        if constexpr (is_mpfr<Real>::value) { Real r; mpfr_const_catalan(r.backend().data(), MPFR_RNDN); return r; }
        else return boost::math::constants::catalan<Real>();
      default: break;
    }
    const Real x = eval(n.args[0]);
    const node& a = arg(n, 0);
    auto pole_at_nonpositive_integer = [&](const char* what) {
      if (x <= 0 && x == floor(x)) throw domain_error(a.text, value_text(x), "not 0, -1, -2, ...", std::string("a pole of ") + what);
    };
    switch (n.kind) {
      case op::exp: return exp(x);
      case op::log:
        if (!(x > 0)) throw domain_error(a.text, value_text(x), "> 0", "the logarithm of a number <= 0");
        return log(x);
      case op::sin: return sin(x);
      case op::cos: return cos(x);
      case op::tan: return tan(x);
      case op::sinh: return sinh(x);
      case op::cosh: return cosh(x);
      case op::tanh: return tanh(x);
      case op::atan: return atan(x);
      case op::abs: return abs(x);
      case op::tgamma: pole_at_nonpositive_integer("the Gamma function"); return gamma_fn(x);
      case op::lgamma:
        pole_at_nonpositive_integer("the Gamma function");
        if constexpr (is_mpfr<Real>::value) { Real r; int sign = 0; mpfr_lgamma(r.backend().data(), &sign, x.backend().data(), MPFR_RNDN); return r; }
        else return std::lgamma(x);
      case op::psi:
        pole_at_nonpositive_integer("the digamma function");
        if constexpr (is_mpfr<Real>::value) { Real r; mpfr_digamma(r.backend().data(), x.backend().data(), MPFR_RNDN); return r; }
        else return boost::math::digamma(x);
      case op::zeta:
        if (x == 1) throw domain_error(a.text + " in " + n.text, "1", "not 1", "the pole of the Riemann zeta function");
        return riemann_zeta(x);
      case op::min: { const Real y = eval(n.args[1]); return x < y ? x : y; }
      case op::max: { const Real y = eval(n.args[1]); return x < y ? y : x; }
      default: throw convergence_error("formula: node " + n.text + " has no evaluator");  // compile() admits no other
    }
  }

  /// An argument that must be an integer lo..hi (the powers m, p, q of the spectral sums).
  int integer_arg(const node& n, std::size_t k, const char* name, int lo, int hi) {
    using std::floor;
    const Real x = eval(n.args[k]);
    if (!(x == floor(x)) || x < lo || x > hi)
      throw domain_error(std::string(name) + " of " + n.text, value_text(x),
                         "an integer " + std::to_string(lo) + " <= " + name + " <= " + std::to_string(hi));
    return static_cast<int>(x);
  }

  Real primitive(const node& n) {
    if (n.memo >= 0 && memo_[static_cast<std::size_t>(n.memo)]) return *memo_[static_cast<std::size_t>(n.memo)];
    Real v;
    try {
      v = primitive_value(n);
    } catch (const domain_error& e) {
      if (e.parameter().find(" of ") != std::string::npos || e.parameter().find(" in ") != std::string::npos) throw;
      throw domain_error(e.parameter() + " in " + n.text, e.value(), e.valid_range());
    }
    if (n.memo >= 0) memo_[static_cast<std::size_t>(n.memo)] = v;
    return v;
  }

  Real primitive_value(const node& n) {
    const spectrum<Real>& s = *s_;
    switch (n.kind) {
      case op::kappa: return solve_kappa(s, eval(n.args[1]), eval(n.args[0])).kappa;
      case op::kappa0: return solve_kappa0(s, eval(n.args[0])).kappa;
      case op::df: {
        const int m = integer_arg(n, 0, "m", 1, 64);
        return df(s, eval(n.args[1]), m);
      }
      case op::bias_numerator: {
        const Real k = eval(n.args[0]);
        if (!(k >= 0)) throw domain_error("kappa", value_text(k), "kappa >= 0");
        return bias_numerator(s, k);
      }
      case op::tr_sigma: return s.value({integer_arg(n, 0, "p", -64, 64), 0, {}});
      case op::w0_sigma: return s.value({integer_arg(n, 0, "p", -64, 64), 1, {}});
      case op::spectral: {
        const int p = integer_arg(n, 0, "p", -64, 64), q = integer_arg(n, 1, "q", 0, 8), m = integer_arg(n, 3, "m", 0, 64);
        const Real k = eval(n.args[2]);
        if (m == 0) return s.value({p, q, {}});
        return s.value({p, q, {{k, m}}});
      }
      case op::sum_j: {
        if (eig_.empty()) materialize(s.spec(), eig_, w2_, max_summand_directions);
        Real total = 0;
        for (std::size_t j = 0; j < eig_.size(); ++j) {
          eig_j_ = eig_[j];
          w2_j_ = w2_[j];
          total += eval(n.args[0]);
        }
        return total;
      }
      default: throw convergence_error("formula: node " + n.text + " is not a primitive");
    }
  }

  const detail::tree& t_;
  std::vector<Real> values_;
  // no spectrum for the exact walk (it stops at the first primitive)
  std::optional<spectrum<std::conditional_t<std::is_same_v<Real, rational>, double, Real>>> s_;
  std::vector<std::optional<Real>> memo_;
  std::vector<Real> eig_, w2_;
  Real eig_j_ = 0, w2_j_ = 0;
  std::vector<double> lost_;  // per add node: its worst cancellation in digits (mpfr walk only)
  bool zero_sum_ = false;
};

/// What the cancellation check of one evaluation saw (evaluate_certified's accept).
struct cancellation {
  double digits = 0;
  bool to_zero = false;
};

template <class Real> eval::real_eval<Real> evaluate_real(const formula& f, const std::vector<rational>& values, const point& p,
                                                          eval::route r, cancellation* seen = nullptr) {
  walker<Real> w(f.compiled(), values, p.spectrum, r);
  eval::real_eval<Real> out;
  try {
    out.value = w.eval(f.compiled().root);
  } catch (const domain_error& e) {
    // A domain decision (a division by zero, the sign under a log or a root, an integer at a pole) taken on a
    // value a sum cancelled to nothing is not a decision: retried at more digits (certify_real), and at the
    // last attempt decided by GiNaC's exact evaluation or refused (evaluate_certified).
    if constexpr (is_mpfr<Real>::value) {
      const int working = digits10<Real>();
      if (w.cancelled_to_zero() || w.cancelled_digits() >= working - 5)
        throw convergence_error(f.text() + ": " + e.what() + ", but only after a cancellation of " +
                                (w.cancelled_to_zero() ? std::string("every digit") : fmt::format("{:.0f} digits", w.cancelled_digits())) +
                                " at " + std::to_string(working) + " working digits");
    }
    throw;
  }
  if (seen) *seen = {w.cancelled_digits(), w.cancelled_to_zero()};
  if (!is_finite(out.value))  // an overflow of the arithmetic itself (the functions and primitives check theirs)
    throw domain_error(f.text(), value_text(out.value), "a finite value", "the formula overflows at these parameters");
  out.sums = w.sums();
  out.worst_sum_error = w.worst_sum_error();
  out.diagnostics["method"] = f.uses_spectrum() ? "formula: tree walk, spectral primitives through theory/ (§1, §3.1, §8.4)"
                                                : "formula: tree walk";
  return out;
}

}  // namespace

void check_point(const formula& f, const point& p) {
  if (f.uses_spectrum() && !p.spectrum)
    throw domain_error("--spectrum", "(missing)", "isotropic, powerlaw or file:PATH", "the formula calls a spectral primitive");
  if (!f.uses_spectrum() && p.spectrum)
    throw domain_error("--spectrum", p.spectrum->describe(), "no spectrum", "the formula calls no spectral primitive");
  if (p.spectrum) validate(*p.spectrum);
  if (f.compiled().summand && p.spectrum && (p.spectrum->infinite() || p.spectrum->dimension() > max_summand_directions))
    throw domain_error("d", p.spectrum->d.text, "d <= " + std::to_string(max_summand_directions), "sumj(...) sums over every direction j");
  symbol_values(f, p);
}

point point_of(const formula& f, const std::map<std::string, std::string>& options, const std::string& base_dir) {
  point p;
  auto get = [&](const char* k) -> std::optional<std::string> {
    auto it = options.find(k);
    if (it == options.end()) return std::nullopt;
    return it->second;
  };
  static const char* spectrum_params[] = {"spectrum", "d", "w0norm2", "beta", "r"};
  if (f.uses_spectrum()) {
    p.spectrum = eval::parse_spectrum({get("spectrum").value_or(""), get("d"), get("w0norm2"), get("beta"), get("r")}, base_dir);
  } else if (auto s = get("spectrum")) {
    throw domain_error("--spectrum", *s, "no spectrum", "the formula calls no spectral primitive");
  }
  const auto& used = f.symbols();
  for (const auto& [name, text] : options) {
    if (f.uses_spectrum() && std::any_of(std::begin(spectrum_params), std::end(spectrum_params), [&](const char* q) { return name == q; }))
      continue;
    std::string sym = name;
    std::replace(sym.begin(), sym.end(), '-', '_');
    if (std::find(used.begin(), used.end(), sym) == used.end()) {
      std::string list;
      for (const auto& u : used) list += (list.empty() ? "" : ", ") + u;
      throw domain_error("--" + name, text, "a symbol of the formula: " + (list.empty() ? std::string("(none)") : list),
                         "the formula does not use " + sym);
    }
    p.values[sym] = parse_exact("--" + name, text);
  }
  check_point(f, p);
  return p;
}

std::optional<rational> exact_value(const formula& f, const point& p) {
  check_point(f, p);
  const auto values = symbol_values(f, p);
  try {
    walker<rational> w(f.compiled(), values, p.spectrum, eval::route::primary);
    return w.eval(f.compiled().root);
  } catch (const not_rational&) {
    return std::nullopt;
  }
}

eval::eval_output evaluate_certified(const formula& f, const point& p, int digits) {
  if (digits < 10 || digits > 1000) throw domain_error("--digits", std::to_string(digits), "an integer 10 <= digits <= 1000");
  const auto t0 = std::chrono::steady_clock::now();
  const auto values = symbol_values(f, p);
  auto exact_output = [&](const rational& q, const std::string& method) {
    eval::eval_output o;
    o.quantity = f.text();
    o.digits = digits;
    o.value = eval::format_decimal(q, digits);
    o.exact = fraction_string(q);
    o.diagnostics["method"] = method;
    o.diagnostics["error_estimate"] = "0";
    return o;
  };
  eval::eval_output out;
  if (auto q = exact_value(f, p)) {
    out = exact_output(*q, "formula: exact rational arithmetic");
  } else {
    // A user's formula may cancel (exp(d) - exp(d + 1e-100), df(1, kappa) - d at a tiny kappa): evaluated at
    // D + guard and D + 2 guard digits both lost every digit and agreed on 0. Here the second evaluation has
    // twice the first's digits and the first's double per attempt; agreement counts only when no sum
    // cancelled to exactly 0 and the first kept D + 5 digits after the cancellation its sums show. A value
    // that still cannot be certified is decided by GiNaC's exact evaluation when it has one (sin(Pi) = 0;
    // tan(Pi/2) is a pole), else refused.
    cancellation seen[2];
    eval::certify_options opt;
    opt.doubling = true;
    opt.accept = [&](int first_digits) -> std::string {
      if (seen[0].to_zero || seen[1].to_zero)
        return "a sum of the formula cancelled to exactly 0 at " + std::to_string(seen[0].to_zero ? first_digits : 2 * first_digits) +
               " working digits";
      if (first_digits - seen[1].digits < digits + 5)
        return fmt::format("the formula's sums cancel about {:.0f} digits, more than {} working digits leave for {} certified ones",
                           seen[1].digits, first_digits, digits);
      return {};
    };
    try {
      out = eval::certify_real(
          f.text(), digits,
          [&](eval::route r) { return evaluate_real<mpfr_real>(f, values, p, r, &seen[r == eval::route::primary ? 0 : 1]); }, opt);
    } catch (const convergence_error&) {
      const auto q = detail::symbolic_value(f, values);  // a pole or a division by zero here is a domain_error
      if (!q) throw;
      out = exact_output(*q, "formula: GiNaC's exact evaluation (the floating evaluations could not be certified)");
    }
  }
  out.diagnostics["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

double evaluate_double(const formula& f, const point& p) {
  if (auto q = exact_value(f, p)) return q->convert_to<double>();
  return evaluate_real<double>(f, symbol_values(f, p), p, eval::route::primary).value;
}

}  // namespace collapse::formula
