#pragma once
// Writes results.h5 (layout in docs/results-format.md): self-describing root attributes, the
// scenario text as run, a group per plan and per comparison. Written to a temporary file and
// renamed.
#include <string>

#include "models/simulate.hpp"

namespace salesim::tools {

inline constexpr const char* kResultsFileType = "salesim-results";
inline constexpr int kResultsFormatMajor = 1;
// 1.1: per_path and quantile_relative_error; 1.2: model_version
inline constexpr int kResultsFormatMinor = 2;

void write_results_h5(const std::string& path, const Scenario& sc, const ScenarioResults& res,
                      std::uint64_t seed, const std::string& summary_json);

}  // namespace salesim::tools
