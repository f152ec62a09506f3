#pragma once
// Burnout (MODEL.md 3.4.9): overload above onset_load and disliked work add to it; recovery
// sheds a share.
#include <algorithm>
#include <cmath>

#include "models/params.hpp"

namespace salesim {

// Both run for every rep-week: inline, so the weekly step pays no call for them.

// load = W / sustainable_hours; disliked = D, hours of disliked work; awareness = w.
inline double next_burnout(const BurnoutParams& b, double B, double load, double disliked,
                           double sustainable_hours, double awareness) {
  const double next = B + b.accumulation * std::max(0.0, load - b.onset_load) +
                      b.discomfort * (1 - awareness) * disliked / sustainable_hours -
                      b.recovery * B;
  return std::clamp(next, 0.0, 1.0);
}

// The factor on each of K stages' conversion (MODEL.md 3.4.4): (1 - conversion_loss B)^(1/K),
// so that across the whole funnel burnout multiplies a win's chance by 1 - conversion_loss B.
inline double stage_conversion_factor(const BurnoutParams& b, double B, int K) {
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
