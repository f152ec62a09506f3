#pragma once
// Recurring revenue in the run's outputs (docs/model.md 12.5): the JSON's `arr` block per plan
// and the terminal's ARR table. Both say nothing when revenue.model is not recurring.
#include <nlohmann/json.hpp>
#include <string>

#include "models/simulate.hpp"

namespace salesim::tools {

nlohmann::json arr_json(const RecurringResult& a);
// A plan's `vs_first.arr_final_diff`: mean, se, p_better, the bridge's parts, and the ARR it adds
// per unit of extra cost (`per_extra_cost`, null unless the plan costs more: `extra_cost`).
nlohmann::json arr_diff_json(const ArrFinalDiff& d, double extra_cost);
// The ARR table printed after the run's table ("" without recurring revenue).
std::string format_arr(const ScenarioResults& res);

}  // namespace salesim::tools
