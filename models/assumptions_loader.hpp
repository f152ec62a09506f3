#pragma once
// Reads a scenario's `assumptions:` (docs/model.md 12.4), after the plans: which keys may be
// assumptions, the fields of each distribution, and that every value the draws can take is in
// the key's range and keeps the cross-key rules (floor <= top, ...) in the baseline and in
// every plan.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario.hpp"

namespace YAML {
class Node;
}

namespace salesim {

using ProblemAt =
    std::function<void(const YAML::Node& at, const std::string& path, const std::string& msg)>;
// The cross-key problems of a parameter set, as (key path, what is wrong).
using CrossCheck = std::function<std::vector<std::pair<std::string, std::string>>(const Params&)>;

void read_assumptions(const YAML::Node& node, Scenario& sc, const ProblemAt& problem,
                      const CrossCheck& cross);

}  // namespace salesim
