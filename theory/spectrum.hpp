// theory/spectrum.hpp -- a spectrum (Σ's eigenvalues λ_j and the squared coordinates w2_j of w0)
// as a Real evaluator of spectral sums (theory document §1, §5.1, §8.3–8.4).
//
// Every deterministic-equivalent quantity of §3–§6 is built from sums of one shape,
//
//     Σ_j λ_j^p · w2_j^q · Π_i (λ_j/(λ_j+κ_i))^{m_i},
//
// all of whose terms are positive, so that no formula ever subtracts two large sums (§8.3).
// Isotropic spectra sum in closed form, explicit lists directly, and power laws (finite d or d = ∞)
// through theory/powerlaw_sum.hpp (λ_j = j^-β, w2_j = j^(β-1-2βr), so the term is
// j^(-βp + q(β-1-2βr)) Π (1+κ_i j^β)^(-m_i)).
// Verified by: tests/theory/test_de.cpp (isotropic sums vs closed forms), tests/theory/test_powerlaw_sum.cpp,
// tests/theory/test_edge_sweep.cpp (an explicit list spanning 1e-120 to 1e120 against direct sums at 1000 digits).
#pragma once

#include "theory/powerlaw_sum.hpp"
#include "theory/rational.hpp"
#include "theory/real.hpp"
#include "theory/spectrum_spec.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace collapse {

/// (λ/(λ+κ))^m; κ = 0 gives 1.
template <class Real> struct resolvent_power { Real kappa; int m; };

/// Σ_j λ_j^p w2_j^q Π_i (λ_j/(λ_j+κ_i))^{m_i}.
template <class Real> struct spectral_term {
  int p = 0;
  int q = 0;
  std::vector<resolvent_power<Real>> factors;
};

/// Which summation route the power-law sums take: the primary (Euler–Maclaurin) one, or the
/// independent one (Hurwitz tail / Mellin expansion, §8.4(b,c)) used to cross-check it.
enum class sum_route { primary, independent };

template <class Real> class spectrum {
public:
  explicit spectrum(spectrum_spec spec, sum_route route = sum_route::primary)
      : spec_(std::make_shared<const spectrum_spec>(std::move(spec))), route_(route) {
    validate(*spec_);
    if (spec_->type == spectrum_spec::kind::explicit_list) materialize(*spec_, eig_, w2_, 100000000L);
    if (spec_->type == spectrum_spec::kind::powerlaw) {
      beta_ = to_real<Real>(spec_->beta.value);
      r_ = to_real<Real>(spec_->r.value);
      dim_.infinite = spec_->d.infinite;
      if (!dim_.infinite) dim_.d = spec_->dimension().template convert_to<std::uint64_t>();
    }
    if (!infinite()) d_ = to_real<Real>(rational(spec_->dimension()));
  }

  const spectrum_spec& spec() const { return *spec_; }
  sum_route route() const { return route_; }
  bool infinite() const { return spec_->infinite(); }
  bool isotropic() const { return spec_->type == spectrum_spec::kind::isotropic; }
  /// d as a Real (finite spectra only).
  const Real& dimension() const {
    if (infinite()) throw domain_error("d", "inf", "a finite d", "this quantity needs a finite dimension");
    return d_;
  }

  /// Σ_j λ_j^p w2_j^q Π_i (λ_j/(λ_j+κ_i))^{m_i}, with an absolute error estimate.
  sum_result<Real> sum(const spectral_term<Real>& t) const {
    for (const auto& f : t.factors)
      if (!(f.kappa >= 0)) throw domain_error("kappa", value_text(f.kappa), "kappa >= 0");
    sum_result<Real> r;
    switch (spec_->type) {
      case spectrum_spec::kind::isotropic: r = isotropic_sum(t); break;
      case spectrum_spec::kind::explicit_list: r = explicit_sum(t); break;
      case spectrum_spec::kind::powerlaw: r = powerlaw_term_sum(t); break;
    }
    if (r.value > 0) worst_rel_ = std::max<Real>(worst_rel_, r.error / r.value);
    ++sums_;
    return r;
  }
  Real value(const spectral_term<Real>& t) const { return sum(t).value; }

  /// Largest relative error estimate of any sum evaluated so far, and how many sums were evaluated.
  const Real& worst_relative_error() const { return worst_rel_; }
  long sums_evaluated() const { return sums_; }

private:
  sum_result<Real> isotropic_sum(const spectral_term<Real>& t) const {
    // λ_j = 1, w2_j = ‖w0‖²/d for all j: the sum is d · w2^q · Π (1/(1+κ_i))^{m_i}.
    Real v = d_;
    if (t.q) v = to_real<Real>(spec_->w0norm2.value) * (t.q == 1 ? Real(1) : pow_int(to_real<Real>(spec_->w0norm2.value) / d_, t.q - 1));
    for (const auto& f : t.factors) v /= pow_int(1 + f.kappa, f.m);
    return {v, v * epsilon<Real>() * (4 + 2 * static_cast<int>(t.factors.size())), 1, "closed-form"};
  }

  sum_result<Real> explicit_sum(const spectral_term<Real>& t) const {
    Real s = 0;
    for (std::size_t j = 0; j < eig_.size(); ++j) {
      const Real& l = eig_[j];
      Real v = pow_int(l, t.p);
      if (t.q) v *= pow_int(w2_[j], t.q);
      for (const auto& f : t.factors) v *= pow_int(l / (l + f.kappa), f.m);
      s += v;
    }
    return {s, s * epsilon<Real>() * Real(8 + static_cast<long>(eig_.size())), static_cast<int>(eig_.size()), "direct"};
  }

  sum_result<Real> powerlaw_term_sum(const spectral_term<Real>& t) const {
    powerlaw_summand<Real> f;
    f.a = -beta_ * t.p + t.q * (beta_ - 1 - 2 * beta_ * r_);
    for (const auto& fa : t.factors)
      if (fa.kappa > 0) f.factors.push_back({fa.kappa, fa.m});  // κ = 0: the factor is 1
    if (f.factors.empty() && f.a != -1) {
      // A pure power: Σ_{j≤d} j^a = ζ(−a) − ζ(−a, d+1) (§8.4; e.g. ‖w0‖²_Σ = ζ(1+2βr), tr Σ = ζ(β)).
      if (dim_.infinite && !(f.a < -1))
        throw domain_error("d", "inf", "a finite d", "sum_j j^a diverges for a >= -1");
      Real v = riemann_zeta<Real>(-f.a);
      if (!dim_.infinite) v -= hurwitz_zeta<Real>(-f.a, Real(dim_.d) + 1);
      return {v, abs_value(v) * epsilon<Real>() * 64, 1, "zeta"};
    }
    if (route_ == sum_route::independent)
      if (auto alt = powerlaw_sum_independent(beta_, f, dim_)) return *alt;
    return powerlaw_sum_em(beta_, f, dim_);
  }

  static Real abs_value(const Real& x) { return x < 0 ? Real(-x) : x; }
  static Real pow_int(Real x, int n) {
    if (n < 0) return 1 / pow_int(std::move(x), -n);
    Real r = 1;
    while (n) { if (n & 1) r *= x; x *= x; n >>= 1; }
    return r;
  }

  std::shared_ptr<const spectrum_spec> spec_;
  sum_route route_;
  std::vector<Real> eig_, w2_;
  Real beta_ = 0, r_ = 0, d_ = 0;
  powerlaw_dim dim_;
  mutable Real worst_rel_ = 0;
  mutable long sums_ = 0;
};

// ---- named sums (§1 notation) --------------------------------------------------------------------

/// df_m(κ) = tr Σ^m (Σ+κ)^-m = Σ_j (λ_j/(λ_j+κ))^m   (§1)
template <class Real> Real df(const spectrum<Real>& s, const Real& kappa, int m) { return s.value({0, 0, {{kappa, m}}}); }
/// tr Σ(Σ+κ)^-2 = Σ_j λ_j/(λ_j+κ)^2; κ·this = df1 − df2 without cancellation (§3.1, §8.2)
template <class Real> Real tr_sigma_Q2(const spectrum<Real>& s, const Real& kappa) { return s.value({-1, 0, {{kappa, 2}}}); }
/// Σ_j κ/(λ_j+κ) = d − df1 without cancellation (§8.3); infinite for d = ∞ (refused by callers).
template <class Real> Real kappa_complement(const spectrum<Real>& s, const Real& kappa) {
  if (kappa == 0) return Real(0);
  return kappa * s.value({-1, 0, {{kappa, 1}}});
}
/// κ² tr (Σ+κ)^-2 = Σ_j (κ/(λ_j+κ))^2 = d − 2df1 + df2 without cancellation (§3.3, §8.3)
template <class Real> Real kappa2_trQ2(const spectrum<Real>& s, const Real& kappa) {
  if (kappa == 0) return Real(0);
  return kappa * kappa * s.value({-2, 0, {{kappa, 2}}});
}
/// B(κ) = κ² w0ᵀΣ(Σ+κ)^-2 w0 = Σ_j λ_j w2_j (κ/(λ_j+κ))^2, summed as positive terms (§1, §8.3)
template <class Real> Real bias_numerator(const spectrum<Real>& s, const Real& kappa) {
  if (kappa == 0) return Real(0);
  return kappa * kappa * s.value({-1, 1, {{kappa, 2}}});
}
/// ‖w0‖²_Σ = Σ_j λ_j w2_j (= ζ(1+2βr) for the infinite power law, §5.1)
template <class Real> Real signal_norm(const spectrum<Real>& s) { return s.value({1, 1, {}}); }
/// tr Σ = Σ_j λ_j (the upper start of the κ iteration, §3.1)
template <class Real> Real trace_sigma(const spectrum<Real>& s) { return s.value({1, 0, {}}); }

}  // namespace collapse
