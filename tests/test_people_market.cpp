// Unit and statistical tests of people (attrition, hiring), coaching, programs, training costs
// and the market, through small scenarios whose answers are known.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/people.hpp"
#include "models/simulate.hpp"
#include "models/week.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

// No pipeline work, no prospecting (a mandatory target of 0 hours: a target that is not
// mandatory is only a floor on the slack), no burnout, no costs unless a test adds them.
// Format 1, so its event weeks count from 0 (the reading of old files is tested too).
std::string bare(
    const std::string& extra,
    const std::string& team = "{reps: 10, managers: 2, salary: 0, manager_salary: 0}") {
  return R"(
salesim: 1
name: bare
simulation: {horizon_weeks: 52, paths: 400, seed: 3}
team: )" +
         team + R"(
prospecting: {yield: {floor: 0, top: 0}, target_hours: 0, mandatory: true}
capacity: {admin_hours: 8, control_overhead: 0}
burnout: {accumulation: 0, discomfort: 0}
compensation: {commission_rate: 0}
)" + extra;
}

TEST(Attrition, BaseHazardGivesTheAnnualRate) {
  const Scenario sc = test::scenario(bare(R"(
people: {attrition_annual: 0.3, backfill: false}
plans: [{name: only}]
)",
                                          "{reps: 50, managers: 5, salary: 0, manager_salary: 0}"));
  const sim::RunOutput r = test::run(sc, 0, 2000);
  std::vector<double> leavers(r.paths);
  for (std::size_t i = 0; i < r.paths; ++i) leavers[i] = r.scalar(i, out::leavers);
  const sim::MeanSe m = sim::mean_se(leavers);
  EXPECT_NEAR(m.mean, 50 * 0.3, 3 * m.se);  // 1 - (1 - h0)^52 = 0.3 exactly
}

TEST(Attrition, BackfillsJoinAfterTimeToFillAndCostHireCost) {
  const Scenario sc = test::scenario(bare(R"(
people: {attrition_annual: 0.5, backfill: true, time_to_fill_weeks: 6, hire_cost: 1000}
plans: [{name: only}]
)"));
  const sim::RunOutput r = test::run(sc, 0, 200);
  for (std::size_t i = 0; i < r.paths; ++i) {
    // Every hire is a backfill of a leaver at least 6 weeks before the end.
    EXPECT_LE(r.scalar(i, out::hires), r.scalar(i, out::leavers));
    EXPECT_DOUBLE_EQ(r.scalar(i, out::cost), 1000 * r.scalar(i, out::hires));
  }
  for (std::size_t t = 0; t < 6; ++t) EXPECT_EQ(r.sum(out::s_hires, t), 0.0) << t;
  // Each week's hires are exactly the leavers of six weeks before (no planned hiring here), so a
  // backfill that never comes, or comes late, fails; about 5 are hired per path.
  double hires = 0;
  for (std::size_t t = 6; t < std::size_t(sc.horizon()); ++t) {
    EXPECT_EQ(r.sum(out::s_hires, t), r.sum(out::s_leavers, t - 6)) << t;
    hires += r.sum(out::s_hires, t);
  }
  EXPECT_GT(hires, 3.0 * r.paths);
}

// The hand-over index (people.cpp) is per thread and outlives a path: a scratch that has just
// run another plan's same path, with its leavers in the same weeks, must give the bits of a
// fresh scratch (the index that plan left behind never serves the next one).
TEST(Attrition, HandOverIndexDoesNotCarryOverBetweenPlans) {
  set_hand_over_scan_team(0);  // the index for any team, not only large ones
  struct Restore {
    ~Restore() { set_hand_over_scan_team(kHandOverScanTeam); }
  } restore;
  std::string text = test::read_file(test::example());
  const std::string from = "attrition_annual: 0.18";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "attrition_annual: 0.04");
  const Scenario sc = test::scenario(text);
  ASSERT_GE(sc.plans.size(), 2u);
  const PlanModel a(sc, sc.plans[0]), b(sc, sc.plans[1]);
  int compared_weeks = 0;
  for (std::uint64_t path = 0; path < 30; ++path) {
    PathScratch reused, fresh;
    init_path(a, reused, path);
    for (int t = 0; t < sc.horizon(); ++t) step_week(a, reused, t);
    init_path(b, reused, path);
    init_path(b, fresh, path);
    for (int t = 0; t < sc.horizon(); ++t) {
      step_week(b, reused, t);
      step_week(b, fresh, t);
      const Reps &x = reused.state.reps, &y = fresh.state.reps;
      ASSERT_EQ(x.count, y.count);
      const auto used = std::size_t(y.count) * std::size_t(y.K);  // buffers keep their capacity
      ASSERT_TRUE(std::equal(y.open.begin(), y.open.begin() + used, x.open.begin()))
          << "path " << path << " week " << t;
      ASSERT_EQ(reused.state.tally.lost, fresh.state.tally.lost)
          << "path " << path << " week " << t;
      ++compared_weeks;
    }
  }
  EXPECT_EQ(compared_weeks, 30 * sc.horizon());
}

// The receiver by the index (teams past kHandOverScanTeam) and by the scan are the same rep:
// whole runs of a team of 300 with many leavers, and of a small one, give the same bits each way.
TEST(Attrition, HandOverIndexAndScanGiveTheSameBits) {
  struct Restore {
    ~Restore() { set_hand_over_scan_team(kHandOverScanTeam); }
  } restore;
  for (const char* reps : {"300", "12"}) {
    std::string text = test::read_file(test::example());
    for (const auto& [from, to] :
         {std::pair<std::string, std::string>{"attrition_annual: 0.18", "attrition_annual: 0.6"},
          {"reps: 40 ", std::string("reps: ") + reps + " "}}) {
      ASSERT_NE(text.find(from), std::string::npos) << from;
      text.replace(text.find(from), from.size(), to);
    }
    const Scenario sc = test::scenario(text);
    RunSettings s;
    s.paths = 12;
    s.threads = 2;
    set_hand_over_scan_team(0);  // the index always
    const ScenarioResults index = run_scenario(sc, s);
    set_hand_over_scan_team(std::size_t(1) << 40);  // the scan always
    const ScenarioResults scan = run_scenario(sc, s);
    ASSERT_EQ(index.plans.size(), scan.plans.size());
    double leavers = 0;
    for (std::size_t p = 0; p < index.plans.size(); ++p) {
      const sim::RunOutput &a = index.plans[p].run, &b = scan.plans[p].run;
      EXPECT_EQ(a.scalars, b.scalars) << reps << " reps, plan " << p;
      EXPECT_EQ(a.sums, b.sums) << reps << " reps, plan " << p;
      for (std::size_t i = 0; i < s.paths; ++i) leavers += a.scalar(i, out::leavers);
    }
    EXPECT_GT(leavers, 10 * double(s.paths)) << reps << " reps";  // hand-overs were made
  }
}

TEST(Coaching, ManagersSplitTheirHoursUpToThePolicy) {
  // 5 reps per manager, 10 coaching hours: min(policy 3, 10/5) = 2 hours each, so W = 8 + 2.
  const Scenario sc = test::scenario(bare(R"(
people: {attrition_annual: 0}
org: {coaching_hours_per_rep: 3}
plans: [{name: only}, {name: low-policy, set: {org.coaching_hours_per_rep: 0.5}}]
)"));
  const sim::RunOutput a = test::run(sc, 0, 5), b = test::run(sc, 1, 5);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_DOUBLE_EQ(a.scalar(i, out::hours_per_rep_week), 10.0);
    EXPECT_DOUBLE_EQ(b.scalar(i, out::hours_per_rep_week), 8.5);
  }
}

TEST(Programs, OneOffCostsAndAlignmentHours) {
  const Scenario sc = test::scenario(bare(R"(
people: {attrition_annual: 0}
plans:
  - name: only
    programs:
      - {kind: profiling, start_week: 3, awareness: 0.8, cost_per_person: 100}
      - {kind: coach_the_coaches, start_week: 5, manager_coaching_skill: 0.9, cost: 5000}
      - {kind: alignment, start_week: 7, alignment: 0.9, hours_per_rep: 6, cost: 2000}
    training:
      - {start_week: 10, weeks: 2, hours_per_week: 4, cost_per_person: 300}
)"));
  const sim::RunOutput r = test::run(sc, 0, 3);
  EXPECT_DOUBLE_EQ(r.sum(out::s_costs, 3), 3 * 10 * 100.0);
  EXPECT_DOUBLE_EQ(r.sum(out::s_costs, 5), 3 * 5000.0);
  EXPECT_DOUBLE_EQ(r.sum(out::s_costs, 7), 3 * 2000.0);
  EXPECT_DOUBLE_EQ(r.sum(out::s_costs, 10), 3 * 10 * 300.0);
  EXPECT_DOUBLE_EQ(r.sum(out::s_hours_per_rep, 6), 3 * 8.0);
  EXPECT_DOUBLE_EQ(r.sum(out::s_hours_per_rep, 7), 3 * 14.0);  // alignment workshop week
  EXPECT_DOUBLE_EQ(r.sum(out::s_hours_per_rep, 8), 3 * 8.0);
  EXPECT_DOUBLE_EQ(r.sum(out::s_hours_per_rep, 10), 3 * 12.0);  // training weeks
  EXPECT_DOUBLE_EQ(r.sum(out::s_hours_per_rep, 11), 3 * 12.0);
  EXPECT_DOUBLE_EQ(r.sum(out::s_hours_per_rep, 12), 3 * 8.0);
}

TEST(Costs, SalariesCommissionAndMarketing) {
  const Scenario sc =
      test::scenario(bare(R"(
people: {attrition_annual: 0}
costs: {marketing_per_week: 700}
plans: [{name: only}]
)",
                          "{reps: 10, managers: 2, salary: 52000, manager_salary: 104000}"));
  const sim::RunOutput r = test::run(sc, 0, 2);
  EXPECT_DOUBLE_EQ(r.sum(out::s_costs, 0), 2 * (10 * 1000.0 + 2 * 2000.0 + 700));
}

TEST(Market, DemandFactorHasMeanOne) {
  // Inbound leads only: E[created per week] = lead_quality * leads * E[M] = 0.5 * 20.
  const Scenario sc = test::scenario(bare(R"(
market: {volatility: 0.4, persistence: 0.8, inbound_leads_per_week: 20, lead_quality: 0.5}
pipeline: {stages: [{name: s, hours: 0, exit_rate: 0}]}
people: {attrition_annual: 0}
plans: [{name: only}]
)"));
  const sim::RunOutput r = test::run(sc, 0, 3000);
  std::vector<double> created(r.paths);
  for (std::size_t i = 0; i < r.paths; ++i) created[i] = r.scalar(i, out::created);
  const sim::MeanSe m = sim::mean_se(created);
  EXPECT_NEAR(m.mean, 52 * 10.0, 3 * m.se);
  // The factor moves: paths differ far more than Poisson noise alone would make them.
  EXPECT_GT(m.se * std::sqrt(double(r.paths)), 3 * std::sqrt(52 * 10.0));
}

TEST(Hiring, PlannedHiresJoinOnTheirWeekWithRamp) {
  const Scenario sc = test::scenario(bare(R"(
people: {attrition_annual: 0, hire_cost: 500}
plans: [{name: only, hiring: [{week: 4, count: 3}]}]
)"));
  const sim::RunOutput r = test::run(sc, 0, 2);
  EXPECT_DOUBLE_EQ(r.sum(out::s_active, 3), 2 * 10.0);
  EXPECT_DOUBLE_EQ(r.sum(out::s_active, 4), 2 * 13.0);
  EXPECT_DOUBLE_EQ(r.sum(out::s_costs, 4), 2 * 1500.0);
}

}  // namespace
}  // namespace salesim
