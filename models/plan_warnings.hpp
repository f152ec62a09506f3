#pragma once
// Plan elements that cannot act (a lever with nothing to move, an event the goal never sees):
// not errors, since the file is valid, but almost always a mistake the table would hide as
// "+0 ±0". docs/cli.md lists each warning.
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace salesim {

// One line per finding, each naming the file, the plan and the key. An entry of the baseline's
// lists (top-level hiring, training, programs), which every plan has, is reported once, as the
// baseline's, when it cannot act in any plan; a plan's own entries are numbered within its list.
std::vector<std::string> plan_warnings(const Scenario& sc);

}  // namespace salesim
