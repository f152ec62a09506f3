#pragma once
// Key paths into the items of a plan's lists, for sweeps and sensitivity analysis:
// hiring[0].count, hiring[0].week, training[targeted-skills].cost_per_person,
// programs[1].start_week. The bracket holds an index (from 0) or the item's name, and refers to
// the plan's own list; for the first plan (the baseline) the list is the scenario's top-level
// one followed by the plan's own, as the plan runs it. Week fields are file weeks (from 1 in
// format 2), exactly as written in the file.
#include <optional>
#include <string>
#include <vector>

#include "models/plan_edit.hpp"

namespace YAML {
class Node;
}

namespace salesim {

struct ListKey {
  std::string list;   // hiring, training or programs
  std::string item;   // as written between the brackets
  std::string field;  // a numeric field of the item
};

// The list key `path` names, or nullopt when it names no list ("a.b"). Throws
// std::invalid_argument when it starts like a list key but is not one ("training.efficacy",
// "hiring[0]", "hiring[0].count.x").
std::optional<ListKey> parse_list_key(const std::string& path);

// The lever a list key names in `plan`. Throws std::invalid_argument naming the plan's items
// when the index or name matches none, and the item's fields when the field is not one.
Lever find_list_lever(const Scenario& sc, const std::string& plan, const ListKey& key);

// The value keys of the items the plan's own lists add (hiring count, training efficacy and
// hours_per_week, a programme's kind value), named by item name where that is unique.
std::vector<Lever> list_levers(const Scenario& sc, const std::string& plan);

// Writes `v` into the item's field in `root` (the scenario's YAML, plans not yet pruned).
void set_list_value(const Scenario& sc, const std::string& plan, const ListKey& key,
                    YAML::Node root, const std::string& text);

}  // namespace salesim
