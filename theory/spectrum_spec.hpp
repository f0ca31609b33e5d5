// theory/spectrum_spec.hpp -- what a user says a spectrum is (theory document §1, §5.1), exactly,
// before any Real is chosen: isotropic (d, ‖w0‖²), power law (β, r, d finite or ∞) or an explicit
// list of (eigenvalue, w2) pairs read from a CSV file with header `eig,w2`.
//
// Conventions: power law λ_j = j^-β, source condition λ_j w2_j = j^(-1-2βr) (§5.1); isotropic
// Σ = I_d with w2_j = ‖w0‖²/d.
// Verified by: tests/theory/test_reference.cpp (spectrum files), tests/theory/test_edge_sweep.cpp.
#pragma once

#include "theory/errors.hpp"
#include "theory/rational.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace collapse {

struct spectrum_spec {
  enum class kind { isotropic, powerlaw, explicit_list };
  kind type = kind::isotropic;
  exact_number d;        // isotropic and power law; power law may be infinite
  exact_number w0norm2;  // isotropic
  exact_number beta, r;  // power law
  std::string path;      // explicit list: file it came from
  std::vector<rational> eig, w2;

  bool infinite() const { return type == kind::powerlaw && d.infinite; }
  /// Dimension as an integer (finite spectra only).
  integer dimension() const {
    if (type == kind::explicit_list) return integer(eig.size());
    return boost::multiprecision::numerator(d.value);
  }
  std::string describe() const {
    switch (type) {
      case kind::isotropic: return "isotropic(d=" + d.text + ", w0norm2=" + w0norm2.text + ")";
      case kind::powerlaw: return "powerlaw(beta=" + beta.text + ", r=" + r.text + ", d=" + d.text + ")";
      default: return "file:" + path + " (d=" + std::to_string(eig.size()) + ")";
    }
  }
};

/// Largest finite dimension any evaluator or simulator accepts (the power-law sums handle any d up to
/// this exactly; beyond it use d = inf).
inline const integer& max_dimension() { static const integer m("1000000000000000000"); return m; }

namespace detail {
inline void require_dimension(const exact_number& d, bool allow_infinite) {
  if (d.infinite) {
    if (!allow_infinite) throw domain_error("d", d.text, "an integer 1 <= d <= 1e18", "infinite d is allowed only for the power law");
    return;
  }
  if (!is_integer(d.value) || d.value < 1 || d.value > rational(max_dimension()))
    throw domain_error("d", d.text, std::string("an integer 1 <= d <= 1e18") + (allow_infinite ? " or inf" : ""));
}
}  // namespace detail

/// Checks a spectrum against its domain (§1, §5.1); throws domain_error naming the bad parameter.
inline void validate(const spectrum_spec& s) {
  using detail::require_dimension;
  switch (s.type) {
    case spectrum_spec::kind::isotropic:
      require_dimension(s.d, false);
      if (s.w0norm2.infinite || s.w0norm2.value < 0)
        throw domain_error("w0norm2", s.w0norm2.text, "w0norm2 >= 0");
      break;
    case spectrum_spec::kind::powerlaw:
      require_dimension(s.d, true);
      if (s.beta.infinite || s.beta.value <= 0) throw domain_error("beta", s.beta.text, "beta > 0 (beta > 1 when d = inf)");
      if (s.d.infinite && s.beta.value <= 1)
        throw domain_error("beta", s.beta.text, "beta > 1 when d = inf", "df1 = sum_j 1/(1+kappa j^beta) diverges for beta <= 1");
      if (s.r.infinite || s.r.value <= 0) throw domain_error("r", s.r.text, "r > 0", "source condition lambda_j w2_j = j^(-1-2 beta r)");
      if (s.beta.value > 64) throw domain_error("beta", s.beta.text, "0 < beta <= 64");
      break;
    case spectrum_spec::kind::explicit_list:
      if (s.eig.empty()) throw domain_error("spectrum file", s.path, "at least one row eig,w2");
      break;
  }
}

/// Eigenvalues and w2 of a finite spectrum as Real vectors (used by the simulator and by the explicit
/// sums). Throws if d is infinite or larger than max_entries.
template <class Real>
void materialize(const spectrum_spec& s, std::vector<Real>& eig, std::vector<Real>& w2, long max_entries) {
  if (s.infinite()) throw domain_error("d", "inf", "a finite d", "an explicit list of directions needs finite d");
  integer d = s.dimension();
  if (d > max_entries) throw domain_error("d", d.str(), "d <= " + std::to_string(max_entries), "too many directions to list explicitly");
  long n = d.convert_to<long>();
  eig.assign(n, Real(0));
  w2.assign(n, Real(0));
  switch (s.type) {
    case spectrum_spec::kind::isotropic: {
      Real w = to_real<Real>(s.w0norm2.value / rational(n));
      for (long j = 0; j < n; ++j) { eig[j] = 1; w2[j] = w; }
      break;
    }
    case spectrum_spec::kind::powerlaw: {
      using std::pow; using boost::multiprecision::pow;
      Real beta = to_real<Real>(s.beta.value), r = to_real<Real>(s.r.value);
      for (long j = 0; j < n; ++j) {
        Real jj = Real(j + 1);
        eig[j] = pow(jj, -beta);
        w2[j] = pow(jj, -1 - 2 * beta * r) / eig[j];  // λ_j w2_j = j^(-1-2βr)  (§5.1)
      }
      break;
    }
    case spectrum_spec::kind::explicit_list:
      for (long j = 0; j < n; ++j) { eig[j] = to_real<Real>(s.eig[j]); w2[j] = to_real<Real>(s.w2[j]); }
      break;
  }
}

}  // namespace collapse
