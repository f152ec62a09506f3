#pragma once
// The sheets of `salesim run --xlsx FILE`: Plans (headline figures), Comparison (paired with the
// first plan), Checkpoints, Weekly (cumulative bookings quantiles per week and plan), Costs
// (the breakdown), Periods (bookings per checkpoint period) and Horizon (state at the end).
#include <vector>

#include "models/simulate.hpp"
#include "tools/xlsx_workbook.hpp"

namespace salesim::tools {

std::vector<Sheet> run_sheets(const Scenario& sc, const ScenarioResults& res);

}  // namespace salesim::tools
