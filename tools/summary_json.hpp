#pragma once
// The `salesim run --json` summary (documented in docs/cli.md).
#include <nlohmann/json.hpp>

#include "models/simulate.hpp"

namespace salesim::tools {

nlohmann::json summary_json(const Scenario& sc, const ScenarioResults& res, std::uint64_t seed);
// The summary's own shapes, for the extensions' blocks (summary_arr.cpp): {mean, se} and
// {mean, se, p10, p50, p90}, null where not finite.
nlohmann::json mean_se_json(const sim::MeanSe& m);
nlohmann::json figure_json(const Figure& f);
// The `precision` block a run with --target-se adds to the summary.
nlohmann::json precision_json(const PrecisionResult& p);

}  // namespace salesim::tools
