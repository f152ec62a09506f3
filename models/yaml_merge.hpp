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

// How merged values join a map: the file's own nodes (shared with the map merged from, so a
// message about one points at its place in the text), or copies (to edit one map's values, as
// plan_edit does, without reaching another's).
enum class MergedValues { shared, copied };

// Resolves every merge key in the tree under `root`, in place. A key written beside the merge
// wins, spelt the same or, as a plan's `set` reads keys, dotted against nested
// (`prospecting.target_hours` beside a merged `prospecting: {target_hours}`: the rest of the
// merged map still joins). A tree checked by yaml_structure_problems (no alias that contains
// itself) ends; one with two merge keys in a map is the loader's duplicate key. The tree is
// resolved as far as it can be around the problems.
std::vector<MergeProblem> resolve_merge_keys(YAML::Node root, MergedValues values);

// YAML::Load of a text the scenario loader has accepted, with its merge keys resolved into
// copies: what the readers that edit a scenario's text (plan_edit, plan_yaml) see.
YAML::Node load_scenario_yaml(const std::string& text);

}  // namespace salesim
