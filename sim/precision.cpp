#include "sim/precision.hpp"

#include <algorithm>
#include <cmath>

namespace sim {

std::size_t paths_for_target(std::size_t n, double se, double target, std::size_t max_n,
                             std::size_t step) {
  const double ratio = se / target;
  double want = double(n) * ratio * ratio * 1.1;
  if (!std::isfinite(want)) want = double(max_n);
  std::size_t next = std::max(n + 1, std::size_t(std::ceil(want)));
  next = (next + step - 1) / step * step;
  return std::min(next, max_n);
}

}  // namespace sim
