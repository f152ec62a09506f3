#pragma once
// Checks a YAML text before it is loaded into nodes: that it is text, that it is not nested
// absurdly deep, and that its aliases neither refer to themselves (a cyclic node graph, which
// would recurse forever) nor expand to an exponential number of nodes ("billion laughs").
#include <yaml-cpp/mark.h>

#include <optional>
#include <string>
#include <vector>

namespace salesim {

// Limits: far above any real scenario, far below what would take seconds.
inline constexpr int kYamlMaxDepth = 64;
inline constexpr long kYamlMaxExpandedNodes = 200000;

// Problems found, each "FILE:LINE:COL: what was found, what is expected"; empty when fine.
// A YAML syntax error is left to the loader (it reports it with its position).
std::vector<std::string> yaml_structure_problems(const std::string& text, const std::string& file);

// Where a second YAML document starts (its '---'), when the text has one that is not empty:
// YAML::Load reads the first document only, so a scenario file is one document and a second
// would be ignored silently. nullopt also for a syntax error in the first document (the loader
// reports it).
std::optional<YAML::Mark> second_document(const std::string& text);

}  // namespace salesim
