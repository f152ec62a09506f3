#include "models/burnout.hpp"

#include <algorithm>

namespace salesim {

double next_burnout(const BurnoutParams& b, double B, double load, double disliked,
                    double sustainable_hours, double awareness) {
  const double next = B + b.accumulation * std::max(0.0, load - b.onset_load) +
                      b.discomfort * (1 - awareness) * disliked / sustainable_hours -
                      b.recovery * B;
  return std::clamp(next, 0.0, 1.0);
}

}  // namespace salesim
