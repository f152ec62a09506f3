#pragma once
// Burnout (MODEL.md 3.4.9): overload above onset_load and disliked work add to it; recovery
// sheds a share.
#include "models/params.hpp"

namespace salesim {

// load = W / sustainable_hours; disliked = D, hours of disliked work; awareness = w.
double next_burnout(const BurnoutParams& b, double B, double load, double disliked,
                    double sustainable_hours, double awareness);

// The factor on each of K stages' conversion (MODEL.md 3.4.4): (1 - conversion_loss B)^(1/K),
// so that across the whole funnel burnout multiplies a win's chance by 1 - conversion_loss B.
double stage_conversion_factor(const BurnoutParams& b, double B, int K);

}  // namespace salesim
