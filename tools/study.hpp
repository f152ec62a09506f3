#pragma once
// What sweeps and sensitivity analyses share: running one variant of a plan (a scenario with a
// single plan) with the study's settings, optionally to a target standard error, and the
// table of headline figures per variant.
#include <optional>
#include <string>
#include <vector>

#include "models/simulate.hpp"

namespace salesim::tools {

struct StudySettings {
  RunSettings run;
  std::optional<double> target_se;
  std::size_t max_paths = 1000000;
  Metric metric = Metric::p_goal;
};

struct VariantResult {
  PlanResult result;
  PrecisionResult precision;  // when target_se was given
};

// `sc` with only `plan`, its keys set to `values` (models/plan_edit.hpp), keeping the seed of
// `sc` (which may come from --seed: the variant is read back from the file's text). Throws
// ScenarioError when the values make an invalid scenario.
Scenario plan_variant(const Scenario& sc, const std::string& plan,
                      const std::vector<std::pair<std::string, double>>& values,
                      const std::optional<std::string>& name = std::nullopt);

// Runs the only plan of `variant`. With a target, paths are added until the metric's standard
// error reaches it; when the limit comes first, precision.met is false.
VariantResult run_variant(const Scenario& variant, const StudySettings& s);

// Paired difference of the metric, b - a, over the paths both have (every run starts at path
// 0, so the first n paths of each are the same draws).
sim::MeanSe paired_metric_diff(const PlanResult& a, const PlanResult& b, Metric m);

// Headline columns of one variant: name -> value, in a fixed order.
std::vector<std::pair<std::string, double>> headline_columns(const Scenario& sc,
                                                             const PlanResult& r);

// Final ARR's columns (arr_final_mean, _se, _p10, _p50, _p90), none without recurring revenue.
// A sweep puts them after its other columns, whose order is a contract.
std::vector<std::pair<std::string, double>> arr_columns(const PlanResult& r);

// Reads --metric (p_goal|final_bookings|profit|arr_final) and checks the scenario has a goal
// for p_goal and recurring revenue for arr_final.
Metric metric_option(const std::string& text, const Scenario& sc);
// The --metric help text: the names, and what p_goal counts with an ARR goal.
extern const char* const kMetricHelp;

}  // namespace salesim::tools
