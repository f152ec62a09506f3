#pragma once
// What a run reports about recurring revenue, per plan (docs/model.md 12.5): ARR and MRR by
// week, final ARR, the ARR bridge per quarter and retention, from the per-path slots.
#include <optional>
#include <vector>

#include "models/results_detail.hpp"
#include "models/scenario.hpp"

namespace salesim {

struct PlanResult;

// One quarter of the bridge: opening + new + expansion - churn = closing (means over paths).
struct ArrQuarter {
  int from_week = 0, to_week = 0;  // 1-based, inclusive
  double opening = 0, closing = 0;
  sim::MeanSe added, expansion, churn;  // `added`: new contracts' ACV
};

struct RecurringResult {
  Figure arr_start, arr_final, mrr_final;
  Figure nrr, grr;                         // over the retention window (NaN paths skipped)
  int retention_from_week = 1;             // the window: the start of this week to the horizon
  std::vector<double> arr_mean, mrr_mean;  // per week
  std::vector<std::vector<std::optional<double>>> arr_q, mrr_q;  // per week, sim::kPercentiles
  std::vector<ArrQuarter> bridge;
  std::size_t arr_final_slot = 0;  // the per-path scalar of final ARR (for paired differences)
};

// The paired difference of final ARR, plan minus baseline, and where it comes from: final ARR is
// the ARR at the start plus the new contracts' ACV and the expansions, less churn, on every
// path, so the difference splits exactly into those parts' paired differences (their means add
// up to the total's, to rounding).
struct ArrFinalDiff : sim::MeanSe {
  double p_better = 0;  // share of paths on which the plan ends with more ARR
  sim::MeanSe start, added, expansion, churn;
};

// Nothing unless revenue.model is recurring.
std::optional<RecurringResult> summarize_recurring(const Scenario& sc, const PlanResult& r);
// Paired difference of final ARR, plan minus baseline (nothing unless both have recurring revenue).
std::optional<ArrFinalDiff> arr_final_diff(const PlanResult& baseline, const PlanResult& plan);
// Final ARR on each path (the per-path column of RecurringResult::arr_final_slot).
std::vector<double> arr_final_column(const PlanResult& r);

}  // namespace salesim
