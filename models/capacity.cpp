#include "models/capacity.hpp"

#include <algorithm>
#include <cmath>

namespace salesim {

double effort(const Params& P, double commission_baseline) {
  return effort_at_rate(P, P.compensation.commission_rate, commission_baseline);
}

}  // namespace salesim
