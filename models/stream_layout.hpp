#pragma once
// The slots of one streamed path (salesim run --streaming). Paired comparisons need every plan
// on the same path at once, so one path function runs all plans of the scenario on that path
// (same path index, same addressed draws as running the plans one by one) and writes, besides
// each plan's own slots, the per-path figures that streaming cannot rebuild later: profit,
// shortfall, and the differences of each plan from the first.
#include <cstddef>

#include "models/conditional.hpp"
#include "models/drivers.hpp"
#include "models/outputs.hpp"

namespace salesim::streamed {

// Per-path differences plan - first plan (1 or 0 for `better`).
enum Diff : std::size_t {
  d_bookings,
  d_cost,
  d_profit,
  d_leavers,
  d_burnout,
  d_better,  // 1 when the plan's final bookings beat the first plan's on this path
  d_goal,
  d_first_cost_part,  // cost::part_count of them
  d_exit_run_rate = d_first_cost_part + cost::part_count,
  d_open_pipeline_value,
  d_ramped_headcount,
  d_first_checkpoint,
};

// Per-path differences of recurring revenue (plan - first plan; 1 or 0 for `arr_better`), after
// the drivers, only when revenue.model is recurring.
enum ArrDiff : std::size_t {
  a_final,
  a_better,  // 1 when the plan ends the path with more ARR than the first plan
  a_start,
  a_added,
  a_expansion,
  a_churn,
  arr_diff_count
};

struct Layout {
  std::size_t plans = 0, own = 0, checkpoints = 0, weeks = 0, conditional = 0;
  // Weekly series kept per plan: out::Kept's, then recurring revenue's (arr_out), as a stored
  // run keeps them, so a streamed path writes what a stored one does.
  std::size_t kept_per_plan = 0;
  // The first recurring scalar of a plan (out::first_recurring) and its quarters; 0 quarters
  // without recurring revenue.
  std::size_t first_recurring = 0, arr_quarters = 0;

  Layout(const Scenario& sc, std::size_t plan_count)
      : plans(plan_count),
        own(out::shape(sc).scalars),
        checkpoints(sc.base.goal.checkpoints.size()),
        weeks(std::size_t(sc.horizon())),
        conditional(ConditionalLayout(checkpoints).count()),
        kept_per_plan(out::shape(sc).kept_series),
        first_recurring(out::first_recurring(sc)),
        arr_quarters(arr_out::on(sc) ? arr_out::quarters(sc.horizon()) : 0) {}

  // Plan p's scalars: its own (out::Scalar), then profit, shortfall below the goal, and the
  // per-path values of the conditional figures (ConditionalLayout).
  std::size_t per_plan() const { return own + 2 + conditional; }
  std::size_t scalar(std::size_t p, std::size_t i) const { return p * per_plan() + i; }
  std::size_t profit(std::size_t p) const { return scalar(p, own); }
  std::size_t shortfall(std::size_t p) const { return scalar(p, own + 1); }
  std::size_t conditional_value(std::size_t p, std::size_t i) const {
    return scalar(p, own + 2 + i);
  }
  // Differences of plan c (1..plans-1) from plan 0: the Diff fields, one per checkpoint, the
  // drivers of the bookings difference (Driver order), then the ArrDiff fields.
  std::size_t per_diff() const {
    return d_first_checkpoint + checkpoints + driver_count + arr_diffs();
  }
  bool recurring() const { return arr_quarters > 0; }
  // The ArrDiff fields per comparison: none without recurring revenue.
  std::size_t arr_diffs() const { return recurring() ? std::size_t(arr_diff_count) : 0; }
  std::size_t diff(std::size_t c, std::size_t d) const {
    return plans * per_plan() + (c - 1) * per_diff() + d;
  }
  std::size_t driver(std::size_t c, std::size_t k) const {
    return diff(c, d_first_checkpoint + checkpoints + k);
  }
  std::size_t arr_diff(std::size_t c, std::size_t k) const {
    return diff(c, d_first_checkpoint + checkpoints + driver_count + k);
  }
  std::size_t kept(std::size_t p, std::size_t s) const { return p * kept_per_plan + s; }
  std::size_t summed(std::size_t p, std::size_t s) const { return p * out::summed_count + s; }

  sim::OutputShape shape() const {
    return {weeks, plans * per_plan() + (plans > 0 ? plans - 1 : 0) * per_diff(),
            plans * kept_per_plan, plans * out::summed_count};
  }
};

}  // namespace salesim::streamed
