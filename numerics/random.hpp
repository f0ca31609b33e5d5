// numerics/random.hpp -- counter-based random variates for the simulator, identical on every
// platform and thread count.
//
// Contract (docs/simulation.md): the stream of uniforms of (seed, trial, stream) is Philox4x32-10
// (Salmon et al., SC'11; Random123) with key = (seed mod 2^32, seed div 2^32) and counter =
// (block, stream, trial mod 2^32, trial div 2^32). Normals, gammas and chi-squares are computed from
// those uniforms by the transforms below, in double arithmetic, never by std:: distributions (whose
// output differs between standard libraries). A variate therefore depends only on (seed, trial,
// stream, position in the stream), not on which thread draws it or on the working precision Real.
//
// \test tests/numerics/test_random.cpp (moments of the uniform, normal, gamma and chi-square variates;
//       distinct streams are distinct; a stream is reproducible).
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace collapse::numerics {

/// One independent stream of variates, addressed by (seed, trial, stream).
class philox_stream {
public:
  using generator = r123::Philox4x32;

  philox_stream(std::uint64_t seed, std::uint64_t trial, std::uint32_t stream) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    ctr_ = {{0u, stream, static_cast<std::uint32_t>(trial), static_cast<std::uint32_t>(trial >> 32)}};
  }

  /// Next 32 random bits.
  std::uint32_t next_u32() {
    if (used_ == 4) {
      block_ = generator{}(ctr_, key_);
      ctr_.v[0] += 1;  // 2^32 blocks (2^34 words) per stream: far beyond any single trial's use
      used_ = 0;
    }
    return block_.v[used_++];
  }

  /// Uniform on the open interval (0, 1) with 53 random bits: (k + 1/2) 2^-53, k in [0, 2^53).
  /// Not Random123's r123::u01 / u01fixedpt (issue 15 item 4 asked): they fit the contract (pure
  /// functions of the counter output) but give different values -- u01<double>(uint64) is
  /// k·2^-64 + 2^-65 rounded (it can return exactly 1.0), u01fixedpt<double>(uint64) is
  /// (2⌊k/2^11⌋ + 1)·2^-53 from the 64-bit word (52 random bits) -- so either would change every
  /// committed simulate output (tests/numerics, /work/baseline hashes, the golden report). Ours is
  /// kept; it is the documented contract (docs/simulation.md).
  double uniform() {
    std::uint64_t hi = next_u32() >> 5, lo = next_u32() >> 6;  // 27 + 26 = 53 bits
    std::uint64_t k = (hi << 26) | lo;
    return (static_cast<double>(k) + 0.5) * 0x1p-53;
  }

  /// Standard normal by the Box–Muller transform (Box & Muller 1958): two uniforms give two
  /// independent normals; the second is kept for the next call. Not r123::boxmuller: it draws the
  /// angle from uneg11 with sincospi and the radius from u01 of 32/64-bit words, so its normals differ
  /// from ours draw by draw and adopting it would change every committed output (see uniform()).
  /// (If the contract is ever re-based, boxmuller(uint64, uint64) is the drop-in.)
  double normal() {
    if (has_spare_) { has_spare_ = false; return spare_; }
    double u1 = uniform(), u2 = uniform();
    double rho = std::sqrt(-2 * std::log(u1));
    double theta = 2 * 3.141592653589793238462643383279502884 * u2;
    spare_ = rho * std::sin(theta);
    has_spare_ = true;
    return rho * std::cos(theta);
  }

  /// Gamma(shape, 1) by Marsaglia & Tsang (ACM TOMS 26, 2000), shape > 0. For shape < 1 the
  /// boost Gamma(shape+1) · U^(1/shape) is used (same paper, §6).
  double gamma(double shape) {
    if (shape < 1) {
      double g = gamma(shape + 1);
      return g * std::pow(uniform(), 1 / shape);
    }
    const double d = shape - 1.0 / 3, c = 1 / std::sqrt(9 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = uniform(), x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;                        // squeeze
      if (std::log(u) < x2 / 2 + d * (1 - v + std::log(v))) return d * v;  // exact test
    }
  }

  /// Chi-square with nu > 0 degrees of freedom: 2 Gamma(nu/2, 1).
  double chi_square(double nu) { return 2 * gamma(nu / 2); }

private:
  generator::ctr_type ctr_;
  generator::key_type key_;
  generator::ctr_type block_{};
  int used_ = 4;
  bool has_spare_ = false;
  double spare_ = 0;
};

/// Stream numbers within one trial. Designs and label noise use separate streams so that the plain
/// and the Rao–Blackwellised estimators of the same seed see the same designs (common random
/// numbers), and generation k's draws do not depend on how many draws generation k-1 used.
struct streams {
  static constexpr std::uint32_t downstream_design = 0;
  static constexpr std::uint32_t downstream_noise = 1;
  static std::uint32_t chain_design(int k) { return 2 * static_cast<std::uint32_t>(k); }      // k >= 1
  static std::uint32_t chain_noise(int k) { return 2 * static_cast<std::uint32_t>(k) + 1; }   // k >= 1
};

}  // namespace collapse::numerics
