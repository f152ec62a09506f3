#pragma once
// New opportunities for one rep (MODEL.md 3.4.8): prospected and inbound, into the first stage.
#include "models/rep_week.hpp"
#include "models/week_context.hpp"

namespace salesim {

// P: prospecting hours; y: prospecting yield; n_active: active reps at the start of 3.4;
// draws: the rep's week of draws (models/rep_week.hpp).
void generate_leads(WeekContext& cx, int r, double P, double y, int n_active,
                    rep_week::Draws& draws);

}  // namespace salesim
