#include "tools/cli.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "models/keys.hpp"

namespace salesim::tools {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else
      cur += c;
  }
  return out;
}

Scenario load_with_seed(const std::string& file, std::optional<std::uint64_t> seed) {
  Scenario sc = load_scenario_file(file);
  if (seed) {
    sc.base.simulation.seed = *seed;
    for (auto& p : sc.plans) p.params.simulation.seed = *seed;
  }
  return sc;
}

void announce(const Scenario& sc, bool strict) {
  for (const auto& n : sc.notices) std::cerr << "salesim: notice: " << n << "\n";
  if (strict && !sc.warnings.empty()) {
    std::string all;
    for (const auto& w : sc.warnings) all += (all.empty() ? "" : "\n") + w;
    throw BadInput(fmt::format("{} (--strict: warnings are errors)", all));
  }
  for (const auto& w : sc.warnings) std::cerr << "salesim: warning: " << w << "\n";
}

void require_parent_folder(const std::string& output_file) {
  if (output_file.empty()) return;
  auto parent = std::filesystem::absolute(output_file).parent_path();
  if (!std::filesystem::is_directory(parent))
    throw BadInput(
        fmt::format("cannot write {}: folder {} does not exist", output_file, parent.string()));
}

void check_plan_names(const Scenario& sc, const std::vector<std::string>& only,
                      const std::string& option) {
  std::vector<std::string> names;
  for (const auto& p : sc.plans) names.push_back(p.name);
  for (const auto& name : only)
    if (std::find(names.begin(), names.end(), name) == names.end())
      throw BadInput(fmt::format("{}: {} has no plan '{}' (did you mean '{}'?)", option, sc.file,
                                 name, nearest(name, names)));
}

}  // namespace salesim::tools
