#pragma once
// The sheets of `salesim run --xlsx FILE`: Plans (headline figures), Comparison (paired with the
// first plan), Checkpoints, Weekly (cumulative bookings quantiles per week and plan), Costs
// (the breakdown), Periods (bookings per checkpoint period) and Horizon (state at the end); then
// those of the extensions the scenario uses (extension_sheets).
#include <nlohmann/json.hpp>
#include <vector>

#include "models/simulate.hpp"
#include "tools/xlsx_workbook.hpp"

namespace salesim::tools {

std::vector<Sheet> run_sheets(const Scenario& sc, const ScenarioResults& res);
// tools/xlsx_run_extensions.cpp: from the run's JSON summary, the sheets of the extensions the
// scenario uses, each only when its block is there: ARR and ARR bridge (plans[].arr and
// vs_first.arr_final_diff), Segments and Quota (plans[].segments, plans[].quota), Robustness
// and Drivers (robustness.plans and vs_baseline, their goal_drivers and diff_drivers).
std::vector<Sheet> extension_sheets(const nlohmann::json& summary);

}  // namespace salesim::tools
