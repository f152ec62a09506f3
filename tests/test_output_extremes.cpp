// The outputs of `salesim run` at the extremes: one path, one week, one plan, a goal every plan
// is certain to reach, a team that all leaves. Every output must tell the same story there.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "sim/h5.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A small, fast team; `extra` is appended (goal, people, ...) and `plans` ends the file.
std::string scenario(int weeks, const std::string& extra, const std::string& plans) {
  return "salesim: 2\nname: extremes\nsimulation: {horizon_weeks: " + std::to_string(weeks) +
         ", paths: 50, seed: 3, start_date: 2025-01-06}\n" + extra + "\n" + test::kSmallTeam +
         plans;
}

constexpr const char* kTwoPlans = R"(plans:
  - name: baseline
  - name: more
    hiring: [{week: 2, count: 4}]
)";

struct OutputExtremes : test::FolderTest {
  OutputExtremes() : test::FolderTest("extremes") {}

  // Writes the scenario and runs it with every output; returns what the terminal printed.
  std::string run(const std::string& yaml, const std::string& args) {
    const fs::path file = dir / "s.yaml";
    std::ofstream(file) << yaml;
    std::string out;
    const std::string d = dir.string();
    EXPECT_EQ(test::shell(salesim("run " + file.string() + " --threads 2 " + args + " --json " + d +
                                  "/s.json -o " + d + "/r.h5 --csv " + d + "/csv --xlsx " + d +
                                  "/w.xlsx --report " + d + "/r.html --no-sensitivity"),
                          &out),
              0)
        << out;
    return out;
  }
  json summary() const { return json::parse(test::read_file((dir / "s.json").string())); }
  std::string html() const { return test::read_file((dir / "r.html").string()); }
};

// The report's words without tags: "<span ...>1</span> simulated futures" -> "1 simulated...".
std::string words(const std::string& html) {
  return std::regex_replace(html, std::regex("<[^>]*>"), "");
}

// Every "se" and "..._se" number of a JSON value.
void standard_errors(const json& j, std::vector<double>& out) {
  if (j.is_array())
    for (const json& v : j) standard_errors(v, out);
  if (!j.is_object()) return;
  for (const auto& [k, v] : j.items()) {
    if ((k == "se" || k.ends_with("_se")) && v.is_number())
      out.push_back(v.get<double>());
    else
      standard_errors(v, out);
  }
}

// Every plan certain of the goal: the report's headline must still pick the plan that books
// more, not say that no alternative beats the first plan.
TEST_F(OutputExtremes, TiedGoalProbabilitiesGoToThePlanThatBooksMore) {
  run(scenario(20, "goal: {revenue: 1}", kTwoPlans), "");
  const json s = summary();
  ASSERT_EQ(s["plans"][0]["goal"]["p_met"], 1.0);
  ASSERT_EQ(s["plans"][1]["goal"]["p_met"], 1.0);
  ASSERT_GT(s["plans"][1]["vs_first"]["final_bookings_diff_mean"].get<double>(), 0);
  const std::string text = words(html());
  EXPECT_EQ(text.find("No alternative does better"), std::string::npos);
  EXPECT_NE(text.find("Against baseline on the same simulated futures, more books"),
            std::string::npos);
}

// A standard error does not exist from one path: null, empty or left out in every output.
TEST_F(OutputExtremes, OnePathHasNoStandardErrors) {
  const std::string table =
      run(scenario(8, "goal: {revenue: 100000, checkpoints: [{week: 4, revenue: 1000, label: Q}]}",
                   kTwoPlans),
          "--paths 1 --detail --explain-diff");
  std::vector<double> se;
  standard_errors(summary()["plans"], se);
  EXPECT_TRUE(se.empty()) << se.size() << " standard errors from one path, the first " << se[0];
  EXPECT_FALSE(std::regex_search(table, std::regex("±[0-9]"))) << table;  // labels say "± se"
  const std::string csv = test::read_file((dir / "csv" / "summary.csv").string());
  EXPECT_TRUE(std::regex_search(csv, std::regex("\n\"extremes\",\"baseline\",1,[01],,")))
      << csv;  // p_goal_se empty
  std::string out;
  const std::string check =
      "import h5py, openpyxl, math, sys\n"
      "f = h5py.File(sys.argv[1] + '/r.h5')\n"
      "assert math.isnan(f['plans/baseline/checkpoints/p_met_se'][0])\n"
      "assert math.isnan(f['comparisons/more_vs_baseline'].attrs['final_bookings_diff_se'])\n"
      "ws = openpyxl.load_workbook(sys.argv[1] + '/w.xlsx')['Plans']\n"
      "head = [c.value for c in ws[1]]\n"
      "assert ws.cell(2, head.index('p_goal_se') + 1).value is None\n"
      "assert ws.cell(2, head.index('final_bookings_se') + 1).value is None\n";
  std::ofstream(dir / "check.py") << check;
  EXPECT_EQ(test::shell(std::string(SALESIM_PYTHON) + " " + (dir / "check.py").string() + " " +
                            dir.string(),
                        &out),
            0)
      << out;
  EXPECT_EQ(words(html()).find("±0"), std::string::npos);

  // From two paths the standard errors are there again.
  run(scenario(8, "goal: {revenue: 100000}", kTwoPlans), "--paths 2");
  EXPECT_TRUE(summary()["plans"][0]["final_bookings"]["se"].is_number());
}

// One plan, one path, one week: no "1 paths", "1 weeks", "All of the 1 plans".
TEST_F(OutputExtremes, OneOfEverythingIsSingular) {
  const std::string table =
      run(scenario(1, "goal: {revenue: 1}", "plans:\n  - name: only\n"), "--paths 1 --detail");
  EXPECT_NE(table.find("extremes: 1 plan, 1 path each, 1 week, goal"), std::string::npos) << table;
  EXPECT_NE(table.find("bookings of the last 1 week x 52/1"), std::string::npos) << table;
  const std::string text = words(html());
  for (const char* wrong : {"1 plans", "1 paths", "1 weeks", "1 simulated futures",
                            "1 possible futures", "All of the 1"})
    EXPECT_EQ(text.find(wrong), std::string::npos) << wrong;
  EXPECT_NE(text.find("The plan reaches the goal"), std::string::npos);
  EXPECT_NE(text.find("1 plan &middot; 1 simulated future each"), std::string::npos);
}

// Everyone leaves and nobody is replaced: burnout at the end does not exist. The report says
// "n/a" in its text and its charts' descriptions, never "nan", and shows burnout on its 0..1
// scale wherever it appears (the People and the horizon tables), not once as a percentage.
TEST_F(OutputExtremes, AllRepsGoneAndBurnoutReadTheSameEverywhere) {
  run(scenario(30, "goal: {revenue: 5000000}\npeople: {attrition_annual: 0.9999, backfill: false}",
               kTwoPlans),
      "--paths 20");
  ASSERT_TRUE(summary()["plans"][0]["people"]["burnout_mean_final"].is_null());
  const std::string h = html();
  EXPECT_FALSE(std::regex_search(h, std::regex("[^a-z]nan[^a-z]", std::regex::icase)));
  const std::regex burnout(
      R"re(data-json="/plans/\d+/people/burnout_mean_final" data-kind="(\w+)")re");
  int seen = 0;
  for (std::sregex_iterator it(h.begin(), h.end(), burnout), end; it != end; ++it, ++seen)
    EXPECT_EQ((*it)[1], "number");
  EXPECT_GE(seen, 4);  // two plans, two tables
}

// A goal due before the horizon that the plans reach only later: P(goal) is 0, and the time to
// goal (over the whole horizon, MODEL.md) must not read as the goal met.
TEST_F(OutputExtremes, AGoalReachedAfterItsWeekIsSaidToBeLate) {
  std::string yaml = test::read_file(test::example());
  const auto from = yaml.find("goal:\n"), to = yaml.find("market:\n");
  yaml.replace(from, to - from, "goal: {revenue: 12000000, by_week: 26}\n");
  run(yaml, "--paths 200 --plans baseline");
  const json s = summary();
  ASSERT_EQ(s["plans"][0]["goal"]["p_met"], 0.0);
  ASSERT_GT(s["plans"][0]["time_to_goal"]["p50"].get<double>(), 26);
  const std::string w = words(html());
  EXPECT_NE(w.find("after the goal's week 26"), std::string::npos) << w.substr(0, 3000);
  EXPECT_NE(w.find("Goal typically reached"), std::string::npos);
  EXPECT_NE(w.find(", late"), std::string::npos) << w.substr(0, 3000);
  // Reached in time (the example as written): neither.
  run(test::read_file(test::example()), "--paths 200 --plans baseline");
  EXPECT_EQ(words(html()).find("after the goal's"), std::string::npos);
  EXPECT_EQ(words(html()).find(", late"), std::string::npos);
}

// Plan names of up to 64 characters: kept on one line they ran out of the tables and over the
// next card. A long name may wrap anywhere (CSS), a short one keeps its hyphens together; every
// chart title with the name stays within its chart.
TEST_F(OutputExtremes, LongPlanNamesWrapInTablesCardsAndChartTitles) {
  const std::string long_name(64, 'x'), hyphens = "very-long-plan-name-very-long-plan-name-end";
  run(scenario(8, "",
               "plans:\n  - name: base-line\n  - name: " + long_name +
                   "\n    hiring: [{week: 2, count: 4}]\n  - name: " + hyphens + "\n"),
      "");
  const std::string h = html();
  EXPECT_NE(h.find(".plan.long, .card-head .plan { white-space:normal; overflow-wrap:anywhere; }"),
            std::string::npos);
  EXPECT_NE(h.find(R"(<span class="plan long"><span class="swatch s1"></span>)" + long_name),
            std::string::npos);
  EXPECT_NE(h.find(R"(<span class="plan long"><span class="swatch s2"></span>)" + hyphens),
            std::string::npos);
  EXPECT_NE(h.find(R"(<span class="plan"><span class="swatch s0"></span>base-line)"),
            std::string::npos);
  // The fan chart's title "<name>: cumulative bookings" is split: its first line holds only
  // part of the name.
  const std::regex first_line(R"(<text x="14" y="24"[^>]*font-weight="600"[^>]*>(x+)</text>)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(h, m, first_line));
  EXPECT_LT(m[1].length(), 64);
}

// The tenth plan's card had the baseline's top border: the colours repeat from the tenth plan
// on, so each round of nine draws the border in another style, as its swatch takes a pattern.
TEST_F(OutputExtremes, TheTenthPlansCardAndSwatchDifferFromTheFirsts) {
  std::string plans = "plans:\n";
  for (int i = 0; i < 10; ++i) plans += "  - name: p" + std::to_string(i) + "\n";
  run(scenario(4, "goal: {revenue: 100000, checkpoints: [{week: 2, revenue: 20000}]}", plans), "");
  const std::string h = html();
  EXPECT_NE(
      h.find(
          R"(<div class="card c0"><div class="card-head"><span class="plan"><span class="swatch s0"></span>p0)"),
      std::string::npos);
  EXPECT_NE(
      h.find(
          R"(<div class="card c0 r1"><div class="card-head"><span class="plan"><span class="swatch s0 r1"></span>p9)"),
      std::string::npos);
  EXPECT_NE(h.find(".card.r1 { border-top-style:dashed; }"), std::string::npos);
  // Ten plans made the page scroll sideways: each table with a column per plan scrolls in its
  // own box on screen.
  const std::regex across(R"re(<div class="across"><table class="data">)re");
  EXPECT_EQ(std::distance(std::sregex_iterator(h.begin(), h.end(), across), std::sregex_iterator()),
            3);  // the checkpoints' chances and means, and the parts against the baseline
}

// The example with uncertain assumptions at 400 paths: market.volatility's coefficient on the
// bookings gain is -0.0017, shown "-0.00" in the report's robustness table.
TEST_F(OutputExtremes, CoefficientsThatRoundToZeroHaveNoSign) {
  run(test::read_file(test::source_dir() + "/scenarios/uncertain-assumptions.yaml"), "--paths 400");
  const std::string w = words(html());
  const auto at = w.find("What the answer depends on");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(w.find("-0.00", at), std::string::npos) << w.substr(at, 4000);
  EXPECT_EQ(w.find("+0.00", at), std::string::npos) << w.substr(at, 4000);
}

// A goal on ARR: the headline compared the best plan on bookings, where customer success
// changes nothing ("books $0 more ... better in 0% of them ... returns -1.00"); and the ARR
// bridge table set its plan names to the right, as figures.
TEST_F(OutputExtremes, AnArrGoalIsComparedOnArrAndTheBridgeTableNamesItsPlans) {
  const std::string terminal =
      run(test::read_file(test::source_dir() + "/scenarios/saas-renewals.yaml"), "--paths 200");
  // The paired table's "0 ±0 ... ROI -1.00" for a plan that keeps customers says what it counts.
  EXPECT_NE(terminal.find("(bookings, P(better) and ROI count new bookings; what each plan does "
                          "to ARR is in 'Final ARR paired' below)"),
            std::string::npos)
      << terminal;
  const json s = summary();
  EXPECT_EQ(s["goal"]["metric"], "arr") << "a script can tell what P(goal) counts";
  const std::string h = html(), w = words(h);
  const auto lead = w.substr(w.find("The answer"), w.find("At a glance") - w.find("The answer"));
  EXPECT_NE(lead.find("reach the ARR goal of"), std::string::npos) << lead;
  EXPECT_NE(lead.find("more ARR on average"), std::string::npos) << lead;
  EXPECT_EQ(lead.find(" books "), std::string::npos) << lead;
  // At a glance: the final ARR where bookings would be, and what profit and return count.
  EXPECT_NE(h.find("<th>Median final ARR</th>"), std::string::npos);
  EXPECT_NE(h.find("/plans/2/arr/final/p50"), std::string::npos);
  EXPECT_NE(w.find("Profit and return on extra cost count bookings (new contracts)"),
            std::string::npos);
  EXPECT_NE(h.find("/vs_first/arr_final_diff/mean"), std::string::npos);
  const std::regex bridge_row(R"(<tr><th><span class="plan"><span class="swatch s0"></span>)" +
                              s["plans"][0]["name"].get<std::string>() +
                              R"(</span></th><td>1-13</td>)");
  EXPECT_TRUE(std::regex_search(h, bridge_row));
  // Its checkpoints are on ARR at their week, not bookings; the bridge's levels (ARR at the
  // start and at the horizon) have no sign, its changes (new, expansion) do.
  EXPECT_NE(w.find("The probability of an ARR (the annual value of the contracts live) of at "
                   "least each checkpoint's target at the end of its week"),
            std::string::npos);
  const auto svg_at = h.find(R"(id="arr-bridge")");
  ASSERT_NE(svg_at, std::string::npos);
  const std::string svg = h.substr(svg_at, h.find("</svg>", svg_at) - svg_at);
  std::size_t signed_labels = 0;
  for (auto at = svg.find(">+"); at != std::string::npos; at = svg.find(">+", at + 1))
    ++signed_labels;
  EXPECT_EQ(signed_labels, 2u) << svg;
}

// A goal on ARR, after the headline: the plan cards said "Bookings vs status-quo 0, better in
// 0% of futures" for customer-success, the comparison's table and histogram compared bookings
// (a histogram of zeros with two labels on one line), and "Where the difference comes from"
// split a difference of 0 ("Why customer-success books 0 more"). All now compare final ARR,
// which the JSON and the results file carry per plan and path.
TEST_F(OutputExtremes, AnArrGoalsCardsComparisonAndWhyAreOnArr) {
  run(test::read_file(test::source_dir() + "/scenarios/saas-renewals.yaml"), "--paths 200");
  const json s = summary();
  const json& cs = s["plans"][2]["vs_first"]["arr_final_diff"];
  ASSERT_TRUE(cs["p_better"].is_number()) << cs;
  EXPECT_GT(cs["p_better"].get<double>(), 0.9);
  const json& b = cs["bridge"];
  const double parts = b["start"]["mean"].get<double>() + b["new"]["mean"].get<double>() +
                       b["expansion"]["mean"].get<double>() - b["churn"]["mean"].get<double>();
  EXPECT_NEAR(parts, cs["mean"].get<double>(), 1e-6);
  EXPECT_EQ(s["plans"][2]["vs_first"]["final_bookings_diff_mean"], 0.0);  // what made it read 0
  // Its return on extra cost counts bookings (-1.00); the ARR it adds per unit of extra cost:
  EXPECT_DOUBLE_EQ(
      cs["per_extra_cost"].get<double>(),
      cs["mean"].get<double>() / s["plans"][2]["vs_first"]["cost_diff_mean"].get<double>());

  const std::string h = html(), w = words(h);
  EXPECT_NE(w.find("Final ARR vs status-quo"), std::string::npos);
  EXPECT_EQ(w.find("Bookings vs status-quo"), std::string::npos);
  EXPECT_NE(h.find("<th>Final ARR difference</th>"), std::string::npos);
  EXPECT_NE(h.find("<th>ARR added per extra cost</th>"), std::string::npos);
  EXPECT_NE(w.find("each unit of extra cost adds"), std::string::npos);
  EXPECT_NE(w.find("customer-success minus status-quo: final ARR"), std::string::npos);
  EXPECT_EQ(w.find("minus status-quo: final bookings"), std::string::npos);
  EXPECT_NE(w.find("Why customer-success ends with"), std::string::npos);
  EXPECT_EQ(w.find("Why customer-success books"), std::string::npos);
  EXPECT_NE(w.find("Churn (less churn adds ARR)"), std::string::npos);
  EXPECT_NE(w.find("New bookings (the contracts signed) against the baseline"), std::string::npos);
  // The bookings chart says the goal is on the ARR charts, not that its dashed line is the goal.
  EXPECT_EQ(w.find("The dashed line is the goal"), std::string::npos);

  const auto f = sim::h5::File::open_read((dir / "r.h5").string());
  const auto c = f.open_group("comparisons").open_group("customer-success_vs_status-quo");
  const auto d = c.read_doubles("final_arr_diff");
  ASSERT_EQ(d.size(), 200u);
  double mean = 0;
  for (double x : d) mean += x / 200;
  EXPECT_NEAR(mean, cs["mean"].get<double>(), 1e-6 * std::fabs(mean));
  EXPECT_EQ(f.open_group("plans")
                .open_group("status-quo")
                .open_group("paths")
                .read_doubles("arr_final")
                .size(),
            200u);
}

// A plan that changes no booking has a histogram of zeros: one line says so, where two
// ("no difference", "mean 0") were drawn on top of each other.
TEST_F(OutputExtremes, AHistogramOfZeroDifferencesSaysSoOnce) {
  run(scenario(8, "", R"(plans:
  - name: baseline
  - name: dearer
    set: {costs.marketing_per_week: 1000}
)"),
      "--paths 20");
  const std::string w = words(html());
  EXPECT_NE(w.find("no difference in any future"), std::string::npos);
  EXPECT_EQ(w.find("mean 0"), std::string::npos);
}

}  // namespace
}  // namespace salesim
