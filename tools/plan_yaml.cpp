#include "tools/plan_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "tools/study.hpp"

namespace salesim::tools {

PlanYaml plan_yaml(const Scenario& sc, const std::string& plan,
                   const std::vector<std::pair<std::string, double>>& values,
                   const std::string& name, const std::vector<std::string>& header,
                   const std::string& note) {
  const Scenario variant = plan_variant(sc, plan, values, name);
  const YAML::Node before = YAML::Load(sc.text), after = YAML::Load(variant.text);
  PlanYaml out;
  for (const char* list : {"hiring", "training", "programs"})
    if (YAML::Dump(before[list]) != YAML::Dump(after[list])) out.top_level_edits.push_back(list);

  YAML::Node item = after["plans"][0];
  const std::string was = item["description"] ? item["description"].as<std::string>() : "";
  item["description"] = was.empty() ? note : was + " " + note;
  YAML::Node plans(YAML::NodeType::Sequence);
  plans.push_back(item);
  YAML::Emitter e;
  e.SetIndent(2);
  e << plans;
  std::string text;
  for (const auto& h : header) text += "# " + h + "\n";
  for (const auto& list : out.top_level_edits)
    text += fmt::format(
        "# NOTE: the values also change the file's top-level `{}` list, which a plan cannot\n"
        "# override; edit that list by hand to match.\n",
        list);
  // Indented by two spaces, as the items under `plans:` are in the example files.
  std::istringstream lines(std::string(e.c_str()) + "\n");
  for (std::string line; std::getline(lines, line);)
    text += (line.empty() ? "" : "  ") + line + "\n";
  out.text = text;
  return out;
}

}  // namespace salesim::tools
