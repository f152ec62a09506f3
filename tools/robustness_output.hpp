#pragma once
// What a run with uncertain assumptions adds to its outputs (docs/model.md 12.4): the JSON's
// `robustness`, the terminal's "What the answer depends on" block, and results.h5's
// /assumptions group with each path's draws.
#include <nlohmann/json.hpp>
#include <string>

#include "models/robustness.hpp"

namespace sim::h5 {
class File;
}

namespace salesim::tools {

nlohmann::json robustness_json(const Scenario& sc, const Robustness& r);
// The `fixed_assumptions` list of a run with --fixed-assumptions: key, value, distribution.
nlohmann::json fixed_assumptions_json(const Scenario& original);
std::string format_robustness(const Scenario& sc, const Robustness& r);
// /assumptions: `draws` (paths x assumptions) and the keys, when the run has assumptions.
void write_assumption_draws(sim::h5::File& f, const Scenario& sc, const ScenarioResults& res);

}  // namespace salesim::tools
