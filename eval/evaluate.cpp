// eval/evaluate.cpp -- validation of a request against its catalogue entry, and the certification that
// makes every printed digit right (see catalogue.hpp). The evaluators live in eval/quantities_*.cpp.
#include "eval/catalogue.hpp"
#include "eval/certify.hpp"
#include "eval/decimal.hpp"
#include "eval/digits.hpp"

#include "theory/errors.hpp"

#include <fmt/format.h>
#include <mpfr.h>

#include <chrono>
#include <cmath>

namespace collapse::eval {

// ---- request access --------------------------------------------------------------------------------

const rational& arguments::exact(const std::string& name) const {
  auto it = req_.params.find(name);
  if (it == req_.params.end()) throw domain_error("--" + name, "(missing)", "required by " + req_.quantity);
  return it->second.value;
}

const std::string& arguments::text(const std::string& name) const {
  auto it = req_.params.find(name);
  if (it == req_.params.end()) throw domain_error("--" + name, "(missing)", "required by " + req_.quantity);
  return it->second.text;
}

const spectrum_spec& arguments::spectrum() const {
  if (!req_.spectrum) throw domain_error("--spectrum", "(missing)", "isotropic, powerlaw or file:PATH; required by " + req_.quantity);
  return *req_.spectrum;
}

// ---- validation ------------------------------------------------------------------------------------

void validate(const eval_request& req, const quantity_info& qi) {
  const arguments a(req);
  for (const auto& [name, v] : req.params) {
    if (!qi.find_parameter(name)) {
      std::string ps;
      for (const auto& p : qi.parameters) ps += " --" + p.name;
      for (const auto& p : qi.generator_parameters) ps += " [--" + p.name + "]";
      if (qi.uses_spectrum) ps += " and a spectrum (--spectrum ...)";
      throw domain_error("--" + name, v.text, "not a parameter of " + qi.name + "; its parameters are" + ps);
    }
  }
  for (const auto& [name, v] : req.params) {
    const domain& d = qi.find_parameter(name)->range;
    if (v.infinite || !d.contains(v.value)) throw domain_error("--" + name, v.text, d.describe(name), d.why);
  }
  for (const auto& p : qi.parameters) a.exact(p.name);
  if (!qi.generator_parameters.empty() && a.has("n")) {
    // T0 and sigma02 describe the generators: needed exactly when n >= 1, and refused at n = 0 rather
    // than silently ignored.
    const bool generators = a.exact("n") > 0;
    for (const auto& p : qi.generator_parameters) {
      if (generators) a.exact(p.name);
      else if (a.has(p.name))
        throw domain_error("--" + p.name, a.text(p.name), "only with n >= 1 (n = 0 here)",
                           "with no generator step " + qi.name + " does not use it; drop it or set n >= 1");
    }
  }
  if (qi.uses_spectrum && !req.spectrum) a.spectrum();
  if (!qi.uses_spectrum && req.spectrum) throw domain_error("--spectrum", req.spectrum->describe(), "no spectrum: " + qi.name + " does not take one");
}

// ---- certification ---------------------------------------------------------------------------------

namespace {

/// The D-digit decimal of v if every value within err of v prints the same, else nullopt.
std::optional<std::string> certified_digits(const mpfr_real& v, const mpfr_real& err, int digits) {
  std::string lo = format_decimal(exact_value(mpfr_real(v - err)), digits);
  std::string hi = format_decimal(exact_value(mpfr_real(v + err)), digits);
  if (v == 0 && err == 0) return std::string("0");
  if (lo != hi) return std::nullopt;
  return lo;
}

/// Refuses a certified evaluation whose result the number format cannot hold: MPFR raised its overflow
/// or underflow flag during `evaluations` (an overflow once printed as a certified 0), a value that is not
/// finite, or a value beyond 10^(+-max_decimal_exponent) (its exact decimal would not finish printing).
/// Throws domain_error naming the quantity: more guard digits cannot help, so it is never retried.
void require_representable(const std::string& quantity, const std::vector<const mpfr_real*>& values) {
  const bool flagged = mpfr_overflow_p() || mpfr_underflow_p();
  mpfr_clear_flags();
  const std::string range = "a result of magnitude 10^-" + fmt::format("{:g}", max_decimal_exponent) + " to 10^" +
                            fmt::format("{:g}", max_decimal_exponent) + " (or 0)";
  if (flagged) throw domain_error(quantity, "(beyond the number format)", range, "MPFR overflowed or underflowed while evaluating it");
  for (const mpfr_real* v : values) {
    if (!isfinite(*v)) throw domain_error(quantity, "(not finite)", range);
    if (*v == 0) continue;
    const double e10 = static_cast<double>(mpfr_get_exp(v->backend().data())) * 0.30102999566398120;
    if (std::abs(e10) > max_decimal_exponent + 1)
      throw domain_error(quantity, "10^" + fmt::format("{:.4g}", e10), range, "its exact decimal would not finish printing");
  }
}

std::vector<const mpfr_real*> values_of(const real_eval<mpfr_real>& e) {
  std::vector<const mpfr_real*> v{&e.value};
  for (const auto& c : e.components) v.push_back(&c.second);
  return v;
}

}  // namespace

eval_output certify_real(const std::string& name, int digits, const std::function<real_eval<mpfr_real>(route)>& evaluate,
                         const certify_options& options) {
  eval_output out;
  out.quantity = name;
  out.digits = digits;
  // Guard digits start at 20 + D/10 and double after every failure -- a certification whose two routes
  // disagree, or a convergence_error of the evaluator itself (a root that cannot be bracketed or
  // certified, a sign below its rounding error) -- for at most max_attempts evaluations (guard up to
  // 8 times the first); only then the quantity is refused, naming it and the last reason. A domain_error
  // (an undefined quantity) is never retried: more digits cannot make it defined.
  // With options.doubling the first evaluation's digits double instead (see certify_options).
  const int max_attempts = options.max_attempts;
  int guard = 20 + digits / 10;
  std::string last_failure;
  for (int attempt = 1;; ++attempt, guard = options.doubling ? 2 * (digits + guard) - digits : 2 * guard) {
    const int p1 = digits + guard, p2 = options.doubling ? 2 * p1 : digits + 2 * guard;
    real_eval<mpfr_real> e1, e2;
    try {
      mpfr_clear_flags();  // thread-local in MPFR: require_representable sees this evaluation's flags only
      {
        precision_guard g(p1);
        e1 = evaluate(route::primary);
      }
      precision_guard g(p2);
      e2 = evaluate(route::independent);
      auto both = values_of(e1);
      for (const mpfr_real* v : values_of(e2)) both.push_back(v);
      require_representable(name, both);
    } catch (const convergence_error& e) {
      last_failure = e.what();
      if (attempt >= max_attempts) break;
      continue;
    }
    precision_guard g(p2);
    auto floor_err = [&](const mpfr_real& v) { return mpfr_real(abs(v) * pow(mpfr_real(10), -(digits + guard + 5))); };
    bool ok = true;
    mpfr_real worst = 0;
    auto certify = [&](const mpfr_real& a, const mpfr_real& b) -> std::optional<std::string> {
      mpfr_real err = 2 * abs(mpfr_real(a - b)) + floor_err(b);
      if (b != 0) worst = std::max(worst, mpfr_real(err / abs(b)));
      auto s = certified_digits(b, err, digits);
      if (!s) ok = false;
      return s;
    };
    auto value = certify(e1.value, e2.value);
    std::vector<std::pair<std::string, std::string>> comps;
    for (std::size_t i = 0; i < e2.components.size() && ok; ++i) {
      auto c = certify(e1.components[i].second, e2.components[i].second);
      if (c) comps.push_back({e2.components[i].first, *c});
    }
    const std::string refused = ok && value && options.accept ? options.accept(p1) : std::string();
    if (ok && value && refused.empty()) {
      out.value = *value;
      out.components = std::move(comps);
      out.diagnostics = e2.diagnostics;
      out.diagnostics["error_estimate"] = format_decimal(exact_value(worst), 3);
      out.diagnostics["working_digits"] = {p1, p2};
      out.diagnostics["attempts"] = attempt;
      out.diagnostics["certification"] =
          "primary route at " + std::to_string(p1) + " digits vs independent route at " + std::to_string(p2) +
          " digits; every printed digit is shared by all values within twice their difference";
      if (e2.sums) {
        out.diagnostics["spectral_sums"] = e1.sums + e2.sums;
        out.diagnostics["worst_sum_relative_error"] = std::max(e1.worst_sum_error, e2.worst_sum_error);
      }
      return out;
    }
    last_failure = !refused.empty() ? refused
                                    : "the evaluations at " + std::to_string(p1) + " and " + std::to_string(p2) +
                                          " digits disagree in the printed digits; the problem is too ill-conditioned here";
    if (attempt >= max_attempts) break;
  }
  throw convergence_error(name + ": cannot certify " + std::to_string(digits) + " digits after " + std::to_string(max_attempts) +
                          " attempts with " + std::to_string(20 + digits / 10) + " to " + std::to_string(guard) +
                          " guard digits (last failure: " + last_failure + ")");
}

eval_output evaluate_certified(const eval_request& req) {
  const quantity_info& qi = find_quantity(req.quantity);
  if (req.digits < 10 || req.digits > 1000)
    throw domain_error("--digits", std::to_string(req.digits), "an integer 10 <= digits <= 1000");
  validate(req, qi);
  const arguments args(req);
  eval_output out;
  auto t0 = std::chrono::steady_clock::now();
  if (qi.exact()) {
    out.quantity = qi.name;
    out.digits = req.digits;
    auto e = qi.evaluate_exact(args);
    out.value = format_decimal(e.value, req.digits);
    out.exact = fraction_string(e.value);
    for (auto& [n, v] : e.components) out.components.push_back({n, format_decimal(v, req.digits)});
    out.diagnostics["method"] = "exact rational arithmetic (" + qi.section + ")";
    nlohmann::json ex = nlohmann::json::object();
    for (auto& [n, v] : e.components) ex[n] = fraction_string(v);
    out.diagnostics["exact_components"] = ex;
    out.diagnostics["error_estimate"] = "0";
  } else {
    out = certify_real(qi.name, req.digits, [&](route r) { return qi.evaluate_mpfr(args, r); });
  }
  out.diagnostics["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.diagnostics["section"] = qi.section;
  return out;
}

double evaluate_double(const eval_request& req) {
  const quantity_info& qi = find_quantity(req.quantity);
  validate(req, qi);
  const arguments args(req);
  if (qi.exact()) return qi.evaluate_exact(args).value.convert_to<double>();
  return qi.evaluate_double(args, route::primary).value;
}

}  // namespace collapse::eval
