#pragma once
// The pipeline's weekly flows for one rep (MODEL.md 3.4.7): exits, conversions, stale losses,
// and the bookings of won deals. The counts' part (stage_flows) is separate from the bookings'
// (book_flows) so that the weekly step can draw the counts of four reps at once in lanes
// (models/pipeline_flow_lanes.hpp) and book each rep's wins in index order.
#include "models/rep_week.hpp"
#include "models/week_context.hpp"

namespace salesim {

// What step 7's counts give the rest of the step.
struct Flowed {
  std::int64_t lost = 0;  // exits that did not advance, and stale losses
  std::int64_t won = 0;   // advances out of the last stage
};

// The counts of step 7 for one rep: n[k] (open, updated in place), p[k] this week's conversion
// of stage k, worked[k] the opportunities worked; draws the rep's week of draws. E and S are
// scratch of K entries.
Flowed stage_flows(const Derived& D, int K, std::int64_t* n, const double* p,
                   const std::int64_t* worked, rep_week::Draws& draws, std::int64_t* E,
                   std::int64_t* S);

// The sizes of `won` (> 0) won deals (in the rep's draws), booked, and counted.
void book_wins(WeekContext& cx, int r, std::int64_t won, rep_week::Draws& draws);

// Step 7's tallies for one rep once its counts are drawn (inline: most rep-weeks win nothing).
inline void book_flows(WeekContext& cx, int r, const Flowed& f, rep_week::Draws& draws) {
  cx.st.tally.lost += f.lost;
  if (f.won > 0) book_wins(cx, r, f.won, draws);
}

// book_wins in two parts, for a week's reps stepped one after another without segments or
// quotas (nothing in their steps reads the bookings): hold_wins keeps the deals' uniforms, rep
// after rep; book_held_wins draws every size at once (sim::Lognormal::draw_many) and books them
// rep by rep in the same order: the same bits as book_wins for each rep.
void hold_wins(WeekContext& cx, std::int64_t won, rep_week::Draws& draws);
void book_held_wins(WeekContext& cx);

}  // namespace salesim
