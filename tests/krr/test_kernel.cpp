// tests/krr/test_kernel.cpp -- Gram matrices against the kernel formulas evaluated pair by pair, the
// median heuristic against a brute-force median, and the OpenBLAS/LAPACK wrappers (dsyevd, dgemm,
// dpotrf/dpotrs) against Eigen's own solvers and products.
#include "krr/kernel.hpp"
#include "krr/symmetric_eigen.hpp"
#include "theory/errors.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <stdexcept>

using namespace collapse;

TEST_CASE("the RBF and polynomial Gram matrices equal the kernel formulas pair by pair", "[krr]") {
  krr::row_matrix A(3, 2), B(2, 2);
  A << 0, 0, 1, 2, -1, 0.5;
  B << 1, 1, 0.25, -2;
  krr::kernel_spec rbf;
  rbf.bandwidth = 1.5;
  krr::kernel_spec poly;
  poly.type = krr::kernel_spec::kind::poly;
  poly.degree = 3;
  poly.coef0 = 0.5;
  const auto K = krr::gram(rbf, A, B), P = krr::gram(poly, A, B);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 2; ++j) {
      const double d2 = (A.row(i) - B.row(j)).squaredNorm(), dot = A.row(i).dot(B.row(j));
      CHECK(K(i, j) == Approx(std::exp(-d2 / (2 * 1.5 * 1.5))).epsilon(1e-14));
      CHECK(P(i, j) == Approx(std::pow(dot / 2 + 0.5, 3)).epsilon(1e-14));
    }
}

TEST_CASE("the median heuristic is the median pairwise distance, and --bandwidth/--kernel are validated", "[krr]") {
  krr::row_matrix X(4, 1);
  X << 0, 1, 3, 7;  // distances 1 3 7 2 6 4: sorted 1 2 3 4 6 7, upper median 4
  CHECK(krr::median_distance(X) == 4.0);
  CHECK(krr::resolve_bandwidth(krr::parse_kernel("rbf", "median", "3", "1"), X).bandwidth == 4.0);
  const auto half = krr::resolve_bandwidth(krr::parse_kernel("rbf", "median*0.5", "3", "1"), X);
  CHECK(half.bandwidth == 2.0);
  CHECK(half.describe() == "rbf(h=2, 0.5 x median)");
  CHECK(krr::resolve_bandwidth(krr::parse_kernel("rbf", "median*2", "3", "1"), X).bandwidth == 8.0);
  CHECK_THROWS_WITH(krr::parse_kernel("rbf", "median*0", "3", "1"), Catch::Contains("invalid --bandwidth = median*0"));
  CHECK_THROWS_WITH(krr::parse_kernel("rbf", "median*x", "3", "1"), Catch::Contains("invalid --bandwidth = median*x"));
  CHECK_THROWS_WITH(krr::parse_kernel("rbf", "median*2000", "3", "1"), Catch::Contains("invalid --bandwidth = median*2000"));
  CHECK_THROWS_AS(krr::parse_kernel("rbf", "0", "3", "1"), domain_error);
  CHECK_THROWS_AS(krr::parse_kernel("rbf", "nan", "3", "1"), domain_error);
  CHECK_THROWS_AS(krr::parse_kernel("poly", "median", "0", "1"), domain_error);
  CHECK_THROWS_AS(krr::parse_kernel("poly", "median", "2.5", "1"), domain_error);
  CHECK_THROWS_AS(krr::parse_kernel("laplace", "median", "3", "1"), domain_error);
  krr::row_matrix same(3, 2);
  same.setOnes();
  CHECK_THROWS_AS(krr::median_distance(same), domain_error);
}

TEST_CASE("LAPACK's dsyevd gives Eigen's eigenvalues and reconstructs the matrix with orthonormal vectors", "[krr]") {
  Eigen::MatrixXd B = Eigen::MatrixXd::Zero(60, 60);
  for (int i = 0; i < 60; ++i)
    for (int j = 0; j < 60; ++j) B(i, j) = std::sin(1.0 + i * 0.7 + j * j * 0.13);  // deterministic, full rank
  const Eigen::MatrixXd A = B * B.transpose() / 60.0;
  const krr::symmetric_eigen es(A);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ref(A);
  const double scale = ref.eigenvalues().maxCoeff();
  CHECK((es.values - ref.eigenvalues()).cwiseAbs().maxCoeff() < 1e-12 * scale);
  CHECK((es.vectors * es.values.asDiagonal() * es.vectors.transpose() - A).cwiseAbs().maxCoeff() < 1e-12 * scale);
  CHECK((es.vectors.transpose() * es.vectors - Eigen::MatrixXd::Identity(60, 60)).cwiseAbs().maxCoeff() < 1e-12);
  CHECK(std::is_sorted(es.values.data(), es.values.data() + 60));
}

TEST_CASE("dgemm products and the dpotrf solve equal Eigen's products and LLT solve", "[krr]") {
  Eigen::MatrixXd A(7, 5), B(5, 4), S(6, 6);
  for (int i = 0; i < 7; ++i)
    for (int j = 0; j < 5; ++j) A(i, j) = std::sin(0.3 + i * 1.1 + j * 0.7);
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 4; ++j) B(i, j) = std::cos(0.2 + i * 0.9 - j * 1.3);
  CHECK((krr::multiply(A, B) - A * B).cwiseAbs().maxCoeff() < 1e-14);
  CHECK((krr::multiply(A, A, true) - A.transpose() * A).cwiseAbs().maxCoeff() < 1e-14);
  CHECK((krr::multiply(B, B, false, true) - B * B.transpose()).cwiseAbs().maxCoeff() < 1e-14);
  CHECK_THROWS_AS(krr::multiply(A, A), std::invalid_argument);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) S(i, j) = std::exp(-0.3 * (i - j) * (i - j));  // a Gaussian Gram matrix: positive definite
  Eigen::VectorXd b(6);
  b << 1, -2, 0.5, 3, 0, -1;
  Eigen::VectorXd x = b;
  REQUIRE(krr::cholesky_solve(S, x));
  CHECK((x - S.llt().solve(b)).cwiseAbs().maxCoeff() < 1e-12 * x.cwiseAbs().maxCoeff());
  Eigen::MatrixXd indefinite = S;
  indefinite(0, 0) = -1;
  Eigen::VectorXd unchanged = b;
  CHECK_FALSE(krr::cholesky_solve(indefinite, unchanged));
  CHECK(unchanged == b);
}
