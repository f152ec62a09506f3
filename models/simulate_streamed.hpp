#pragma once
// run_scenario in streaming mode (RunSettings::streaming): all chosen plans run on each path
// inside one path function, and the runner folds the slots into accumulators.
#include <vector>

#include "models/simulate.hpp"

namespace salesim {

ScenarioResults run_scenario_streamed(const Scenario& sc, const RunSettings& s,
                                      const std::vector<const PlanSpec*>& plans);

}  // namespace salesim
