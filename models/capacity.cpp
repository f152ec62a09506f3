#include "models/capacity.hpp"

#include <algorithm>
#include <cmath>

namespace salesim {

double effort(const Params& P, double commission_baseline) {
  if (commission_baseline == 0) return 1.0;
  return std::max(0.0, 1 + P.compensation.effort_elasticity *
                               (P.compensation.commission_rate / commission_baseline - 1));
}

}  // namespace salesim
