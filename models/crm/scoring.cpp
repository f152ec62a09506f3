#include "models/crm/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace salesim::crm {

double crps(std::span<const double> samples, double y) {
  std::vector<double> x(samples.begin(), samples.end());
  if (x.empty()) return 0;
  std::sort(x.begin(), x.end());
  const double n = double(x.size());
  double a = 0, b = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    a += std::abs(x[i] - y);
    b += (2.0 * double(i) - n + 1.0) * x[i];  // sum_{i,j} |x_i - x_j| = 2 * sum (2i - n + 1) x_(i)
  }
  return a / n - b / (n * n);
}

double pit(std::span<const double> samples, double y) {
  if (samples.empty()) return 0;
  // Ties count half (the mid-distribution PIT of a discrete forecast): a forecast of nothing
  // that nothing happened to was PIT 1, binned as "the forecast was too low".
  double k = 0;
  for (double x : samples) k += x < y ? 1.0 : x == y ? 0.5 : 0.0;
  return k / double(samples.size());
}

}  // namespace salesim::crm
