#pragma once
// Key paths into a plan's territories, for sweeps, sensitivity, goal-seek and optimisation:
// territories[north].reps is the `reps` of the plan's territory line for segment north
// (docs/model.md 12.7). The lines are shares of the active team, so the key moves that segment's
// share against the others'. A plan without territories of its own starts from the baseline's
// (the file's `territories`, or, without them, shares by accounts written as reps of the team).
#include <optional>
#include <string>
#include <vector>

#include "models/plan_edit.hpp"

namespace YAML {
class Node;
}

namespace salesim {

struct TerritoryKey {
  std::string segment;  // as written between the brackets
};

// The territory key `path` names, or nullopt when it names none. Throws std::invalid_argument
// when it starts like one but is not ("territories.reps", "territories[north]",
// "territories[north].accounts").
std::optional<TerritoryKey> parse_territory_key(const std::string& path);

// The lever the key names in `plan`: the reps of the segment's line in force (0 when the
// segment has no line: it gets nobody). Throws std::invalid_argument when the file has no
// segments or no segment of that name.
Lever find_territory_lever(const Scenario& sc, const std::string& plan, const TerritoryKey& key);

// The reps of the plan's own territory lines (the first plan's: the file's `territories`), one
// lever per line; none when the plan has no lines of its own.
std::vector<Lever> territory_levers(const Scenario& sc, const std::string& plan);

// The territory keys of every segment, for "did you mean".
std::vector<std::string> territory_key_names(const Scenario& sc);

// Writes `text` as the reps of the segment's line in `root` (the scenario's YAML, plans not yet
// pruned): in the plan's own `territories`, or the file's for the first plan without its own;
// a list not written yet is first filled with the lines in force, a missing line appended.
void set_territory_value(const Scenario& sc, const std::string& plan, const TerritoryKey& key,
                         YAML::Node root, const std::string& text);

}  // namespace salesim
