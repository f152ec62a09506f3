#pragma once
// The report's sections and what they share (internal to tools/report*.cpp): report.cpp
// assembles the page and writes the answer; report_charts.cpp the sections with charts;
// report_assumptions.cpp the assumptions and the method; report_output.cpp the files.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario.hpp"
#include "tools/report.hpp"
#include "tools/report_format.hpp"

namespace salesim::tools::report {

struct Page {
  const ReportData& d;
  const ReportOptions& o;
  const nlohmann::json& s;  // d.summary
  Fmt f;
  std::optional<Scenario> scenario;  // the scenario as run, when this salesim can read it
  std::vector<std::pair<std::string, std::string>> charts;  // file name, SVG

  // A chart in a <figure>, kept for --charts DIR as "<id>.svg".
  std::string figure(const std::string& svg, const std::string& id, const std::string& caption);
  std::string plan_name(std::size_t i) const;  // the name with its colour swatch
  std::string p(std::size_t i) const;          // "/plans/<i>", the plan's JSON pointer
  // goal.metric: arr (docs/model.md 12.5): the goal and its checkpoints count ARR, not bookings.
  bool goal_on_arr() const;
  // An ARR goal with the run's ARR figures: the plans are then compared on final ARR (a plan
  // that keeps customers books no more), with bookings beside it.
  bool compare_on_arr() const;
};

// The number at a JSON pointer of the summary; NaN when absent or null.
double num_at(const nlohmann::json& s, const std::string& pointer);

// Whether plan a ranks above plan b: a better P(goal), then (without a goal, or on a tie) a
// higher median of final bookings.
bool ranks_above(const ReportData& d, std::size_t a, std::size_t b);
// The plan ranked first, the earlier on a full tie.
std::size_t leading_plan(const ReportData& d);
std::string answer_section(Page& pg);
// The headline's dependence on the assumptions (d.sensitivity), in words, for the answer; the
// method note on what was checked; the analysts' table of it with the keys.
std::string sensitivity_words(Page& pg, std::size_t best);
std::string sensitivity_method(Page& pg);
std::string sensitivity_appendix(Page& pg);
std::string glance_table(Page& pg);
std::string median_chart(Page& pg);
std::string bookings_section(Page& pg);
// report_arr.cpp: ARR fan charts and the ARR bridge; "" without recurring revenue.
std::string arr_section(Page& pg);
std::string checkpoints_section(Page& pg);
std::string comparison_section(Page& pg);
std::string people_section(Page& pg);
// report_why.cpp: the drivers of the leading plan's difference (a waterfall), P(goal) after the
// first checkpoint met or missed, and the state each plan leaves at the horizon.
std::string why_section(Page& pg);
std::string missed_checkpoint_section(Page& pg);
std::string horizon_section(Page& pg);
std::string money_section(Page& pg);
// report_robustness.cpp: with uncertain assumptions, what the answer depends on ("" without).
std::string robustness_section(Page& pg);
// report_territory.cpp: segments' coverage and quota attainment (docs/model.md 12.7-12.8).
std::string territory_section(Page& pg);
// report_scenario_words.cpp: the scenario's extensions (uncertain assumptions, recurring
// revenue, segments, quotas, calendars) in plain words. A number in a key's unit ("12%", "$27k a
// week"); a key's meaning without its name ("proposal stage: share of exits that advance, at
// skill 1"); the assumptions section's items for the extensions the scenario uses; what a plan's
// own territories change ("" without); "what the model leaves out", as far as true of it.
std::string plain_number(const Fmt& f, double x, const std::string& unit);
std::string capitalised(std::string text);  // its first letter upper case (ASCII)
std::string plain_share(double share);      // "12%", "12.5%": at most one decimal
std::string plain_g(double v);              // "0.8", "1.5", "40000": the shortest form
std::string plain_key(const Scenario& sc, const std::string& key);
// A key's unit as models/keys.hpp names them ("share", "rate", "currency/week", "week", ...):
// a scalar key's, a list item's field's (training[x].efficacy: "share") or a territory line's
// ("reps"); "" for a key that has none or is not one. Shares and rates read as percentages.
std::string key_unit(const Scenario& sc, const std::string& key);
// An uncertain assumption's range in words and units ("anywhere from 12% to 30%"); "" when the
// scenario cannot be read or has no such assumption.
std::string plain_distribution(const Page& pg, const std::string& key);
std::vector<std::pair<std::string, std::string>> extension_items(const Page& pg);
std::string territory_change(const Page& pg, const PlanSpec& plan);
std::vector<std::string> left_out_items(const Page& pg);
std::optional<Scenario> parse_scenario(const ReportData& d);
std::string assumptions_section(Page& pg);
std::string method_section(Page& pg);
// Key names, the sensitivity table, provenance and the scenario text: after the client part.
std::string analysts_appendix(Page& pg);
// ReportData::file of a report made by salesim run --report without -o, from a temporary file:
// the words for where its figures come from.
inline constexpr const char* kUnsavedResults =
    "a run whose results were not saved (salesim run --report without -o)";
// The results file for "Made with salesim ... from ...": "<code>r.h5</code>", or those words.
std::string results_source(const ReportData& d);
// <img> with the file embedded as a data: URI; BadInput when it is missing or not an image.
std::string logo_img(const std::string& file);

}  // namespace salesim::tools::report
