// theory/bernoulli.hpp -- even Bernoulli numbers at any precision, for the Euler–Maclaurin sums of
// theory/powerlaw_sum.hpp and theory/zeta.hpp (theory document §8.4(a), §8.4(b)).
//
// Provenance: B_2k from the tangent numbers T_k, computed exactly in integers by the Brent–Harvey
// recurrence (R. P. Brent, D. Harvey, "Fast computation of Bernoulli, tangent and secant numbers",
// 2011, Algorithm TangentNumbers):
//     B_2k = (-1)^(k-1) 2k T_k / (2^(2k) (2^(2k) - 1)),
// so the Euler–Maclaurin coefficient B_2k/(2k) = (-1)^(k-1) T_k / (2^(2k) (2^(2k) - 1)) is one exact
// rational rounded once to Real. Verified by tests/theory/test_powerlaw_sum.cpp (B_2..B_12 exact,
// and ζ(2k) = (-1)^(k+1) B_2k (2π)^(2k) / (2 (2k)!) at 100 digits).
//
// Why not boost::math::bernoulli_b2n (issue 15 item 4): with the runtime-precision MPFR type of this
// project (mpfr_real, precision set per evaluation by precision_guard) its cache is one static table
// per type that is recomputed only when the precision grows, never when it shrinks; in Boost 1.74 (the
// Debian version here) a copy of an mpfr number keeps the source's precision, so after a 1000-digit
// evaluation a 50-digit one would be handed 1000-digit numbers and carry that precision into its sums.
// Results would then depend on what ran earlier in the process, which breaks the reproducibility
// contract and the two-precision certification of eval/evaluate.cpp. Boost also builds the table by a
// floating-point tangent-number recurrence at the working precision (a few ulps of error), where here
// each coefficient is one exact rational rounded once. The cache below is keyed by the precision.
#pragma once

#include "theory/real.hpp"

#include <boost/multiprecision/cpp_int.hpp>

#include <cstddef>
#include <deque>
#include <vector>

namespace collapse {
namespace detail {

/// Tangent numbers T_1..T_n (exact), index 0 unused. Recomputed with doubled length when more are
/// needed; the table is per thread, so no locking.
inline const std::vector<boost::multiprecision::cpp_int>& tangent_numbers(std::size_t n) {
  using boost::multiprecision::cpp_int;
  thread_local std::vector<cpp_int> table;
  if (table.size() < n + 1) {
    std::size_t len = std::max<std::size_t>(n, 2 * (table.size() > 0 ? table.size() - 1 : 16));
    std::vector<cpp_int> t(len + 1);
    t[1] = 1;
    for (std::size_t k = 2; k <= len; ++k) t[k] = (k - 1) * t[k - 1];
    for (std::size_t k = 2; k <= len; ++k)
      for (std::size_t j = k; j <= len; ++j) t[j] = (j - k) * t[j - 1] + (j - k + 2) * t[j];
    table.swap(t);
  }
  return table;
}

}  // namespace detail

/// The Euler–Maclaurin coefficients B_2k/(2k), k = 1..K, at the current precision of Real. Cached
/// per thread and per precision (binary digits); grows on demand.
template <class Real> const std::vector<Real>& bernoulli_em_coefficients(int K) {
  using boost::multiprecision::cpp_int;
  struct entry { int bits; std::vector<Real> c; };
  thread_local std::deque<entry> cache;  // deque: references stay valid
  const int bits = digits2<Real>();
  entry* e = nullptr;
  for (auto& x : cache) if (x.bits == bits) e = &x;
  if (!e) { cache.push_back(entry{bits, {Real(0)}}); e = &cache.back(); }
  if (static_cast<int>(e->c.size()) <= K) {
    const auto& t = detail::tangent_numbers(static_cast<std::size_t>(K));
    for (int k = static_cast<int>(e->c.size()); k <= K; ++k) {
      cpp_int p = cpp_int(1) << (2 * k);
      const cpp_int den = p * (p - 1);
      Real v = Real(t[static_cast<std::size_t>(k)]) / Real(den);
      e->c.push_back((k % 2 == 1) ? v : Real(-v));
    }
  }
  return e->c;
}

}  // namespace collapse
