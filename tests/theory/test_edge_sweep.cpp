// tests/theory/test_edge_sweep.cpp -- issue 8 acceptance: every certified value at the edges of the domain
// (λ from 1e-300 to 1e300, σ² down to 1e-40, φ from 1e-60 to 1e160, T ∈ {d−1, d, d+1, d+2}, an explicit
// spectrum spanning 1e-120 to 1e120) is checked against an independent route written here, in plain
// formulas at 1000 digits, not through theory/:
//   * the isotropic closed forms of §3.5 (κ from the quadratic, R = (κ²a + σ²φ)/((1+κ)² − φ));
//   * for Σ = I and n = 0 the optimal ridge λ* = σ²φ/‖w0‖² (§6, m = 0: the quartic's root in closed form);
//   * for the explicit spectrum, κ by bisection of κ(1 − df1/T) = λ on direct sums at 1000 digits, and the
//     §3.2 risk B T/(T − df2) + σ² df2/(T − df2) from direct sums;
//   * the λ → 0+ limits where the ridgeless formula is 0/0 (d = T, σ² = 0: the limit 0).
// Each row carries its source and its tolerance (a correctly rounded D-digit print is within 10^-(D-1)
// relative of the truth). A row whose quantity is infinite must be refused with a collapse::domain_error;
// any other exception (a convergence_error, a library's own text) is a failure of the row.
#include "eval/catalogue.hpp"
#include "eval/decimal.hpp"
#include "theory/rational.hpp"
#include "theory/errors.hpp"
#include "theory/real.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <sstream>
#include <vector>

using namespace collapse;

namespace {

using R = mpfr_real;
constexpr int reference_digits = 1000;  // the independent route's working precision
constexpr int printed_digits = 20;      // the certified print checked

struct edge_row {
  std::string quantity, options;
  std::string source;                            // where the reference comes from
  std::vector<std::pair<std::string, std::function<R()>>> expected;  // "" = the value, else a component
  bool refusal = false;                          // the quantity is infinite: a domain_error is the right answer
};

R num(const std::string& s) {
  auto slash = s.find('/');
  return slash == std::string::npos ? R(s) : R(R(s.substr(0, slash)) / R(s.substr(slash + 1)));
}

/// κ for Σ = I (§3.5): the positive root of κ² + (1 − φ − λ)κ − λ = 0, cancellation-free branch.
R iso_kappa_ref(const R& phi, const R& lambda) {
  if (lambda == 0) return phi > 1 ? R(phi - 1) : R(0);
  R b = phi - 1 + lambda, root = sqrt(b * b + 4 * lambda);
  return b >= 0 ? R((b + root) / 2) : R(2 * lambda / (root - b));
}
/// Isotropic ridge risk with m (§3.5), directly at the reference precision.
R iso_risk_ref(const R& phi, const R& lambda, const R& a, const R& s, const R& m) {
  R k = iso_kappa_ref(phi, lambda), gap = (1 + k) * (1 + k) - phi;
  return (k * k * (a + m) + s * phi) / gap + m * (1 - k) / (1 + k);
}

/// The explicit spectrum of data/reference/spectra/wide240.csv, as direct sums.
struct wide_spectrum {
  std::vector<R> eig, w2;
  wide_spectrum() {
    const char* e[] = {"1e-120", "1e-80", "1e-40", "1", "1e40", "1e80", "1e120"};
    const char* w[] = {"1e100", "1e60", "1", "1", "1e-60", "1e-100", "1e-130"};
    for (int j = 0; j < 7; ++j) { eig.push_back(num(e[j])); w2.push_back(num(w[j])); }
  }
  R df(const R& k, int m) const { R s = 0; for (auto& l : eig) s += pow(l / (l + k), m); return s; }
  R B(const R& k) const { R s = 0; for (std::size_t j = 0; j < eig.size(); ++j) s += eig[j] * w2[j] * pow(k / (eig[j] + k), 2); return s; }
  R trace() const { R s = 0; for (auto& l : eig) s += l; return s; }
  /// κ(λ, T) by geometric bisection (λ > 0), or κ0 (λ = 0, d > T) by bisection of df1 = T.
  R kappa(const R& T, const R& lambda) const {
    auto F = [&](const R& k) { return lambda > 0 ? R(k * (1 - df(k, 1) / T) - lambda) : R(T - df(k, 1)); };
    R lo = lambda > 0 ? R(lambda / 2) : R(trace() / T * num("1e-400")), hi = lambda + trace() / T;
    for (int i = 0; i < 6000 && hi / lo > 1 + num("1e-60"); ++i) {
      R mid = sqrt(lo * hi);
      (F(mid) < 0 ? lo : hi) = mid;
    }
    return sqrt(lo * hi);
  }
  R risk(const R& T, const R& lambda, const R& s2) const {
    const R d = R(eig.size());
    if (lambda == 0 && d <= T) return s2 * d / (T - d);  // d < T (d = T with σ² = 0 is handled by the caller)
    R k = kappa(T, lambda), df2 = df(k, 2);
    return (B(k) * T + s2 * df2) / (T - df2);
  }
};

std::string str(const R& x) {
  std::ostringstream os;
  os.precision(40);
  os << x;
  return os.str();
}

std::vector<edge_row> build_rows() {
  precision_guard g(reference_digits);  // every constant captured below (φ = d/T, the spectrum) at 1000 digits
  std::vector<edge_row> rows;
  const std::vector<std::string> lambdas = {"1e-300", "1e-200", "1e-105", "1e-100", "1e-50", "1e-20", "1e-5", "1",
                                            "1e5",    "1e20",   "1e50",   "1e100",  "1e200", "1e300"};
  const std::vector<std::string> phis = {"1e-60", "1e-54", "1e-30", "1e-10", "1/2", "1", "2", "1e10", "1e50", "1e100", "1e160"};
  // ---- iso-kappa and iso-risk over φ × λ (closed form §3.5)
  for (const auto& phi : phis)
    for (const auto& l : lambdas) {
      rows.push_back({"iso-kappa", "--phi " + phi + " --lambda " + l, "§3.5 quadratic",
                      {{"", [=] { return iso_kappa_ref(num(phi), num(l)); }}}});
      for (std::string s : {"1", "1e-40"})
        for (std::string m : {"0", "1"})
          rows.push_back({"iso-risk", "--phi " + phi + " --lambda " + l + " --w0norm2 1 --sigma2 " + s + " --m " + m,
                          "§3.5 closed form", {{"", [=] { return iso_risk_ref(num(phi), num(l), 1, num(s), num(m)); }}}});
    }
  // ---- iso-lambda-opt with m = 0: λ* = σ²φ/a, κ* and risk* from the closed forms
  for (const auto& phi : phis)
    for (std::string s : {"1", "1e-20", "1e-40"}) {
      auto lam = [=] { return R(num(s) * num(phi)); };
      rows.push_back({"iso-lambda-opt", "--phi " + phi + " --w0norm2 1 --sigma2 " + s + " --m 0", "§6, m = 0: lambda* = sigma2 phi / a",
                      {{"", lam},
                       {"kappa_opt", [=] { return iso_kappa_ref(num(phi), lam()); }},
                       {"risk_opt", [=] { return iso_risk_ref(num(phi), lam(), 1, num(s), 0); }}}});
    }
  // ---- isotropic spectrum at finite d, T ∈ {d−1, d, d+1, d+2}: kappa, ridge-risk, lambda-opt
  for (int d : {2, 3, 100})
    for (int T = d - 1; T <= d + 2; ++T) {
      const std::string sp = "--spectrum isotropic --d " + std::to_string(d) + " --w0norm2 1 --T " + std::to_string(T);
      const R phi = R(d) / R(T);
      for (const auto& l : lambdas) {
        rows.push_back({"kappa", sp + " --lambda " + l, "§3.5 quadratic with phi = d/T", {{"", [=] { return iso_kappa_ref(phi, num(l)); }}}});
      }
      std::vector<std::string> with_zero = lambdas;
      with_zero.insert(with_zero.begin(), "0");
      for (const auto& l : with_zero)
        for (std::string s : {"1", "1e-40", "0"}) {
          edge_row r{"ridge-risk", sp + " --lambda " + l + " --sigma2 " + s + " --n 0", "§3.5 closed form with phi = d/T", {}};
          if (l == "0" && d == T) {
            if (s != "0") r.refusal = true;  // the ridgeless variance is infinite at d = T
            else { r.source = "lambda -> 0+ limit at d = T, sigma2 = 0: B/(1 - df2/T) ~ kappa/2 -> 0"; r.expected = {{"", [] { return R(0); }}}; }
          } else {
            r.expected = {{"", [=] { return iso_risk_ref(phi, num(l), 1, num(s), 0); }}};
          }
          rows.push_back(r);
        }
      for (std::string s : {"1", "1e-14", "1e-20", "1e-28", "1e-40", "0"}) {
        edge_row r{"lambda-opt", sp + " --sigma2 " + s + " --n 0", "§6, m = 0: lambda* = sigma2 phi / a (0 when sigma2 = 0)", {}};
        auto lam = [=] { return R(num(s) * phi); };
        r.expected = {{"", lam},
                      {"kappa_opt", [=] { return iso_kappa_ref(phi, lam()); }},
                      {"risk_opt", [=] { return d == T && s == "0" ? R(0) : iso_risk_ref(phi, lam(), 1, num(s), 0); }}};
        rows.push_back(r);
      }
    }
  // ---- the explicit spectrum spanning 1e-120 .. 1e120 (d = 7)
  static const wide_spectrum W;
  const int d = 7;
  for (int T = d - 1; T <= d + 2; ++T) {
    const std::string sp = "--spectrum file:data/reference/spectra/wide240.csv --T " + std::to_string(T);
    const R TR = T;
    for (const auto& l : lambdas)
      rows.push_back({"kappa", sp + " --lambda " + l, "bisection of kappa(1 - df1/T) = lambda on direct sums", {{"", [=] { return W.kappa(TR, num(l)); }}}});
    std::vector<std::string> with_zero = lambdas;
    with_zero.insert(with_zero.begin(), "0");
    for (const auto& l : with_zero)
      for (std::string s : {"1", "1e-40", "0"}) {
        edge_row r{"ridge-risk", sp + " --lambda " + l + " --sigma2 " + s + " --n 0", "§3.2 on direct sums, kappa by bisection", {}};
        if (l == "0" && d == T) {
          if (s != "0") r.refusal = true;
          else { r.source = "lambda -> 0+ limit at d = T, sigma2 = 0"; r.expected = {{"", [] { return R(0); }}}; }
        } else {
          r.expected = {{"", [=] { return W.risk(TR, num(l), num(s)); }}};
        }
        rows.push_back(r);
      }
  }
  return rows;
}

/// Relative distance of a printed decimal from the reference; 0/0 counts as 0.
bool agrees(const std::string& printed, const R& ref, const R& tol, std::string& why) {
  R got(printed);
  if (ref == 0) {
    if (got == 0) return true;
    why = "expected exactly 0";
    return false;
  }
  R rel = abs(R(got - ref)) / abs(ref);
  if (rel <= tol) return true;
  why = "relative error " + str(rel) + " > " + str(tol) + "; reference " + str(ref);
  return false;
}

}  // namespace

TEST_CASE("every certified value at the edges of the domain agrees with an independent route to its printed digits",
          "[edge][issue8]") {
  std::filesystem::current_path(COLLAPSE_SOURCE_DIR);  // the rows name spectrum files relative to the repository
  const auto rows = build_rows();
  int points = 0, failed = 0;
  std::ostringstream failures;
  for (const auto& row : rows) {
    ++points;
    std::string why;
    bool ok = true;
    std::optional<eval::eval_output> out;
    try {
      out = eval::evaluate_certified(eval::build_request(row.quantity, eval::parse_option_string(row.options), printed_digits));
    } catch (const domain_error& e) {
      ok = row.refusal;
      why = std::string("refused: ") + e.what();
    } catch (const convergence_error& e) {
      ok = false;
      why = std::string("convergence_error: ") + e.what();
    } catch (const std::exception& e) {
      ok = false;
      why = std::string("library exception leaked: ") + e.what();
    }
    if (out) {
      if (row.refusal) { ok = false; why = "printed " + out->value + " for an infinite quantity"; }
      precision_guard g(reference_digits);
      const R tol = pow(R(10), -(printed_digits - 1));
      for (const auto& [name, ref] : row.expected) {
        std::string printed = out->value;
        if (!name.empty()) {
          printed.clear();
          for (const auto& [n, v] : out->components) if (n == name) printed = v;
        }
        std::string w;
        if (printed.empty()) { ok = false; why += " [" + name + " missing]"; continue; }
        if (!agrees(printed, ref(), tol, w)) { ok = false; why += " [" + (name.empty() ? std::string("value") : name) + " = " + printed + ": " + w + "]"; }
      }
    }
    if (!ok) {
      ++failed;
      failures << "  " << row.quantity << " " << row.options << "  (" << row.source << "): " << why << "\n";
    }
  }
  WARN("edge sweep: " << points << " points checked, " << failed << " failed\n" << failures.str());
  CHECK(points >= 1000);
  CHECK(failed == 0);
}

TEST_CASE("the issue 8 examples print their independently computed values to every digit", "[edge][issue8]") {
  struct example { std::string quantity, options; int digits; std::vector<std::pair<std::string, std::string>> expected; };
  const std::vector<example> examples = {
      // 1. λ* does not snap to 0: for T > d the risk falls at κ = 0 whenever there is noise
      {"lambda-opt", "--spectrum isotropic --d 2 --w0norm2 1 --T 4 --sigma2 1e-14 --n 0", 30,
       {{"", "5.00000000000000000000000000000e-15"},
        {"kappa_opt", "9.99999999999990000000000000300e-15"},
        {"risk_opt", "9.99999999999980000000000000600e-15"}}},
      // 2. no floor under the bracket search
      {"lambda-opt", "--spectrum isotropic --d 100 --w0norm2 1 --T 100 --sigma2 1e-28 --n 0", 30,
       {{"", "1.00000000000000000000000000000e-28"},
        {"kappa_opt", "1.00000000000000500000000000001e-14"},
        {"risk_opt", "9.99999999999995000000000000012e-15"}}},
      // 3. κ = λ/(1 − d/T) at any scale of λ and any number of digits
      {"kappa", "--spectrum isotropic --d 3 --w0norm2 1 --T 10 --lambda 1e-105", 15, {{"", "1.42857142857143e-105"}}},
      {"kappa", "--spectrum isotropic --d 3 --w0norm2 1 --T 10 --lambda 1e-105", 30, {{"", "1.42857142857142857142857142857e-105"}}},
      {"kappa", "--spectrum isotropic --d 3 --w0norm2 1 --T 10 --lambda 1e-105", 60,
       {{"", "1.42857142857142857142857142857142857142857142857142857142857e-105"}}},
      // 4. an extreme aspect ratio: λ* = σ²φ/a = κ* = risk* to 30 digits
      {"iso-lambda-opt", "--phi 1e-54 --w0norm2 1 --sigma2 1 --m 0", 30,
       {{"", "1.00000000000000000000000000000e-54"},
        {"kappa_opt", "1.00000000000000000000000000000e-54"},
        {"risk_opt", "1.00000000000000000000000000000e-54"}}},
      // 5. ridgeless at T = d with nothing to amplify: the λ → 0+ limit 0
      {"ridge-risk", "--spectrum isotropic --d 4 --w0norm2 1 --T 4 --lambda 0 --sigma2 0 --n 0", 30, {{"", "0"}}},
      {"ridge-risk", "--spectrum file:data/reference/spectra/linspace20.csv --T 20 --lambda 0 --sigma2 0 --n 0", 30, {{"", "0"}}},
  };
  std::filesystem::current_path(COLLAPSE_SOURCE_DIR);
  for (const auto& ex : examples) {
    CAPTURE(ex.quantity, ex.options, ex.digits);
    auto out = eval::evaluate_certified(eval::build_request(ex.quantity, eval::parse_option_string(ex.options), ex.digits));
    for (const auto& [name, want] : ex.expected) {
      std::string got = out.value;
      if (!name.empty())
        for (const auto& [n, v] : out.components) if (n == name) got = v;
      CAPTURE(name);
      CHECK(got == want);
    }
  }
  // At 50 digits with σ² = 1e-20 every digit of the risk is that of the closed form (it was wrong in the 20th).
  auto out = eval::evaluate_certified(
      eval::build_request("lambda-opt", eval::parse_option_string("--spectrum isotropic --d 2 --w0norm2 1 --T 4 --sigma2 1e-20 --n 0"), 50));
  precision_guard g(reference_digits);
  const R lam = num("1e-20") / 2;
  CHECK(out.value == eval::format_decimal(parse_exact("lambda", "5e-21").value, 50));
  for (const auto& [n, v] : out.components)
    if (n == "risk_opt") {
      std::string why;
      const bool ok = agrees(v, iso_risk_ref(R(1) / 2, lam, 1, num("1e-20"), 0), pow(R(10), -49), why);
      CAPTURE(v, why);
      CHECK(ok);
    }
}
