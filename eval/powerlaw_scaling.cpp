// eval/powerlaw_scaling.cpp -- see powerlaw_scaling.hpp.
#include "eval/powerlaw_scaling.hpp"

#include "theory/lambda_opt.hpp"
#include "theory/powerlaw_asymptotics.hpp"
#include "theory/ridge_de.hpp"
#include "theory/spectrum.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace collapse::eval {

namespace {

using detail::rmin;
using detail::check_beta_r;

exact_number exact_of(const rational& q) {
  exact_number e;
  e.value = q;
  e.text = fraction_string(q);
  return e;
}

spectrum_spec powerlaw_spec(const rational& beta, const rational& r, std::optional<integer> d) {
  spectrum_spec s;
  s.type = spectrum_spec::kind::powerlaw;
  s.beta = exact_of(beta);
  s.r = exact_of(r);
  if (d) s.d = exact_of(rational(*d));
  else { s.d.infinite = true; s.d.text = "inf"; }
  return s;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

// ---- measured slopes --------------------------------------------------------------------------------

slope_measurement measure_slopes(const rational& beta, const rational& r, const coupling& c, const rational& ell,
                                 const slope_settings& st) {
  using R = mpfr_real;
  const auto t0 = std::chrono::steady_clock::now();
  predict_exponents(beta, r, c, ell);  // validates β, r, ℓ
  if (st.decades < 1 || st.decades > 40) throw domain_error("decades", std::to_string(st.decades), "1 <= decades <= 40");
  if (st.log10_T_max - st.decades < 1 || st.log10_T_max > 60)
    throw domain_error("T-max", "1e" + std::to_string(st.log10_T_max), "10^(decades+1) <= T-max <= 1e60");
  if (st.digits != 0 && (st.digits < 20 || st.digits > 1000)) throw domain_error("digits", std::to_string(st.digits), "20 <= digits <= 1000 (or 0: automatic)");
  if (c.collapse()) {
    if (!(st.n >= 1) || !is_integer(st.n)) throw domain_error("n", fraction_string(st.n), "an integer n >= 1");
    if (!(st.sigma02 > 0)) throw domain_error("sigma02", fraction_string(st.sigma02), "sigma02 > 0");
    if (!(st.phi0 > 0) || !(st.phi0 < 1)) throw domain_error("phi0", fraction_string(st.phi0), "0 < phi0 < 1", "d = phi0 T0 with T0 >= d + 2 (§5.1)");
    if (!(st.c > 0)) throw domain_error("c", fraction_string(st.c), "c > 0", "d = c T^a");
    if (c.type == coupling::kind::fixed && (!is_integer(st.d_fixed) || st.d_fixed < 1))
      throw domain_error("d-fixed", fraction_string(st.d_fixed), "an integer d >= 1");
  }
  if (c.type == coupling::kind::clean_noisy && !(st.sigma2 > 0)) throw domain_error("sigma2", fraction_string(st.sigma2), "sigma2 > 0");

  slope_measurement out;
  out.digits = st.digits ? st.digits : 40 + 2 * st.log10_T_max;
  // E_n at T_k ≈ 10^k for every k of the windows, at `digits` decimal digits.
  struct point { R T, E, collapse; };
  auto evaluate = [&](int digits) {
    precision_guard guard(static_cast<unsigned>(digits));
    const R ten = 10, ell_r = to_real<R>(ell);
    std::vector<point> pts;
    for (int k = st.log10_T_max - st.decades; k <= st.log10_T_max; ++k) {
      R T = pow(ten, k);
      std::optional<integer> d;
      switch (c.type) {
        case coupling::kind::clean_noisy:
        case coupling::kind::clean_noiseless: break;
        case coupling::kind::fixed: d = boost::multiprecision::numerator(st.d_fixed); break;
        case coupling::kind::proportional:
        case coupling::kind::power: {
          // d = round(c·10^(k a)) and T = (d/c)^(1/a), so that d = c·T^a holds exactly at every point.
          const R a_r = to_real<R>(c.a);
          R dr = round(to_real<R>(st.c) * pow(ten, R(k) * a_r));
          if (dr > R("1e18"))
            throw domain_error("T-max", "1e" + std::to_string(st.log10_T_max), "T-max with d = c T^a <= 1e18", "the largest finite d of the power-law sums");
          integer di;
          mpfr_get_z(di.backend().data(), dr.backend().data(), MPFR_RNDN);
          d = di;
          T = pow(to_real<R>(rational(*d) / st.c), 1 / a_r);
          break;
        }
      }
      spectrum<R> s(powerlaw_spec(beta, r, d));
      ridge_params<R> p;
      p.T = T;
      p.lambda = pow(T, -ell_r);
      p.sigma2 = c.type == coupling::kind::clean_noisy ? to_real<R>(st.sigma2) : R(0);
      if (c.collapse()) {
        p.n = to_real<R>(st.n);
        p.T0 = to_real<R>(rational(*d) / st.phi0);
        p.sigma02 = to_real<R>(st.sigma02);
      }
      auto res = ridge_risk(s, p);
      pts.push_back({T, res.total, res.collapse});
    }
    return pts;
  };
  auto slopes = [&](const std::vector<point>& pts, int digits) {
    precision_guard guard(static_cast<unsigned>(digits));
    std::vector<slope_window> ws;
    for (std::size_t i = 1; i < pts.size(); ++i) {
      slope_window w;
      const R lt = log(pts[i].T / pts[i - 1].T);
      w.T_lo = static_cast<double>(pts[i - 1].T);
      w.T_hi = static_cast<double>(pts[i].T);
      w.total = static_cast<double>(R(log(pts[i].E / pts[i - 1].E) / lt));
      if (c.collapse()) w.collapse = static_cast<double>(R(log(pts[i].collapse / pts[i - 1].collapse) / lt));
      ws.push_back(w);
    }
    return ws;
  };
  // The numerical error of each slope is measured, not assumed: the whole computation is repeated with
  // 20 more digits and the two slopes compared (the κ solve and every sum re-done independently).
  const int more = out.digits + 20;
  auto lo = evaluate(out.digits), hi = evaluate(more);
  out.windows = slopes(lo, out.digits);
  {
    precision_guard guard(static_cast<unsigned>(more));
    for (std::size_t i = 0; i < out.windows.size(); ++i) {
      const R lt = log(hi[i + 1].T / hi[i].T);
      const R a = log(lo[i + 1].E / lo[i].E), b = log(hi[i + 1].E / hi[i].E);
      R diff = abs(R(a - b)) / lt;
      if (c.collapse()) {
        const R ac = log(lo[i + 1].collapse / lo[i].collapse), bc = log(hi[i + 1].collapse / hi[i].collapse);
        const R dc = abs(R(ac - bc)) / lt;
        if (dc > diff) diff = dc;
      }
      out.windows[i].numerical_error = static_cast<double>(diff);
    }
  }
  out.seconds = seconds_since(t0);
  return out;
}

// ---- §5.6 crossover -----------------------------------------------------------------------------------

namespace {

template <class Real> crossover_point crossover_at(const crossover_params& p, long long T_int) {
  const integer d = integer(T_int) * boost::multiprecision::numerator(p.c) / boost::multiprecision::denominator(p.c);
  spectrum<Real> s(powerlaw_spec(p.beta, p.r, d));
  const Real T = Real(T_int);
  lambda_opt_params<Real> lp;
  lp.T = T;
  lp.sigma2 = 0;
  lp.n = to_real<Real>(p.n);
  lp.T0 = to_real<Real>(rational(d) / p.phi0);
  lp.sigma02 = to_real<Real>(p.sigma02);
  auto opt = lambda_opt(s, lp);
  ridge_params<Real> clean;
  clean.T = T;
  clean.lambda = 0;
  auto e0 = ridge_risk(s, clean);  // noiseless interpolation, no collapse: E_0 (λ → 0)
  crossover_point pt;
  pt.T = static_cast<double>(T);
  pt.lambda = static_cast<double>(opt.lambda);
  pt.E = static_cast<double>(opt.risk);
  pt.E0 = static_cast<double>(e0.total);
  pt.boundary = opt.at_boundary;
  return pt;
}

}  // namespace

void validate_crossover(const crossover_params& p) {
  check_beta_r(p.beta, p.r);
  if (p.r == 1) throw domain_error("r", "1", "r != 1", "at r = 1 the bias is ~ kappa^2 log(1/kappa): the §5.6 formula has no constant B_r");
  if (!(p.n >= 1) || !is_integer(p.n)) throw domain_error("n", fraction_string(p.n), "an integer n >= 1", "the crossover needs collapse (§5.6)");
  if (!(p.sigma02 > 0)) throw domain_error("sigma02", fraction_string(p.sigma02), "sigma02 > 0", "collapse noise makes sigma_eff2 > 0 (§5.6)");
  if (!(p.phi0 > 0) || !(p.phi0 < 1)) throw domain_error("phi0", fraction_string(p.phi0), "0 < phi0 < 1");
  if (!(p.c >= 1) || !is_integer(p.c)) throw domain_error("c", fraction_string(p.c), "an integer c >= 1", "d = c T must be an integer >= T (§5.6 uses d = 100 T)");
  if (!(p.T_min >= 2) || !(p.T_max > 10 * p.T_min) || p.T_max * p.c.convert_to<double>() > 1e18)
    throw domain_error("--T-min/--T-max", fmt::format("{:g}/{:g}", p.T_min, p.T_max), "2 <= T-min, 10 T-min < T-max, c T-max <= 1e18");
  if (p.per_decade < 2 || p.per_decade > 64) throw domain_error("per-decade", std::to_string(p.per_decade), "2 <= per-decade <= 64");
  if (p.digits != 0 && (p.digits < 20 || p.digits > 200)) throw domain_error("digits", std::to_string(p.digits), "0 (double) or 20..200");
}

std::vector<long long> crossover_grid(const crossover_params& p) {
  std::vector<long long> grid;
  const double l0 = std::log10(p.T_min), l1 = std::log10(p.T_max);
  for (int i = 0;; ++i) {
    double l = l0 + double(i) / p.per_decade;
    if (l > l1 + 1e-12) break;
    long long T = std::llround(std::pow(10.0, l));
    if (grid.empty() || T > grid.back()) grid.push_back(T);
  }
  return grid;
}

crossover_rates crossover_rates_of(const rational& beta, const rational& r) {
  const rational ru = r < 1 ? r : rational(1);
  const rational fast = 2 * beta * ru;
  crossover_rates out;
  out.fast = -fast.convert_to<double>();
  out.slow = -rational(fast / (fast + 1)).convert_to<double>();
  out.mid = (out.fast + out.slow) / 2;
  return out;
}

midpoint_crossing locate_midpoint_crossing(const std::vector<double>& T, const std::vector<double>& E, double level) {
  if (T.size() != E.size() || T.size() < 3)
    throw domain_error("curve", std::to_string(T.size()) + " T values, " + std::to_string(E.size()) + " values", "at least 3 points (T_i, E_i)");
  for (std::size_t i = 0; i < T.size(); ++i) {
    if (!(E[i] > 0) || !std::isfinite(E[i])) throw domain_error("curve", fmt::format("E({:.6g}) = {:.6g}", T[i], E[i]), "E > 0 and finite");
    if (!(T[i] > 0) || (i > 0 && !(T[i] > T[i - 1]))) throw domain_error("curve", fmt::format("T = {:.6g}", T[i]), "T > 0 strictly increasing");
  }
  midpoint_crossing out;
  for (std::size_t i = 1; i < T.size(); ++i) out.slopes.push_back({std::sqrt(T[i - 1] * T[i]), std::log(E[i] / E[i - 1]) / std::log(T[i] / T[i - 1])});
  // first upward crossing of the level, interpolated linearly in log T
  for (std::size_t i = 1; i < out.slopes.size(); ++i) {
    const auto &a = out.slopes[i - 1], &b = out.slopes[i];
    if (a.second <= level && b.second > level) {
      const double t = (level - a.second) / (b.second - a.second);
      out.T_star = std::exp(std::log(a.first) + t * (std::log(b.first) - std::log(a.first)));
      break;
    }
  }
  return out;
}

crossover_result locate_crossover(const crossover_params& p) {
  const auto t0 = std::chrono::steady_clock::now();
  validate_crossover(p);
  crossover_result out;
  out.params = p;
  const crossover_rates rates = crossover_rates_of(p.beta, p.r);
  out.fast = rates.fast;
  out.slow = rates.slow;
  out.mid = rates.mid;
  // σ_eff² = nσ0²(T + d − 2df1)/(T0 − d − 1) → nσ0²(1 + 1/c)/(1/φ0 − 1) when df1 ≪ T ≤ d → ∞ (§3.3)
  out.sigma_eff2_asym = p.n * p.sigma02 * (1 + 1 / p.c) / (1 / p.phi0 - 1);
  {
    precision_guard g(40);
    out.T_formula = static_cast<double>(crossover_T(to_real<mpfr_real>(p.beta), to_real<mpfr_real>(p.r), to_real<mpfr_real>(out.sigma_eff2_asym)));
  }
  for (long long T : crossover_grid(p)) {
    try {
      if (p.digits == 0) out.points.push_back(crossover_at<double>(p, T));
      else {
        precision_guard g(static_cast<unsigned>(p.digits));
        out.points.push_back(crossover_at<mpfr_real>(p, T));
      }
    } catch (const convergence_error& e) {  // e.g. beta = 64 or sigma02 = 1e300 (review): the inputs, not a bug
      auto shown = [](const rational& x) {
        const std::string f = fraction_string(x);
        return f.size() <= 24 ? f : fmt::format("{:.6g}", x.convert_to<double>());
      };
      throw domain_error("T", fmt::format("{} (beta = {}, r = {}, sigma02 = {}, d = {} T)", T, shown(p.beta), shown(p.r), shown(p.sigma02),
                                          shown(p.c)),
                         "a grid point at which the minimised DE can be evaluated and certified", e.what());
    }
  }
  std::vector<double> Ts, Es;
  for (const auto& q : out.points) {
    Ts.push_back(q.T);
    Es.push_back(q.E);
  }
  auto crossing = locate_midpoint_crossing(Ts, Es, out.mid);
  out.slopes = std::move(crossing.slopes);
  if (!crossing.T_star)
    throw domain_error("--T-max", fmt::format("{:g}", p.T_max),
                       fmt::format("a grid [T-min, T-max] on which the local slope of E*_n(T) crosses the midpoint rate {:.6g} "
                                   "(the §5.6 formula puts T* {})", out.mid,
                                   std::isfinite(out.T_formula) ? fmt::format("near {:.3g}", out.T_formula) : std::string("beyond 1e308")),
                       fmt::format("on [{:g}, {:g}] it never does", p.T_min, p.T_max));
  out.T_de = *crossing.T_star;
  out.ratio = out.T_de / out.T_formula;
  out.seconds = seconds_since(t0);
  return out;
}

}  // namespace collapse::eval
