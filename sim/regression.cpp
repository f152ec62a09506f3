#include "sim/regression.hpp"

#include <Eigen/Dense>
#include <cmath>

namespace sim {

StandardisedFit standardised_regression(const std::vector<double>& x, std::size_t p,
                                        const std::vector<double>& y) {
  StandardisedFit fit;
  fit.coef.assign(p, 0.0);
  fit.se.assign(p, 0.0);
  const std::size_t n = y.size();
  auto standardise = [n](Eigen::VectorXd& v) {
    // Equal values do not vary, though their mean may round to another number (0.1 x n / n) and
    // leave a deviation of 1e-17 to be scaled up into a column of noise.
    if (v.size() == 0 || v.maxCoeff() == v.minCoeff()) return false;
    const double mean = v.mean();
    v.array() -= mean;
    const double sd = std::sqrt(v.squaredNorm() / double(n - 1));
    if (!(sd > 0)) return false;
    v /= sd;
    return true;
  };
  // Inputs that vary (a column of equal values carries nothing and would make Z'Z singular).
  std::vector<std::size_t> used;
  std::vector<Eigen::VectorXd> cols;
  for (std::size_t j = 0; j < p; ++j) {
    Eigen::VectorXd c(n);
    for (std::size_t i = 0; i < n; ++i) c[i] = x[i * p + j];
    if (n > 1 && standardise(c)) used.push_back(j), cols.push_back(std::move(c));
  }
  const std::size_t k = used.size();
  if (n < k + 3) return fit;
  Eigen::VectorXd Y = Eigen::Map<const Eigen::VectorXd>(y.data(), Eigen::Index(n));
  if (!standardise(Y)) return fit;
  Eigen::MatrixXd Z(n, k);
  for (std::size_t j = 0; j < k; ++j) Z.col(Eigen::Index(j)) = cols[j];
  const Eigen::MatrixXd ZtZ = Z.transpose() * Z;
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(ZtZ);
  if (ldlt.info() != Eigen::Success) return fit;
  const Eigen::VectorXd b = ldlt.solve(Z.transpose() * Y);
  const Eigen::VectorXd e = Y - Z * b;
  // HC1: (Z'Z)^-1 Z' diag(e^2) Z (Z'Z)^-1 times n / (n - k - 1) (the intercept is the centring).
  const Eigen::MatrixXd meat = Z.transpose() * e.array().square().matrix().asDiagonal() * Z;
  const Eigen::MatrixXd inv =
      ldlt.solve(Eigen::MatrixXd::Identity(Eigen::Index(k), Eigen::Index(k)));
  const Eigen::MatrixXd cov = inv * meat * inv * (double(n) / double(n - k - 1));
  for (std::size_t j = 0; j < k; ++j) {
    fit.coef[used[j]] = b[Eigen::Index(j)];
    fit.se[used[j]] = std::sqrt(std::max(0.0, cov(Eigen::Index(j), Eigen::Index(j))));
  }
  fit.r2 = 1.0 - e.squaredNorm() / Y.squaredNorm();
  fit.defined = true;
  return fit;
}

}  // namespace sim
