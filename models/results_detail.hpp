#pragma once
// The figures a plan's headline leaves out (salesim run --detail): what its cost pays for, its
// bookings per checkpoint period, and the state it leaves at the horizon, which is where a
// plan that hires or trains late shows what it is worth in the next year. From stored per-path
// columns or from streaming accumulators, with the same arithmetic.
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "models/stream_layout.hpp"
#include "sim/runner.hpp"
#include "sim/stats.hpp"
#include "sim/stream_runner.hpp"

namespace salesim {

struct PlanResult;

// An estimate over paths with its standard error and its percentiles (at sim::kPercentiles).
struct Figure {
  sim::MeanSe est;
  std::vector<std::optional<double>> q;
};
// A stored column's figure over the paths where the value exists (NaN: not on that path), and
// a streamed scalar's (which must be sketched: StreamSpec::sketched_scalars).
Figure figure_of(std::vector<double> column);
Figure figure_of(const sim::StreamOutput& so, std::size_t scalar);

// Bookings of weeks from_week..to_week (1-based, inclusive): up to a checkpoint's week, or after
// the last checkpoint to the horizon (checkpoint empty). Empty periods are left out.
struct PeriodBookings {
  int from_week = 0, to_week = 0;
  std::string checkpoint;
  Figure bookings;
};

struct PlanDetail {
  std::vector<Figure> cost_parts;  // by cost::Part
  std::vector<PeriodBookings> periods;
  int run_rate_weeks = 0;      // the weeks the exit run-rate covers: min(13, horizon)
  Figure exit_run_rate;        // their bookings x 52 / run_rate_weeks
  Figure open_pipeline_value;  // open opportunities at the end x deal mean (face value)
  Figure ramped_headcount;     // active reps at the end who are fully ramped
};

// Paired differences plan - first plan, path by path.
struct DetailDiff {
  std::vector<sim::MeanSe> cost_parts;  // by cost::Part
  sim::MeanSe exit_run_rate, open_pipeline_value, ramped_headcount;
};

PlanDetail summarize_detail(const Scenario& sc, const PlanResult& r);
DetailDiff compare_detail(const PlanResult& baseline, const PlanResult& plan);

// Streaming: the scalars stream_spec must sketch for plan p, and the same figures from the
// accumulators (the per-path differences are written by the path function: detail_diffs).
void add_detail_sketches(const streamed::Layout& L, std::size_t p, sim::StreamSpec& spec);
PlanDetail summarize_detail_streamed(const Scenario& sc, const sim::StreamOutput& so,
                                     const streamed::Layout& L, std::size_t p);
DetailDiff compare_detail_streamed(const sim::StreamOutput& so, const streamed::Layout& L,
                                   std::size_t c);
// Writes the detail differences of plan scalars b minus a into d (streamed::Diff order).
void detail_diffs(const double* a, const double* b, double* d);

}  // namespace salesim
