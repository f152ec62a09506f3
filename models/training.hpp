#pragma once
// Training programs (MODEL.md 3.8): enrolment at the start week, hours out of the field while
// running, gains applied at completion (3.5).
#include <algorithm>

#include "models/week_context.hpp"

namespace salesim {

// Programs starting this week choose their participants and the skills each one trains.
void enrol_training(WeekContext& cx);
// Sets every active rep's training hours T for this week.
void set_training_hours(WeekContext& cx);
// 3.5: programs whose last week is this week apply their gains to active participants.
void complete_training(WeekContext& cx);

// Effective skill sigma[j] = rho * min(1, s[j] + g[j]) of rep r (MODEL.md 3.4.4).
// Both run for every rep-week: inline, so the weekly step pays no call for them.
inline double ramp(const Params& P, int tenure) {
  if (P.people.ramp_weeks == 0) return 1.0;
  return std::min(1.0, double(tenure + 1) / double(P.people.ramp_weeks));
}
inline void effective_skills(const Reps& R, int r, double rho, double* sigma) {
  const double* s = &R.durable[std::size_t(r) * R.J];
  const double* g = &R.gain[std::size_t(r) * R.J];
  for (int j = 0; j < R.J; ++j) sigma[j] = rho * std::min(1.0, s[j] + g[j]);
}

}  // namespace salesim
