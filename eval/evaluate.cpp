// eval/evaluate.cpp -- evaluation of every catalogue quantity, generic over Real, and the
// certification that makes every printed digit right (see catalogue.hpp).
#include "eval/catalogue.hpp"
#include "eval/decimal.hpp"

#include "theory/exact.hpp"
#include "theory/isotropic.hpp"
#include "theory/lambda_opt.hpp"
#include "theory/overgen_de.hpp"
#include "theory/powerlaw_asymptotics.hpp"
#include "theory/ridge_de.hpp"

#include <chrono>
#include <cmath>

namespace collapse::eval {

namespace {

using json = nlohmann::json;

// ---- request access and validation -----------------------------------------------------------------

const exact_number& param(const eval_request& r, const std::string& name) {
  auto it = r.params.find(name);
  if (it == r.params.end()) throw domain_error("--" + name, "(missing)", "required by " + r.quantity);
  return it->second;
}
bool has(const eval_request& r, const std::string& name) { return r.params.count(name) > 0; }
const rational& Q(const eval_request& r, const std::string& name) { return param(r, name).value; }
template <class Real> Real R(const eval_request& r, const std::string& name) { return to_real<Real>(Q(r, name)); }

std::string range_of(const std::string& name, const std::string& quantity) {
  if (name == "n") return "an integer 0 <= n <= 1000000";
  if (name == "d") return "an integer d >= 1";
  if (name == "m" && quantity == "df") return "an integer 1 <= m <= 64";
  if (name == "phi0" && quantity == "overgen-iso-risk") return "phi0 > 1";
  if (name == "beta") return "beta > 1";
  if (name == "phi" || name == "kappa" || name == "T" || name == "T0" || name == "r" || name == "sigma-eff2" || name == "phi0")
    return name + " > 0";
  return name + " >= 0";
}

void validate_domains(const eval_request& req, const quantity_info& qi) {
  for (const auto& [name, v] : req.params) {
    const std::string range = range_of(name, qi.name);
    if (v.infinite) throw domain_error("--" + name, v.text, range);
    const rational& x = v.value;
    bool ok;
    if (name == "n") ok = is_integer(x) && x >= 0 && x <= 1000000;
    else if (name == "d") ok = is_integer(x) && x >= 1 && x <= rational(max_dimension());
    else if (name == "m" && qi.name == "df") ok = is_integer(x) && x >= 1 && x <= 64;
    else if (name == "phi0" && qi.name == "overgen-iso-risk") ok = x > 1;
    else if (name == "beta") ok = x > 1 && x <= 64;
    else if (range.find("> 0") != std::string::npos) ok = x > 0;
    else ok = x >= 0;
    if (!ok) throw domain_error("--" + name, v.text, range);
  }
}

void validate_parameters(const eval_request& req, const quantity_info& qi) {
  auto listed = [&](const std::string& n) {
    for (const auto& p : qi.required) if (p == n) return true;
    for (const auto& p : qi.optional) if (p == n) return true;
    return false;
  };
  for (const auto& [name, v] : req.params) {
    if (!listed(name)) {
      std::string ps;
      for (const auto& p : qi.required) ps += " --" + p;
      for (const auto& p : qi.optional) ps += " [--" + p + "]";
      if (qi.uses_spectrum) ps += " and a spectrum (--spectrum ...)";
      throw domain_error("--" + name, v.text, "not a parameter of " + qi.name + "; its parameters are" + ps);
    }
  }
  for (const auto& p : qi.required) param(req, p);
  // T0 and sigma02 are needed exactly when n >= 1
  if (!qi.optional.empty() && has(req, "n")) {
    bool generators = Q(req, "n") > 0;
    for (const auto& p : qi.optional) {
      if (generators) param(req, p);
    }
  }
  if (qi.uses_spectrum && !req.spectrum) throw domain_error("--spectrum", "(missing)", "isotropic, powerlaw or file:PATH; required by " + qi.name);
  if (!qi.uses_spectrum && req.spectrum) throw domain_error("--spectrum", req.spectrum->describe(), "no spectrum: " + qi.name + " does not take one");
  validate_domains(req, qi);
}

// ---- exact quantities ------------------------------------------------------------------------------

struct exact_eval {
  rational value;
  std::vector<std::pair<std::string, rational>> components;
};

exact_eval evaluate_exact(const eval_request& r) {
  const std::string& q = r.quantity;
  auto opt = [&](const char* n) { return has(r, n) ? Q(r, n) : rational(0); };
  if (q == "ols-exact") {
    auto e = exact::ols(Q(r, "d"), Q(r, "T"), opt("T0"), Q(r, "n"), Q(r, "sigma2"), opt("sigma02"));
    return {e.total, {{"clean", e.clean}, {"collapse", e.collapse}}};
  }
  if (q == "iso-minnorm-exact") {
    auto e = exact::iso_minnorm(Q(r, "d"), Q(r, "T"), opt("T0"), Q(r, "n"), Q(r, "sigma2"), opt("sigma02"), Q(r, "w0norm2"));
    return {e.total, {{"clean", e.clean}, {"collapse", e.collapse}}};
  }
  if (q == "overgen-iso-generator-exact") {
    auto e = exact::overgen_iso_generator(Q(r, "d"), Q(r, "T0"), Q(r, "n"), Q(r, "sigma02"), Q(r, "w0norm2"));
    return {e.error, {{"q", e.q}, {"a_n", e.a_n}, {"b_n", e.b_n}}};
  }
  if (q == "overgen-iso-exact") {
    auto e = exact::overgen_iso(Q(r, "d"), Q(r, "T"), Q(r, "T0"), Q(r, "n"), Q(r, "sigma2"), Q(r, "sigma02"), Q(r, "w0norm2"));
    return {e.total, {{"alpha", e.alpha}, {"V", e.V}, {"generator_error", e.chain.error}}};
  }
  throw std::logic_error("not an exact quantity: " + q);
}

// ---- floating quantities, generic over Real --------------------------------------------------------

template <class Real> struct real_eval {
  Real value = 0;
  std::vector<std::pair<std::string, Real>> components;
  json diagnostics = json::object();
  double worst_sum_error = 0;
  long sums = 0;
};

template <class Real> void note_kappa(json& d, const char* key, const kappa_solution<Real>& k) {
  d[key] = {{"method", k.method}, {"iterations", k.iterations}, {"residual", static_cast<double>(k.residual)},
            {"certified_relative_error", static_cast<double>(k.relative_error)}};
}

template <class Real> Real one_minus_q_pow_n(const rational& phi0, const rational& n) {
  using std::expm1; using std::log1p;
  long nn = boost::multiprecision::numerator(n).convert_to<long>();
  if (nn <= 4096) return to_real<Real>(1 - exact::detail::pow_int(1 / phi0, nn));
  // 1 − φ0^-n = −expm1(−n log1p(φ0 − 1)), no cancellation
  return -expm1(-Real(nn) * log1p(to_real<Real>(phi0 - 1)));
}

template <class Real> real_eval<Real> evaluate_real(const eval_request& r, sum_route route) {
  real_eval<Real> out;
  const std::string& q = r.quantity;
  std::optional<spectrum<Real>> s;
  if (r.spectrum) s.emplace(*r.spectrum, route);
  auto& diag = out.diagnostics;
  if (q == "overgen-iso-risk") {
    auto e = overgen_iso_risk(R<Real>(r, "phi"), R<Real>(r, "phi0"), R<Real>(r, "lambda"), R<Real>(r, "n"), R<Real>(r, "w0norm2"),
                              R<Real>(r, "sigma2"), R<Real>(r, "sigma02"), one_minus_q_pow_n<Real>(Q(r, "phi0"), Q(r, "n")));
    out.value = e.total;
    out.components = {{"kappa", e.kappa}, {"alpha1", e.alpha1}, {"alpha2", e.alpha2}, {"E0", e.E0}, {"Einf", e.Einf}};
    diag["method"] = "closed form (proportional limit)";
  } else if (q == "iso-kappa") {
    out.value = iso_kappa(R<Real>(r, "phi"), R<Real>(r, "lambda"));
    diag["method"] = "closed form, cancellation-free branch";
  } else if (q == "iso-risk") {
    auto e = iso_risk(R<Real>(r, "phi"), R<Real>(r, "lambda"), R<Real>(r, "w0norm2"), R<Real>(r, "sigma2"), R<Real>(r, "m"));
    out.value = e.total;
    out.components = {{"kappa", e.kappa}, {"clean", e.clean}, {"collapse", e.collapse}};
    diag["method"] = "closed form";
  } else if (q == "kappa" || q == "kappa0") {
    auto k = q == "kappa" ? solve_kappa(*s, R<Real>(r, "T"), R<Real>(r, "lambda")) : solve_kappa0(*s, R<Real>(r, "T0"));
    out.value = k.kappa;
    note_kappa(diag, q.c_str(), k);
    diag["method"] = k.method;
    diag["iterations"] = k.iterations;
    diag["residual"] = static_cast<double>(k.residual);
  } else if (q == "df") {
    Real k = R<Real>(r, "kappa");
    out.value = df(*s, k, static_cast<int>(boost::multiprecision::numerator(Q(r, "m")).convert_to<long>()));
    diag["method"] = "spectral sum";
  } else if (q == "bias-numerator") {
    out.value = bias_numerator(*s, R<Real>(r, "kappa"));
    diag["method"] = "spectral sum of positive terms";
  } else if (q == "ridge-risk") {
    ridge_params<Real> p;
    p.T = R<Real>(r, "T"); p.lambda = R<Real>(r, "lambda"); p.sigma2 = R<Real>(r, "sigma2"); p.n = R<Real>(r, "n");
    if (has(r, "T0")) p.T0 = R<Real>(r, "T0");
    if (has(r, "sigma02")) p.sigma02 = R<Real>(r, "sigma02");
    auto e = ridge_risk(*s, p);
    out.value = e.total;
    out.components = {{"kappa", e.kappa.kappa}, {"df1", e.df1},           {"df2", e.df2},
                      {"bias", e.bias},         {"variance", e.variance}, {"collapse", e.collapse},
                      {"sigma_eff2", e.sigma_eff2}};
    note_kappa(diag, "kappa", e.kappa);
    diag["method"] = "deterministic equivalent (§3.2-3.3), cancellation-free forms (§8.2)";
    diag["iterations"] = e.kappa.iterations;
    diag["residual"] = static_cast<double>(e.kappa.residual);
  } else if (q == "overgen-generator-risk" || q == "overgen-risk") {
    overgen_params<Real> p;
    p.T0 = R<Real>(r, "T0"); p.n = R<Real>(r, "n"); p.sigma02 = R<Real>(r, "sigma02");
    if (Q(r, "n") > 200) throw domain_error("--n", param(r, "n").text, "0 <= n <= 200 for the over-parameterised recursion", "its cost grows as n^2");
    if (q == "overgen-generator-risk") {
      auto e = overgen_generator_risk(*s, p);
      out.value = e.generator_error;
      out.components = {{"kappa0", e.kappa0.kappa}, {"shrinkage", e.shrinkage}};
      note_kappa(diag, "kappa0", e.kappa0);
      diag["iterations"] = e.kappa0.iterations;
      diag["residual"] = static_cast<double>(e.kappa0.residual);
    } else {
      p.T = R<Real>(r, "T"); p.lambda = R<Real>(r, "lambda"); p.sigma2 = R<Real>(r, "sigma2");
      auto e = overgen_risk(*s, p);
      out.value = e.total;
      out.components = {{"kappa0", e.kappa0.kappa}, {"kappa", e.kappa.kappa}, {"generator_error", e.generator_error},
                        {"bias", e.bias}, {"variance", e.variance}, {"collapse_variance", e.collapse_variance}};
      note_kappa(diag, "kappa0", e.kappa0);
      note_kappa(diag, "kappa", e.kappa);
      diag["iterations"] = e.kappa0.iterations + e.kappa.iterations;
      diag["residual"] = static_cast<double>(std::max(e.kappa0.residual, e.kappa.residual));
    }
    diag["method"] = "deterministic-equivalent recursion (§4.3), symbolic in positive terms";
  } else if (q == "powerlaw-constants") {
    auto c = powerlaw_constants_of(R<Real>(r, "beta"), R<Real>(r, "r"));
    out.value = c.C1;
    out.components = {{"C1", c.C1}, {"C2", c.C2}};
    if (c.has_B) out.components.push_back({"B", c.B});
    else diag["note"] = "B is omitted at r = 1: the bias is ~ kappa^2 log(1/kappa)/beta there (§5.3), no constant";
    diag["method"] = "closed form (Gamma, zeta, pi)";
  } else if (q == "crossover") {
    out.value = crossover_T(R<Real>(r, "beta"), R<Real>(r, "r"), R<Real>(r, "sigma-eff2"));
    diag["method"] = "closed form (§5.6)";
  } else if (q == "kappa-opt-asymptotic") {
    auto k = kappa_opt_asymptotic_of(R<Real>(r, "beta"), R<Real>(r, "r"), R<Real>(r, "T"), R<Real>(r, "sigma-eff2"));
    out.value = k.kappa;
    out.components = {{"risk", k.risk}};
    diag["method"] = "closed form (§5.5)";
  } else if (q == "iso-lambda-opt") {
    auto e = iso_lambda_opt(R<Real>(r, "phi"), R<Real>(r, "w0norm2"), R<Real>(r, "sigma2"), R<Real>(r, "m"));
    out.value = e.lambda;
    out.components = {{"kappa_opt", e.kappa}, {"risk_opt", e.risk}};
    diag["method"] = "largest real root of the quartic (§6), TOMS 748";
    diag["iterations"] = e.iterations;
  } else if (q == "lambda-opt") {
    lambda_opt_params<Real> p;
    p.T = R<Real>(r, "T"); p.sigma2 = R<Real>(r, "sigma2"); p.n = R<Real>(r, "n");
    if (has(r, "T0")) p.T0 = R<Real>(r, "T0");
    if (has(r, "sigma02")) p.sigma02 = R<Real>(r, "sigma02");
    auto e = lambda_opt(*s, p);
    out.value = e.lambda;
    out.components = {{"kappa_opt", e.kappa}, {"risk_opt", e.risk}};
    diag["method"] = e.at_boundary ? "boundary optimum: dE/dkappa >= 0 at kappa_0, lambda* = 0 (interpolation)"
                                   : "root of dE/dkappa (§6), TOMS 748";
    diag["iterations"] = e.iterations;
    diag["at_boundary"] = e.at_boundary;
  } else {
    throw std::logic_error("no evaluator for " + q);
  }
  if (s) {
    out.worst_sum_error = static_cast<double>(s->worst_relative_error());
    out.sums = s->sums_evaluated();
  }
  return out;
}

// ---- certification ---------------------------------------------------------------------------------

/// The D-digit decimal of v if every value within err of v prints the same, else nullopt.
std::optional<std::string> certified_digits(const mpfr_real& v, const mpfr_real& err, int digits) {
  std::string lo = format_decimal(exact_value(mpfr_real(v - err)), digits);
  std::string hi = format_decimal(exact_value(mpfr_real(v + err)), digits);
  if (v == 0 && err == 0) return std::string("0");
  if (lo != hi) return std::nullopt;
  return lo;
}

}  // namespace

eval_output evaluate_certified(const eval_request& req) {
  const quantity_info& qi = find_quantity(req.quantity);
  if (req.digits < 10 || req.digits > 1000)
    throw domain_error("--digits", std::to_string(req.digits), "an integer 10 <= digits <= 1000");
  validate_parameters(req, qi);
  eval_output out;
  out.quantity = qi.name;
  out.digits = req.digits;
  auto t0 = std::chrono::steady_clock::now();
  if (qi.exact) {
    auto e = evaluate_exact(req);
    out.value = format_decimal(e.value, req.digits);
    out.exact = fraction_string(e.value);
    for (auto& [n, v] : e.components) out.components.push_back({n, format_decimal(v, req.digits)});
    out.diagnostics["method"] = "exact rational arithmetic (" + qi.section + ")";
    json ex = json::object();
    for (auto& [n, v] : e.components) ex[n] = fraction_string(v);
    out.diagnostics["exact_components"] = ex;
    out.diagnostics["error_estimate"] = "0";
  } else {
    int guard = 20 + req.digits / 10;
    for (int attempt = 0;; ++attempt) {
      const int p1 = req.digits + guard, p2 = req.digits + 2 * guard;
      real_eval<mpfr_real> e1, e2;
      {
        precision_guard g(p1);
        e1 = evaluate_real<mpfr_real>(req, sum_route::primary);
      }
      precision_guard g(p2);
      e2 = evaluate_real<mpfr_real>(req, sum_route::independent);
      auto floor_err = [&](const mpfr_real& v) { return mpfr_real(abs(v) * pow(mpfr_real(10), -(req.digits + guard + 5))); };
      bool ok = true;
      mpfr_real worst = 0;
      auto certify = [&](const mpfr_real& a, const mpfr_real& b) -> std::optional<std::string> {
        mpfr_real err = 2 * abs(mpfr_real(a - b)) + floor_err(b);
        if (b != 0) worst = std::max(worst, mpfr_real(err / abs(b)));
        auto s = certified_digits(b, err, req.digits);
        if (!s) ok = false;
        return s;
      };
      auto value = certify(e1.value, e2.value);
      std::vector<std::pair<std::string, std::string>> comps;
      for (std::size_t i = 0; i < e2.components.size() && ok; ++i) {
        auto c = certify(e1.components[i].second, e2.components[i].second);
        if (c) comps.push_back({e2.components[i].first, *c});
      }
      if (ok && value) {
        out.value = *value;
        out.components = std::move(comps);
        out.diagnostics = e2.diagnostics;
        out.diagnostics["error_estimate"] = format_decimal(exact_value(worst), 3);
        out.diagnostics["working_digits"] = {p1, p2};
        out.diagnostics["certification"] =
            "primary route at " + std::to_string(p1) + " digits vs independent route at " + std::to_string(p2) +
            " digits; every printed digit is shared by all values within twice their difference";
        if (e2.sums) {
          out.diagnostics["spectral_sums"] = e1.sums + e2.sums;
          out.diagnostics["worst_sum_relative_error"] = std::max(e1.worst_sum_error, e2.worst_sum_error);
        }
        break;
      }
      if (attempt >= 3)
        throw convergence_error(qi.name + ": cannot certify " + std::to_string(req.digits) + " digits (the evaluations at " +
                                std::to_string(p1) + " and " + std::to_string(p2) +
                                " digits disagree too much; the problem is too ill-conditioned here)");
      guard *= 2;
    }
  }
  out.diagnostics["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.diagnostics["section"] = qi.section;
  return out;
}

double evaluate_double(const eval_request& req) {
  const quantity_info& qi = find_quantity(req.quantity);
  validate_parameters(req, qi);
  if (qi.exact) return evaluate_exact(req).value.convert_to<double>();
  return evaluate_real<double>(req, sum_route::primary).value;
}

}  // namespace collapse::eval
