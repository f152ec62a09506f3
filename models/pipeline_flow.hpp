#pragma once
// The pipeline's weekly flows for one rep (MODEL.md 3.4.7): exits, conversions, stale losses,
// and the bookings of won deals.
#include "models/rep_week.hpp"
#include "models/week_context.hpp"

namespace salesim {

// p[k] is this week's conversion of stage k for the rep; worked[k] the opportunities worked;
// draws the rep's week of draws (models/rep_week.hpp).
void pipeline_flows(WeekContext& cx, int r, const double* p, const std::int64_t* worked,
                    rep_week::Draws& draws);

}  // namespace salesim
