#pragma once
// People: the starting team, hires (MODEL.md 3.2), attrition with hand-over and backfill
// (3.4.12).
#include <algorithm>

#include "models/rep_week.hpp"
#include "models/week_context.hpp"

namespace salesim {

// The starting team: tenure, skills and preferences drawn per rep (process `team`). With
// `kept`, a team another plan drew on this path from the same distributions is read from it
// (the same values), and a team drawn here is kept in it.
void init_team(const PlanModel& model, PathState& st, TeamDraws* kept = nullptr);
// Hires scheduled for this week join, each charged hire_cost.
void join_hires(WeekContext& cx);
// 3.4.12's quit draw (from the rep's week of draws, models/rep_week.hpp) for a rep whose
// burnout after step 9 is B: whether it leaves this week. It needs nothing of steps 7-8, so the
// weekly step knows it before the rep's flows (models/week.cpp).
inline bool quits(const WeekContext& cx, double B, rep_week::Draws& draws) {
  const double q = std::min(1.0, cx.D.weekly_hazard + cx.P.burnout.attrition * B * B);
  return q > 0 && draws.uniform32_at(rep_week::attrition(cx.st.reps.K)) < q;
}
// 3.4.12 for rep r, stepped this week up to step 11: if it quits (the draw above), hand-over and
// backfill.
void attrition(WeekContext& cx, int r, bool quits);
// The hand-over's receiver is found by scanning the active reps in teams of up to this many,
// by an index kept through the week in larger ones (people.cpp); the same rep either way. The
// setter is for tests, which run each way.
inline constexpr std::size_t kHandOverScanTeam = 128;
void set_hand_over_scan_team(std::size_t reps);

}  // namespace salesim
