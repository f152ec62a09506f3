#pragma once
// What a run reports about recurring revenue, per plan (docs/model.md 12.5): ARR and MRR by
// week, final ARR, the ARR bridge per quarter and retention, from the per-path slots.
#include <optional>
#include <vector>

#include "models/results_detail.hpp"
#include "models/scenario.hpp"
#include "models/stream_layout.hpp"
#include "sim/stream_runner.hpp"

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

// One path's final ARR and the bridge's parts summed over the quarters, read from the plan's
// recurring scalars (`S` points at the first, out::first_recurring).
struct ArrParts {
  double start = 0, final = 0, added = 0, expansion = 0, churn = 0;
};
ArrParts arr_parts(const double* S, std::size_t quarters);

// Nothing unless revenue.model is recurring (nor for a streamed result: the streamed overload).
std::optional<RecurringResult> summarize_recurring(const Scenario& sc, const PlanResult& r);
std::optional<RecurringResult> summarize_recurring(const Scenario& sc, const sim::StreamOutput& so,
                                                   const streamed::Layout& L, std::size_t plan);
// Streaming: the scalars stream_spec must sketch for plan p; the paired differences the path
// function writes for plan b against a (plan scalars from the first recurring one:
// streamed::Layout::arr_diff's fields); and the comparison made of their moments.
void add_recurring_sketches(const streamed::Layout& L, std::size_t p, sim::StreamSpec& spec);
void arr_diff_values(const double* a, const double* b, std::size_t quarters, double* d);
std::optional<ArrFinalDiff> arr_final_diff_streamed(const sim::StreamOutput& so,
                                                    const streamed::Layout& L, std::size_t c);
// Paired difference of final ARR, plan minus baseline (nothing unless both have recurring revenue).
std::optional<ArrFinalDiff> arr_final_diff(const PlanResult& baseline, const PlanResult& plan);
// Final ARR on each path (the per-path column of RecurringResult::arr_final_slot).
std::vector<double> arr_final_column(const PlanResult& r);

}  // namespace salesim
