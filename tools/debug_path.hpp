#pragma once
// `salesim run FILE --debug-path N`: path N alone, week by week. Every draw is a function of
// (seed, path, ...), so path N run alone is path N of any run of the file with that seed, bit
// for bit; with one path the weekly means of a run are that path's own values.
#include <cstdint>
#include <string>

#include "models/simulate.hpp"

namespace salesim::tools {

// Each plan's week-by-week table of the one path of `res` (a run of 1 path from `path`), and
// the path's outcome: what an analyst reads to see why that future went as it did.
std::string format_path_weeks(const Scenario& sc, const ScenarioResults& res, std::uint64_t path);

}  // namespace salesim::tools
