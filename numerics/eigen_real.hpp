// numerics/eigen_real.hpp -- Eigen 3.4 with every Real of theory/real.hpp used by the simulator
// (double, long double, collapse::mp50).
//
// Boost.Multiprecision (1.74) ships <boost/multiprecision/eigen.hpp>, which supplies
// Eigen::NumTraits for `number<>`. It does not supply NumTraits::infinity()/quiet_NaN(), which
// Eigen 3.4's generic hypot (used by the symmetric tridiagonal QR step of SelfAdjointEigenSolver and
// by the SVDs) needs, so hypot is specialised here to Boost's own hypot for mp50.
// Include this header instead of <Eigen/Dense> anywhere a multiprecision matrix is formed.
#pragma once

#include "theory/real.hpp"

#include <boost/multiprecision/eigen.hpp>
#include <Eigen/Dense>

#include <type_traits>

namespace Eigen::internal {
template <> struct hypot_impl<collapse::mp50> {
  static collapse::mp50 run(const collapse::mp50& x, const collapse::mp50& y) {
    return boost::multiprecision::hypot(x, y);
  }
};
}  // namespace Eigen::internal

namespace collapse {
template <class Real> using matrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;
template <class Real> using vector = Eigen::Matrix<Real, Eigen::Dynamic, 1>;

/// The thin SVD of an explicit design. double: divide-and-conquer BDCSVD (fast at large T, d). Extended
/// precision: one-sided JacobiSVD, which is at least as accurate, fast enough at the sizes extended
/// precision is used for, and compiles in about a third of the time per scalar type (issue 15, item 7:
/// simulate_long_double.cpp went from ~150 s to 80 s of compiler CPU).
template <class Real>
using thin_svd = std::conditional_t<std::is_same_v<Real, double>, Eigen::BDCSVD<matrix<Real>>,
                                    Eigen::JacobiSVD<matrix<Real>, Eigen::ColPivHouseholderQRPreconditioner>>;
}  // namespace collapse
