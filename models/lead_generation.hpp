#pragma once
// New opportunities for one rep (MODEL.md 3.4.8): prospected and inbound, into the first stage.
#include "models/rep_week.hpp"
#include "models/week_context.hpp"

namespace salesim {

// The rep's mean new opportunities this week, prospected plus inbound (their sum is Poisson
// with the sum of the means: one draw, rep_week.hpp). P: prospecting hours; y: prospecting
// yield; n_active: active reps at the start of 3.4.
double lead_rate(const WeekContext& cx, int r, double P, double y, int n_active);

// `created` new opportunities into the rep's first stage, counted.
inline void add_leads(WeekContext& cx, int r, std::int64_t created) {
  cx.st.reps.n(r)[0] += created;
  cx.st.tally.created += created;
}

// The rep's draw of new opportunities at mean `rate` (0 for a mean of 0), from its week of
// draws (models/rep_week.hpp).
std::int64_t draw_leads(double rate, int stages, rep_week::Draws& draws);

// draw_leads for `count` reps (1 to 4) at once, in lanes (sim/poisson_lanes.hpp); only where
// sim::lanes::lanes_supported().
void draw_leads4(const double* rate, rep_week::Draws* const* draws, int stages, int count,
                 std::int64_t* created);

}  // namespace salesim
