// A consultant's walk of the analyst commands on three client scenarios (field sales with
// territories, SaaS with an ARR goal, a burnt-out team): each test is a finding of that walk.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "models/plan_edit.hpp"
#include "models/recurring_results.hpp"
#include "models/territory_keys.hpp"
#include "test_support.hpp"
#include "tools/outcome.hpp"
#include "tools/plan_yaml.hpp"

namespace salesim {
namespace {

using nlohmann::json;

// Two segments with the file's territories (2 north, 4 south), a plan with its own (4, 2) and
// one without.
const std::string kField = std::string(R"(salesim: 2
name: field
simulation: {horizon_weeks: 13, paths: 32, seed: 5}
goal: {revenue: 400000}
)") + test::kSmallTeam + R"(segments:
  - {name: north, accounts: 400, fit: 0.9}
  - {name: south, accounts: 800}
territories:
  - {segment: north, reps: 2}
  - {segment: south, reps: 4}
plans:
  - name: baseline
    description: "As today."
  - name: rebalance
    description: "Four north, two south."
    territories:
      - {segment: north, reps: 4}
      - {segment: south, reps: 2}
  - name: hire
    hiring: [{week: 2, count: 2}]
)";

// Recurring revenue with the goal on ARR; the first plan changes nothing, and
// prospecting.target_hours is left null.
const std::string kSaas = std::string(R"(salesim: 2
name: saas
simulation: {horizon_weeks: 26, paths: 32, seed: 9}
goal: {metric: arr, revenue: 10.6M}
revenue: {model: recurring, renewal_rate: 0.85, expansion_rate: 0.1}
customers: {count: 100, acv: {mean: 25000, cv: 0.5}}
)") + test::kSmallTeam + R"(plans:
  - name: status-quo
  - name: hire
    hiring: [{week: 2, count: 2}]
)";

std::string without(std::string text, const std::string& cut) {
  text.erase(text.find(cut), cut.size());
  return text;
}

struct WalkConsultant : test::FolderTest {
  WalkConsultant() : test::FolderTest("walk-consultant") {}
  std::string file(const std::string& name, const std::string& text) const {
    const std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
  }
  // Runs salesim with `args`, expecting exit code `rc`; returns what it printed.
  std::string run(const std::string& args, int rc = 0) const {
    std::string out;
    EXPECT_EQ(test::shell(salesim(args), &out), rc) << args << "\n" << out;
    return out;
  }
  std::vector<std::string> csv_lines(const std::string& path) const {
    std::istringstream in(test::read_file(path));
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  }
};

// A: a territory line's reps is a key: the plan's own line, else the baseline's (the file's
// lines, or shares by accounts written as reps of the team).
TEST(TerritoryKeys, StartFromThePlansLinesOrTheBaselines) {
  const Scenario sc = test::scenario(kField);
  EXPECT_EQ(find_lever(sc, "rebalance", "territories[north].reps").value, 4);
  EXPECT_EQ(find_lever(sc, "hire", "territories[north].reps").value, 2);  // the baseline's
  EXPECT_EQ(find_lever(sc, "baseline", "territories[south].reps").value, 4);
  // No territories anywhere: shares by accounts, as reps of the team of 6 (400 and 800 accounts).
  const Scenario by_accounts = test::scenario(without(
      kField, "territories:\n  - {segment: north, reps: 2}\n  - {segment: south, reps: 4}\n"));
  EXPECT_DOUBLE_EQ(find_lever(by_accounts, "hire", "territories[north].reps").value, 2);
  EXPECT_DOUBLE_EQ(find_lever(by_accounts, "hire", "territories[south].reps").value, 4);

  EXPECT_THROW(find_lever(sc, "hire", "territories[nort].reps"), std::invalid_argument);
  for (const char* bad : {"territories.reps", "territories[north]", "territories[north].fit"})
    EXPECT_THROW(find_lever(sc, "hire", bad), std::invalid_argument) << bad;
  try {
    find_lever(sc, "hire", "territories[nort].reps");
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'north'"), std::string::npos) << e.what();
  }
}

// A: the value is written where the plan runs it: a plan without lines gets the baseline's with
// one changed (a rebalance at its from_week); the first plan edits the file's.
TEST(TerritoryKeys, VariantsWriteThePlansLines) {
  const Scenario sc = test::scenario(kField);
  const Scenario hire = scenario_with_plan_values(sc, "hire", {{"territories[north].reps", 3}});
  const SegmentParams& h = hire.plans[0].params.segments;
  EXPECT_TRUE(h.plan_territories);
  ASSERT_EQ(h.territories.size(), 2u);
  EXPECT_EQ(h.territories[0].reps, 3);
  EXPECT_EQ(h.territories[1].reps, 4);
  EXPECT_EQ(hire.plans[0].params.hiring.size(), 1u);  // the rest of the plan as it was

  const Scenario base = scenario_with_plan_values(sc, "baseline", {{"territories[south].reps", 1}});
  EXPECT_FALSE(base.plans[0].params.segments.plan_territories);
  EXPECT_EQ(base.base.segments.territories[1].reps, 1);

  const Scenario both = scenario_with_plan_values(
      sc, "rebalance", {{"territories[north].reps", 5}, {"territories[south].reps", 1}});
  EXPECT_EQ(both.plans[0].params.segments.territories[0].reps, 5);
  EXPECT_EQ(both.plans[0].params.segments.territories[1].reps, 1);
}

// A: sweep, sensitivity, goal-seek and optimize take the key; the point at the plan's own value
// is the plan as written, path for path.
TEST_F(WalkConsultant, TerritoryRepsAreSweptSoughtAndOptimised) {
  const std::string f = file("field.yaml", kField);
  const std::string csv = (dir / "s.csv").string();
  run("sweep " + f +
      " --plan rebalance --vary 'territories[north].reps=3:5:1' --metric final_bookings "
      "--quiet -o " +
      (dir / "s.h5").string());
  const auto lines = csv_lines(csv);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].rfind("point,territories[north].reps,paths,", 0), 0u) << lines[0];
  EXPECT_TRUE(lines[2].ends_with(",0,0")) << lines[2];  // north 4: the plan as written

  const std::string sens = run("sensitivity " + f + " --plan rebalance --paths 8");
  EXPECT_NE(sens.find("territories[north].reps"), std::string::npos) << sens;
  EXPECT_NE(sens.find("territories[south].reps"), std::string::npos) << sens;

  run("goalseek " + f +
      " --plan hire --lever 'territories[north].reps=1:6' --target 'final_bookings_mean>=1' "
      "--paths 8 --quiet");
  const std::string yaml = (dir / "best.yaml").string();
  run("optimize " + f +
      " --plan hire --lever 'territories[north].reps=1:6' --maximize final_bookings_mean "
      "--evaluations 5 --paths 8 --quiet -o " +
      yaml);
  const Scenario pasted = test::scenario(std::string(kField) + test::read_file(yaml));
  const PlanSpec& best = pasted.plans.back();
  EXPECT_TRUE(best.params.segments.plan_territories);
  EXPECT_EQ(best.params.hiring.size(), 1u);
}

// B: the example of --keys names keys the plan gives a value, which --keys then accepts (it
// suggested prospecting.target_hours, null in the file, which --keys then refused).
TEST_F(WalkConsultant, SensitivitySuggestsOnlyKeysItCanMove) {
  const std::string f = file("saas.yaml", kSaas);
  const std::string out = run("sensitivity " + f + " --plan status-quo --paths 4", 2);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("--keys ([a-z_.,]+)"))) << out;
  EXPECT_EQ(m[1].str().find("prospecting.target_hours"), std::string::npos) << out;
  run("sensitivity " + f + " --plan status-quo --paths 4 --quiet --keys " + m[1].str());
}

// The tornado's legend said "lever 20% higher" of a renewal rate held at 1 (+13.6%): a
// setting held by its key's range is named in the chart, and the legend says "or to its limit".
TEST_F(WalkConsultant, TornadoNamesASettingHeldByItsRange) {
  const std::string f = file("saas.yaml", kSaas), svg = (dir / "t.svg").string();
  run("sensitivity " + f +
      " --plan status-quo --paths 8 --quiet --keys "
      "revenue.renewal_rate,pipeline.deal_size.mean --svg " +
      svg);
  std::string chart = test::read_file(svg);
  EXPECT_NE(chart.find("lever 20% higher (or to its limit)"), std::string::npos);
  const auto held = chart.find("moved less than 20%: revenue.renewal_rate (");
  ASSERT_NE(held, std::string::npos);
  EXPECT_EQ(chart.substr(held, chart.find(").", held) - held).find("deal_size"), std::string::npos)
      << "the deal size moved the full 20%";
  run("sensitivity " + f +
      " --plan status-quo --paths 8 --quiet --keys pipeline.deal_size.mean "
      "--svg " +
      svg);
  chart = test::read_file(svg);
  EXPECT_EQ(chart.find("its limit"), std::string::npos);
  EXPECT_EQ(chart.find("moved less than"), std::string::npos);
}

// A territory naming a segment when no segment has a valid name suggested "did you mean ''?".
TEST_F(WalkConsultant, TerritoryOfNoValidSegmentSuggestsNoEmptyName) {
  const std::string f = file("bad.yaml", "salesim: 2\nname: bad\nsimulation: {horizon_weeks: 4}\n" +
                                             std::string(test::kSmallTeam) +
                                             "segments: [{name: 'a b', accounts: 10}]\n"
                                             "territories: [{segment: 'a b', reps: 1}]\n"
                                             "plans: [{name: only}]\n");
  const std::string out = run("validate " + f, 2);
  EXPECT_EQ(out.find("did you mean ''"), std::string::npos) << out;
  EXPECT_NE(out.find("no segment 'a b' (the file names no valid segment)"), std::string::npos)
      << out;
}

// C: final ARR is a metric of sensitivity, sweep and goal-seek with recurring revenue, refused
// clearly without; the sweep's ARR columns come after the columns of its contract.
TEST_F(WalkConsultant, FinalArrIsAMetric) {
  const std::string saas = file("saas.yaml", kSaas), field = file("field.yaml", kField);
  const std::string js = (dir / "s.json").string();
  run("sensitivity " + saas + " --plan hire --metric arr_final --paths 8 --quiet --json " + js);
  EXPECT_EQ(json::parse(test::read_file(js))["metric"], "arr_final");
  EXPECT_GT(json::parse(test::read_file(js))["base"]["mean"].get<double>(), 1e6);
  const std::string refused =
      run("sensitivity " + field + " --plan hire --metric arr_final --paths 4", 2);
  EXPECT_NE(refused.find("has no recurring revenue"), std::string::npos) << refused;

  const std::string csv = (dir / "w.csv").string();
  run("sweep " + saas +
      " --plan hire --vary 'hiring[0].count=1,3' --metric arr_final --paths 8 "
      "--quiet -o " +
      (dir / "w.h5").string());
  const auto lines = csv_lines(csv);
  EXPECT_TRUE(lines[0].ends_with(
      ",headcount_final_mean,arr_final_diff_vs_plan,arr_final_diff_vs_plan_se,arr_final_mean,"
      "arr_final_se,arr_final_p10,arr_final_p50,arr_final_p90"))
      << lines[0];
  // Without recurring revenue, the columns as before.
  run("sweep " + field + " --plan hire --vary 'hiring[0].count=1,3' --paths 4 --quiet -o " +
      (dir / "f.h5").string());
  EXPECT_TRUE(csv_lines((dir / "f.csv").string())[0].ends_with(",p_goal_diff_vs_plan_se"));

  const std::string gs = (dir / "g.json").string();
  run("goalseek " + saas +
      " --plan hire --lever 'hiring[0].count=0:6' --target "
      "arr_final_p50=1 --paths 8 --quiet --json " +
      gs);
  EXPECT_EQ(json::parse(test::read_file(gs))["metric"], "arr_final_p50");
  EXPECT_THROW(tools::parse_outcome("arr_final", test::scenario(kField)), std::invalid_argument);
}

// C: with goal.metric: arr, P(goal) is the share of paths whose ARR at the goal's week (the
// horizon) reaches the goal, not their bookings.
TEST(FinalArr, GoalOnArrIsCountedOnArr) {
  const Scenario sc = test::scenario(kSaas);
  RunSettings s;
  s.paths = 64;
  const ScenarioResults res = run_scenario(sc, s);
  const PlanResult& r = res.plans[0];
  const auto arr = arr_final_column(r);
  double reached = 0;
  for (double v : arr) reached += v >= 10.6e6;
  ASSERT_TRUE(r.goal);
  EXPECT_DOUBLE_EQ(r.goal->mean, reached / double(arr.size()));
  EXPECT_GT(r.goal->mean, 0);
  EXPECT_LT(r.goal->mean, 1);
  EXPECT_EQ(metric_estimate(r, Metric::arr_final)->mean, r.recurring->arr_final.est.mean);
}

// D: an optimised plan's description says what it sets, each value beside the plan's own, and
// keeps the old description as the plan's before (it described the old values).
TEST(PlanYamlDescription, SaysWhatTheOptimumSets) {
  const Scenario sc = test::scenario(kField);
  const tools::PlanYaml y =
      tools::plan_yaml(sc, "rebalance", {{"territories[north].reps", 7}}, "rebalance-optimised", {},
                       "Optimised by salesim optimize (maximize profit)");
  const Scenario pasted = test::scenario(std::string(kField) + y.text);
  EXPECT_EQ(pasted.plans.back().description,
            "Optimised by salesim optimize (maximize profit): territories[north].reps 7 (was 4). "
            "Plan 'rebalance' before: Four north, two south.");
  EXPECT_EQ(pasted.plans.back().params.segments.territories[0].reps, 7);
}

// F: --with moves a key in step with the --vary before it: one point per value, both columns.
TEST_F(WalkConsultant, SweepMovesTwoKeysInLockstep) {
  const std::string f = file("field.yaml", kField);
  run("sweep " + f +
      " --plan hire --vary market.inbound_leads_per_week=10:30:10 --with "
      "costs.marketing_per_week=4k:12k:4k --paths 4 --quiet -o " +
      (dir / "l.h5").string());
  const auto lines = csv_lines((dir / "l.csv").string());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(
      lines[0].rfind("point,market.inbound_leads_per_week,costs.marketing_per_week,paths,", 0), 0u);
  EXPECT_EQ(lines[1].rfind("1,10,4000,", 0), 0u) << lines[1];
  EXPECT_EQ(lines[3].rfind("3,30,12000,", 0), 0u) << lines[3];
  // Reps moved from south to north: a range that runs down.
  run("sweep " + f +
      " --plan rebalance --vary 'territories[north].reps=4:6:1' --with "
      "'territories[south].reps=2:0:1' --paths 4 --quiet -o " +
      (dir / "m.h5").string());
  EXPECT_EQ(csv_lines((dir / "m.csv").string())[3].rfind("3,6,0,", 0), 0u);

  const std::string o = " --paths 4 -o " + (dir / "x.h5").string();
  std::string out = run("sweep " + f +
                            " --plan hire --vary market.inbound_leads_per_week=10:30:10 --with "
                            "costs.marketing_per_week=4k,8k" +
                            o,
                        2);
  EXPECT_NE(out.find("2 values, where --vary market.inbound_leads_per_week has 3"),
            std::string::npos)
      << out;
  out = run("sweep " + f +
                " --plan hire --with costs.marketing_per_week=4k --vary "
                "market.inbound_leads_per_week=10" +
                o,
            2);
  EXPECT_NE(out.find("give it after the --vary it moves with"), std::string::npos) << out;
  out = run("sweep " + f +
                " --plan hire --design lhs --vary market.inbound_leads_per_week=10:30 --with "
                "costs.marketing_per_week=4k:12k" +
                o,
            2);
  EXPECT_NE(out.find("--design lhs draws each --vary key on its own"), std::string::npos) << out;
  out = run("sweep " + f +
                " --plan hire --vary market.inbound_leads_per_week=10,20 --with "
                "market.inbound_leads_per_week=1,2" +
                o,
            2);
  EXPECT_NE(out.find("given twice"), std::string::npos) << out;
}

}  // namespace
}  // namespace salesim
