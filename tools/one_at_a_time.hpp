#pragma once
// One-at-a-time sensitivity of a plan: each factor (one key, or a few keys moved together by
// the same relative step, e.g. every stage's conversion top) set `delta` below and above its
// value, every run on the same seed and path indices (common random numbers), ranked by the
// swing of the metric with standard errors from the paired differences. Used by
// `salesim sensitivity` (one key per factor) and by the report's check of its headline.
#include <functional>
#include <string>
#include <vector>

#include "models/plan_edit.hpp"
#include "tools/study.hpp"

namespace salesim::tools {

struct Factor {
  std::string name;           // what the user reads: the key, or a plain name for a group
  std::vector<Lever> levers;  // moved together, each by the same relative delta
};

struct FactorSwing {
  Factor factor;
  std::vector<double> low_values, high_values;  // per lever, fitted to its range
  bool moved = false;                           // false: 0 or at its limits, nothing changed
  sim::MeanSe low, high;                        // the metric at each setting
  sim::MeanSe low_effect, high_effect, swing;   // paired: low - base, high - base, high - low
};

struct OneAtATime {
  sim::MeanSe base;                  // the metric of the plan as written
  std::size_t paths = 0;             // per run
  std::vector<FactorSwing> swings;   // largest |swing| first
  std::vector<std::string> skipped;  // factors whose low or high makes an invalid scenario
};

// progress(run, done): `run` runs finished (of 1 + 2 x factors), `done` paths of the current.
using RunProgress = std::function<void(std::size_t run, std::size_t done)>;

// The plan's factors perturbed by +-delta (0 < delta < 1). The variants keep the scenario's
// seed (also one given on the command line). A factor whose setting makes an invalid scenario
// throws BadInput naming it, or is listed in `skipped` when skip_invalid.
OneAtATime one_at_a_time(const Scenario& sc, const std::string& plan,
                         const std::vector<Factor>& factors, double delta, StudySettings st,
                         const RunProgress& progress = {}, bool skip_invalid = false);

}  // namespace salesim::tools
