#pragma once
// `salesim report`: a client-ready, self-contained HTML report of a results file
// (docs/report.md). The answer first, then bookings over time, checkpoints, the paired
// comparison with the baseline, people, money, the assumptions in plain words and the method.
//
// Every figure written in the report's text and tables is taken from the results file's
// `summary_json` (the `salesim run --json` summary of that run), so it equals the JSON by
// construction; each is tagged <span class="fig" data-json="/json/pointer" data-value="...">
// so tests and readers can check it. Charts (SVG, tools/charts.hpp) draw the file's weekly and
// per-path datasets. The HTML loads nothing: styles inline, charts inline SVG, the logo a data:
// URI, and a Content-Security-Policy that forbids any fetch.
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace salesim {
struct Scenario;
struct ScenarioResults;
}  // namespace salesim

namespace salesim::tools {

struct ReportOptions {
  std::string title;      // "" : "<scenario name>: plan comparison"
  std::string client;     // "Prepared for ..." ("" none)
  std::string logo_file;  // PNG, JPEG, GIF, WebP or SVG, embedded ("" none)
  std::string currency;   // put before money figures: "$", "€", "EUR" ("" neutral: "12.3M")
  // Re-run the leading plan with its levers and key assumptions moved by +-20%, one at a time,
  // to say how much the headline depends on them (write_report; --no-sensitivity: false).
  bool sensitivity = true;
  int threads = 0;        // for that check (0: all)
  bool progress = false;  // a progress bar for it on a terminal
};

// The one-at-a-time check of the headline (tools/report_sensitivity.cpp): the leading plan's
// metric (P(goal), else mean final bookings) with each factor set 20% below and above.
struct ReportSensitivity {
  std::string plan, metric;  // metric: "p_goal", "final_bookings" or "arr_final"
  // P(goal) of the plan as written when it is 0 or 1 (no future, or every one, reaches the goal)
  // and no factor moves it: `metric` is then what the goal counts instead.
  std::optional<double> pinned;
  double delta = 0.2;
  std::size_t paths = 0;
  double base = 0, base_se = 0;
  struct Item {
    std::string name;               // plain words: "the average deal size"
    std::vector<std::string> keys;  // the scenario keys moved (for the analysts' appendix)
    std::string values;             // "25.6k to 38.4k" (the settings low and high)
    double low = 0, high = 0, low_se = 0, high_se = 0, swing = 0, swing_se = 0;
    bool moved = true;
  };
  std::vector<Item> items;  // largest swing first
  std::vector<std::string> skipped;
  double seconds = 0;
};

// What a report shows of one plan, read from /plans/<name>/.
struct ReportPlan {
  std::string name, description;
  std::vector<std::array<double, 7>> cum_q;  // per week: percentiles 5,10,25,50,75,90,95
  std::vector<double> burnout, burnt_out, leavers, hires, headcount, hours;  // weekly means
  std::vector<double> diff;      // paired final-bookings difference with the baseline, per path
  std::vector<double> arr_diff;  // the same of final ARR (recurring revenue only)
};

// A results file as the report needs it.
struct ReportData {
  std::string file;
  nlohmann::json summary;  // the run's --json summary: the source of every figure in the text
  std::string scenario_text, scenario_name, scenario_file, start_date, created, format_version;
  std::string salesim_version, git_revision;
  int horizon = 0, goal_by_week = 0;
  std::optional<double> goal;
  std::vector<ReportPlan> plans;                 // in run order; the first is the baseline
  std::optional<ReportSensitivity> sensitivity;  // when checked (check_sensitivity)
};

// Reads a results file; BadInput naming the file and what was expected when it is missing, not
// a salesim results file, of another format_major, or incomplete. A file from outside is read
// in a child process first, so that damage that crashes or hangs the HDF5 library is reported
// as damage; own_file skips that for a file this process has just written.
ReportData read_report_data(const std::string& results_file, bool own_file = false);

// Runs the one-at-a-time check of the leading plan at the results' path count and seed and
// stores it in d.sensitivity; nothing when the stored scenario cannot be read here.
void check_sensitivity(ReportData& d, const ReportOptions& o);

struct Report {
  std::string html;
  std::vector<std::pair<std::string, std::string>> charts;  // file name ("fan-1-x.svg"), SVG
};
Report render_report(const ReportData& d, const ReportOptions& o);

// The report's page head, up to <body>: the doctype, the Content-Security-Policy that forbids
// any fetch and the report's stylesheet. Other HTML reports (the CRM forecast's) start with it
// so that they look the same.
// `connect_self` allows the page's script to fetch from its own origin (salesim serve's
// page, which asks the server for each what-if); a report file fetches nothing.
std::string report_page_head(const std::string& title, bool connect_self = false);

// What a run just made shows in a report, built in memory (no results file): salesim serve.
ReportData report_data_of_run(const Scenario& sc, const ScenarioResults& res,
                              nlohmann::json summary);
// The sections of the report a live what-if shows (salesim serve): the answer, bookings over
// time, the checkpoints and, with two plans, the comparison with the baseline. The same code
// as the report's, so the two always agree.
std::string render_what_if_sections(const ReportData& d, const ReportOptions& o);

// The whole command: reads the results, writes the HTML (atomically) and, when charts_dir is
// not empty, each chart as its own SVG file there. Returns the report.
Report write_report(const std::string& results_file, const std::string& html_file,
                    const ReportOptions& o, const std::string& charts_dir = "");
Report write_report(ReportData d, const std::string& html_file, const ReportOptions& o,
                    const std::string& charts_dir = "");

// `salesim run --report FILE`: the report of a run just made, read back from results_file
// (-o) or, when that is "", from a temporary results file that is removed afterwards.
Report write_run_report(const std::string& html_file, const std::string& results_file,
                        const Scenario& sc, const ScenarioResults& res,
                        const std::string& summary_json, const ReportOptions& o = {},
                        const std::string& charts_dir = "");

}  // namespace salesim::tools
