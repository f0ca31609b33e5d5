// numerics/variant_engine.cpp -- see variant_engine.hpp. One trial of an issue-12 variant, in Σ's
// eigenbasis (as simulation_engine.hpp: the protocols are rotation-equivariant), in double.
//
// accumulate (docs/theory-extensions.md §A.1): batches j = 1..n generators (σ0²), then the downstream
// batch (σ²); fit k = OLS on all batches so far, ŵ_k = G_k⁻¹h_k, G_k = Σ_{j≤k} X_jᵀX_j,
// h_k = Σ_{j≤k} X_jᵀy_j, y_j = X_jŵ_{j−1} + E_j. Row m: the downstream fit on the m generator batches
// and the downstream batch, labelled by ŵ_m; generator row m: ŵ_m. design fixed: X_j = the downstream
// design for every j (T0 = T). Rao–Blackwell: the chain is unbiased with uncorrelated steps (§A.2), so
// E[err | designs] = Σ_k s_k² tr(Σ G_k⁻¹X_kᵀX_kG_k⁻¹).
// fast engine, fixed design: whitened, XᵀX = Σ^{1/2}LLᵀΣ^{1/2} (Bartlett) and XᵀE_k | L ~ σ_k Σ^{1/2}Lz_k,
// so Σ^{1/2}(ŵ − w0) = L^{-T} Σ_k (s_k/k) z_k jointly for all rows (exact in distribution);
// Rao–Blackwell: tr(Σ(XᵀX)⁻¹) = ‖L⁻¹‖_F² times Σ_k s_k²/k².
// ridge generators (§C.1): ŵ_k = (X_kᵀX_k + T0λ0 I)⁻¹X_kᵀ(X_kŵ_{k−1} + E_k); Rao–Blackwell:
// m_k = A_k m_{k−1}, C_k = A_kC_{k−1}A_kᵀ + σ0² A_k M_k⁻¹, A_k = M_k⁻¹X_kᵀX_k, M_k = X_kᵀX_k + T0λ0 I.
// mixing (§B.1): rows 1..T2 = p2·T of the downstream batch are labelled by w0 + Δ, the others by w0
// (n = 0), Δ_j = sqrt(‖Δ‖²_Σ/(dλ_j)).
// Downstream ridge (replace protocol): ŵ = V diag(f) Uᵀy with X = U D Vᵀ (thin SVD, numerical rank as in
// simulation_engine.hpp), f_i = D_i/(D_i² + Tλ); Rao–Blackwell: ‖V f∘Uᵀ E[y] − w0‖²_Σ + aᵀ[(VᵀΣV)∘(VᵀCV)]a
// + σ² Σ_i (VᵀΣV)_ii f_i², a_i = D_i f_i.
#include "numerics/variant_engine.hpp"
#include "numerics/simulation_engine.hpp"
#include "theory/errors.hpp"

#include <fmt/format.h>

namespace collapse::numerics {

bool is_variant(const simulation_config& c) {
  return c.protocol != protocol_kind::replace || c.generator_lambda.value != 0 || c.synthetic_fraction.value != 0;
}
std::string to_string(protocol_kind p) { return p == protocol_kind::accumulate ? "accumulate" : "replace"; }
std::string to_string(design_kind d) { return d == design_kind::fixed ? "fixed" : "fresh"; }

namespace detail {

namespace {

std::string text_of(const exact_number& x) { return x.text.empty() ? x.value.str() : x.text; }

/// The option that makes `c` a variant, for messages: (parameter, value).
std::pair<std::string, std::string> variant_option(const simulation_config& c) {
  if (c.protocol == protocol_kind::accumulate)
    return c.design == design_kind::fixed ? std::pair<std::string, std::string>{"design", "fixed"} : std::pair<std::string, std::string>{"protocol", "accumulate"};
  if (c.generator_lambda.value != 0) return {"generator-lambda", text_of(c.generator_lambda)};
  return {"synthetic-fraction", text_of(c.synthetic_fraction)};
}

}  // namespace

void validate_variant(const simulation_config& c) {
  const auto& l0 = c.generator_lambda;
  // The simulator runs in double: a λ0 that rounds to 0 or overflows T0·λ0 would silently be another value.
  if (l0.infinite || l0.value < 0 || (l0.value != 0 && (l0.value < rational(1e-300) || l0.value > rational(1e100))))
    throw domain_error("generator-lambda", text_of(l0), "0 (the pseudo-inverse generator of §1) or 1e-300 <= lambda0 <= 1e100",
                       "the protocol variants are simulated in double precision");
  const auto& p2 = c.synthetic_fraction;
  if (p2.infinite || p2.value < 0 || p2.value > 1) throw domain_error("synthetic-fraction", text_of(p2), "0 <= p2 <= 1");
  const auto& shift = c.teacher_shift;
  if (shift.infinite || shift.value < 0 || shift.value > rational(1e100))
    throw domain_error("teacher-shift", text_of(shift), "0 <= |Delta|^2_Sigma <= 1e100");
  if (c.design == design_kind::fixed && c.protocol != protocol_kind::accumulate)
    throw domain_error("design", "fixed", "fresh unless protocol = accumulate", "the replacing protocol of §1 draws a fresh design per batch");
  if (shift.value != 0 && p2.value == 0)
    throw domain_error("teacher-shift", text_of(shift), "0 unless synthetic-fraction > 0", "the shift labels the synthetic rows only");
  if (!is_variant(c)) return;
  const auto [option, value] = variant_option(c);
  if (c.precision != precision_kind::double_precision)
    throw domain_error("precision", to_string(c.precision), "double with " + option + " = " + value,
                       "the protocol variants are simulated in double precision");
  if (c.sign_average) throw domain_error("sign_average", "true", "false with " + option + " = " + value);
  const long d = c.spectrum.dimension().convert_to<long>();
  if (c.protocol == protocol_kind::accumulate) {
    if (l0.value != 0)
      throw domain_error("generator-lambda", text_of(l0), "0 with protocol = accumulate",
                         "accumulation is OLS on the stacked batches (extensions §A.5); with a ridge generator no result is derived");
    if (p2.value != 0)
      throw domain_error("synthetic-fraction", text_of(p2), "0 with protocol = accumulate", "mixing (extensions §B) is one fit, not a chain");
    for (const auto& l : c.lambda)
      if (l.value != 0)
        throw domain_error("lambda", l.text, "0 with protocol = accumulate", "every fit, downstream included, is OLS on all batches so far (extensions §A.1)");
    if (c.record_downstream && c.T < d + 2)
      throw domain_error("T", std::to_string(c.T), "T >= d + 2 = " + std::to_string(d + 2) + " with protocol = accumulate",
                         "the simulated accumulating fits are OLS with a finite mean on every batch (extensions §A.2)");
    if (c.n > 0 && c.T0 < d + 2)
      throw domain_error("T0", std::to_string(c.T0), "T0 >= d + 2 = " + std::to_string(d + 2) + " with protocol = accumulate",
                         "the first generator is OLS on T0 rows: E tr(X'X)^-1 needs T0 >= d + 2 (extensions §A.2)");
    if (c.design == design_kind::fixed && c.n > 0 && c.T0 != c.T)
      throw domain_error("T0", std::to_string(c.T0), "T0 = T = " + std::to_string(c.T) + " with design = fixed",
                         "every batch reuses the one design of T rows (extensions §A.2, A1)");
    if (c.engine == engine_kind::fast && c.design == design_kind::fresh)
      throw domain_error("protocol", "accumulate", "--engine reference with design = fresh",
                         "the fast engine has an exact-in-distribution shortcut only for the fixed design: use --engine reference");
    return;
  }
  if (l0.value != 0 && c.n == 0)
    throw domain_error("generator-lambda", text_of(l0), "0 when n = 0", "no generator is fitted for n = 0");
  if (p2.value != 0) {
    if (c.n != 0)
      throw domain_error("synthetic-fraction", text_of(p2), "0 when n >= 1",
                         "mixing (extensions §B) is one fit on real and shifted-teacher rows; it is not combined with the chain");
    if (!c.record_downstream) throw domain_error("synthetic-fraction", text_of(p2), "0 without a downstream fit", "the mix is the downstream batch");
    bool ridgeless = false;
    for (const auto& l : c.lambda) ridgeless = ridgeless || l.value == 0;
    if (ridgeless && shift.value != 0 && c.T >= d - 1 && c.T <= d + 1)
      throw domain_error("T", std::to_string(c.T),
                         "T <= d - 2 or T >= d + 2 (d = " + std::to_string(d) + ") when lambda = 0 and teacher-shift > 0 (any sigma2)",
                         "the shifted rows bias the ridgeless fit by (X'X)^-1 X2'X2 Delta, whose mean is infinite for T in {d-1, d, d+1} "
                         "(extensions §B.1)");
    const rational rows = p2.value * rational(c.T);
    if (!is_integer(rows))
      throw domain_error("synthetic-fraction", text_of(p2), "a multiple of 1/T = 1/" + std::to_string(c.T),
                         "p2 T rows of the T downstream rows are synthetic: p2 T must be an integer (here " + rows.str() + ")");
  }
  if (c.engine == engine_kind::fast)
    throw domain_error(option, value, "--engine reference with " + option + " > 0",
                       "the fast engine has no exact-in-distribution shortcut for " + option + ": use --engine reference");
}

namespace {

using mat = matrix<double>;
using vec = vector<double>;

class variant_engine final : public trial_runner {
public:
  explicit variant_engine(const simulation_config& c) : c_(c), lay_(layout_of(c)) {
    std::vector<double> eig, w2;
    materialize<double>(c.spectrum, eig, w2, std::numeric_limits<long>::max());
    d_ = static_cast<long>(eig.size());
    eig_.resize(d_); sqrt_eig_.resize(d_); w0_.resize(d_); delta_.resize(d_);
    const double shift = to_real<double>(c.teacher_shift.value);
    for (long j = 0; j < d_; ++j) {
      eig_[j] = eig[j];
      sqrt_eig_[j] = std::sqrt(eig[j]);
      w0_[j] = std::sqrt(w2[j]);
      delta_[j] = std::sqrt(shift / (double(d_) * eig[j]));
    }
    for (const auto& l : c.lambda) lambda_.push_back(to_real<double>(l.value));
    sigma2_ = to_real<double>(c.sigma2.value);
    sigma02_ = to_real<double>(c.sigma02.value);
    sigma_ = std::sqrt(sigma2_);
    sigma0_ = std::sqrt(sigma02_);
    lambda0_ = to_real<double>(c.generator_lambda.value);
    T2_ = (c.synthetic_fraction.value * rational(c.T)).convert_to<long>();
    plain_ = c.estimator == estimator_kind::plain;
  }

  void run(std::uint64_t trial, double* out) override {
    if (c_.protocol == protocol_kind::accumulate) {
      if (c_.engine == engine_kind::fast) accumulate_fixed_fast(trial, out);
      else accumulate_reference(trial, out);
    } else {
      replace_reference(trial, out);
    }
  }

private:
  double sigma_norm2(const vec& v) const { return eig_.dot(v.cwiseAbs2()); }
  /// tr(Σ K M K) for symmetric K, M.
  double sigma_trace(const mat& K, const mat& M) const { return eig_.dot((K * M * K).diagonal()); }
  void put_generator(int k, double v, double* out) const {
    if (c_.record_generator) out[lay_.generator_offset + k] = v;
  }
  void put_downstream(int k, double v, double* out) const {  // accumulate: every λ is 0
    if (c_.record_downstream)
      for (std::size_t l = 0; l < lay_.L; ++l) out[lay_.downstream_offset + k * lay_.L + l] = v;
  }

  // ---- accumulate, the literal protocol ------------------------------------------------------------
  void accumulate_reference(std::uint64_t trial, double* out) const {
    philox_stream xr(c_.seed, trial, streams::downstream_design), er(c_.seed, trial, streams::downstream_noise);
    const mat Xd = design(xr, c_.T, sqrt_eig_);
    const mat Md = Xd.transpose() * Xd;
    const vec Ed = plain_ ? vec(sigma_ * normals<double>(er, c_.T)) : vec();
    const bool fixed = c_.design == design_kind::fixed;
    mat G = mat::Zero(d_, d_);
    vec h = vec::Zero(d_), what = w0_;
    double c = 0;  // Rao–Blackwell: Σ_k σ0² tr(Σ G_k⁻¹ M_k G_k⁻¹) so far
    auto row = [&](int m) {
      put_generator(m, plain_ ? sigma_norm2(what - w0_) : c, out);
      if (!c_.record_downstream) return;
      const mat Gd = G + Md;
      Eigen::LLT<mat> llt(Gd);
      if (plain_) {
        const vec yd = Xd * what + Ed;
        put_downstream(m, sigma_norm2(llt.solve(h + Xd.transpose() * yd) - w0_), out);
      } else {
        const mat K = llt.solve(mat::Identity(d_, d_));
        put_downstream(m, c + sigma2_ * sigma_trace(K, Md), out);
      }
    };
    row(0);
    for (int k = 1; k <= c_.n; ++k) {
      philox_stream kx(c_.seed, trial, streams::chain_design(k)), ke(c_.seed, trial, streams::chain_noise(k));
      const mat Xk = fixed ? Xd : design(kx, c_.T0, sqrt_eig_);
      const mat Mk = Xk.transpose() * Xk;
      G += Mk;
      Eigen::LLT<mat> llt(G);
      if (plain_) {
        const vec y = Xk * what + sigma0_ * normals<double>(ke, Xk.rows());
        h += Xk.transpose() * y;
        what = llt.solve(h);
      } else {
        c += sigma02_ * sigma_trace(llt.solve(mat::Identity(d_, d_)), Mk);
      }
      row(k);
    }
  }

  // ---- accumulate with a fixed design, exact in distribution (header comment) ----------------------
  void accumulate_fixed_fast(std::uint64_t trial, double* out) const {
    philox_stream xr(c_.seed, trial, streams::downstream_design), er(c_.seed, trial, streams::downstream_noise);
    mat L = mat::Zero(d_, d_);  // Bartlett (1933): L_ii² ~ χ²_{T−i}, L_ij ~ N(0,1) below the diagonal
    for (long i = 0; i < d_; ++i) {
      for (long j = 0; j < i; ++j) L(i, j) = xr.normal();
      L(i, i) = std::sqrt(xr.chi_square(double(c_.T - i)));
    }
    const auto Lt = L.transpose().triangularView<Eigen::Upper>();
    double tr_inverse = 0;
    if (!plain_) tr_inverse = L.triangularView<Eigen::Lower>().solve(mat::Identity(d_, d_)).squaredNorm();  // tr W⁻¹
    const vec zd = plain_ ? normals<double>(er, d_) : vec();
    vec s = vec::Zero(d_);
    double h2 = 0;  // Σ_{k≤m} 1/k²
    for (int m = 0; m <= c_.n; ++m) {
      if (m > 0) {
        h2 += 1.0 / (double(m) * m);
        if (plain_) {
          philox_stream ke(c_.seed, trial, streams::chain_noise(m));
          s += (sigma0_ / m) * normals<double>(ke, d_);
        }
      }
      if (plain_) {
        put_generator(m, c_.record_generator ? vec(Lt.solve(s)).squaredNorm() : 0.0, out);
        put_downstream(m, vec(Lt.solve(vec(s + (sigma_ / (m + 1)) * zd))).squaredNorm(), out);
      } else {
        put_generator(m, sigma02_ * h2 * tr_inverse, out);
        put_downstream(m, (sigma02_ * h2 + sigma2_ / ((m + 1.0) * (m + 1.0))) * tr_inverse, out);
      }
    }
  }

  // ---- replace: ridge generators and/or a mixed downstream batch -----------------------------------
  struct downstream_fit {
    mat X, U, V;
    vec D, shift, E, h;  // shift = rows 1..T2 of XΔ (0 elsewhere); h_i = (VᵀΣV)_ii
    mat P;               // VᵀΣV (Rao–Blackwell)
  };

  downstream_fit fit_downstream(std::uint64_t trial) const {
    downstream_fit f;
    philox_stream xr(c_.seed, trial, streams::downstream_design), er(c_.seed, trial, streams::downstream_noise);
    f.X = design(xr, c_.T, sqrt_eig_);
    Eigen::BDCSVD<mat> svd(f.X, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const vec& D = svd.singularValues();
    const double tol = D.size() ? D[0] * double(std::max(c_.T, d_)) * std::numeric_limits<double>::epsilon() : 0.0;
    long r = 0;
    while (r < D.size() && D[r] > tol) ++r;
    f.U = svd.matrixU().leftCols(r);
    f.V = svd.matrixV().leftCols(r);
    f.D = D.head(r);
    f.shift = vec::Zero(c_.T);
    if (T2_ > 0) f.shift.head(T2_) = f.X.topRows(T2_) * delta_;
    if (plain_) f.E = sigma_ * normals<double>(er, c_.T);
    else {
      f.P = f.V.transpose() * eig_.asDiagonal() * f.V;
      f.h = f.P.diagonal();
    }
    return f;
  }

  void evaluate(int k, const downstream_fit& f, const vec& mean, const mat& C, double* out) const {
    vec y = f.X * mean + f.shift;
    if (plain_) y += f.E;
    const vec uy = f.U.transpose() * y;
    const long r = f.D.size();
    mat H;  // (VᵀΣV) ∘ (VᵀCV), Rao–Blackwell with a noisy chain
    if (!plain_ && C.size() != 0) H = f.P.cwiseProduct(f.V.transpose() * C * f.V);
    vec fi(r), a(r);
    for (std::size_t l = 0; l < lay_.L; ++l) {
      const double tl = double(c_.T) * lambda_[l];
      for (long i = 0; i < r; ++i) {
        fi[i] = f.D[i] / (f.D[i] * f.D[i] + tl);
        a[i] = f.D[i] * fi[i];
      }
      double err = sigma_norm2(f.V * fi.cwiseProduct(uy) - w0_);
      if (!plain_) {
        err += sigma2_ * f.h.dot(fi.cwiseAbs2());
        if (H.size() != 0) err += a.dot(H * a);
      }
      out[lay_.downstream_offset + k * lay_.L + l] = err;
    }
  }

  void replace_reference(std::uint64_t trial, double* out) const {
    downstream_fit f;
    if (c_.record_downstream) f = fit_downstream(trial);
    vec mean = w0_;  // plain: ŵ_k; Rao–Blackwell: E[ŵ_k | designs]
    mat C;           // Rao–Blackwell: Cov(ŵ_k | designs); empty = 0
    auto row = [&](int k) {
      put_generator(k, sigma_norm2(mean - w0_) + (C.size() ? eig_.dot(C.diagonal()) : 0.0), out);
      if (c_.record_downstream) evaluate(k, f, mean, C, out);
    };
    row(0);
    for (int k = 1; k <= c_.n; ++k) {
      philox_stream kx(c_.seed, trial, streams::chain_design(k)), ke(c_.seed, trial, streams::chain_noise(k));
      const mat X = design(kx, c_.T0, sqrt_eig_);
      // Ridge(λ0) generator through the thin SVD X = U diag(s) Vᵀ: (XᵀX + T0λ0 I)⁻¹Xᵀ = V diag(s/(s²+T0λ0)) Uᵀ,
      // A = V diag(s²/(s²+T0λ0)) Vᵀ and the noise covariance σ0² V diag(s²/(s²+T0λ0)²) Vᵀ -- exactly 0 on the
      // null space of X when T0 < d. (Forming (XᵀX + T0λ0 I)⁻¹ instead multiplies its 1/(T0λ0) eigenvalues
      // on that null space by rounding errors: at λ0 = 1e-15 the Rao–Blackwell mean came out at -1e13.)
      Eigen::BDCSVD<mat> svd(X, Eigen::ComputeThinU | Eigen::ComputeThinV);
      const vec& sv = svd.singularValues();
      const mat& V = svd.matrixV();
      const double mu = double(c_.T0) * lambda0_;
      vec a(sv.size()), g(sv.size());
      for (long i = 0; i < sv.size(); ++i) {
        const double s2 = sv[i] * sv[i];
        a[i] = s2 == 0 ? 0.0 : s2 / (s2 + mu);
        g[i] = s2 == 0 ? 0.0 : sv[i] / (s2 + mu);  // s/(s²+T0λ0)
      }
      if (plain_) {
        const vec y = X * mean + sigma0_ * normals<double>(ke, c_.T0);
        mean = V * g.cwiseProduct(svd.matrixU().transpose() * y);
      } else {
        mean = V * a.cwiseProduct(V.transpose() * mean);
        mat next = sigma02_ * (V * g.cwiseAbs2().asDiagonal() * V.transpose());
        if (C.size()) {
          const mat A = V * a.asDiagonal() * V.transpose();
          next += A * C * A.transpose();
        }
        C = (next + next.transpose()) / 2;
      }
      row(k);
    }
  }

  const simulation_config c_;
  trial_layout lay_;
  long d_ = 0, T2_ = 0;
  vec eig_, sqrt_eig_, w0_, delta_;
  std::vector<double> lambda_;
  double sigma_ = 0, sigma0_ = 0, sigma2_ = 0, sigma02_ = 0, lambda0_ = 0;
  bool plain_ = true;
};

}  // namespace

std::unique_ptr<trial_runner> make_variant_runner(const simulation_config& c) { return std::make_unique<variant_engine>(c); }

}  // namespace detail
}  // namespace collapse::numerics
