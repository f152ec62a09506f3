#pragma once
// What each charge of a path's cost is for (MODEL.md 3.6), so a plan's cost can be shown
// broken down. Every charge goes to exactly one part; the parts add up to the total cost.
#include <cstddef>
#include <iterator>

namespace salesim::cost {

enum Part : std::size_t {
  rep_salaries,  // salary x active reps / 52, every week
  managers,      // manager_salary x managers / 52, every week
  commission,    // commission_rate x the week's bookings
  hiring,        // hire_cost per rep who joins (planned hires and backfills)
  training,      // a training program's cost_per_person per participant
  programs,      // coach_the_coaches and alignment `cost`, profiling `cost_per_person`
  marketing,     // marketing_per_week
  part_count,
};
inline constexpr const char* part_names[] = {"rep_salaries", "managers", "commission", "hiring",
                                             "training",     "programs", "marketing"};
static_assert(std::size(part_names) == part_count);

}  // namespace salesim::cost
