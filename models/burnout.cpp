#include "models/burnout.hpp"

#include <algorithm>
#include <cmath>

namespace salesim {

double next_burnout(const BurnoutParams& b, double B, double load, double disliked,
                    double sustainable_hours, double awareness) {
  const double next = B + b.accumulation * std::max(0.0, load - b.onset_load) +
                      b.discomfort * (1 - awareness) * disliked / sustainable_hours -
                      b.recovery * B;
  return std::clamp(next, 0.0, 1.0);
}

double stage_conversion_factor(const BurnoutParams& b, double B, int K) {
  const double whole = 1 - b.conversion_loss * B;
  if (B == 0) return whole;
  // The K-th root without a libm pow for the usual funnel lengths: it ran once per rep-week
  // and was the largest libm cost of the step.
  switch (K) {
    case 1:
      return whole;
    case 2:
      return std::sqrt(whole);
    case 3:
      return std::cbrt(whole);
    case 4:
      return std::sqrt(std::sqrt(whole));
    case 8:
      return std::sqrt(std::sqrt(std::sqrt(whole)));
    default:
      return std::pow(whole, 1.0 / K);
  }
}

}  // namespace salesim
