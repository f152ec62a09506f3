#pragma once
// What `salesim optimize` found, and its outputs: the JSON (result and trace), the trace as a
// table (CSV), the header of the written plan and the terminal's table and notes.
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "tools/lever_range.hpp"
#include "tools/lever_runs.hpp"
#include "tools/optimize.hpp"
#include "tools/table_file.hpp"

namespace salesim::tools {

struct OptimizeReport {
  std::string file, plan, name;
  std::uint64_t seed = 0;
  std::vector<LeverRange> levers;
  Outcome objective;
  std::vector<Condition> constraints;
  std::vector<Outcome> outcomes;  // objective, constraints, then the headline figures
  OptResult result;
  Point in_sample, confirmed, written;  // the optimum on both blocks; the plan as written
  std::size_t paths = 0, evaluations = 0, budget = 0, confirm_paths = 0;
  std::uint64_t confirm_first = 0;
  // From the above (finish_report):
  sim::MeanSe optimism, gain;       // in-sample - confirmation; optimum - as written, paired
  std::vector<std::string> at_end;  // per lever: "lower", "upper" or ""
  std::vector<std::string> unmet;   // bounds missed on the confirmation paths
};

void finish_report(OptimizeReport& r);
nlohmann::json report_json(const OptimizeReport& r);
Table trace_table(const OptimizeReport& r);
// Comment lines for the written plan; the first two are also the terminal's first lines.
std::vector<std::string> report_header(const OptimizeReport& r);
// The terminal: how it stopped, the levers, the figures on both blocks, optimism, notes.
void print_report(const OptimizeReport& r, std::ostream& out);
// Why no plan was written when no point met every bound, naming the nearest.
std::string infeasible_message(const OptimizeReport& r);

}  // namespace salesim::tools
