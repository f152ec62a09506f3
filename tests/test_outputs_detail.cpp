// The figures of `salesim run --detail`: the cost breakdown adds up to the cost on every path,
// checkpoint periods add up to the final bookings, the exit run-rate, open pipeline value and
// ramped headcount follow their definitions on a deterministic scenario, stored and streaming
// runs agree, and the JSON keys, CSV columns and terminal tables are there.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sim/sketch.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;

// Every kind of charge: salaries, managers, commission, hires and backfills, training, the three
// programs with a cost, marketing.
const char* kEveryCost = R"(
salesim: 2
name: every cost
simulation: {horizon_weeks: 40, paths: 50, seed: 7}
goal:
  revenue: 3000000
  checkpoints: [{week: 10, revenue: 300000, label: q1}, {week: 20, revenue: 900000, label: q2}]
team: {reps: 8, managers: 2}
people: {attrition_annual: 0.3, time_to_fill_weeks: 4, hire_cost: 15000}
costs: {marketing_per_week: 1234.5}
hiring: [{week: 3, count: 2}]
training: [{name: t, start_week: 5, weeks: 2, cost_per_person: 999}]
programs:
  - {kind: coach_the_coaches, start_week: 6, manager_coaching_skill: 0.7, cost: 20000}
  - {kind: profiling, start_week: 7, awareness: 0.5, cost_per_person: 300}
  - {kind: alignment, start_week: 8, alignment: 0.6, cost: 5000}
plans:
  - {name: baseline}
  - name: more
    hiring: [{week: 2, count: 3}]
    set: {compensation.commission_rate: 0.1}
)";

double part(const sim::RunOutput& r, std::size_t path, cost::Part k) {
  return r.scalar(path, std::size_t(out::first_cost_part) + k);
}

TEST(CostBreakdown, PartsAddUpToTheCostOnEveryPath) {
  const Scenario sc = test::scenario(kEveryCost);
  for (std::size_t plan = 0; plan < sc.plans.size(); ++plan) {
    const sim::RunOutput r = test::run(sc, plan, 50);
    const Params& p = plan == 0 ? sc.base : sc.plans[plan].params;
    const double weeks = sc.horizon();
    for (std::size_t i = 0; i < r.paths; ++i) {
      double sum = 0;
      for (std::size_t k = 0; k < cost::part_count; ++k) sum += part(r, i, cost::Part(k));
      // Every charge is in one part: the same money, summed in another order.
      EXPECT_NEAR(sum, r.scalar(i, out::cost), 1e-12 * r.scalar(i, out::cost)) << "path " << i;
      // Each part is what MODEL.md 3.6 charges for it.
      EXPECT_NEAR(part(r, i, cost::managers), 140000.0 * 2 / 52 * weeks, 1e-6);
      EXPECT_NEAR(part(r, i, cost::marketing), 1234.5 * weeks, 1e-6);
      EXPECT_DOUBLE_EQ(part(r, i, cost::hiring), 15000.0 * r.scalar(i, out::hires));
      EXPECT_NEAR(part(r, i, cost::commission),
                  p.compensation.commission_rate * r.scalar(i, out::final_bookings),
                  1e-9 * r.scalar(i, out::final_bookings));
      EXPECT_GT(part(r, i, cost::training), 0);
      EXPECT_EQ(std::fmod(part(r, i, cost::training), 999.0), 0.0);
      EXPECT_GT(part(r, i, cost::programs), 25000);  // both flat costs and the profiling
      EXPECT_EQ(std::fmod(part(r, i, cost::programs) - 25000, 300.0), 0.0);
      EXPECT_GT(part(r, i, cost::rep_salaries), 0);
    }
    // The weekly cost series is the same money, week by week.
    double weekly = 0, total = 0;
    for (std::size_t t = 0; t < r.shape.weeks; ++t) weekly += r.sum(out::s_costs, t);
    for (std::size_t i = 0; i < r.paths; ++i) total += r.scalar(i, out::cost);
    EXPECT_NEAR(weekly, total, 1e-9 * total);
  }
}

TEST(CheckpointPeriods, AddUpToTheFinalBookings) {
  const Scenario sc = test::scenario(kEveryCost);
  const sim::RunOutput r = test::run(sc, 0, 50);
  const std::size_t first = out::first_period(sc);
  ASSERT_EQ(out::period_count(sc), 3u);
  for (std::size_t i = 0; i < r.paths; ++i) {
    const double p0 = r.scalar(i, first), p1 = r.scalar(i, first + 1), p2 = r.scalar(i, first + 2);
    const double final_bookings = r.scalar(i, out::final_bookings);
    EXPECT_NEAR(p0 + p1 + p2, final_bookings, 1e-9 * std::max(1.0, final_bookings));
    // Period 1 is weeks 11..20: cumulative bookings at week 20 less those at week 10.
    const double cum10 = r.kept_week(out::cum_bookings, 9)[i];
    const double cum20 = r.kept_week(out::cum_bookings, 19)[i];
    EXPECT_NEAR(p0, cum10, 1e-9 * std::max(1.0, cum10));
    EXPECT_NEAR(p1, cum20 - cum10, 1e-9 * std::max(1.0, cum20));
  }
  const PlanResult res = summarize(sc, "baseline", test::run(sc, 0, 50));
  ASSERT_EQ(res.detail.periods.size(), 3u);
  EXPECT_EQ(res.detail.periods[0].from_week, 1);
  EXPECT_EQ(res.detail.periods[0].to_week, 10);
  EXPECT_EQ(res.detail.periods[0].checkpoint, "q1");
  EXPECT_EQ(res.detail.periods[1].from_week, 11);
  EXPECT_EQ(res.detail.periods[1].to_week, 20);
  EXPECT_EQ(res.detail.periods[2].from_week, 21);
  EXPECT_EQ(res.detail.periods[2].to_week, 40);
  EXPECT_EQ(res.detail.periods[2].checkpoint, "");
}

TEST(CheckpointPeriods, ACheckpointAtTheHorizonLeavesNoEmptyPeriod) {
  const Scenario sc = test::scenario(R"(
salesim: 2
name: cp at end
simulation: {horizon_weeks: 8, paths: 10, seed: 1}
goal: {checkpoints: [{week: 4, revenue: 1, label: a}, {week: 8, revenue: 2, label: b}]}
plans: [{name: only}]
)");
  const PlanResult r = summarize(sc, "only", test::run(sc, 0, 10));
  ASSERT_EQ(r.detail.periods.size(), 2u);
  EXPECT_EQ(r.detail.periods[1].from_week, 5);
  EXPECT_EQ(r.detail.periods[1].to_week, 8);
  EXPECT_EQ(r.detail.periods[1].checkpoint, "b");
}

// Every draw is certain: each stage moves all its opportunities on every week (exit 1,
// conversion 1), the first stage holds its opportunities for ever (exit 0), deals are 1000
// each, nothing is prospected, nobody leaves or burns out. 2 reps start with 3 held, 1, 2 and
// 4 opportunities in the stages: week 1 wins 2 x 4, week 2 wins 2 x 2, week 3 wins 2 x 1.
std::string deterministic(int horizon, int ramp_weeks) {
  return fmt::format(R"(
salesim: 2
name: deterministic
simulation: {{horizon_weeks: {}, paths: 3, seed: 5}}
team: {{reps: 2, managers: 1}}
prospecting: {{yield: {{floor: 0, top: 0}}}}
burnout: {{discomfort: 0, conversion_loss: 0, capacity_loss: 0, attrition: 0}}
people: {{attrition_annual: 0, ramp_weeks: {}}}
pipeline:
  deal_size: {{mean: 1000, cv: 0}}
  stages:
    - {{name: held, hours: 0, exit_rate: 0, stale_loss: 0, initial_per_rep: 3}}
    - {{name: s1, hours: 0, exit_rate: 1, conversion: {{floor: 1, top: 1}}, stale_loss: 0, initial_per_rep: 1}}
    - {{name: s2, hours: 0, exit_rate: 1, conversion: {{floor: 1, top: 1}}, stale_loss: 0, initial_per_rep: 2}}
    - {{name: s3, hours: 0, exit_rate: 1, conversion: {{floor: 1, top: 1}}, stale_loss: 0, initial_per_rep: 4}}
hiring: [{{week: 2, count: 1}}]
plans: [{{name: only}}]
)",
                     horizon, ramp_weeks);
}

TEST(HorizonState, ExitRunRateOpenPipelineAndRampedHeadcountInClosedForm) {
  {  // 14 weeks: the last 13 are weeks 2..14, whose bookings are 2 x (2 + 1) deals, times 4.
    const Scenario sc = test::scenario(deterministic(14, 13));
    const sim::RunOutput r = test::run(sc, 0, 3);
    for (std::size_t i = 0; i < r.paths; ++i) {
      ASSERT_NEAR(r.scalar(i, out::final_bookings), 14000.0, 1e-6);
      EXPECT_NEAR(r.scalar(i, out::exit_run_rate), 4 * 6000.0, 1e-6);
      // The held opportunities: 2 reps x 3, at face value (the deal mean); the hire has none.
      EXPECT_NEAR(r.scalar(i, out::open_pipeline_value), 6 * 1000.0, 1e-9);
      // The hire of week 2 has sold 13 weeks: with a 13-week ramp it is fully ramped.
      EXPECT_EQ(r.scalar(i, out::headcount_final), 3.0);
      EXPECT_EQ(r.scalar(i, out::ramped_headcount), 3.0);
    }
  }
  {  // A 15-week ramp: the hire's next week would be its 14th, ramp 14/15: not yet ramped.
    const Scenario sc = test::scenario(deterministic(14, 15));
    const sim::RunOutput r = test::run(sc, 0, 3);
    for (std::size_t i = 0; i < r.paths; ++i) EXPECT_EQ(r.scalar(i, out::ramped_headcount), 2.0);
  }
  {  // A 4-week horizon is shorter than 13 weeks: all its bookings, times 52 / 4.
    const Scenario sc = test::scenario(deterministic(4, 13));
    const sim::RunOutput r = test::run(sc, 0, 3);
    for (std::size_t i = 0; i < r.paths; ++i)
      EXPECT_NEAR(r.scalar(i, out::exit_run_rate), 14000.0 * 13, 1e-6);
    const PlanResult res = summarize(sc, "only", test::run(sc, 0, 3));
    EXPECT_EQ(res.detail.run_rate_weeks, 4);
    EXPECT_NEAR(res.detail.exit_run_rate.est.mean, 14000.0 * 13, 1e-6);
    EXPECT_NEAR(res.detail.exit_run_rate.est.se, 0.0, 1e-9);
    EXPECT_NEAR(res.detail.exit_run_rate.q[3].value_or(-1), 14000.0 * 13, 1e-6);
  }
}

void expect_close(const sim::MeanSe& a, const sim::MeanSe& b, const std::string& what) {
  EXPECT_EQ(a.n, b.n) << what;
  EXPECT_NEAR(a.mean, b.mean, 1e-9 * std::max(1.0, std::abs(a.mean))) << what;
  EXPECT_NEAR(a.se, b.se, 1e-7 * std::max(1e-3, std::abs(a.se))) << what;
}
void expect_figure_close(const Figure& a, const Figure& b, const std::string& what) {
  expect_close(a.est, b.est, what);
  ASSERT_EQ(a.q.size(), b.q.size()) << what;
  for (std::size_t i = 0; i < a.q.size(); ++i) {
    ASSERT_EQ(a.q[i].has_value(), b.q[i].has_value()) << what << " " << i;
    if (a.q[i]) {
      EXPECT_NEAR(*a.q[i], *b.q[i],
                  sim::QuantileSketch::kDefaultRelativeError * 1.05 * std::abs(*a.q[i]) + 1e-9)
          << what << " quantile " << i;
    }
  }
}

// A team of none until a hire in week 3: weeks 1 and 2 have no reps on any path, so no mean
// hours or burnout (NaN, not 0: the report's chart showed reps working 0 hours); stored and
// streamed alike.
TEST(WeeklyMeans, AWeekWithNoRepOnAnyPathHasNoMeanHoursOrBurnout) {
  const Scenario sc = test::scenario(R"(salesim: 2
name: empty-start
simulation: {horizon_weeks: 6, paths: 50, seed: 4}
team: {reps: 0, managers: 1}
hiring: [{week: 3, count: 2}]
plans: [{name: baseline}]
)");
  for (bool streaming : {false, true}) {
    RunSettings s;
    s.paths = 50;
    s.streaming = streaming;
    const ScenarioResults r = run_scenario(sc, s);
    const auto& m = r.plans[0].weekly.means;
    for (std::size_t w = 0; w < 6; ++w) {
      EXPECT_EQ(std::isnan(m[out::s_hours_per_rep][w]), w < 2) << w;
      EXPECT_EQ(std::isnan(m[out::s_burnout_mean][w]), w < 2) << w;
    }
    EXPECT_GT(m[out::s_hours_per_rep][2], 30);
  }
}

TEST(DetailFigures, StoredAndStreamingRunsAgree) {
  const Scenario sc = test::scenario(kEveryCost);
  RunSettings s;
  s.paths = 120;
  s.threads = 2;
  const ScenarioResults stored = run_scenario(sc, s);
  s.streaming = true;
  const ScenarioResults streamed = run_scenario(sc, s);
  ASSERT_TRUE(streamed.streamed);
  for (std::size_t p = 0; p < stored.plans.size(); ++p) {
    const PlanDetail &a = stored.plans[p].detail, &b = streamed.plans[p].detail;
    for (std::size_t k = 0; k < cost::part_count; ++k)
      expect_figure_close(a.cost_parts[k], b.cost_parts[k], cost::part_names[k]);
    ASSERT_EQ(a.periods.size(), b.periods.size());
    for (std::size_t i = 0; i < a.periods.size(); ++i) {
      EXPECT_EQ(a.periods[i].from_week, b.periods[i].from_week);
      EXPECT_EQ(a.periods[i].to_week, b.periods[i].to_week);
      expect_figure_close(a.periods[i].bookings, b.periods[i].bookings, "period");
    }
    EXPECT_EQ(a.run_rate_weeks, b.run_rate_weeks);
    expect_figure_close(a.exit_run_rate, b.exit_run_rate, "exit run-rate");
    expect_figure_close(a.open_pipeline_value, b.open_pipeline_value, "open pipeline");
    expect_figure_close(a.ramped_headcount, b.ramped_headcount, "ramped headcount");
    expect_close(stored.plans[p].cost, streamed.plans[p].cost, "cost");
  }
  ASSERT_EQ(stored.comparisons.size(), 1u);
  const DetailDiff &a = stored.comparisons[0].detail, &b = streamed.comparisons[0].detail;
  for (std::size_t k = 0; k < cost::part_count; ++k)
    expect_close(a.cost_parts[k], b.cost_parts[k], cost::part_names[k]);
  expect_close(a.exit_run_rate, b.exit_run_rate, "run-rate diff");
  expect_close(a.open_pipeline_value, b.open_pipeline_value, "open pipeline diff");
  expect_close(a.ramped_headcount, b.ramped_headcount, "ramped diff");
  // The plan with more hires pays more for hiring, path by path.
  EXPECT_GT(a.cost_parts[cost::hiring].mean, 0);
}

std::string write_scenario(const fs::path& dir) {
  const std::string path = (dir / "every-cost.yaml").string();
  std::ofstream(path) << kEveryCost;
  return path;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> v(1);
  for (char c : line)
    if (c == ',')
      v.emplace_back();
    else
      v.back() += c;
  return v;
}

TEST(DetailOutputs, JsonKeysCsvColumnsAndTerminalTables) {
  const fs::path dir = fs::temp_directory_path() / "salesim-outputs-detail";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string file = write_scenario(dir);
  const std::string json = (dir / "s.json").string();
  std::string printed;
  ASSERT_EQ(test::shell(test::binary() + " run " + file + " --paths 40 --detail --json " + json +
                            " --csv " + (dir / "csv").string(),
                        &printed),
            0)
      << printed;
  EXPECT_NE(printed.find("Cost breakdown"), std::string::npos) << printed;
  EXPECT_NE(printed.find("rep_salaries"), std::string::npos);
  EXPECT_NE(printed.find("Bookings per checkpoint period"), std::string::npos);
  EXPECT_NE(printed.find("21-40 (to horizon)"), std::string::npos);
  EXPECT_NE(printed.find("exit run-rate"), std::string::npos);
  EXPECT_NE(printed.find("ramped headcount"), std::string::npos);

  const auto j = nlohmann::json::parse(test::read_file(json));
  for (const auto& p : j["plans"]) {
    double sum = 0;
    for (const char* k : cost::part_names) {
      ASSERT_TRUE(p["cost_breakdown"].contains(k)) << k;
      for (const char* f : {"mean", "se", "p10", "p50", "p90"})
        EXPECT_TRUE(p["cost_breakdown"][k].contains(f)) << k << " " << f;
      sum += p["cost_breakdown"][k]["mean"].get<double>();
    }
    EXPECT_NEAR(sum, p["cost"]["mean"].get<double>(), 1e-6 * sum);
    ASSERT_EQ(p["bookings_by_period"].size(), 3u);
    EXPECT_EQ(p["bookings_by_period"][0]["checkpoint"], "q1");
    EXPECT_EQ(p["bookings_by_period"][2]["checkpoint"], nullptr);
    EXPECT_EQ(p["bookings_by_period"][2]["from_week"], 21);
    EXPECT_EQ(p["bookings_by_period"][2]["to_week"], 40);
    double periods = 0;
    for (const auto& b : p["bookings_by_period"]) periods += b["mean"].get<double>();
    EXPECT_NEAR(periods, p["final_bookings"]["mean"].get<double>(), 1e-6 * periods);
    EXPECT_EQ(p["horizon"]["exit_run_rate"]["weeks"], 13);
    EXPECT_EQ(p["horizon"]["open_pipeline_value"]["basis"], "face");
    EXPECT_TRUE(p["horizon"]["ramped_headcount"].contains("p50"));
  }
  const auto& vs = j["plans"][1]["vs_first"];
  EXPECT_TRUE(vs["cost_breakdown_diff"]["hiring"].contains("se"));
  EXPECT_TRUE(vs["exit_run_rate_diff"].contains("mean"));

  // The original columns first, unchanged; the added ones after them.
  const std::string csv = test::read_file((dir / "csv" / "summary.csv").string());
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(header.rfind("scenario,plan,paths,p_goal,p_goal_se,p_all_checkpoints,", 0), 0u);
  const auto cols = split(header);
  const auto at = [&](const std::string& name) {
    return std::size_t(std::find(cols.begin(), cols.end(), name) - cols.begin());
  };
  EXPECT_EQ(at("roi"), 21u);
  EXPECT_EQ(at("cost_rep_salaries_mean"), 22u);
  for (const char* c :
       {"cost_marketing_mean", "p_q1", "p_q1_se", "p_q2", "p_q2_se", "exit_run_rate_mean",
        "open_pipeline_value_mean", "ramped_headcount_mean", "exit_run_rate_diff_vs_first"})
    EXPECT_LT(at(c), cols.size()) << c;
  const std::string row1 = csv.substr(csv.find('\n') + 1);
  EXPECT_EQ(split(row1.substr(0, row1.find('\n'))).size(), cols.size());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace salesim
