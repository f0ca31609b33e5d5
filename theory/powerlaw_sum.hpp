// theory/powerlaw_sum.hpp -- power-law spectral sums to full working precision, by two independent
// methods (theory document §5.1–5.3, §8.4, §8.5).
//
// Every deterministic-equivalent quantity on the spectrum λ_j = j^(−β) reduces to
//     S = Σ_{j=1}^{d} f(j),    f(x) = x^a · Π_i (1 + κ_i x^β)^(−m_i),
// with β > 0, real a, κ_i > 0, integer m_i ≥ 1, and d finite (≤ 1e18) or infinite (then the sum
// converges iff a − β·Σm_i < −1). All summands are positive, so relative error is meaningful.
// Examples (doc §1, §5.1): df1(κ): a = 0, {(κ,1)}; df2: a = 0, {(κ,2)}; B(κ)/κ²: a = −1−2βr+2β,
// {(κ,2)}; ‖w0‖²_Σ: a = −1−2βr, no factors; tr Σ: a = −β, no factors.
//
// powerlaw_sum_em           Euler–Maclaurin (doc §8.4(a)); every valid input; the workhorse.
// powerlaw_sum_hurwitz      direct head Σ_{j≤J} + Hurwitz-zeta tail (doc §8.4(b)); applies when
//                           J = max(⌈max_i (2/κ_i)^(1/β)⌉, ⌈0.2·bits⌉) ≤ jmax (20000 multiprecision,
//                           2e6 double/long double); any d, any number of factors.
// powerlaw_sum_mellin       small-κ Mellin expansion (doc §8.4(c)); d = ∞, exactly one factor,
//                           s = (a+1)/β < m and s not a non-positive integer, and only when the
//                           smallest term of the divergent series is below eps·|S|.
// powerlaw_sum_independent  Mellin if it applies, else Hurwitz (pure ζ sums: ζ(−a) − ζ(−a, d+1)),
//                           else std::nullopt. Not covered: Mellin's double-pole (log) case
//                           s ∈ {0, −1, −2, …} -- for the bias s = 2 − 2r, i.e. r = 1, 1.5, 2, … --
//                           when κ is so small that J > jmax: only EM there.
//
// Caches (per thread, keyed by value and precision; repeated calls with new κ reuse them):
// j^a, j^β for the head (β, a, bits); Gauss–Legendre node tables of the quadrature region (s, bits);
// Gauss–Legendre rules (n, bits); Bernoulli numbers (bits). Nothing depends on κ.
//
// Cost (bench/bench_powerlaw_sum.cpp, thread CPU on the shared 2-core build machine, df1/df2/bias
// over β ∈ {1.2, 2, 3.7}, κ ∈ {1e-12..0.5}): double ≈ 2 µs; MPFR 70 digits ≈ 0.4 ms mean,
// ≤ 1.1 ms worst (≈ 10^4 MPFR multiplications); MPFR 200 digits ≈ 3–4 ms mean.
//
// Each returns a value and an honest absolute error estimate (truncation + rounding). Domain errors
// throw collapse::domain_error; an iteration cap reached throws collapse::convergence_error; no NaN
// is ever returned. Verified by tests/theory/test_powerlaw_sum.cpp (β = 2 closed form, direct sums,
// ζ identities, GSL, and the three methods against each other at 100 digits).
#pragma once

#include "theory/bernoulli.hpp"
#include "theory/errors.hpp"
#include "theory/gauss_legendre.hpp"
#include "theory/real.hpp"
#include "theory/zeta.hpp"

#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace collapse {

/// One factor (1 + κ x^β)^(−m) of the summand.
template <class Real> struct powerlaw_factor { Real kappa; int m; };

/// f(x) = x^a Π_i (1 + κ_i x^β)^(−m_i).
template <class Real> struct powerlaw_summand {
  Real a;
  std::vector<powerlaw_factor<Real>> factors;
};

/// Number of terms: d = ∞ (infinite = true) or a finite d with 1 ≤ d ≤ 1e18.
struct powerlaw_dim {
  bool infinite = true;
  std::uint64_t d = 0;
  static powerlaw_dim finite(std::uint64_t n) { return powerlaw_dim{false, n}; }
  static powerlaw_dim inf() { return powerlaw_dim{true, 0}; }
};

/// A sum with its diagnostics: `error` is an absolute error estimate (truncation + rounding);
/// `terms` the work done (Euler–Maclaurin order, series terms); `method` one of "direct",
/// "euler-maclaurin", "hurwitz", "mellin".
template <class Real> struct sum_result {
  Real value;
  Real error;
  int terms = 0;
  std::string method;
};

namespace detail {

template <class Real> double to_double(const Real& x) { return static_cast<double>(x); }

/// r = a·b, a/b, a+b, a−b without a temporary (MPFR: one operation into existing storage).
template <class Real> inline void mul_to(Real& r, const Real& a, const Real& b) {
  if constexpr (std::is_floating_point_v<Real>) r = a * b;
  else boost::multiprecision::multiply(r, a, b);
}
template <class Real> inline void div_to(Real& r, const Real& a, const Real& b) {
  if constexpr (std::is_floating_point_v<Real>) r = a / b;
  else { using boost::multiprecision::default_ops::eval_divide; eval_divide(r.backend(), a.backend(), b.backend()); }
}
template <class Real> inline void add_to(Real& r, const Real& a, const Real& b) {
  if constexpr (std::is_floating_point_v<Real>) r = a + b;
  else boost::multiprecision::add(r, a, b);
}
template <class Real> inline void sub_to(Real& r, const Real& a, const Real& b) {
  if constexpr (std::is_floating_point_v<Real>) r = a - b;
  else boost::multiprecision::subtract(r, a, b);
}
template <class Real> inline void abs_in_place(Real& r) {
  if constexpr (std::is_floating_point_v<Real>) r = std::abs(r);
  else if (r < 0) r.backend().negate();
}

/// log of a positive Real as a double, without a multiprecision log when the value fits a double.
template <class Real> double log_double(const Real& x) {
  using std::log; using boost::multiprecision::log;
  const double d = static_cast<double>(x);
  if (d > 1e-300 && d < 1e300) return std::log(d);
  return static_cast<double>(log(x));
}

template <class Real> int total_m(const powerlaw_summand<Real>& f) {
  int M = 0;
  for (const auto& fa : f.factors) M += fa.m;
  return M;
}

/// Exact input checks (doc §5.1): β > 0, κ_i > 0, m_i ≥ 1, 1 ≤ d ≤ 1e18, and for d = ∞ the
/// convergence condition a − β·Σm_i < −1.
template <class Real>
void validate_powerlaw(const Real& beta, const powerlaw_summand<Real>& f, powerlaw_dim d) {
  if (!is_finite(beta) || !(beta > 0)) throw domain_error("beta", to_str(beta), "beta > 0");
  if (!is_finite(f.a)) throw domain_error("a", to_str(f.a), "finite real");
  for (const auto& fa : f.factors) {
    if (!is_finite(fa.kappa) || !(fa.kappa > 0))
      throw domain_error("kappa", to_str(fa.kappa), "0 < kappa < ∞");
    if (fa.m < 1) throw domain_error("m", std::to_string(fa.m), "integer m ≥ 1");
  }
  if (!d.infinite && (d.d < 1 || d.d > 1000000000000000000ULL))
    throw domain_error("d", std::to_string(d.d), "1 ≤ d ≤ 1e18 (or d = ∞)");
  if (d.infinite) {
    Real e = f.a - beta * total_m(f);
    if (!(e < -1))
      throw domain_error("a - beta*sum(m)", to_str(e), "< -1 for d = ∞",
                         "the power-law sum diverges: summand ~ j^(a - beta*sum(m)) at large j");
  }
}

// ---------------------------------------------------------------------------------------------
// Cached head powers j^a, j^β, j = 1..n (depend only on (β, a, precision)); per thread.
template <class Real> struct power_table {
  Real beta, a;
  int bits;
  std::vector<Real> ja, jb;  // index j−1
};

template <class Real> const power_table<Real>& head_powers(const Real& beta, const Real& a, std::size_t n) {
  using std::pow; using boost::multiprecision::pow;
  thread_local std::deque<power_table<Real>> cache;
  const int bits = digits2<Real>();
  power_table<Real>* t = nullptr;
  for (auto& e : cache) if (e.bits == bits && e.beta == beta && e.a == a) { t = &e; break; }
  if (!t) {
    if (cache.size() >= 8) cache.pop_front();
    cache.push_back(power_table<Real>{beta, a, bits, {}, {}});
    t = &cache.back();
  }
  if (t->ja.size() < n) {
    t->ja.reserve(n); t->jb.reserve(n);
    for (std::size_t j = t->ja.size() + 1; j <= n; ++j) {
      Real x = Real(static_cast<unsigned long long>(j));
      t->ja.push_back(pow(x, a));
      t->jb.push_back(pow(x, beta));
    }
  }
  return *t;
}

/// Π_i (1 + κ_i xb)^(−m_i) with xb = x^β; `t` and `p` are scratch values (no allocation in loops).
template <class Real>
void factor_product(const std::vector<powerlaw_factor<Real>>& fs, const Real& xb, Real& out, Real& t, Real& p) {
  bool first = true;
  for (const auto& fa : fs) {
    mul_to(t, fa.kappa, xb);
    t += 1;
    if (fa.m == 1) {
      if (first) out = 1 / t; else out /= t;
    } else {
      mul_to(p, t, t);
      for (int k = 2; k < fa.m; ++k) p *= t;
      if (first) out = 1 / p; else out /= p;
    }
    first = false;
  }
  if (first) out = 1;
}

/// Σ_{j=j1}^{j2} f(j) by plain summation; powers from the per-thread cache for j ≤ 2^21.
template <class Real>
Real direct_sum(const Real& beta, const powerlaw_summand<Real>& f, std::uint64_t j1, std::uint64_t j2) {
  using std::pow; using boost::multiprecision::pow;
  Real s = 0, v, t, p, g;
  if (j2 < j1) return s;
  const std::uint64_t cached = std::min<std::uint64_t>(j2, std::uint64_t(1) << 21);
  if (j1 <= cached) {
    const auto& h = head_powers(beta, f.a, static_cast<std::size_t>(cached));
    for (std::uint64_t j = j1; j <= cached; ++j) {
      factor_product(f.factors, h.jb[j - 1], g, t, p);
      g *= h.ja[j - 1];
      s += g;
    }
  }
  for (std::uint64_t j = std::max(j1, cached + 1); j <= j2; ++j) {
    Real x = Real(static_cast<unsigned long long>(j));
    v = pow(x, beta);
    factor_product(f.factors, v, g, t, p);
    g *= pow(x, f.a);
    s += g;
  }
  return s;
}

/// Honest relative rounding bound of a plain sum of n positive terms, each computed with a few
/// roundings (pow, one mul/add/div per factor and power): ε·(8 + 2Σm + √n).
template <class Real> Real direct_sum_rel_error(const powerlaw_summand<Real>& f, std::uint64_t n) {
  using std::sqrt;
  return epsilon<Real>() * (8 + 2 * total_m(f) + std::sqrt(static_cast<double>(n)));
}

// ---------------------------------------------------------------------------------------------
/// Coefficients c_k of P(w) = Π_i (1 + σ_i w)^(−m_i), generated one by one.
/// Recurrence from the logarithmic derivative: with Q = Π_i (1 + σ_i w) = Σ q_j w^j and
/// R = Σ_i m_i σ_i Π_{l≠i} (1 + σ_l w) = Σ r_j w^j, Q P' = −R P gives
///     (k+1) c_{k+1} = −Σ_{j=1}^{F} q_j (k+1−j) c_{k+1−j} − Σ_{j=0}^{F−1} r_j c_{k−j}.
/// O(F) work per coefficient; errors grow no faster than the solution (characteristic roots −σ_i).
template <class Real> class product_series {
public:
  product_series(const std::vector<Real>& sigma, const std::vector<int>& m) {
    const std::size_t F = sigma.size();
    q_.assign(1, Real(1));
    for (std::size_t i = 0; i < F; ++i) q_ = poly_mul_linear(q_, sigma[i]);
    r_.assign(F > 0 ? F : 1, Real(0));
    for (std::size_t i = 0; i < F; ++i) {
      std::vector<Real> pi(1, Real(1));
      for (std::size_t l = 0; l < F; ++l) if (l != i) pi = poly_mul_linear(pi, sigma[l]);
      for (std::size_t j = 0; j < pi.size(); ++j) r_[j] += m[i] * sigma[i] * pi[j];
    }
    c_.push_back(Real(1));
    if (F == 1) { single_ = true; sigma1_ = sigma[0]; m1_ = m[0]; cur_ = 1; }
  }
  /// c_k (computing it if needed).
  /// For one factor only the current coefficient is kept: k must not decrease between calls.
  const Real& operator[](std::size_t k) {
    if (single_) {
      while (ks_ < k) {  // c_{k+1} = −σ (k+m)/(k+1) c_k, in place
        cur_ *= sigma1_;
        cur_ *= -static_cast<long>(ks_ + m1_);
        cur_ /= static_cast<long>(ks_ + 1);
        ++ks_;
      }
      return cur_;
    }
    while (c_.size() <= k) step();
    return c_[k];
  }
private:
  static std::vector<Real> poly_mul_linear(const std::vector<Real>& p, const Real& s) {
    std::vector<Real> out(p.size() + 1, Real(0));
    for (std::size_t j = 0; j < p.size(); ++j) { out[j] += p[j]; out[j + 1] += s * p[j]; }
    return out;
  }
  void step() {
    const std::size_t k = c_.size() - 1;  // compute c_{k+1}
    if (single_) {  // one factor: c_{k+1} = −σ (k+m)/(k+1) c_k
      mul_to(acc_, c_[k], sigma1_);
      acc_ *= -static_cast<long>(k + m1_);
      acc_ /= static_cast<long>(k + 1);
      c_.push_back(acc_);
      return;
    }
    const std::size_t F = q_.size() - 1;
    acc_ = 0;
    for (std::size_t j = 1; j <= F && j <= k + 1; ++j) {
      tmp_ = q_[j];
      tmp_ *= c_[k + 1 - j];
      tmp_ *= static_cast<long>(k + 1 - j);
      acc_ -= tmp_;
    }
    for (std::size_t j = 0; j < r_.size() && j <= k; ++j) {
      tmp_ = r_[j];
      tmp_ *= c_[k - j];
      acc_ -= tmp_;
    }
    acc_ /= static_cast<long>(k + 1);
    c_.push_back(acc_);
  }
  std::vector<Real> q_, r_, c_;
  Real acc_, tmp_, sigma1_, cur_;
  bool single_ = false;
  int m1_ = 0;
  std::size_t ks_ = 0;
};

// ---------------------------------------------------------------------------------------------
template <class Real> struct partial { Real value = 0; Real error = 0; int terms = 0; };

/// ∫_{y1}^{y2} y^(e0−1) Σ_k c_k y^(±k) dy, termwise (doc §8.4(a): series regions).
/// `inverse` = false: Σ c_k y^k, exponents e = e0 + k (region y ≤ 1/8, "A");
/// `inverse` = true : Σ c_k y^(−k), exponents e = e0 − k (region y ≥ 8/ρ_min, "C"); y2 may be ∞.
/// Each term is c_k (y2^e − y1^e)/e with the powers Y = y^e built incrementally; when |e·L| < 1/2
/// (L = log(y2/y1)) the difference is taken as −Y2·expm1(−e L)/e (→ L as e → 0), so exponents near
/// −1 in x (log integrals) lose nothing. y1^e0 and y2^e0 are passed in (`Y1`, `Y2`) so callers can
/// derive them from cached powers. Terms fall at least like 8^(−k); stops when two successive term
/// bounds |c_k| (Y1 + Y2)/|e| are below tol.
template <class Real>
partial<Real> series_integral(product_series<Real>& c, bool single_term, const Real& e0, bool inverse,
                              const Real& y1, const Real& y2, bool y2_infinite, Real Y1, Real Y2,
                              const Real& tol) {
  using std::abs; using std::log; using std::expm1;
  using boost::multiprecision::abs; using boost::multiprecision::log; using boost::multiprecision::expm1;
  partial<Real> out;
  const Real eps = epsilon<Real>();
  if (y2_infinite) Y2 = 0;
  // L = log(y2/y1) in double decides which exponents need the expm1 form; Real L only if needed.
  const double Ld = y2_infinite ? 0.0 : log_double(Real(y2 / y1));
  Real L;
  bool haveL = false;
  const Real m1 = inverse ? Real(1 / y1) : y1;
  const Real m2 = y2_infinite ? Real(0) : (inverse ? Real(1 / y2) : y2);
  Real e = e0, A, t, bound, mag = 0;
  int small = 0;
  const int kmax = 200000;
  for (int k = 0; k < kmax; ++k) {
    const Real& ck = c[static_cast<std::size_t>(k)];
    const double ed = to_double(e);
    if (!y2_infinite && std::abs(ed * Ld) < 0.5) {
      if (!haveL) { L = log(y2 / y1); haveL = true; }
      t = (e == 0) ? L : Real(-Y2 * expm1(-e * L) / e);
      t *= ck;
      bound = abs(t);
    } else {
      div_to(A, ck, e);
      sub_to(t, Y2, Y1);
      t *= A;
      add_to(bound, Y2, Y1);
      bound *= A;
      abs_in_place(bound);
    }
    out.value += t;
    mag += bound;
    out.terms = k + 1;
    if (single_term) break;
    if (k >= 1 && bound <= tol) { if (++small >= 2) break; } else small = 0;
    Y1 *= m1;
    if (!y2_infinite) Y2 *= m2;
    if (inverse) e -= 1; else e += 1;
  }
  if (!single_term && small < 2) throw convergence_error("powerlaw_sum: series region did not converge");
  // A single term is exact up to rounding; a truncated series also carries its last term.
  out.error = (single_term ? Real(0) : Real(2 * bound)) + 8 * eps * mag * (1 + out.terms / 64);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Middle (transition) region: Gauss–Legendre in v = log y on a fixed grid of pieces of length
// h = log 8 starting at v = log(1/8); the singularities of Π(1+ρ_i y)^(−m_i) are at
// v = −log ρ_i ± iπ, a distance π from the real axis whatever κ is, and y^s = e^(sv) is entire, so
// an n-point rule on a piece converges like ρ_B^(−2n) with ρ_B = b + √(b²+1), b = 0.8·π/(h/2)
// (80 % of the way to the singularity) ≈ 5.0. Node tables (y_j, w_j·(h/2)·y_j^s) depend only on
// (s, precision) and are cached per thread.
template <class Real> struct middle_table {
  Real s;
  int bits;
  int n;
  std::vector<std::vector<Real>> y, wys;  // per piece
  Real b1s;                                // (1/8)^s
  std::vector<std::pair<long, Real>> b2pow;  // key P·1000 + M  ->  (8^(P−1))^(s−M)
};

inline int middle_nodes(int bits) {
  const double rho = 5.0;
  return std::max(4, static_cast<int>(std::ceil((bits * 0.6931471805599453 + 8) / (2 * std::log(rho)))));
}

template <class Real> Real log8() {
  using std::log; using boost::multiprecision::log;
  return 3 * boost::math::constants::ln_two<Real>();
}

/// GL nodes on [va, vb] in v, with weights times y^s (fresh: 2 exps per node).
template <class Real>
void fresh_nodes(const Real& s, const Real& va, const Real& vb, int n, std::vector<Real>& y, std::vector<Real>& wys) {
  using std::exp; using boost::multiprecision::exp;
  const auto& gl = gauss_legendre<Real>(n);
  const Real c = (va + vb) / 2, hh = (vb - va) / 2;
  y.clear(); wys.clear();
  auto add = [&](const Real& x, const Real& w) {
    Real v = c + hh * x;
    y.push_back(exp(v));
    wys.push_back(w * hh * exp(s * v));
  };
  for (std::size_t i = 0; i < gl.x.size(); ++i) {
    add(gl.x[i], gl.w[i]);
    if (gl.x[i] != 0) add(Real(-gl.x[i]), gl.w[i]);
  }
}

template <class Real> middle_table<Real>& middle_pieces(const Real& s, int pieces) {
  thread_local std::deque<middle_table<Real>> cache;
  const int bits = digits2<Real>();
  middle_table<Real>* t = nullptr;
  for (auto& e : cache) if (e.bits == bits && e.s == s) { t = &e; break; }
  if (!t) {
    if (cache.size() >= 16) cache.pop_front();
    using std::pow; using boost::multiprecision::pow;
    cache.push_back(middle_table<Real>{s, bits, middle_nodes(bits), {}, {}, pow(Real(1) / 8, s), {}});
    t = &cache.back();
  }
  const Real h = log8<Real>();
  while (static_cast<int>(t->y.size()) < pieces) {
    const int p = static_cast<int>(t->y.size());
    std::vector<Real> y, w;
    fresh_nodes(s, Real(-h + p * h), Real(-h + (p + 1) * h), t->n, y, w);
    t->y.push_back(std::move(y));
    t->wys.push_back(std::move(w));
  }
  return *t;
}

/// Σ_j wys_j · Π_i (1 + ρ_i y_j)^(−m_i) (all terms positive).
template <class Real>
void gl_apply(const std::vector<Real>& y, const std::vector<Real>& wys, const std::vector<powerlaw_factor<Real>>& rho,
              partial<Real>& out) {
  Real g, t, p;
  for (std::size_t j = 0; j < y.size(); ++j) {
    factor_product(rho, y[j], g, t, p);
    g *= wys[j];
    out.value += g;
  }
  out.terms += static_cast<int>(y.size());
}

/// ∫_{y1}^{y2} y^(s−1) Π_i (1+ρ_i y)^(−m_i) dy on b1 = 1/8 ≤ y1 < y2 ≤ b2 = 8^(pieces−1).
template <class Real>
partial<Real> middle_integral(const Real& s, const std::vector<powerlaw_factor<Real>>& rho, int pieces,
                              const Real& y1, const Real& y2) {
  using std::log; using std::pow; using boost::multiprecision::log; using boost::multiprecision::pow;
  partial<Real> out;
  const auto& tab = middle_pieces(s, pieces);
  const Real h = log8<Real>();
  const Real b1 = Real(1) / 8;
  const bool whole = (y1 == b1) && (y2 == pow(Real(8), pieces - 1));
  Real v1, v2;
  if (!whole) { v1 = log(y1); v2 = log(y2); }
  std::vector<Real> fy, fw;
  for (int p = 0; p < pieces; ++p) {
    if (whole) { gl_apply(tab.y[p], tab.wys[p], rho, out); continue; }
    const Real lo = -h + p * h, hi = -h + (p + 1) * h;
    if (hi <= v1 || lo >= v2) continue;
    if (lo >= v1 && hi <= v2) {
      gl_apply(tab.y[p], tab.wys[p], rho, out);
    } else {
      fresh_nodes(s, std::max(lo, v1), std::min(hi, v2), tab.n, fy, fw);
      gl_apply(fy, fw, rho, out);
    }
  }
  const Real& mag = out.value;
  // Truncation: ρ_B^(−2n) relative to the size of the integrand (factor 64 for its growth on the
  // ellipse); rounding: a few ε per node.
  const Real eps = epsilon<Real>();
  out.error = 8 * eps * mag + 64 * mag * pow(Real(5), -2 * tab.n);
  return out;
}

/// ∫_{x1}^{x2} f(x) dx for N ≤ x1 < x2 ≤ ∞, in the variable y = κ* x^β, κ* = max κ_i:
///     ∫ f dx = κ*^(−s)/β ∫ y^(s−1) Π_i (1+ρ_i y)^(−m_i) dy,  s = (a+1)/β, ρ_i = κ_i/κ*,
/// split at b1 = 1/8 (every ρ_i y ≤ 1/8: binomial series in y) and b2 = 8^(P−1) ≥ 8/ρ_min (every
/// ρ_i y ≥ 8: series in 1/y), with Gauss–Legendre in log y between (doc §8.4(a)).
/// Inputs: xkb = x_k^β and xka1 = x_k^(a+1) (from cached powers; y_k^s = κ*^s x_k^(a+1), so the
/// only new power per call is κ*^s). Returns the value and error in x-units.
template <class Real>
partial<Real> powerlaw_integral(const Real& beta, const powerlaw_summand<Real>& f, const Real& x1b,
                                const Real& x1a1, const Real& x2b, const Real& x2a1, bool x2_infinite,
                                const Real& tol_abs) {
  using std::pow; using boost::multiprecision::pow;
  const Real s = (f.a + 1) / beta;
  const std::size_t F = f.factors.size();
  partial<Real> total;
  if (F == 0) {
    // ∫ x^a dx = (1/β) ∫ y^(s−1) dy with y = x^β: one stable power difference.
    product_series<Real> one({}, {});
    auto r = series_integral(one, true, s, false, x1b, x2b, x2_infinite, x1a1, x2a1, Real(tol_abs * beta));
    total.value = r.value / beta;
    total.error = r.error / beta;
    total.terms = 1;
    return total;
  }
  Real kmax = f.factors[0].kappa, kmin = kmax;
  for (const auto& fa : f.factors) { kmax = std::max(kmax, fa.kappa); kmin = std::min(kmin, fa.kappa); }
  std::vector<powerlaw_factor<Real>> rho;
  std::vector<Real> rv, sig;
  std::vector<int> ms;
  int M = 0;
  Real Rc = 1;  // Π ρ_i^(−m_i)
  for (const auto& fa : f.factors) {
    Real r = fa.kappa / kmax;
    rho.push_back({r, fa.m});
    rv.push_back(r);
    sig.push_back(1 / r);
    ms.push_back(fa.m);
    M += fa.m;
    for (int k = 0; k < fa.m; ++k) Rc /= r;
  }
  // Pieces of the middle region: grid points 8^(p−1), p = 0..P, last ≥ 8/ρ_min.
  const double log8d = 3 * 0.6931471805599453;
  const double span = (log_double(kmax) - log_double(kmin)) + 2 * log8d;  // log(8/ρ_min) − log(1/8)
  const int P = std::max(1, static_cast<int>(std::ceil(span / log8d - 1e-9)));
  auto& tab = middle_pieces(s, P);
  const Real b1 = Real(1) / 8;
  const Real b2 = pow(Real(8), P - 1);
  const Real ks = pow(kmax, s);  // κ*^s
  const Real y1 = kmax * x1b;
  const Real y2 = x2_infinite ? Real(0) : Real(kmax * x2b);
  const Real Y1s = ks * x1a1;                                     // y1^s
  const Real Y2s = x2_infinite ? Real(0) : Real(ks * x2a1);       // y2^s
  const Real scale = 1 / (ks * beta);
  const Real tol_y = tol_abs / scale;
  // Region A: y ≤ 1/8.
  if (y1 < b1) {
    product_series<Real> c(rv, ms);
    const bool inside = !x2_infinite && y2 < b1;
    auto r = series_integral(c, false, s, false, y1, inside ? y2 : b1, false, Y1s, inside ? Y2s : tab.b1s, tol_y);
    total.value += r.value; total.error += r.error; total.terms += r.terms;
  }
  // Middle region.
  {
    const Real lo = y1 > b1 ? y1 : b1;
    const Real hi = (!x2_infinite && y2 < b2) ? y2 : b2;
    if (lo < hi) {
      auto r = middle_integral(s, rho, P, lo, hi);
      total.value += r.value; total.error += r.error; total.terms += r.terms;
    }
  }
  // Region C: y ≥ b2; Π(1+ρ_i y)^(−m_i) = Rc y^(−M) Π(1 + σ_i/y)^(−m_i), σ_i = 1/ρ_i.
  if (x2_infinite || y2 > b2) {
    product_series<Real> c(sig, ms);
    const Real eC = s - M;
    Real YC1 = 0, YC2 = 0;
    if (y1 > b2) {
      YC1 = Y1s;
      for (int k = 0; k < M; ++k) YC1 /= y1;
    } else {
      const long key = static_cast<long>(P) * 1000 + M;
      const Real* hit = nullptr;
      for (const auto& kv : tab.b2pow) if (kv.first == key) hit = &kv.second;
      if (!hit) { tab.b2pow.emplace_back(key, pow(b2, eC)); hit = &tab.b2pow.back().second; }
      YC1 = *hit;
    }
    if (!x2_infinite) {
      YC2 = Y2s;
      for (int k = 0; k < M; ++k) YC2 /= y2;
    }
    const Real lo = y1 > b2 ? y1 : b2;
    auto r = series_integral(c, false, eC, true, lo, y2, x2_infinite, YC1, YC2, Real(tol_y / Rc));
    total.value += Rc * r.value; total.error += Rc * r.error; total.terms += r.terms;
  }
  total.value *= scale;
  total.error *= scale;
  // κ*^s = exp(s log κ*) and y1^s = κ*^s x1^(a+1): a pow that is not correctly rounded (e.g.
  // cpp_bin_float) errs by about |exponent|·eps relative, so the scale carries that condition number.
  using std::abs; using boost::multiprecision::abs;
  // MPFR and the built-in types round pow correctly (or within an ulp): no condition number there.
  const bool exact_pow = is_mpfr<Real>::value || std::is_floating_point_v<Real>;
  const double cond = exact_pow ? 8.0
                                : 8 + std::abs(to_double(s) * log_double(kmax)) +
                                      std::abs(to_double(f.a + 1) * log_double(x1b) / to_double(beta));
  total.error += abs(total.value) * epsilon<Real>() * cond;
  return total;
}

// ---------------------------------------------------------------------------------------------
/// Taylor coefficients F_n of t ↦ f(x0(1+t)) (so f^(n)(x0) = n! F_n / x0^n), computed on demand
/// with runtime order (doc §8.4(a): "derivatives by truncated Taylor-series (jet) arithmetic"):
///   (1+t)^a = Σ binom(a,k) t^k,  y_i(t) = y_i0 (1+t)^β with y_i0 = κ_i x0^β,
///   g_i = (1 + y_i)^(−m_i) by the power recurrence (J. C. P. Miller): for g = u^p,
///   k u_0 g_k = Σ_{j=1}^{k} ((p+1) j − k) u_j g_{k−j}, here u_j = y_i0 binom(β, j) (j ≥ 1);
///   f = x0^a (1+t)^a Π_i g_i by online convolution.
template <class Real> class summand_jet {
public:
  summand_jet(const Real& beta, const powerlaw_summand<Real>& f, const Real& x0a, const Real& x0b)
      : beta_(beta), a_(f.a), x0a_(x0a) {
    for (const auto& fa : f.factors) {
      fac st;
      st.m = fa.m;
      Real y0 = fa.kappa * x0b;
      Real u0 = 1 + y0;
      st.scale = y0 / u0;
      Real g0 = 1 / u0;
      Real p = g0;
      for (int k = 1; k < fa.m; ++k) p *= g0;
      st.g.push_back(p);
      fac_.push_back(std::move(st));
    }
    alpha_.push_back(Real(1));
    b_.push_back(Real(1));
    // prod_[i] = g_0 * ... * g_i (online convolution chain)
    prod_.resize(fac_.size());
    for (std::size_t i = 0; i < fac_.size(); ++i)
      prod_[i].push_back(i == 0 ? fac_[0].g[0] : Real(prod_[i - 1][0] * fac_[i].g[0]));
  }

  /// Coefficient F_n (n ≥ 0).
  Real coeff(int n) {
    while (static_cast<int>(alpha_.size()) <= n) extend();
    if (fac_.empty()) return x0a_ * alpha_[n];
    const std::vector<Real>& G = prod_.back();
    Real acc = 0;
    for (int j = 0; j <= n; ++j) {
      mul_to(tmp_, alpha_[j], G[n - j]);
      acc += tmp_;
    }
    return acc * x0a_;
  }

private:
  struct fac { int m; Real scale; std::vector<Real> g; };
  void extend() {
    const int k = static_cast<int>(alpha_.size());
    alpha_.push_back(alpha_[k - 1] * (a_ - (k - 1)) / k);
    b_.push_back(b_[k - 1] * (beta_ - (k - 1)) / k);
    for (auto& st : fac_) {
      // g_k = (y0/(k u0)) Σ_{j=1}^{k} ((1−m) j − k) b_j g_{k−j}
      acc_ = 0;
      for (int j = 1; j <= k; ++j) {
        mul_to(tmp_, st.g[k - j], b_[j]);
        tmp_ *= static_cast<long>((1 - st.m) * j - k);
        acc_ += tmp_;
      }
      acc_ *= st.scale;
      acc_ /= k;
      st.g.push_back(acc_);
    }
    for (std::size_t i = 0; i < fac_.size(); ++i) {
      if (i == 0) { prod_[0].push_back(fac_[0].g[k]); continue; }
      acc_ = 0;
      for (int j = 0; j <= k; ++j) {
        mul_to(tmp_, prod_[i - 1][j], fac_[i].g[k - j]);
        acc_ += tmp_;
      }
      prod_[i].push_back(acc_);
    }
  }
  Real beta_, a_, x0a_;
  std::vector<fac> fac_;
  std::vector<Real> alpha_, b_;
  std::vector<std::vector<Real>> prod_;
  Real tmp_, acc_;
};

/// Euler–Maclaurin endpoint correction at x0 (doc §8.4(a)):
///   Σ_{k=1}^{K} B_2k/(2k)! f^(2k−1)(x0) = Σ_k (B_2k/(2k)) F_{2k−1} / x0^(2k−1),
/// adding terms until two successive ones are below tol. Returns the sum, the last |term| (the
/// truncation estimate) and K; `grew` = true if the terms started growing first (x0 too small).
template <class Real> struct em_tail { Real value = 0; Real last = 0; Real mag = 0; int K = 0; bool grew = false; };

template <class Real>
em_tail<Real> em_correction(summand_jet<Real>& jet, const Real& x0, const Real& tol, int kmax) {
  using std::abs; using boost::multiprecision::abs;
  em_tail<Real> out;
  const std::vector<Real>* B = &bernoulli_em_coefficients<Real>(std::min(kmax, 24) + 1);
  const Real inv = 1 / x0, inv2 = inv * inv;
  Real pw = inv, t, prev = -1, prev_prev = 0;
  int small = 0;
  for (int k = 1; k <= kmax; ++k) {
    if (k >= static_cast<int>(B->size()))  // Bernoulli numbers on demand (exact tangent numbers cost O(K²))
      B = &bernoulli_em_coefficients<Real>(std::min(kmax, 2 * k) + 1);
    t = jet.coeff(2 * k - 1);
    t *= (*B)[k];
    t *= pw;
    Real at = abs(t);
    out.K = k;
    if (prev >= 0 && k >= 3 && at > prev && at > tol) { out.grew = true; out.last = at; return out; }
    out.value += t;
    out.mag += at;
    out.last = at;
    prev = at;
    // Stop at a term below tol that is also clearly decreasing (≤ 1/4 of the previous one: the
    // remainder of these asymptotic terms is then bounded by about the last term), or at two in a row.
    if (at <= tol) { if (++small >= 2 || (k >= 2 && 4 * at <= prev_prev)) return out; } else small = 0;
    prev_prev = at;
    pw *= inv2;
  }
  out.grew = true;
  return out;
}

/// Radius of convergence of the Taylor series of f at x0 (> 0): the branch point at 0 and the
/// zeros of 1 + κ_i x^β at x_c,i e^(±iπ/β), x_c,i = κ_i^(−1/β) (on the principal sheet only if β > 1).
inline double taylor_radius(double x0, double beta, const std::vector<double>& log_xc) {
  double R = x0;
  if (beta > 1) {
    const double th = 3.14159265358979323846 / beta;
    for (double lx : log_xc) {
      if (lx > 700) continue;
      std::complex<double> z = std::polar(std::exp(lx), th);
      R = std::min(R, std::abs(std::complex<double>(x0, 0) - z));
    }
  }
  return R;
}

}  // namespace detail

// =============================================================================================
/// Euler–Maclaurin evaluation of S = Σ_{j=1}^{d} f(j) (doc §8.4(a)); applicable to every valid input.
///   S = Σ_{j<N} f(j) + ∫_N^D f + (f(N) + f(D))/2 + Σ_{k≥1} B_2k/(2k)! (f^(2k−1)(D) − f^(2k−1)(N)),
/// D terms dropped for d = ∞; d < 2N is summed directly ("direct").
/// Choice of N: N0 = max(10, 2·digits10), so that with Taylor radius R = N the EM terms fall like
/// (2k)!/(2πR)^(2k) to eps at K ≈ 20 (70 digits). Peak-aware: if a complex singularity
/// x_c e^(±iπ/β) (x_c = κ^(−1/β), β > 1) is closer than N0/2, N doubles (up to 64·N0) until it is not;
/// and if y_N = κ* N^β falls inside the quadrature region of the integral, N moves just below it
/// (Taylor radius ≥ 0.6·N0) or just above it (≤ 4·N0 extra head terms). K adaptive: stop at a term
/// below eps·S/16 that is ≤ 1/4 of its predecessor, or at two in a row; if the terms grow first, N
/// doubles (6 attempts, then convergence_error). Error: head rounding + integral error + 2·last EM
/// term + rounding of the corrections. `terms` reports K.
template <class Real>
sum_result<Real> powerlaw_sum_em(const Real& beta, const powerlaw_summand<Real>& f, powerlaw_dim dim) {
  using std::abs; using std::pow; using std::log;
  using boost::multiprecision::abs; using boost::multiprecision::pow; using boost::multiprecision::log;
  detail::validate_powerlaw(beta, f, dim);
  const Real eps = epsilon<Real>();
  const int d10 = digits10<Real>();
  const double betad = detail::to_double(beta);
  std::vector<double> log_xc;
  for (const auto& fa : f.factors) log_xc.push_back(-detail::log_double(fa.kappa) / betad);

  const long N0 = std::max<long>(10, std::lround(2.0 * d10));
  long N = N0;
  if (detail::taylor_radius(double(N0), betad, log_xc) < 0.5 * N0) {
    // Peak-aware: move N up until the singularities are at least N0/2 away (when affordable).
    long best = N0;
    double bestR = detail::taylor_radius(double(N0), betad, log_xc);
    for (long c = 2 * N0; c <= 64 * N0; c *= 2) {
      double R = detail::taylor_radius(double(c), betad, log_xc);
      if (R > bestR) { bestR = R; best = c; }
      if (R >= 0.5 * N0) break;
    }
    N = best;
  }
  if (!f.factors.empty()) {
    // Keep y_N = κ* N^β out of the Gauss–Legendre middle region (1/8, 8^(P−1)) of the integral when
    // cheap: there its nodes cannot come from the per-(s, precision) cache (2 exps per node).
    // Prefer N just below it (if the Taylor radius stays ≥ 0.6 N0), else just above it (if that
    // adds at most 4·N0 head terms).
    double lkmax = -HUGE_VAL, lkmin = HUGE_VAL;
    for (const auto& fa : f.factors) {
      lkmax = std::max(lkmax, detail::log_double(fa.kappa));
      lkmin = std::min(lkmin, detail::log_double(fa.kappa));
    }
    const double log8d = 3 * 0.6931471805599453;
    const int P = std::max(1, static_cast<int>(std::ceil((lkmax - lkmin + 2 * log8d) / log8d - 1e-9)));
    const double x_lo = std::exp((-log8d - lkmax) / betad);
    const double x_hi = std::exp(((P - 1) * log8d - lkmax) / betad);
    if (double(N) > x_lo && double(N) < x_hi) {
      const long down = static_cast<long>(std::floor(x_lo));
      const double up = std::floor(x_hi) + 1;
      if (down >= 0.6 * N0 && detail::taylor_radius(double(down), betad, log_xc) >= 0.6 * N0) N = down;
      else if (up - N <= 4.0 * N0) N = static_cast<long>(up);
    }
  }

  for (int attempt = 0; attempt < 6; ++attempt, N *= 2) {
    if (!dim.infinite && dim.d < static_cast<std::uint64_t>(2 * N)) {
      Real v = detail::direct_sum(beta, f, 1, dim.d);
      return {v, v * detail::direct_sum_rel_error(f, dim.d), static_cast<int>(dim.d), "direct"};
    }
    Real head = detail::direct_sum(beta, f, 1, static_cast<std::uint64_t>(N - 1));
    Real err = head * detail::direct_sum_rel_error(f, static_cast<std::uint64_t>(N));

    const Real xN = Real(N);
    const auto& hp = detail::head_powers(beta, f.a, static_cast<std::size_t>(N));  // cached N^a, N^β
    const Real& xNa = hp.ja[N - 1];
    const Real& xNb = hp.jb[N - 1];
    Real xD = 0, xDa = 0, xDb = 0;
    if (!dim.infinite) {
      xD = Real(static_cast<unsigned long long>(dim.d));
      xDa = pow(xD, f.a);
      xDb = pow(xD, beta);
    }
    // Tolerances relative to the head (a lower bound of S: all terms are positive).
    Real tol = eps * head / 16;
    auto integral = detail::powerlaw_integral(beta, f, xNb, Real(xNa * xN), xDb, Real(xDa * xD), dim.infinite, tol);
    Real S_est = head + abs(integral.value);
    tol = eps * S_est / 16;
    err += integral.error;

    const int kmax = 40 + 2 * d10;
    detail::summand_jet<Real> jetN(beta, f, xNa, xNb);
    Real fN = jetN.coeff(0);
    auto emN = detail::em_correction(jetN, xN, tol, kmax);
    if (emN.grew) continue;
    Real value = head + integral.value + fN / 2 - emN.value;
    err += emN.last * 2 + 4 * eps * (emN.mag + fN);
    int K = emN.K;
    if (!dim.infinite) {
      detail::summand_jet<Real> jetD(beta, f, xDa, xDb);
      Real fD = jetD.coeff(0);
      auto emD = detail::em_correction(jetD, xD, tol, kmax);
      if (emD.grew) throw convergence_error("powerlaw_sum_em: Euler–Maclaurin terms at d grew before converging");
      value += fD / 2 + emD.value;
      err += emD.last * 2 + 4 * eps * (emD.mag + fD);
      K = std::max(K, emD.K);
    }
    err += 4 * eps * abs(value);
    if (!is_finite(value) || !is_finite(err))
      throw convergence_error("powerlaw_sum_em: non-finite result (overflow at this precision)");
    return {value, err, K, "euler-maclaurin"};
  }
  throw convergence_error("powerlaw_sum_em: Euler–Maclaurin terms did not converge for any split point N");
}

// =============================================================================================
/// Independent route (doc §8.4(b)): J ≥ max_i (2/κ_i)^(1/β), so every y_i = κ_i j^β ≥ 2 for j > J;
///   Σ_{j≤J} f(j) directly, and Σ_{j>J} f(j) = Π_i κ_i^(−m_i) Σ_K e_K ζ(β(M+K) − a, J+1),
/// where e_K are the coefficients of Π_i (1 + w/κ_i)^(−m_i) in w = j^(−β) (binomial series of each
/// factor, convolved explicitly: independent of the Euler–Maclaurin code), M = Σ m_i. For finite
/// d > J subtract the same series with ζ(·, d+1). Converges like 2^(−K). std::nullopt when
/// J > jmax (default 20000 for multiprecision, 2·10^6 for double / long double) or when an
/// exponent β(M+K) − a hits the pole 1 (finite d only).
template <class Real>
std::optional<sum_result<Real>> powerlaw_sum_hurwitz(const Real& beta, const powerlaw_summand<Real>& f,
                                                     powerlaw_dim dim, double jmax = -1) {
  using std::abs; using std::pow; using std::ceil;
  using boost::multiprecision::abs; using boost::multiprecision::pow; using boost::multiprecision::ceil;
  detail::validate_powerlaw(beta, f, dim);
  if (jmax < 0) jmax = std::is_floating_point_v<Real> ? 2e6 : 2e4;
  const Real eps = epsilon<Real>();
  double J = std::ceil(0.2 * digits2<Real>());
  for (const auto& fa : f.factors) {
    double Ji = detail::to_double(ceil(pow(2 / fa.kappa, 1 / beta)));
    if (!(Ji <= jmax)) return std::nullopt;
    J = std::max(J, Ji);
  }
  const auto Ju = static_cast<std::uint64_t>(J);
  if (!dim.infinite && dim.d <= Ju) {
    Real v = detail::direct_sum(beta, f, 1, dim.d);
    return sum_result<Real>{v, v * detail::direct_sum_rel_error(f, dim.d), static_cast<int>(dim.d), "direct"};
  }
  Real head = detail::direct_sum(beta, f, 1, Ju);
  Real err = head * detail::direct_sum_rel_error(f, Ju);
  const int M = detail::total_m(f);
  // Scaled form (no overflow): with q1 = J+1 and ζ̂(s,q) = q^s ζ(s,q),
  //   tail = q1^a Π_i (κ_i q1^β)^(−m_i) Σ_K ê_K ζ̂(s_K, q1),  ê_K = e_K q1^(−βK),
  // ê_K from the per-factor series binom(−m,k) (κ_i q1^β)^(−k), each term ≤ 2^(−k) in size.
  const std::size_t F = f.factors.size();
  const Real q1 = Real(static_cast<unsigned long long>(Ju + 1));
  const Real q2 = dim.infinite ? Real(0) : Real(static_cast<unsigned long long>(dim.d + 1));
  const Real q1b = pow(q1, beta);
  std::vector<Real> kq;
  Real pref = pow(q1, f.a);
  for (const auto& fa : f.factors) { kq.push_back(fa.kappa * q1b); pref /= pow(kq.back(), fa.m); }
  std::vector<std::vector<Real>> ser(F), conv(F);
  auto coef = [&](std::size_t K) -> Real {
    if (F == 0) return K == 0 ? Real(1) : Real(0);
    for (std::size_t i = 0; i < F; ++i) {
      while (ser[i].size() <= K) {
        std::size_t k = ser[i].size();
        const int mi = f.factors[i].m;
        ser[i].push_back(k == 0 ? Real(1) : Real(-ser[i][k - 1] * (mi + static_cast<int>(k) - 1) / (kq[i] * static_cast<long>(k))));
      }
      while (conv[i].size() <= K) {
        std::size_t k = conv[i].size();
        if (i == 0) { conv[0].push_back(ser[0][k]); continue; }
        Real acc = 0;
        for (std::size_t j = 0; j <= k; ++j) acc += conv[i - 1][j] * ser[i][k - j];
        conv[i].push_back(acc);
      }
    }
    return conv[F - 1][K];
  };
  Real tail = 0, mag = 0, last = 0;
  int small = 0, K = 0;
  for (; K < 100000; ++K) {
    Real eK = coef(static_cast<std::size_t>(K));
    if (F == 0 && K > 0) break;
    Real sK = beta * (M + K) - f.a;
    if (sK == 1) return std::nullopt;
    // Relative accuracy needed for this term: eps·S / |pref ê_K ζ̂|, with ζ̂ ≈ q1/(s_K−1) + 1/2.
    const double zhat = detail::to_double(q1) / std::max(1e-300, detail::to_double(sK) - 1) + 0.5;
    const double need = detail::to_double(eps * (head + abs(tail)) / (16 * abs(pref * eK))) / zhat;
    const double rel = std::isfinite(need) ? std::max(0.0, need) : 0.0;
    auto z1 = detail::hurwitz_zeta_em(sK, q1, true, rel);
    Real z = z1.value, ze = z1.error;
    if (!dim.infinite) {
      // ζ(s,q2) q1^s = ζ̂(s,q2) (q1/q2)^s
      auto z2 = detail::hurwitz_zeta_em(sK, q2, true, rel);
      Real r = pow(q1 / q2, sK);
      z -= z2.value * r;
      ze += z2.error * r;
    }
    Real t = pref * eK * z;
    tail += t;
    last = abs(t);
    mag += last + abs(pref * eK) * ze / eps;
    err += abs(pref * eK) * ze;
    if (F == 0) break;
    if (last <= eps * (head + abs(tail)) / 16) { if (++small >= 2) break; } else small = 0;
  }
  if (F != 0 && small < 2) throw convergence_error("powerlaw_sum_hurwitz: tail series did not converge");
  Real value = head + tail;
  err += 2 * last + 8 * eps * mag;
  return sum_result<Real>{value, err, K + 1, "hurwitz"};
}

/// Mellin small-κ expansion (doc §8.4(c), with the power y^b folded into a), d = ∞, one factor:
///   Σ_{j≥1} j^a (1+κ j^β)^(−m) ~ κ^(−s) Γ(s) Γ(m−s)/(β Γ(m)) + Σ_{i≥0} binom(−m,i) κ^i ζ(−a−βi),
/// s = (a+1)/β. Derivation: the Mellin transform in κ of (1+κx)^(−m) is x^(−z) Γ(z)Γ(m−z)/Γ(m), so
/// the sum's transform is Γ(z)Γ(m−z)ζ(βz−a)/Γ(m); the poles left of the strip are z = s (from ζ)
/// and z = −i (from Γ). Valid for s < m with s not a non-positive integer (a double pole gives a
/// log term, e.g. the bias at r = 1). Divergent: summed while the envelope
/// |binom(−m,i)| κ^i 2Γ(1+x)ζ(1+x)/(2π)^(1+x), x = a+βi (|ζ(−x)| without its sine factor) decreases;
/// error = twice the first omitted envelope. std::nullopt unless the total error estimate is below
/// 64·eps·|S| (1024·eps·|S| for cpp_bin_float, whose Boost Γ/ζ are less accurate).
namespace detail {
/// ζ(−a−βi), i = 0..count−1, cached per thread and per (a, β, working precision) (§8.4(c)).
template <class Real> const std::vector<Real>& mellin_zetas(const Real& a, const Real& beta, int count) {
  struct entry { int bits; Real a, beta; std::vector<Real> z; };
  thread_local std::deque<entry> cache;
  const int bits = digits2<Real>();
  entry* e = nullptr;
  for (auto& c : cache)
    if (c.bits == bits && c.a == a && c.beta == beta) { e = &c; break; }
  if (!e) {
    if (cache.size() >= 64) cache.pop_front();
    cache.push_back({bits, a, beta, {}});
    e = &cache.back();
  }
  while (static_cast<int>(e->z.size()) < count) e->z.push_back(riemann_zeta(Real(-a - beta * static_cast<int>(e->z.size()))));
  return e->z;
}
}  // namespace detail

template <class Real>
std::optional<sum_result<Real>> powerlaw_sum_mellin(const Real& beta, const powerlaw_summand<Real>& f, powerlaw_dim dim) {
  using std::abs; using std::pow; using std::log; using std::tgamma; using std::floor;
  using boost::multiprecision::abs; using boost::multiprecision::pow; using boost::multiprecision::log;
  using boost::multiprecision::floor;
  detail::validate_powerlaw(beta, f, dim);
  if (!dim.infinite || f.factors.size() != 1) return std::nullopt;
  const Real eps = epsilon<Real>();
  const int m = f.factors[0].m;
  const Real& kappa = f.factors[0].kappa;
  const Real s = (f.a + 1) / beta;
  if (!(s < m)) return std::nullopt;
  if (s <= 0 && s == floor(s)) return std::nullopt;
  const Real lead = pow(kappa, -s) * boost::math::tgamma(s) * boost::math::tgamma(Real(m - s)) /
                    (beta * boost::math::tgamma(Real(m)));
  const double logk = detail::log_double(kappa);
  const double ad = detail::to_double(f.a), bd = detail::to_double(beta);
  const double log2pi = std::log(2 * 3.14159265358979323846);
  if (lead == 0 || !is_finite(lead)) return std::nullopt;
  // Target relative to |lead| (for s < 0 the constant ζ(−a) dominates instead; the final check
  // against |sum| below decides).
  const double logtol = detail::log_double(eps) + detail::log_double(Real(abs(lead))) - std::log(16.0);
  // Pass 1, in double: the envelope decides how many terms and whether the target is reachable.
  double prevE = HUGE_VAL, logbin = 0, errE = -HUGE_VAL;
  int I = 0;
  const int imax = 100000;
  for (; I < imax; ++I) {
    const double x = ad + bd * I;
    if (x > 1) {
      // Envelope of the remainder on the shifted contour Re z = −I − 1/2: besides the t = 0 size of
      // the term, |ζ(βz − a)| grows like (β|t|/2π)^(x+1/2) along it against Γ(z)Γ(m−z) ~ e^(−π|t|),
      // which adds about (1+x)^m max(1, β/π)^x (essential for β > π, where it grows geometrically).
      const double logE = logbin + I * logk + std::log(2 * 1.6449340668482264) + std::lgamma(1 + x) - (1 + x) * log2pi +
                          m * std::log(1 + x) + x * std::log(std::max(1.0, bd / 3.14159265358979323846));
      if (logE <= logtol || logE > prevE) { errE = logE; break; }
      prevE = logE;
    }
    logbin += std::log(double(m + I) / (I + 1));
  }
  if (I == imax || errE > logtol + std::log(4.0)) return std::nullopt;
  // Pass 2: the terms. Each ζ(−x) is good to a few (1+|x|)·eps (reflection), hence the weights.
  // Γ, ζ and pow are correctly rounded (MPFR) or within an ulp (built-in types); Boost's generic
  // implementations for cpp_bin_float are good only to O(100) eps at these arguments (tgamma(0.4)
  // at 50 digits: 110 eps): widen their share of the estimate by 8 (ζ) and 32 (Γ(s)Γ(m−s)).
  const bool exact_fns = is_mpfr<Real>::value || std::is_floating_point_v<Real>;
  const int special_fn_factor = exact_fns ? 1 : 8;
  // The ζ(−a−βi) do not depend on κ: they are cached per (a, β, precision), so the κ iteration and
  // the many sums of one evaluation pay for them once.
  const std::vector<Real>& zetas = detail::mellin_zetas(f.a, beta, I);
  Real sum = lead, binom = 1, kp = 1, t;
  Real mag = abs(lead) * (8 + std::abs(detail::to_double(s) * logk)) * (exact_fns ? 1 : 32);
  int i = 0;
  for (; i < I; ++i) {
    t = binom * kp * zetas[i];
    sum += t;
    mag += abs(t) * (8 + std::abs(ad + bd * i)) * special_fn_factor;
    binom *= Real(-(m + i)) / (i + 1);
    kp *= kappa;
  }
  using std::exp; using boost::multiprecision::exp;
  Real err = 2 * exp(Real(errE)) + eps * mag;
  if (!(err <= (exact_fns ? 64 : 1024) * eps * abs(sum)) || !is_finite(sum)) return std::nullopt;
  return sum_result<Real>{sum, err, i, "mellin"};
}

/// The independent route: Mellin if it reaches the working precision, else the Hurwitz tail if its
/// head is short enough, else std::nullopt (doc §8.4(b),(c)).
template <class Real>
std::optional<sum_result<Real>> powerlaw_sum_independent(const Real& beta, const powerlaw_summand<Real>& f, powerlaw_dim dim) {
  if (auto r = powerlaw_sum_mellin(beta, f, dim)) return r;
  if (f.factors.empty()) {
    // Pure zeta sum: ζ(−a) − ζ(−a, d+1).
    detail::validate_powerlaw(beta, f, dim);
    const Real s = -f.a;
    if (s == 1) return std::nullopt;
    Real z = riemann_zeta(s);
    Real err = 4 * epsilon<Real>() * abs(z);
    if (!dim.infinite) {
      auto h = detail::hurwitz_zeta_em(s, Real(static_cast<unsigned long long>(dim.d + 1)));
      z -= h.value;
      err += h.error + 4 * epsilon<Real>() * abs(h.value);
    }
    return sum_result<Real>{z, err, 1, "hurwitz"};
  }
  return powerlaw_sum_hurwitz(beta, f, dim);
}

/// Riemann and Hurwitz zeta are re-exported from theory/zeta.hpp.

// Build time (issue 15 item 7): instantiating the sums for one Real costs ~20 s of compiler CPU, and
// every evaluator includes this header. Inside this project's build (COLLAPSE_THEORY_INSTANCES, set
// by CMake's collapse_theory_instances) the two scalar types of eval/ -- double and mpfr_real -- are
// instantiated once, in theory/instances/powerlaw_sum_*.cpp, and other translation units only declare
// them. Without the macro (an installed, header-only consumer) nothing changes. Same code, same bits.
#define COLLAPSE_POWERLAW_SUM_INSTANCES(EXTERN, R)                                                      \
  EXTERN template sum_result<R> powerlaw_sum_em<R>(const R&, const powerlaw_summand<R>&, powerlaw_dim); \
  EXTERN template std::optional<sum_result<R>> powerlaw_sum_independent<R>(const R&, const powerlaw_summand<R>&, powerlaw_dim);
#ifdef COLLAPSE_THEORY_INSTANCES
COLLAPSE_POWERLAW_SUM_INSTANCES(extern, double)
COLLAPSE_POWERLAW_SUM_INSTANCES(extern, mpfr_real)
#endif

}  // namespace collapse
