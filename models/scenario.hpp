#pragma once
// A scenario: the baseline organisation and the plans to compare, as loaded and validated
// from a YAML file (MODEL.md section 1).
#include <stdexcept>
#include <string>
#include <vector>

#include "models/assumptions.hpp"
#include "models/params.hpp"

namespace salesim {

struct PlanSpec {
  std::string name, description;
  int from_week = 0;
  // The plan's `set` overrides as written (dotted path, value), for reports.
  std::vector<std::pair<std::string, std::string>> overrides;
  // Which org state values the overrides set at from_week (MODEL.md 3.2).
  bool sets_alignment = false, sets_awareness = false, sets_coaching_skill = false,
       sets_coaching_policy = false;
  // Whether the plan has anything of its own: a set, hires, training, programs or territories.
  // Without, it runs the file's baseline as written (plan_warnings says so).
  bool changes_anything = false;
  // The baseline with the overrides applied; its hiring/training/programs lists are the
  // baseline's followed by the plan's own.
  Params params;
};

// The scenario file format this build writes; format 1 (event weeks from 0) is still read.
constexpr int kFormatVersion = 2;
// The version of MODEL.md the engine implements, recorded in every output.
constexpr int kModelVersion = 2;

struct Scenario {
  std::string file;                   // as given, for messages
  std::string text;                   // the YAML text as run
  int format = kFormatVersion;        // the file's `salesim:` version
  std::vector<std::string> notices;   // things the reader did that the user should know
  std::vector<std::string> warnings;  // plan elements that cannot act (plan_warnings.hpp)
  std::string name, description;
  Params base;
  std::vector<std::string> skills;  // skill names in index order
  std::vector<PlanSpec> plans;
  std::vector<Assumption> assumptions;  // uncertain keys, in file order (docs/model.md 12.4)

  int horizon() const { return int(base.simulation.horizon_weeks); }
  int goal_week() const { return base.goal.by_week ? int(*base.goal.by_week) : horizon(); }
  int activities() const { return 1 + int(base.pipeline.stages.size()); }
};

// Bad input: every problem found in the file, each naming the file, the key and what was
// expected. what() is all of them, one per line.
struct ScenarioError : std::runtime_error {
  std::vector<std::string> problems;
  explicit ScenarioError(std::vector<std::string> p);
};

Scenario load_scenario_file(const std::string& path);
// A scenario file's text, read as load_scenario_file reads it: a folder, a file that cannot be
// opened or one larger than 64 MB (no scenario is; /dev/zero would fill the memory) is a
// ScenarioError naming the path.
std::string read_scenario_text(const std::string& path);
Scenario load_scenario_text(const std::string& text, const std::string& file_label);

// What is wrong with a plan name (it names HDF5 groups and chart files), or "" when it is fine:
// the loader's rule, for names that come from elsewhere (optimize --name).
std::string plan_name_problem(const std::string& name);

}  // namespace salesim
