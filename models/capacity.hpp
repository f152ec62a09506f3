#pragma once
// Capacity and the allocation of a rep's hours (MODEL.md 3.4.2, 3.4.3, 3.4.5).
#include <cstdint>

#include "models/params.hpp"

namespace salesim {

// e = max(0, 1 + effort_elasticity (commission_rate / baseline - 1)); 1 when the baseline is 0.
double effort(const Params& P, double commission_baseline);

struct HoursInput {
  double H = 0;  // hours cap
  double F = 0;  // fixed hours (admin, training, coaching, programs)
  double e = 1;  // effort
  double pref_prospecting = 0;
  double awareness = 0;
};

// Splits A = max(0, H - F) between prospecting and the stages; fills worked[k] and returns the
// prospecting hours P.
double allocate_hours(const Params& P, const HoursInput& in, const std::int64_t* open,
                      std::int64_t* worked);

}  // namespace salesim
