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

// `header` lines become comments at the top. The description says how the plan was made
// (`how`, e.g. "Optimised by salesim optimize (maximize profit)") and what it sets, each value
// with the plan's own before it, then the plan's old description, which no longer describes
// it alone. Throws ScenarioError when the values make an invalid scenario.
PlanYaml plan_yaml(const Scenario& sc, const std::string& plan,
                   const std::vector<std::pair<std::string, double>>& values,
                   const std::string& name, const std::vector<std::string>& header,
                   const std::string& how);

// "Optimised by ... (how): capacity.admin_hours 3 (was 7). Plan 'less-admin' before: Cut admin".
std::string made_plan_description(const Scenario& sc, const std::string& plan,
                                  const std::vector<std::pair<std::string, double>>& values,
                                  const std::string& how);

}  // namespace salesim::tools
