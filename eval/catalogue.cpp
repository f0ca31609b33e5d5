// eval/catalogue.cpp -- the catalogue assembled from its formula families (names and parameters fixed by
// issue 2), parameter ranges, and the help text of every parameter name.
#include "eval/catalogue.hpp"
#include "eval/quantities.hpp"

#include "theory/errors.hpp"

namespace collapse::eval {

// ---- domains ---------------------------------------------------------------------------------------

bool domain::contains(const rational& x) const {
  if (lo_open ? !(x > lo) : !(x >= lo)) return false;
  if (hi && x > *hi) return false;
  return !integer || is_integer(x);
}

std::string domain::describe(const std::string& name) const {
  const std::string h = hi ? (hi_text.empty() ? fraction_string(*hi) : hi_text) : "";
  if (integer) return "an integer " + fraction_string(lo) + " <= " + name + (hi ? " <= " + h : "");
  if (hi) return fraction_string(lo) + (lo_open ? " < " : " <= ") + name + " <= " + h;
  return name + (lo_open ? " > " : " >= ") + fraction_string(lo);
}

domain non_negative() { return {}; }
domain positive() { return {.lo = 0, .lo_open = true}; }
domain above(const rational& lo) { return {.lo = lo, .lo_open = true}; }
domain above_at_most(const rational& lo, const rational& hi) { return {.lo = lo, .lo_open = true, .hi = hi}; }
domain integer_in(const rational& lo, const rational& hi, std::string hi_text, std::string why) {
  return {.lo = lo, .hi = hi, .integer = true, .hi_text = std::move(hi_text), .why = std::move(why)};
}

const parameter* quantity_info::find_parameter(const std::string& n) const {
  for (const auto& p : parameters) if (p.name == n) return &p;
  for (const auto& p : generator_parameters) if (p.name == n) return &p;
  return nullptr;
}

// ---- the catalogue ---------------------------------------------------------------------------------

const std::vector<quantity_info>& catalogue() {
  static const std::vector<quantity_info> all = [] {
    std::vector<quantity_info> q;
    for (auto family : {exact_quantities, isotropic_quantities, spectral_sum_quantities, kappa_quantities, ridge_quantities,
                        overgen_quantities, powerlaw_quantities, lambda_opt_quantities, variants_quantities})
      for (auto& e : family()) q.push_back(std::move(e));
    return q;
  }();
  return all;
}

const quantity_info& find_quantity(const std::string& name) {
  for (const auto& q : catalogue())
    if (q.name == name) return q;
  std::string known;
  for (const auto& q : catalogue()) known += (known.empty() ? "" : ", ") + q.name;
  throw domain_error("QUANTITY", name.empty() ? "(missing)" : name, "one of: " + known);
}

namespace {
const std::vector<std::pair<std::string, std::string>>& parameter_helps() {
  static const std::vector<std::pair<std::string, std::string>> h = {
      {"d", "dimension (integer >= 1; 'inf' for --spectrum powerlaw)"},
      {"T", "downstream sample size (> 0; integer for exact quantities)"},
      {"T0", "generator sample size (> 0; integer for exact quantities); only when n >= 1"},
      {"n", "number of generator steps (integer >= 0)"},
      {"sigma2", "downstream label-noise variance sigma^2 (>= 0)"},
      {"sigma02", "generator label-noise variance sigma0^2 (>= 0); only when n >= 1 where optional"},
      {"w0norm2", "||w0||^2 (>= 0); with --spectrum isotropic the signal norm"},
      {"phi", "aspect ratio d/T (> 0)"},
      {"phi0", "aspect ratio d/T0 (> 1 for the over-parameterised chain)"},
      {"lambda", "ridge penalty (>= 0)"},
      {"m", "collapse variance m_col (>= 0) for iso-*; the power m (integer 1..64) for df"},
      {"kappa", "effective regularisation (> 0)"},
      {"beta", "power-law capacity exponent (> 1)"},
      {"r", "power-law source exponent (> 0)"},
      {"sigma-eff2", "effective noise variance sigma_eff^2 (> 0)"},
      {"T2", "number of synthetic rows among the T (integer 0..T), for mixing-exact"},
      {"delta-norm2", "||Delta||_Sigma^2 = Delta' Sigma Delta (>= 0), the synthetic teacher's shift, for mixing-exact"},
      {"lambda0", "ridge penalty of each generator (>= 0; 0 only with T0 < d), for ridge-generator-risk"},
  };
  return h;
}
}  // namespace

const std::vector<std::string>& all_parameter_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& [name, help] : parameter_helps()) n.push_back(name);
    return n;
  }();
  return names;
}

std::string parameter_help(const std::string& name) {
  for (const auto& [n, help] : parameter_helps())
    if (n == name) return help;
  return "";
}

}  // namespace collapse::eval
