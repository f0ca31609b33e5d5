// harness/kinds/exponents.cpp -- kind "exponents" (§5.4): the local log-log slope of the DE over the
// last decade before T_max (eval/powerlaw_scaling.hpp, MPFR) agrees with the exact rational exponent
// (theory/exponents.hpp) to min_digits significant digits (absolute digits when the exponent is 0),
// and the collapse term's slope to collapse_min_digits.
#include "harness/kinds/kind.hpp"

#include "eval/powerlaw_scaling.hpp"

#include <cmath>

namespace collapse::harness::kinds {

using namespace collapse::eval;

namespace {

struct exponent_case {
  rational beta, r, ell;
  coupling c = coupling::proportional();
  double min_digits = 0;
  std::optional<double> collapse_min_digits;
};

coupling read_coupling(const entries& row) {
  const std::string c = row.choice("coupling", {"proportional", "power", "fixed", "clean-noisy", "clean-noiseless"});
  if (c == "proportional") return coupling::proportional();
  if (c == "power") return coupling::power(row.number("a").value);
  if (c == "fixed") return coupling::fixed();
  if (c == "clean-noisy") return coupling::clean_noisy();
  return coupling::clean_noiseless();
}

/// log10 of a T_max setting, an integer exponent 2..30.
int decade_of(const entries& set, const std::string& key, const std::string& fallback) {
  const auto x = set.number(key, fallback);
  const double l = std::log10(dbl(x));
  if (!(l >= 2 && l <= 30) || std::fabs(l - std::round(l)) > 1e-9) set.fail(key, x.text, "a power of ten 1e2 <= " + key + " <= 1e30");
  return static_cast<int>(std::lround(l));
}

suite_result run(const entries& suite, const suite_context& ctx) {
  suite_result res = header(suite);
  const auto set = suite.table("settings");
  slope_settings st;
  const int t_default = decade_of(set, "T_max", "1e12"), t_full = decade_of(set, "T_max_full", "1e16");
  st.log10_T_max = ctx.full ? t_full : t_default;
  st.decades = 1;
  st.n = set.number("n", "1").value;
  st.sigma02 = set.number("sigma02", "1").value;
  st.phi0 = set.number("phi0", "1/2").value;
  st.c = set.number("c", "1").value;
  st.d_fixed = set.number("d_fixed", "4000").value;
  st.sigma2 = set.number("sigma2", "1").value;
  res.rule = fmt::format("local slope of the DE between T = 1e{} and 1e{} agrees with the exact exponent to each case's min_digits "
                         "significant digits (absolute digits when the exponent is 0); the collapse term's slope likewise "
                         "(collapse_min_digits); MPFR at {} digits; n = {}, sigma0^2 = {}, phi0 = {}, d = {}·T^a, sigma^2 = 0 "
                         "with collapse, sigma^2 = {} for clean-noisy",
                         st.log10_T_max - 1, st.log10_T_max, 40 + 2 * st.log10_T_max, rat_text(st.n), rat_text(st.sigma02),
                         rat_text(st.phi0), rat_text(st.c), rat_text(st.sigma2));
  std::vector<exponent_case> cases;
  for (const auto& row : suite.tables("case")) {
    exponent_case k;
    k.beta = row.number("beta").value;
    k.r = row.number("r").value;
    k.c = read_coupling(row);
    const std::string ell = row.text("ell", "crit");
    if (ell == "crit") k.ell = ell_crit(k.beta, k.r);
    else if (ell == "best") k.ell = predict_exponents(k.beta, k.r, k.c, ell_crit(k.beta, k.r)).best_ell;
    else k.ell = at_case(row, "ell", [&] { return parse_exact("ell", ell).value; });
    k.min_digits = row.tolerance("min_digits", 0, 40);
    if (row.has("collapse_min_digits")) k.collapse_min_digits = row.tolerance("collapse_min_digits", 0, 40);
    at_case(row, "exponents", [&] { return predict_exponents(k.beta, k.r, k.c, k.ell); });
    cases.push_back(k);
  }
  if (ctx.check_only) return res;
  for (const auto& k : cases) {
    const std::string key = fmt::format("beta={},r={},{},ell={},T=1e{}", rat_text(k.beta), rat_text(k.r), k.c.ascii(), rat_text(k.ell),
                                        st.log10_T_max);
    if (auto r = cached(ctx, key)) {
      res.rows.push_back(*r);
      continue;
    }
    progress(ctx, "exponents: " + key);
    const auto e = predict_exponents(k.beta, k.r, k.c, k.ell);
    const auto m = measure_slopes(k.beta, k.r, k.c, k.ell, st);
    const auto& w = m.windows.back();
    const double dg = agreeing_digits(w.total, -e.gamma);
    std::vector<criterion> crit = {{"digits", dg, k.min_digits, bound::at_least}};
    params_t p = {{"beta", rat_text(k.beta)}, {"r", rat_text(k.r)}, {"coupling", k.c.ascii()}, {"ell", rat_text(k.ell)},
                  {"T", fmt::format("1e{}..1e{}", st.log10_T_max - 1, st.log10_T_max)}};
    std::string note = fmt::format("need {} digits", k.min_digits);
    double shown = dg;
    if (e.collapse_exponent && k.collapse_min_digits) {
      const double dc = agreeing_digits(*w.collapse, *e.collapse_exponent);
      p["collapse_exponent"] = rat_text(*e.collapse_exponent);
      note += fmt::format("; collapse term slope {:.9f} vs {} ({:.1f} digits, need {})", *w.collapse, rat_text(*e.collapse_exponent), dc,
                          *k.collapse_min_digits);
      crit.push_back({"collapse digits", dc, *k.collapse_min_digits, bound::at_least});
      shown = std::min(shown, dc);
    }
    note += fmt::format("; numerical error of slope <= {:.1e}; {:.2f} s", w.numerical_error, m.seconds);
    emit(ctx, res, make_row(key, p, rat_text(rational(-e.gamma)), -e.gamma.convert_to<double>(), w.total, w.numerical_error, shown, "digits",
                            std::move(crit), note));
  }
  return res;
}

}  // namespace

suite_kind exponents_kind() {
  return {"exponents", "§5.4 local DE slope at large T vs the exact rational exponent, to min_digits", run};
}

}  // namespace collapse::harness::kinds
