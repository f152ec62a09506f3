#pragma once
// Reads the keys of docs/model.md 12.7 and 12.8 from a scenario's YAML: `segments`,
// `territories`, `team.quota`, `compensation.accelerators`, and a plan's `territories`.
// Problems go to the loader's reporter (file, line and column are added there).
#include <yaml-cpp/yaml.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "models/params.hpp"

namespace salesim {

using ReportProblem =
    std::function<void(const YAML::Node& at, const std::string& path, const std::string& msg)>;

// The top-level keys, read into p once the team and the pipeline are read (the starting
// pipeline must fit in the segments' accounts).
void read_territory_keys(const YAML::Node& root, Params& p, const ReportProblem& err);
// The segments whose accounts cannot hold the starting pipeline of their reps (12.7); also
// checked at the largest values assumptions can draw.
struct SegmentProblem {
  std::size_t segment;  // its index in `segments`
  std::string key;      // segments[i].accounts
  std::string what;
};
std::vector<SegmentProblem> starting_pipeline_problems(const Params& p);
// A plan's `territories` (absent: the baseline's), rebalancing from the plan's from_week.
void read_plan_territories(const YAML::Node& n, const std::string& display, Params& plan,
                           const ReportProblem& err);

}  // namespace salesim
