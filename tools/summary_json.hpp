#pragma once
// The `salesim run --json` summary (documented in docs/cli.md).
#include <nlohmann/json.hpp>

#include "models/simulate.hpp"

namespace salesim::tools {

nlohmann::json summary_json(const Scenario& sc, const ScenarioResults& res, std::uint64_t seed);

}  // namespace salesim::tools
