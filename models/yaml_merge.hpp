#pragma once
// YAML 1.1's merge key, which yaml-cpp reads as a plain key named "<<": a map that holds
// `<<: *base` (or `<<: [*a, *b]`) takes every key of the named map(s) it does not write itself,
// the first map of a list winning over the later ones. Scenario files use it for plans that
// share settings:
//   plans:
//     - &sprint {name: sprint, set: {prospecting.target_hours: 18}, hiring: [{week: 5, count: 2}]}
//     - {<<: *sprint, name: sprint-with-coaching, from_week: 10}
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace salesim {

// A merge key whose value is not a map or a list of maps: where, its key path, what is expected.
struct MergeProblem {
  YAML::Mark mark;
  std::string key, msg;
};

// Resolves every merge key in the tree under `root`, in place; merged values are copies, so
// editing one map's values (plan_edit) never reaches another's. A tree checked by
// yaml_structure_problems (no alias that contains itself) ends. The tree is resolved as far as
// it can be around the problems.
std::vector<MergeProblem> resolve_merge_keys(YAML::Node root);

// YAML::Load of a text the scenario loader has accepted, with its merge keys resolved: what
// every reader of a scenario's text (plan_edit, serve, ...) sees.
YAML::Node load_scenario_yaml(const std::string& text);

}  // namespace salesim
