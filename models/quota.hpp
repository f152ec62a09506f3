#pragma once
// Quotas, attainment and accelerators (docs/model.md 12.8). A rep's quota accrues pro rata
// over the weeks it is stepped: the annual quota of its segment (else team.quota.annual) x its
// ramp that week / 52, so a ramping rep and a part year carry a part quota. Accelerators pay
// `rate` on the bookings above `from` x the quota to date, and a rep past a tier's `from`
// works with the effort of the higher marginal commission (MODEL.md 3.4.2). Every function
// here is called only when the scenario has a quota.
#include "models/week_context.hpp"

namespace salesim {

// After init_team (and init_segments): zero bookings and quota for the starting team.
void init_quota(PathState& st);
// In 3.2, after the hires: new reps start with zero bookings and quota.
void quota_week_start(WeekContext& cx);
// 3.4.2 for rep r: the week's effort e, raised by the accelerator tiers its attainment to date
// has reached (the team's e without accelerators).
double rep_effort(const WeekContext& cx, int r);
// 3.4.1: rep r's quota grows by this week's share, with its ramp rho.
void accrue_quota(WeekContext& cx, int r, double rho);
// 3.4.7: rep r booked `booked` this week; pays the accelerators on it (cost: commission).
void credit_quota(WeekContext& cx, int r, double booked);

}  // namespace salesim
