#pragma once
// Segments and quotas (docs/model.md 12.7-12.8) in the terminal and in the JSON summary; both
// say nothing for a scenario without them.
#include <nlohmann/json.hpp>
#include <string>

#include "models/simulate.hpp"

namespace salesim::tools {

// Per plan: a table of its segments (bookings, opportunities, win rate, accounts left fresh),
// then its quota attainment (P10/P50/P90, share at or above quota, new hires vs tenured).
std::string format_territory(const ScenarioResults& res);
// Adds `segments[]` and `quota` to a plan's JSON object (nothing without the extensions).
void add_territory_json(nlohmann::json& plan, const TerritoryFigures& t);

}  // namespace salesim::tools
