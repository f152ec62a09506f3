#pragma once
// The slots a path writes for the runner: per-path figures, the weekly series kept per path
// (for quantiles and paired comparisons) and the weekly series summed over paths (for means).
#include <cstddef>

#include "models/cost_parts.hpp"
#include "models/recurring_layout.hpp"
#include "models/scenario.hpp"
#include "models/territory_outputs.hpp"
#include "sim/runner.hpp"

namespace salesim::out {

// Per-path scalars. Checkpoint outcomes follow, one per checkpoint (1 met, 0 not), then the
// bookings of each checkpoint period (first_period).
enum Scalar : std::size_t {
  final_bookings,
  cost,
  leavers,
  hires,
  created,
  won,
  lost,
  goal_met,         // NaN when there is no goal
  goal_week,        // first week (1..horizon) cumulative bookings reach the goal; +inf never
  all_checkpoints,  // NaN when there are no checkpoints
  burnout_final,    // mean B over reps active at the end; NaN when none
  burnt_out_share_final,
  headcount_final,
  hours_per_rep_week,  // W averaged over reps stepped in a week, then over weeks
  rep_weeks,           // reps stepped, summed over weeks (the work done, for benchmarks)
  // Cost by cost::Part, cost::part_count of them. Every charge goes to one part, so they add up
  // to `cost` (summed in another order: equal up to rounding, relative 1e-12).
  first_cost_part,
  // Bookings of the last min(13, horizon) weeks, annualised (x 52 / those weeks: x 4 for 13).
  exit_run_rate = first_cost_part + cost::part_count,
  open_pipeline_value,  // at the end: open opportunities x deal mean (face value, as 3.7)
  ramped_headcount,     // active reps at the end whose ramp next week would be 1
  first_checkpoint,
};

// The weeks the exit run-rate covers.
inline int run_rate_weeks(int horizon) { return horizon < 13 ? horizon : 13; }
// Bookings per checkpoint period: period i (0..checkpoints) runs from the week after checkpoint
// i-1 (week 1 for i = 0) to checkpoint i's week (the horizon for the last one).
inline std::size_t first_period(const Scenario& sc) {
  return first_checkpoint + sc.base.goal.checkpoints.size();
}
inline std::size_t period_count(const Scenario& sc) { return sc.base.goal.checkpoints.size() + 1; }
// The recurring-revenue scalars (arr_out::Scalar), after the periods; none without it.
inline std::size_t first_recurring(const Scenario& sc) {
  return first_period(sc) + period_count(sc);
}
// Segments and quotas (docs/model.md 12.7-12.8) follow the recurring scalars; none without them.
inline territory::Layout territory_layout(const Scenario& sc) {
  return territory::Layout(sc, first_recurring(sc) + arr_out::scalar_count(sc));
}

enum Kept : std::size_t { cum_bookings, weekly_bookings, kept_count };

enum Summed : std::size_t {
  s_bookings,
  s_costs,
  s_active,
  s_burnout_mean,
  s_has_reps,
  s_burnt_out,
  s_leavers,
  s_hires,
  s_created,
  s_won,
  s_lost,
  s_open_count,
  s_open_value,
  s_hours_per_rep,
  s_has_stepped,
  summed_count,
};
inline constexpr const char* summed_names[] = {"bookings",
                                               "costs",
                                               "headcount",
                                               "burnout_mean",
                                               "paths_with_reps",
                                               "burnt_out_reps",
                                               "leavers",
                                               "hires",
                                               "opportunities_created",
                                               "won",
                                               "lost",
                                               "open_pipeline_count",
                                               "open_pipeline_value",
                                               "hours_per_rep",
                                               "paths_with_reps_stepped"};

// What the goal and checkpoints count (goal.metric): the per-path final value the shortfall is
// measured on, and the weekly series kept per path.
inline std::size_t goal_scalar(const Scenario& sc) {
  return sc.base.goal.metric == "arr" ? first_recurring(sc) + arr_out::arr_final : final_bookings;
}
inline std::size_t goal_kept(const Scenario& sc) {
  return sc.base.goal.metric == "arr" ? kept_count + arr_out::arr : cum_bookings;
}

inline sim::OutputShape shape(const Scenario& sc) {
  return {std::size_t(sc.horizon()), territory_layout(sc).first + territory_layout(sc).count(),
          kept_count + arr_out::kept_count(sc), summed_count};
}

}  // namespace salesim::out
