// harness/kinds/lambda_opt_digits.cpp -- kind "lambda-opt-digits" (§6, deterministic): the certified
// quartic root (eval: iso-lambda-opt at 40 digits) agrees with (i) a Brent minimisation of the §3.5 DE
// in log λ (eval/numerical_minimum.hpp) and (ii) the certified general-Σ root of dE/dκ on an isotropic
// spectrum (eval: lambda-opt) to >= min_digits significant digits, and with the document's printed
// value to all but its last digit. The comparison is of certified decimal digits, so this kind works
// on the decimal texts eval certifies; the requests it sends are typed (exact numbers), not options.
#include "harness/kinds/kind.hpp"

#include "eval/catalogue.hpp"
#include "eval/numerical_minimum.hpp"

#include <algorithm>
#include <cctype>

namespace collapse::harness::kinds {

using namespace collapse::eval;

namespace {

struct digits_case : case_base {
  using case_base::case_base;
  exact_number phi, w0norm2, sigma2, m;
  std::optional<std::map<std::string, exact_number>> general;  // d, T, T0, n, sigma02 of the general-Σ point
  eval_request quartic_request;                                // iso-lambda-opt at (phi, w0norm2, sigma2, m)
  std::optional<eval_request> general_request;                 // lambda-opt on the isotropic spectrum of `general`
  std::optional<std::string> doc;
  params_t params;
};

struct certified_value {
  std::string text;  // certified digits
  double value = 0;  // the same decimal, rounded to double exactly
};

/// A typed eval request at 40 digits, validated against its catalogue entry while the suite file is read
/// (so a case that eval would refuse -- a parameter out of range, or one it would not use -- fails with its
/// file:line before any suite runs, and `collapse verify` cannot stop half-way on it).
eval_request request_for(const entries& c, const std::string& quantity, std::map<std::string, exact_number> params,
                         std::optional<spectrum_spec> spec) {
  eval_request r;
  r.quantity = quantity;
  r.params = std::move(params);
  r.spectrum = std::move(spec);
  r.digits = 40;
  at_case(c, quantity, [&] {
    validate(r, find_quantity(quantity));
    return 0;
  });
  return r;
}

certified_value certified(const eval_request& r) {
  const auto out = eval::evaluate_certified(r);
  return {out.value, to_real<double>(parse_exact(r.quantity, out.value).value)};
}

/// Significant digits printed in a decimal text (leading zeros excluded).
long printed_digits(const std::string& doc) {
  long printed = 0;
  for (char ch : doc) printed += std::isdigit(static_cast<unsigned char>(ch)) ? 1 : 0;
  const std::size_t lead = doc.find_first_not_of("0.");
  printed -= static_cast<long>(std::count(doc.begin(), doc.begin() + static_cast<long>(std::min(lead, doc.size())), '0'));
  return printed;
}

suite_result run(const entries& suite, const suite_context& ctx) {
  suite_result res = header(suite);
  const auto acc = suite.table("acceptance");
  const long work = acc.integer("work_digits", 40, 1000, 100);
  const long min_digits = acc.integer("min_digits", 1, std::min(40L, work / 2));
  res.rule = fmt::format(
      "certified quartic root (collapse eval iso-lambda-opt, 40 digits) agrees with (i) Brent minimisation of the §3.5 DE in log "
      "lambda at {} working digits and (ii) the certified general-Sigma root of dE/dkappa (lambda-opt on an isotropic spectrum) to "
      ">= {} digits; the document's printed value to all but its last digit",
      work, min_digits);
  const auto cases = read_cases<digits_case>(suite, [&](digits_case& k) {
    const entries& c = k.c;
    k.phi = c.number("phi");
    k.w0norm2 = c.number("w0norm2");
    k.sigma2 = c.number("sigma2");
    k.m = c.number("m");
    k.params = {{"phi", k.phi.text}, {"w0norm2", k.w0norm2.text}, {"sigma2", k.sigma2.text}, {"m", k.m.text}};
    if (c.has("d")) {
      std::map<std::string, exact_number> g;
      for (const char* key : {"d", "T", "n"}) g[key] = c.number(key);
      // T0 and sigma02 only with a generator step (n >= 1): eval refuses parameters it would not use
      if (g["n"].value >= 1)
        for (const char* key : {"T0", "sigma02"}) g[key] = c.number(key);
      // consistency of the case: φ = d/T and m = n σ0² d/(T0−d−1) (m = 0 when n = 0)
      const rational d = g["d"].value, phi = d / g["T"].value;
      const rational m = g["n"].value >= 1 ? g["n"].value * g["sigma02"].value * d / (g["T0"].value - d - 1) : rational(0);
      if (phi != k.phi.value || m != k.m.value)
        c.fail("d", g["d"].text, fmt::format("a general-Sigma point with phi = d/T = {} and m = n sigma02 d/(T0-d-1) = {}", k.phi.text, k.m.text),
               fmt::format("it gives phi = {}, m = {}", rat_text(phi), rat_text(m)));
      k.general = g;
      spectrum_spec sp;
      sp.type = spectrum_spec::kind::isotropic;
      sp.d = g["d"];
      sp.w0norm2 = k.w0norm2;
      g.erase("d");
      g["sigma2"] = k.sigma2;
      k.general_request = request_for(c, "lambda-opt", std::move(g), sp);
    }
    k.quartic_request = request_for(c, "iso-lambda-opt", {{"phi", k.phi}, {"w0norm2", k.w0norm2}, {"sigma2", k.sigma2}, {"m", k.m}}, std::nullopt);
    if (c.has("doc")) {
      k.doc = c.text("doc");
      at_case(c, "doc", [&] { return parse_exact("doc", *k.doc); });
    }
  });
  if (ctx.check_only) return res;
  for (std::size_t ci = 0; ci < cases.size(); ++ci) {
    const auto& k = cases[ci];
    const entries& c = k.c;
    progress(ctx, fmt::format("{}: phi = {}, m = {}", k.label, k.phi.text, k.m.text));
    std::optional<certified_value> quartic;
    auto quartic_value = [&]() -> const certified_value& {
      if (!quartic)
        quartic = at_case(c, "iso-lambda-opt", [&] { return certified(k.quartic_request); });
      return *quartic;
    };
    const double need = static_cast<double>(min_digits);
    // (i) direct minimisation
    const std::string key_min = k.label + "/quartic=argmin";
    if (auto r = cached(ctx, key_min)) res.rows.push_back(*r);
    else {
      const auto& q = quartic_value();
      const std::string mn = iso_risk_argmin(k.phi.text, k.w0norm2.text, k.sigma2.text, k.m.text, static_cast<int>(work));
      const double dg = std::min(40.0, agreeing_digits(mn, q.text));  // the quartic is certified to 40 digits
      emit(ctx, res, make_row(key_min, k.params, q.text, q.value, to_real<double>(parse_exact("argmin", mn).value), 0, dg, "digits",
                              {{"digits", dg, need, bound::at_least}}, "Brent argmin " + mn));
    }
    // (ii) general-Σ root on an isotropic spectrum whose m_col equals m
    const std::string key_gen = k.label + "/quartic=general-root";
    if (k.general) {
      if (auto r = cached(ctx, key_gen)) res.rows.push_back(*r);
      else {
        const auto& q = quartic_value();
        const auto gv = at_case(c, "lambda-opt", [&] { return certified(*k.general_request); });
        const double dg = std::min(40.0, agreeing_digits(gv.text, q.text));
        params_t pr = k.params;
        for (const auto& [kk, v] : *k.general) pr["general." + kk] = v.text;
        emit(ctx, res, make_row(key_gen, pr, q.text, q.value, gv.value, 0, dg, "digits", {{"digits", dg, need, bound::at_least}},
                                "lambda-opt (general Sigma) = " + gv.text));
      }
    }
    // (iii) the document's printed value
    const std::string key_doc = k.label + "/quartic=document";
    if (k.doc) {
      if (auto r = cached(ctx, key_doc)) res.rows.push_back(*r);
      else {
        const auto& q = quartic_value();
        const long printed = printed_digits(*k.doc);
        const double need_doc = static_cast<double>(std::min(printed - 1, min_digits));
        const double dg = std::min(40.0, agreeing_digits(*k.doc, q.text));
        emit(ctx, res, make_row(key_doc, k.params, q.text, q.value, to_real<double>(parse_exact("doc", *k.doc).value), 0, dg, "doc-digits",
                                {{"doc-digits", dg, need_doc, bound::at_least}},
                                fmt::format("theory document §6 prints {} ({} significant digits)", *k.doc, printed)));
      }
    }
  }
  return res;
}

}  // namespace

suite_kind lambda_opt_digits_kind() {
  return {"lambda-opt-digits", "§6 quartic root = numerical minimum = general-Sigma root, to >= min_digits certified digits", run};
}

}  // namespace collapse::harness::kinds
