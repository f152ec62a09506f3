#pragma once
// People: the starting team, hires (MODEL.md 3.2), attrition with hand-over and backfill
// (3.4.12).
#include "models/rep_week.hpp"
#include "models/week_context.hpp"

namespace salesim {

// The starting team: tenure, skills and preferences drawn per rep (process `team`). With
// `kept`, a team another plan drew on this path from the same distributions is read from it
// (the same values), and a team drawn here is kept in it.
void init_team(const PlanModel& model, PathState& st, TeamDraws* kept = nullptr);
// Hires scheduled for this week join, each charged hire_cost.
void join_hires(WeekContext& cx);
// 3.4.12 for rep r: the quit draw (from the rep's week of draws, models/rep_week.hpp) and, if
// it leaves, hand-over and backfill.
void attrition(WeekContext& cx, int r, rep_week::Draws& draws);

}  // namespace salesim
