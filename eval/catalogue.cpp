// eval/catalogue.cpp -- the `collapse eval` catalogue (names and parameters fixed by issue 2).
#include "eval/catalogue.hpp"

#include "theory/errors.hpp"

namespace collapse::eval {

const std::vector<quantity_info>& catalogue() {
  static const std::vector<quantity_info> q = {
      {"ols-exact", "§2.3", "exact E_n of ridgeless OLS after n OLS generators, any Sigma: sigma2 d/(T-d-1) + n sigma02 d/(T0-d-1)",
       {"d", "T", "n", "sigma2"}, {"T0", "sigma02"}, false, true, {"clean", "collapse"}},
      {"iso-minnorm-exact", "§2.4", "exact E_n, Sigma = I, min-norm downstream (T <= d-2) after n OLS generators",
       {"d", "T", "n", "sigma2", "w0norm2"}, {"T0", "sigma02"}, false, true, {"clean", "collapse"}},
      {"overgen-iso-generator-exact", "§4.1", "exact E_test of the n-th over-parameterised min-norm generator, Sigma = I (d >= T0+2)",
       {"d", "T0", "n", "sigma02", "w0norm2"}, {}, false, true, {"q", "a_n", "b_n"}},
      {"overgen-iso-exact", "§4.2", "exact E_n, Sigma = I, ridgeless (OLS or min-norm) downstream after the over-parameterised chain",
       {"d", "T", "T0", "n", "sigma2", "sigma02", "w0norm2"}, {}, false, true, {"alpha", "V", "generator_error"}},
      {"overgen-iso-risk", "§4.2", "isotropic ridge after the over-parameterised chain, proportional limit: E_0 + (1-phi0^-n)(E_inf - E_0)",
       {"phi", "phi0", "lambda", "n", "w0norm2", "sigma2", "sigma02"}, {}, false, false, {"kappa", "alpha1", "alpha2", "E0", "Einf"}},
      {"iso-kappa", "§3.5", "effective regularisation kappa(phi, lambda) for Sigma = I", {"phi", "lambda"}, {}, false, false, {}},
      {"iso-risk", "§3.5", "isotropic ridge DE with collapse: R_clean(lambda; a+m, s) + m(1-kappa)/(1+kappa), m = m_col",
       {"phi", "lambda", "w0norm2", "sigma2", "m"}, {}, false, false, {"kappa", "clean", "collapse"}},
      {"kappa", "§3.1", "effective regularisation kappa(lambda, T): kappa - lambda = kappa df1(kappa)/T", {"T", "lambda"}, {}, true, false, {}},
      {"kappa0", "§3.1", "kappa0 = kappa(0, T0): 0 if d <= T0, else df1(kappa0) = T0", {"T0"}, {}, true, false, {}},
      {"df", "§1", "df_m(kappa) = sum_j (lambda_j/(lambda_j+kappa))^m", {"kappa", "m"}, {}, true, false, {}},
      {"bias-numerator", "§1, §8.3", "B(kappa) = sum_j lambda_j w2_j (kappa/(lambda_j+kappa))^2", {"kappa"}, {}, true, false, {}},
      {"ridge-risk", "§3.2-3.3", "ridge DE after n under-parameterised generators: Bias + Var + n sigma02 rho",
       {"T", "lambda", "sigma2", "n"}, {"T0", "sigma02"}, true, false,
       {"kappa", "df1", "df2", "bias", "variance", "collapse", "sigma_eff2"}},
      {"overgen-generator-risk", "§4.3", "E_test of the n-th over-parameterised (T0 < d) min-norm generator, DE recursion",
       {"T0", "n", "sigma02"}, {}, true, false, {"kappa0", "shrinkage"}},
      {"overgen-risk", "§4.3", "downstream ridge after the over-parameterised chain, DE recursion",
       {"T0", "n", "sigma02", "T", "lambda", "sigma2"}, {}, true, false,
       {"kappa0", "kappa", "generator_error", "bias", "variance", "collapse_variance"}},
      {"powerlaw-constants", "§5.2-5.3", "continuum constants C1 = (pi/beta)/sin(pi/beta), C2 = (1-1/beta)C1, B_r (value: C1)",
       {"beta", "r"}, {}, false, false, {"C1", "C2", "B"}},
      {"crossover", "§5.6", "fast-to-slow crossover T* = [2 r_ beta B_r C1^(2 beta r_+1)/(C2 sigma_eff2)]^(1/(2 beta r_))",
       {"beta", "r", "sigma-eff2"}, {}, false, false, {}},
      {"kappa-opt-asymptotic", "§5.5", "kappa* = (sigma_eff2 C2/(2 r_ beta B_r T))^(beta/(2 beta r_+1)); component risk = E*",
       {"beta", "r", "T", "sigma-eff2"}, {}, false, false, {"risk"}},
      {"iso-lambda-opt", "§6", "optimal lambda for Sigma = I with collapse, from the quartic", {"phi", "w0norm2", "sigma2", "m"}, {}, false, false,
       {"kappa_opt", "risk_opt"}},
      {"lambda-opt", "§6", "optimal lambda minimising the ridge DE with collapse, any spectrum", {"T", "sigma2", "n"}, {"T0", "sigma02"}, true,
       false, {"kappa_opt", "risk_opt"}},
  };
  return q;
}

const quantity_info& find_quantity(const std::string& name) {
  for (const auto& q : catalogue())
    if (q.name == name) return q;
  std::string known;
  for (const auto& q : catalogue()) known += (known.empty() ? "" : ", ") + q.name;
  throw domain_error("QUANTITY", name.empty() ? "(missing)" : name, "one of: " + known);
}

const std::vector<std::string>& all_parameter_names() {
  static const std::vector<std::string> names = {"d", "T", "T0", "n", "sigma2", "sigma02", "w0norm2", "phi", "phi0", "lambda",
                                                 "m", "kappa", "beta", "r", "sigma-eff2"};
  return names;
}

std::string parameter_help(const std::string& name) {
  static const std::map<std::string, std::string> h = {
      {"d", "dimension (integer >= 1; 'inf' for --spectrum powerlaw)"},
      {"T", "downstream sample size (> 0; integer for exact quantities)"},
      {"T0", "generator sample size (> 0; integer for exact quantities)"},
      {"n", "number of generator steps (integer >= 0)"},
      {"sigma2", "downstream label-noise variance sigma^2 (>= 0)"},
      {"sigma02", "generator label-noise variance sigma0^2 (>= 0)"},
      {"w0norm2", "||w0||^2 (>= 0); with --spectrum isotropic the signal norm"},
      {"phi", "aspect ratio d/T (> 0)"},
      {"phi0", "aspect ratio d/T0 (> 1 for the over-parameterised chain)"},
      {"lambda", "ridge penalty (>= 0)"},
      {"m", "collapse variance m_col (>= 0) for iso-*; the power m (integer 1..64) for df"},
      {"kappa", "effective regularisation (> 0)"},
      {"beta", "power-law capacity exponent (> 1)"},
      {"r", "power-law source exponent (> 0)"},
      {"sigma-eff2", "effective noise variance sigma_eff^2 (> 0)"},
  };
  auto it = h.find(name);
  return it == h.end() ? "" : it->second;
}

}  // namespace collapse::eval
