#pragma once
// Runs the plans of a scenario: every plan with the same seed and path indices (common random
// numbers), each compared with the first.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "models/results.hpp"
#include "models/scenario.hpp"
#include "sim/distributed_runner.hpp"

namespace salesim {

// The weekly series of a chunk of consecutive paths of a streamed run, of every plan: rows
// [first_row, first_row + rows) of the run's `paths` (path first_path + row), and for each row
// each plan's kept series (out::Kept's, then arr_out's with recurring revenue: the series a
// stored run keeps in PlanResult::run.kept) over `weeks` weeks.
struct SeriesChunk {
  std::size_t paths = 0, first_row = 0, rows = 0;
  std::size_t plans = 0, series = 0, weeks = 0;  // series per plan
  std::span<const double> values;                // [row][plan][series][week]

  // Row i of the chunk (i < rows): plan p's series s, week by week.
  std::span<const double> weeks_of(std::size_t i, std::size_t p, std::size_t s) const {
    return values.subspan(((i * plans + p) * series + s) * weeks, weeks);
  }
};
using SeriesSink = std::function<void(const SeriesChunk&)>;

struct RunSettings {
  std::size_t paths = 0;  // 0: the scenario's simulation.paths
  int threads = 0;        // 0: all
  std::uint64_t first_path = 0;
  std::function<void(std::size_t done, std::size_t total)> progress;  // thread-safe
  // Streaming (salesim run --streaming): no per-path data is kept, so memory does not grow
  // with paths; all plans run together on each path for the paired figures. Means and standard
  // errors equal the stored mode's up to summation order, percentiles are within
  // sim::QuantileSketch's relative error. Only run_scenario and run_to_precision honour it.
  bool streaming = false;
  // Streaming only (salesim run --streaming --trajectories): every path's weekly series go to
  // this sink, a chunk of paths at a time in path order as the run makes them, so none is kept.
  // Under mpirun every rank gives one and only rank 0's is called (sim::stream_paths_split),
  // chunks of different ranks' blocks interleaved. With --target-se each round starts again
  // from row 0 with more paths.
  SeriesSink series_sink;
  // Under mpirun (docs/distributed.md): the paths are split over the ranks in blocks, every
  // plan on the same block, and the result gathered to every rank (the default, so a command
  // goes on the same way everywhere) or to rank 0 only (the others then get no plans).
  // PathSplit::none when the caller splits something else (a sweep's points, batch's files).
  sim::PathSplit split = sim::PathSplit::gather_to_all;
};

struct ScenarioResults {
  std::vector<PlanResult> plans;
  std::vector<Comparison> comparisons;  // plans[i] vs plans[0], i >= 1
  std::size_t paths = 0;
  int threads = 0;
  int ranks = 1;  // MPI ranks the paths were split over
  double elapsed_seconds = 0;
  bool streamed = false;  // figures from streaming accumulators; no per-path columns
};

// Precision control (--target-se): paths are added until the standard error of the metric
// (P(goal) by default) is at most target_se for every plan, or max_paths is reached.
struct PrecisionResult {
  Metric metric = Metric::p_goal;
  double target_se = 0, achieved_se = 0;
  std::size_t paths = 0, max_paths = 0;
  bool met = false;
};
ScenarioResults run_to_precision(const Scenario& sc, const RunSettings& s,
                                 const std::vector<std::string>& only_plans, double target_se,
                                 std::size_t max_paths, PrecisionResult& precision,
                                 Metric metric = Metric::p_goal);

// Runs one plan.
sim::RunOutput run_plan(const Scenario& sc, const PlanSpec& plan, const RunSettings& s);
// Runs the listed plans (all when empty), in file order; the first listed is the baseline.
// The plans a run of `only_plans` runs, in run order: those named, in the order named, or every
// plan in file order when none is named.
std::vector<const PlanSpec*> chosen_plans(const Scenario& sc,
                                          const std::vector<std::string>& only_plans);
ScenarioResults run_scenario(const Scenario& sc, const RunSettings& s,
                             const std::vector<std::string>& only_plans = {});

}  // namespace salesim
