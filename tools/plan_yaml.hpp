#pragma once
// A plan with some keys set to new values, as YAML ready to paste under `plans:` of the file
// it came from (a list of one plan, at the indentation of the file's items).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario.hpp"

namespace salesim::tools {

struct PlanYaml {
  std::string text;
  // Top-level list items the values changed (only the first plan can name them): a plan pasted
  // under `plans:` cannot change them, so the file's own list must be edited by hand.
  std::vector<std::string> top_level_edits;
};

// `header` lines become comments at the top; `note` is added to the plan's description. Throws
// ScenarioError when the values make an invalid scenario.
PlanYaml plan_yaml(const Scenario& sc, const std::string& plan,
                   const std::vector<std::pair<std::string, double>>& values,
                   const std::string& name, const std::vector<std::string>& header,
                   const std::string& note);

}  // namespace salesim::tools
