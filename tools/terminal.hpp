#pragma once
// What `salesim run` prints: a compact table per plan, the paired comparisons, and with
// --explain the pipeline's absorbing-chain figures beside the simulated ones.
#include <string>

#include "models/simulate.hpp"

namespace salesim::tools {

std::string format_table(const Scenario& sc, const ScenarioResults& res);
std::string format_explain(const Scenario& sc, const ScenarioResults& res);
// With --detail: the cost breakdown, the bookings per checkpoint period and the state at the
// horizon (exit run-rate, open pipeline value, ramped headcount), a table each.
std::string format_detail(const Scenario& sc, const ScenarioResults& res);
// One CSV row per plan with the headline figures, then the cost parts, the checkpoint
// probabilities and the state at the horizon (columns added at the end, never renamed).
std::string format_csv(const Scenario& sc, const ScenarioResults& res);

}  // namespace salesim::tools
