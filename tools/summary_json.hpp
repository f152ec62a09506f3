#pragma once
// The `salesim run --json` summary (documented in docs/cli.md).
#include <nlohmann/json.hpp>

#include "models/simulate.hpp"

namespace salesim::tools {

nlohmann::json summary_json(const Scenario& sc, const ScenarioResults& res, std::uint64_t seed);
// The `precision` block a run with --target-se adds to the summary.
nlohmann::json precision_json(const PrecisionResult& p);

}  // namespace salesim::tools
