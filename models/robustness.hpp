#pragma once
// What the answer depends on (docs/model.md 12.4): with uncertain assumptions, per plan the
// figures at the assumptions' central values beside the integrated ones, and per plan against
// the baseline the assumptions ranked by how much they drive the paired difference and P(goal)
// (standardised regression on the per-path draws, sim/regression.hpp) and the simplest region
// of the assumptions in which the plan fails to beat the baseline (PRIM, sim/prim.hpp).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/simulate.hpp"
#include "sim/stats.hpp"

namespace salesim {

struct AssumptionEffect {
  std::string key;
  double coef = 0, se = 0;  // standardised regression coefficient and its standard error
};

// One bound of the failure region: key >= low and/or key <= high (nullopt: open).
struct RegionBound {
  std::string key, name;  // dotted key, and its short name for sentences
  std::optional<double> low, high;
};

struct FailRegion {
  bool found = false;  // a box denser in failures than all paths
  std::vector<RegionBound> bounds;
  double coverage = 0;  // share of the failing paths inside the region
  double density = 0;   // share of the paths inside the region where the plan fails
  std::size_t inside = 0;
};

struct PlanFigures {
  std::string plan;
  std::optional<sim::MeanSe> p_goal;
  std::optional<double> p_goal_central;
  std::optional<double> median, median_central;  // final bookings
  std::vector<AssumptionEffect> goal_drivers;    // ranked by |coef|; empty without a goal
  double goal_r2 = 0;
  bool goal_defined = false;  // the fit exists (a goal, the goal indicator varies, enough paths)
  std::string goal_unranked;  // why there is no ranking when a goal exists and !goal_defined
};

struct VsBaseline {
  std::string plan, baseline;
  sim::MeanSe p_beats;                         // share of paths the plan books more
  std::vector<AssumptionEffect> diff_drivers;  // of the paired difference in final bookings
  double diff_r2 = 0;
  bool diff_defined = false;
  std::string diff_unranked;  // why there is no ranking when !diff_defined, in words
  double p_ties = 0;          // share of paths with the same final bookings as the baseline
  FailRegion region;
  std::string summary;  // one sentence, as the terminal and the report show it
};

struct Robustness {
  std::size_t paths = 0;
  bool per_path = true;  // false for a streamed run: central figures only, no rankings or region
  std::vector<PlanFigures> plans;
  std::vector<VsBaseline> vs_baseline;
};

// `res` must be a stored run of `sc` from path `first_path`; `central` (optional) the same plans
// run at the central values (at_central_values), for the side-by-side figures.
Robustness analyse_robustness(const Scenario& sc, const ScenarioResults& res,
                              const ScenarioResults* central, std::uint64_t first_path = 0);

// "3.2M", "0.14", "7.1": a bound's value in a sentence.
std::string bound_value(double v);
// "deal_size.mean >= 40.1k": a bound of the failure region with its short name.
std::string bound_text(const RegionBound& b);
// VsBaseline::summary's sentence with each bound of the region written by bound_words (the
// report names the assumptions in plain words; the terminal and the JSON use bound_text).
std::string vs_baseline_summary(const VsBaseline& v,
                                const std::function<std::string(const RegionBound&)>& bound_words);

}  // namespace salesim
