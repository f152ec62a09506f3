// Why plans differ (the drivers of a paired bookings difference) and what a missed checkpoint
// means (conditional figures): models/drivers.*, models/conditional.*.
#include <gtest/gtest.h>

#include <cmath>

#include "models/outputs.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

std::string example_with_plans(const std::string& plans) {
  std::string yaml = test::read_file(test::example());
  return yaml.substr(0, yaml.find("\nplans:")) + "\nplans:\n" + plans;
}

const double* row(const sim::RunOutput& run, std::size_t i) {
  return run.scalars.data() + i * run.shape.scalars;
}

// A path's scalars with only the figures the drivers read.
std::vector<double> path(double rep_weeks, double created, double won, double lost,
                         double bookings) {
  std::vector<double> s(out::first_checkpoint, 0.0);
  s[out::rep_weeks] = rep_weeks, s[out::created] = created, s[out::won] = won;
  s[out::lost] = lost, s[out::final_bookings] = bookings;
  return s;
}

TEST(Drivers, DoubledHeadsWithTheSameRatesIsAllHeadsAndTiming) {
  // a: 10 rep-weeks x 2 per rep-week x 2/10 won x 50 per win = 200, booked 100 (pipeline built
  // up: 10 resolved of 20 created); b: twice the rep-weeks at the same rates.
  const auto a = path(10, 20, 2, 8, 100), b = path(20, 40, 4, 16, 200);
  double e[driver_count];
  driver_effects(a.data(), b.data(), e);
  EXPECT_DOUBLE_EQ(e[heads], 200);
  EXPECT_EQ(e[activity], 0.0);
  EXPECT_EQ(e[conversion], 0.0);
  EXPECT_EQ(e[deal_size], 0.0);
  // Timing: b built up twice a's pipeline: (200 - 400) - (100 - 200).
  EXPECT_DOUBLE_EQ(e[timing], -100);
}

TEST(Drivers, ShapleyOfTwoFactorsSplitsTheCrossTermEvenly) {
  // Heads 10 -> 20 and deal size 50 -> 100, activity 2 and conversion 2/20 equal: the product
  // goes 100 -> 400; each factor alone adds 100 and the cross term 100 is split evenly: 150 each.
  const auto a = path(10, 20, 2, 18, 100), b = path(20, 40, 4, 36, 400);
  double e[driver_count];
  driver_effects(a.data(), b.data(), e);
  EXPECT_DOUBLE_EQ(e[heads], 150);
  EXPECT_DOUBLE_EQ(e[deal_size], 150);
  EXPECT_EQ(e[activity], 0.0);
  EXPECT_EQ(e[conversion], 0.0);
  EXPECT_DOUBLE_EQ(e[timing], 0.0);  // nothing built up or drawn down: resolved = created
}

TEST(Drivers, ZeroWinsAndNoRepsAreDefined) {
  const auto a = path(0, 0, 0, 0, 0), b = path(10, 5, 0, 3, 0);
  double e[driver_count];
  driver_effects(a.data(), b.data(), e);
  for (double v : e) EXPECT_EQ(v, 0.0);
}

TEST(Drivers, AddUpToThePairedDifferenceOnEveryPath) {
  const Scenario sc = load_scenario_file(test::example());
  const std::size_t paths = 200;
  const sim::RunOutput base = test::run(sc, 0, paths);
  for (std::size_t p = 1; p < sc.plans.size(); ++p) {
    const sim::RunOutput plan = test::run(sc, p, paths);
    for (std::size_t i = 0; i < paths; ++i) {
      double e[driver_count], sum = 0;
      driver_effects(row(base, i), row(plan, i), e);
      for (double v : e) sum += v;
      const double diff = row(plan, i)[out::final_bookings] - row(base, i)[out::final_bookings];
      ASSERT_NEAR(sum, diff, 1e-9 * row(plan, i)[out::final_bookings])
          << "plan " << p << " path " << i;
    }
  }
}

TEST(Drivers, ADealSizePlanMovesOnlyDealSizeAndTiming) {
  const Scenario sc = test::scenario(example_with_plans(R"(
  - name: baseline
  - name: bigger-deals
    set: {pipeline.deal_size.mean: 40000}
)"));
  RunSettings s;
  s.paths = 200;
  const ScenarioResults res = run_scenario(sc, s);
  ASSERT_EQ(res.comparisons.size(), 1u);
  const auto& d = res.comparisons[0].drivers;
  ASSERT_EQ(d.size(), std::size_t(driver_count));
  EXPECT_EQ(d[heads].mean, 0.0);
  EXPECT_EQ(d[activity].mean, 0.0);
  EXPECT_EQ(d[conversion].mean, 0.0);
  EXPECT_GT(d[deal_size].mean, 10 * d[deal_size].se);
  EXPECT_NE(d[timing].mean, 0.0);
  double sum = 0;
  for (const auto& m : d) sum += m.mean;
  EXPECT_NEAR(sum, res.comparisons[0].bookings_diff.mean, 1e-6);
}

// The conditional figures recomputed by hand from the stored per-path columns.
TEST(Conditional, EqualsTheFiguresFromPerPathColumns) {
  const Scenario sc = load_scenario_file(test::example());
  RunSettings s;
  s.paths = 400;
  const ScenarioResults res = run_scenario(sc, s, {"baseline"});
  const PlanResult& r = res.plans[0];
  const auto goal = r.column(out::goal_met), fb = r.column(out::final_bookings);
  const auto q2 = r.column(out::first_checkpoint + 1);
  double missed = 0, goal_missed = 0, shortfall = 0, anyway = 0;
  for (std::size_t i = 0; i < goal.size(); ++i) {
    if (q2[i] == 1) continue;
    ++missed;
    goal_missed += goal[i];
    shortfall += std::max(0.0, *sc.base.goal.revenue - fb[i]);
    anyway += goal[i];
  }
  ASSERT_GE(missed, double(kMinConditionalPaths));
  // Figures per checkpoint: met then missed, so Q2 missed is the fourth.
  const ConditionalFigure& f = r.conditional[3];
  EXPECT_EQ(f.given, "Q2 missed");
  EXPECT_FALSE(f.met);
  EXPECT_EQ(f.paths, std::size_t(missed));
  ASSERT_TRUE(f.p_goal);
  EXPECT_NEAR(f.p_goal->mean, goal_missed / missed, 1e-12);
  EXPECT_NEAR(f.p_goal->se, std::sqrt(f.p_goal->mean * (1 - f.p_goal->mean) / missed), 1e-12);
  ASSERT_TRUE(f.shortfall);
  EXPECT_NEAR(f.shortfall->mean, shortfall / missed, 1e-6);
  ASSERT_TRUE(f.reached_anyway);
  EXPECT_NEAR(f.reached_anyway->mean, anyway / double(goal.size()), 1e-12);
  ASSERT_EQ(f.later.size(), 1u);  // Q3
}

TEST(Conditional, TooFewPathsGiveNoFigureAndACertainCheckpointChangesNothing) {
  std::string yaml = test::read_file(test::example());
  // Q1 at 1 currency is met on every path: P(goal | Q1 met) is P(goal), and the missed side has
  // no paths, so no figures.
  const auto at = yaml.find("{week: 13, revenue: 3600000, label: Q1}");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, std::string("{week: 13, revenue: 3600000, label: Q1}").size(),
               "{week: 13, revenue: 1, label: Q1}");
  const Scenario sc = test::scenario(yaml);
  RunSettings s;
  s.paths = 300;
  const ScenarioResults res = run_scenario(sc, s, {"baseline"});
  const PlanResult& r = res.plans[0];
  ASSERT_TRUE(r.conditional[0].p_goal);
  EXPECT_EQ(r.conditional[0].paths, 300u);
  EXPECT_EQ(r.conditional[0].p_goal->mean, r.goal->mean);
  EXPECT_EQ(r.conditional[1].paths, 0u);
  EXPECT_FALSE(r.conditional[1].p_goal);
  EXPECT_FALSE(r.conditional[1].shortfall);
  EXPECT_EQ(r.conditional[1].reached_anyway->mean, 0.0);
}

TEST(Conditional, StreamedEqualsStored) {
  const Scenario sc = load_scenario_file(test::example());
  RunSettings s;
  s.paths = 300;
  const ScenarioResults stored = run_scenario(sc, s);
  s.streaming = true;
  const ScenarioResults streamed = run_scenario(sc, s);
  for (std::size_t p = 0; p < stored.plans.size(); ++p) {
    const auto &a = stored.plans[p].conditional, &b = streamed.plans[p].conditional;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].paths, b[i].paths);
      ASSERT_EQ(bool(a[i].p_goal), bool(b[i].p_goal));
      if (a[i].p_goal) {
        EXPECT_NEAR(a[i].p_goal->mean, b[i].p_goal->mean, 1e-12);
      }
      ASSERT_EQ(bool(a[i].shortfall), bool(b[i].shortfall));
      if (a[i].shortfall) {
        EXPECT_NEAR(a[i].shortfall->mean, b[i].shortfall->mean, 1e-6);
      }
    }
  }
  for (std::size_t c = 0; c < stored.comparisons.size(); ++c)
    for (std::size_t k = 0; k < driver_count; ++k) {
      const auto &a = stored.comparisons[c].drivers[k], &b = streamed.comparisons[c].drivers[k];
      EXPECT_NEAR(a.mean, b.mean, 1e-9 * (1 + std::abs(a.mean)));
      EXPECT_NEAR(a.se, b.se, 1e-6 * (1 + a.se));
    }
}

}  // namespace
}  // namespace salesim
