#pragma once
// What a run reports per plan and per comparison (MODEL.md section 4), computed from the
// runner's per-path slots.
#include <optional>
#include <string>
#include <vector>

#include "models/conditional.hpp"
#include "models/drivers.hpp"
#include "models/recurring_results.hpp"
#include "models/results_detail.hpp"
#include "models/scenario.hpp"
#include "models/territory_results.hpp"
#include "sim/runner.hpp"
#include "sim/stats.hpp"

namespace salesim {

using Quantiles = std::vector<std::optional<double>>;  // at sim::kPercentiles

struct CheckpointResult {
  std::string label;
  int week = 0;
  double target = 0;
  sim::MeanSe met;       // probability and its standard error
  sim::MeanSe bookings;  // cumulative bookings at the week
};

struct WeeklySeries {
  std::vector<double> cum_mean, weekly_mean;
  std::vector<Quantiles> cum_q, weekly_q;  // per week
  std::vector<std::vector<double>> means;  // per summed series (out::Summed), per week
};

struct PlanResult {
  std::string name;
  sim::RunOutput run;
  std::optional<sim::MeanSe> goal;  // no goal: nullopt
  std::vector<CheckpointResult> checkpoints;
  std::optional<sim::MeanSe> all_checkpoints;
  sim::MeanSe final_bookings;
  Quantiles final_q;
  std::optional<double> time_to_goal_p50, time_to_goal_p90, never_share;
  std::optional<double> shortfall_mean;
  sim::MeanSe cost, profit, leavers, hires, headcount_final, burnout_final, burnt_out_final,
      hours_per_rep_week, created, won, lost;
  double rep_weeks = 0;
  WeeklySeries weekly;
  PlanDetail detail;  // cost breakdown, checkpoint periods, state at the horizon
  std::vector<ConditionalFigure> conditional;  // per checkpoint: met, then missed
  std::optional<RecurringResult> recurring;    // revenue.model: recurring only
  TerritoryFigures territory;  // segments and quotas (docs/model.md 12.7-12.8); empty without
  // Figures from streaming accumulators (salesim run --streaming): `run` then holds the shape,
  // the path count and the summed series only, and there are no per-path columns.
  bool streamed = false;

  // One per-path figure over paths; throws std::logic_error for a streamed result.
  std::vector<double> column(std::size_t scalar) const;
};

struct Comparison {
  std::string plan, baseline;
  sim::MeanSe bookings_diff, cost_diff, profit_diff, leavers_diff, burnout_diff;
  std::optional<sim::MeanSe> goal_diff;
  std::vector<sim::MeanSe> checkpoint_diffs;  // P(met) difference per checkpoint
  double p_better = 0;                        // P(plan's final bookings > baseline's), same path
  std::optional<double> roi;  // incremental profit / incremental cost, when that cost is > 0
  DetailDiff detail;
  std::vector<sim::MeanSe> drivers;  // by Driver: the paired difference of final bookings, split
  std::optional<ArrFinalDiff> arr_final_diff;  // revenue.model: recurring only
};

// The figures a sweep, a sensitivity analysis or precision control can aim at, per path.
// arr_final (final ARR, as the JSON's arr.final) needs revenue.model: recurring.
enum class Metric { p_goal, final_bookings, profit, arr_final };
inline constexpr const char* kMetricNames[] = {"p_goal", "final_bookings", "profit", "arr_final"};
std::optional<Metric> parse_metric(const std::string& name);
const char* to_string(Metric m);
// The metric's value on each path (p_goal: 1 when the goal was met, else 0).
std::vector<double> metric_column(const PlanResult& r, Metric m);
// Its estimate with standard error (p_goal: nullopt when the scenario has no goal; arr_final:
// nullopt without recurring revenue).
std::optional<sim::MeanSe> metric_estimate(const PlanResult& r, Metric m);

PlanResult summarize(const Scenario& sc, const std::string& plan_name, sim::RunOutput run);
// Per-week means of the summed series (out::Summed) of a run, for WeeklySeries::means.
std::vector<std::vector<double>> summed_means(const sim::RunOutput& run);
Comparison compare(const PlanResult& baseline, const PlanResult& plan);

}  // namespace salesim
