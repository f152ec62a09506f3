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
// With `only` (the plans a command runs: run --plans, sweep --plan, ...), the plans not in it
// are left out, and a baseline entry is reported when it cannot act in any plan that runs;
// plans keep their index in the file. A list naming no plan of the file counts as empty.
std::vector<std::string> plan_warnings(const Scenario& sc,
                                       const std::vector<std::string>& only = {});

}  // namespace salesim
