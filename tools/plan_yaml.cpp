#include "tools/plan_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "models/plan_edit.hpp"
#include "models/yaml_merge.hpp"
#include "tools/lever_range.hpp"
#include "tools/study.hpp"

namespace salesim::tools {
namespace {

// Why a top-level list cannot be changed by the pasted plan, for the file's comment.
std::string top_level_note(const std::string& list) {
  if (list == "territories")
    return "# NOTE: the values also change the file's top-level `territories`, which place the\n"
           "# starting team (a plan's own territories rebalance at its from_week instead); edit\n"
           "# that list by hand to match.\n";
  return fmt::format(
      "# NOTE: the values also change the file's top-level `{}` list, which a plan cannot\n"
      "# override; edit that list by hand to match.\n",
      list);
}

}  // namespace

std::string made_plan_description(const Scenario& sc, const std::string& plan,
                                  const std::vector<std::pair<std::string, double>>& values,
                                  const std::string& how) {
  std::string sets;
  for (const auto& [key, v] : values)
    sets += fmt::format("{}{} {} (was {})", sets.empty() ? "" : ", ", key, lever_text(v),
                        lever_text(find_lever(sc, plan, key, true).value));
  std::string was;
  for (const PlanSpec& p : sc.plans)
    if (p.name == plan) was = p.description;
  std::string out = fmt::format("{}: {}.", how, sets);
  if (!was.empty()) out += fmt::format(" Plan '{}' before: {}", plan, was);
  return out;
}

PlanYaml plan_yaml(const Scenario& sc, const std::string& plan,
                   const std::vector<std::pair<std::string, double>>& values,
                   const std::string& name, const std::vector<std::string>& header,
                   const std::string& how) {
  const std::string description = made_plan_description(sc, plan, values, how);
  const Scenario variant = plan_variant(sc, plan, values, name);
  const YAML::Node before = load_scenario_yaml(sc.text), after = load_scenario_yaml(variant.text);
  PlanYaml out;
  for (const char* list : {"hiring", "training", "programs", "territories"})
    if (YAML::Dump(before[list]) != YAML::Dump(after[list])) out.top_level_edits.push_back(list);

  YAML::Node item = after["plans"][0];
  item["description"] = description;
  YAML::Node plans(YAML::NodeType::Sequence);
  plans.push_back(item);
  YAML::Emitter e;
  e.SetIndent(2);
  e << plans;
  std::string text;
  for (const auto& h : header) text += "# " + h + "\n";
  for (const auto& list : out.top_level_edits) text += top_level_note(list);
  // Indented by two spaces, as the items under `plans:` are in the example files.
  std::istringstream lines(std::string(e.c_str()) + "\n");
  for (std::string line; std::getline(lines, line);)
    text += (line.empty() ? "" : "  ") + line + "\n";
  out.text = text;
  return out;
}

}  // namespace salesim::tools
