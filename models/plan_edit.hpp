#pragma once
// Scenario variants for sweeps and sensitivity analysis: a plan's `set` with some keys given
// new values. The variant is made by editing the YAML and loading it again, so it passes every
// check a hand-written file would (ranges, cross-checks, org-state keys set at from_week), and
// its text records exactly what was run.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario.hpp"

namespace salesim {

// "F has no plan 'P' (did you mean 'Q'?)", Q the nearest name; for 'baseline' or 'base', which
// name no plan but the role of the first one, Q is the first plan (the nearest spelling could be
// any plan: 'hire-4' for 'baseline').
std::string no_plan_message(const Scenario& sc, const std::string& plan);

// A numeric key a plan may set, with its current value in that plan.
struct Lever {
  std::string path;
  double value = 0;  // NaN when the key is null in the plan (allow_null)
  bool integer = false;
  double lo = 0, hi = 0;  // allowed range (hi may be infinite)
  bool hi_open = false;
  std::string unit;  // as KeyInfo::unit: "share", "rate", "currency", "hours/week", "reps", ...
  bool share() const { return unit == "share"; }  // a share or probability: 25% is 0.25
};

// The numeric plan-settable key `path` as `plan` has it: a dotted key of the file, an item of
// the plan's lists (models/key_path.hpp: hiring[0].count, training[name].efficacy) or a line of
// its territories (models/territory_keys.hpp: territories[north].reps). Throws
// std::invalid_argument with a "did you mean" when there is no such key or a plan may not set
// it or it is not numeric, and when it is null unless `allow_null` (explicit values can set it;
// a percentage of nothing cannot).
Lever find_lever(const Scenario& sc, const std::string& plan, const std::string& path,
                 bool allow_null = false);
// The numeric keys the plan's own `set` changes (in the order written), then the value keys of
// the items its own hiring, training and programs lists add (key_path.hpp list_levers).
std::vector<Lever> plan_levers(const Scenario& sc, const std::string& plan);
// v clamped into the lever's range and rounded when the key is a whole number.
double fit_to_lever(const Lever& lever, double v);

// `sc` with only `plan` (renamed to `name` when given) and the values written into its `set`.
// Throws ScenarioError when the result is not a valid scenario.
Scenario scenario_with_plan_values(const Scenario& sc, const std::string& plan,
                                   const std::vector<std::pair<std::string, double>>& values,
                                   const std::optional<std::string>& name = std::nullopt);

// For a what-if beside the baseline (salesim serve): `sc` with its first plan as written and
// `plan` with the values written into its `set`; only that plan when it is the first. Throws
// ScenarioError when the result is not a valid scenario.
Scenario scenario_with_baseline_and_plan_values(
    const Scenario& sc, const std::string& plan,
    const std::vector<std::pair<std::string, double>>& values);

// The YAML text of the whole scenario with a copy of `plan`, the values written into its `set`,
// added as a new plan `name` (salesim serve's "Save as plan"). Checked by loading it: throws
// ScenarioError when it is not valid (e.g. `name` is taken).
std::string scenario_text_with_new_plan(const Scenario& sc, const std::string& plan,
                                        const std::vector<std::pair<std::string, double>>& values,
                                        const std::string& name);

}  // namespace salesim
