#pragma once
// One plan run at chosen lever values, every point on the same block of path indices (common
// random numbers: the figures move only with the levers), keeping only the figures asked for.
// A point is run once; asking again (a rounded whole number, a repeated probe) is free. Shared
// by goal-seek and optimisation.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/plan_edit.hpp"
#include "models/simulate.hpp"
#include "tools/outcome.hpp"

namespace salesim::tools {

// The message for a plan that is not a valid scenario at lever values: the values, the
// loader's problem and what to do (narrow the range; a conversion or yield top below its floor
// needs the floor lowered in the file, which no range of the top alone can do).
std::string invalid_at_message(const std::string& plan,
                               const std::vector<std::pair<std::string, double>>& values,
                               const std::string& problem);

struct LeverRange;
// The plan at the corners of the levers' box (each lever at its ends; past six levers, one
// lever at a time at its ends with the others as written) must be a valid scenario, checked
// before any run: a range that leaves the scenario's rules (max_hours below sustainable_hours)
// otherwise stopped a search halfway, exit 2. BadInput naming the values otherwise.
void check_lever_corners(const Scenario& sc, const std::string& plan,
                         const std::vector<LeverRange>& levers);

// BadInput when `points` runs of the plan (each on `paths` paths, the plan at the levers'
// corners stepping the most rep-weeks) would take longer than max_hours at run's estimated
// throughput on `threads` threads: a goal-seek over hires in [0, 100000] at 2000 paths ran for
// hours without a word. Names `option` as the override.
void check_points_time(const Scenario& sc, const std::string& plan,
                       const std::vector<LeverRange>& levers, std::size_t paths, std::size_t points,
                       int threads, double max_hours, const std::string& what);

struct Point {
  std::vector<double> values;        // per lever, fitted to its range
  std::vector<sim::MeanSe> figures;  // per outcome
  std::vector<double> first_column;  // the first outcome per path (for paired differences)
};

class LeverRuns {
 public:
  // `run` gives the paths, the first path index and the threads; its progress is replaced.
  LeverRuns(const Scenario& sc, std::string plan, std::vector<Lever> levers,
            std::vector<Outcome> outcomes, RunSettings run);

  // The figures at `values` (one per lever; whole-number keys rounded, every key clamped into
  // its range). A point that makes an invalid scenario throws BadInput naming the values.
  Point at(const std::vector<double>& values);
  // The plan as written (no lever changed), on the same paths.
  Point as_written();
  // Distinct points in the order they were run: the trace.
  const std::vector<Point>& trace() const { return trace_; }
  std::size_t evaluations() const { return trace_.size(); }
  std::size_t paths() const { return run_.paths; }
  const std::vector<Lever>& levers() const { return levers_; }
  const std::vector<Outcome>& outcomes() const { return outcomes_; }

  // progress(runs finished, paths done of the current run); called from worker threads.
  std::function<void(std::size_t, std::size_t)> progress;

 private:
  Point run_point(const std::vector<std::pair<std::string, double>>& values);

  const Scenario& sc_;
  std::string plan_;
  std::vector<Lever> levers_;
  std::vector<Outcome> outcomes_;
  RunSettings run_;
  std::map<std::vector<double>, std::size_t> seen_;
  std::vector<Point> trace_;
  std::size_t runs_ = 0;
};

}  // namespace salesim::tools
