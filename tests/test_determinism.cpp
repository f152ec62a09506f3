// Determinism and common random numbers: the same seed gives the same bits for any thread
// count and across runs; plans share every draw whose address exists in both.
#include <gtest/gtest.h>

#include <cstring>

#include "sim/random.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void expect_identical(const sim::RunOutput& a, const sim::RunOutput& b) {
  EXPECT_TRUE(same_bits(a.scalars, b.scalars));
  EXPECT_TRUE(same_bits(a.kept, b.kept));
  EXPECT_TRUE(same_bits(a.sums, b.sums));
}

TEST(Determinism, SameBitsForAnyThreadCount) {
  const Scenario sc = load_scenario_file(test::example());
  for (std::size_t plan = 0; plan < sc.plans.size(); ++plan) {
    const sim::RunOutput one = test::run(sc, plan, 300, 1);
    expect_identical(one, test::run(sc, plan, 300, 2));
    expect_identical(one, test::run(sc, plan, 300, 7));
  }
}

TEST(Determinism, SameBitsAcrossRuns) {
  const Scenario sc = load_scenario_file(test::example());
  expect_identical(test::run(sc, 1, 200), test::run(sc, 1, 200));
}

TEST(Determinism, PathsDoNotDependOnTheirBatch) {
  // Paths 100..199 computed alone equal the same paths computed within 0..199.
  const Scenario sc = load_scenario_file(test::example());
  RunSettings s;
  s.paths = 100;
  s.first_path = 100;
  const sim::RunOutput part = run_plan(sc, sc.plans[0], s);
  const sim::RunOutput whole = test::run(sc, 0, 200);
  for (std::size_t i = 0; i < 100; ++i)
    for (std::size_t k = 0; k < whole.shape.scalars; ++k)
      EXPECT_EQ(std::memcmp(&part.scalars[i * whole.shape.scalars + k],
                            &whole.scalars[(100 + i) * whole.shape.scalars + k], sizeof(double)),
                0);
}

// The rep-week's draws computed up front give the stream's values at every slot, inside the
// eager blocks and beyond them (a long funnel, many won deals).
TEST(Determinism, EagerRepWeekDrawsEqualTheStream) {
  const sim::Address a{20250101, 12, 3, 17, 40};
  sim::Stream s(a);
  sim::EagerStream32<2> eager(a);
  for (std::uint64_t slot = 0; slot < 60; ++slot)
    EXPECT_EQ(eager.uniform32_at(slot), s.uniform32_at(slot)) << slot;
  sim::Address b = a;
  b.week = 41;  // another week, another stream
  EXPECT_NE(sim::EagerStream32<2>(b).uniform32_at(0), s.uniform32_at(0));
}

TEST(Determinism, SeedChangesResults) {
  Scenario sc = load_scenario_file(test::example());
  const sim::RunOutput a = test::run(sc, 0, 50);
  sc.base.simulation.seed += 1;
  const sim::RunOutput b = test::run(sc, 0, 50);
  EXPECT_FALSE(same_bits(a.scalars, b.scalars));
}

std::string with_plans(const std::string& plans) {
  std::string yaml = test::read_file(test::example());
  return yaml.substr(0, yaml.find("\nplans:")) + "\nplans:\n" + plans;
}

TEST(CommonRandomNumbers, IdenticalPlanHasZeroPairedDifference) {
  const Scenario sc = test::scenario(with_plans(R"(
  - name: baseline
  - name: same
    description: "sets a key to its baseline value"
    set: {burnout.recovery: 0.10}
)"));
  RunSettings s;
  s.paths = 300;
  const ScenarioResults res = run_scenario(sc, s);
  ASSERT_EQ(res.comparisons.size(), 1u);
  EXPECT_EQ(res.comparisons[0].bookings_diff.mean, 0.0);
  EXPECT_EQ(res.comparisons[0].bookings_diff.se, 0.0);
  EXPECT_EQ(res.comparisons[0].cost_diff.mean, 0.0);
  EXPECT_EQ(res.comparisons[0].p_better, 0.0);
  EXPECT_TRUE(same_bits(res.plans[0].run.kept, res.plans[1].run.kept));
}

TEST(CommonRandomNumbers, ChangeFromWeek30LeavesEarlierWeeksIdentical) {
  const Scenario sc = test::scenario(with_plans(R"(
  - name: baseline
  - name: later
    from_week: 30
    set: {prospecting.target_hours: 18, prospecting.mandatory: true, capacity.max_hours: 60}
)"));
  const std::size_t paths = 300;
  const sim::RunOutput a = test::run(sc, 0, paths), b = test::run(sc, 1, paths);
  // File week 30 is index 29, the plan's first week: its bookings may already differ (a rep
  // who quits that week under the new load hands its deals to a teammate stepped later).
  for (std::size_t w = 0; w < 29; ++w) {
    const auto wa = a.kept_week(out::weekly_bookings, w), wb = b.kept_week(out::weekly_bookings, w);
    for (std::size_t i = 0; i < paths; ++i)
      ASSERT_EQ(wa[i], wb[i]) << "week " << w << " path " << i;
  }
  bool differs_later = false;
  for (std::size_t w = 29; w < a.shape.weeks; ++w) {
    const auto wa = a.kept_week(out::weekly_bookings, w), wb = b.kept_week(out::weekly_bookings, w);
    for (std::size_t i = 0; i < paths; ++i) differs_later |= wa[i] != wb[i];
  }
  EXPECT_TRUE(differs_later);
}

TEST(CommonRandomNumbers, ExtraHireLeavesTheStartingTeamsDrawsAlone) {
  // A hire at the start of file week 41 (t = 40) cannot change anything before it.
  const Scenario sc = test::scenario(with_plans(R"(
  - name: baseline
  - name: one-more
    hiring: [{week: 41, count: 1}]
)"));
  const sim::RunOutput a = test::run(sc, 0, 200), b = test::run(sc, 1, 200);
  for (std::size_t w = 0; w < 40; ++w) {
    const auto ca = a.kept_week(out::cum_bookings, w), cb = b.kept_week(out::cum_bookings, w);
    for (std::size_t i = 0; i < 200; ++i) ASSERT_EQ(ca[i], cb[i]);
  }
}

// Opportunities are conserved: initial + created = won + lost + open at the end.
TEST(Invariants, OpportunitiesAreConserved) {
  const Scenario sc = load_scenario_file(test::example());
  std::int64_t initial = 0;
  for (const Stage& s : sc.base.pipeline.stages) initial += s.initial_per_rep * sc.base.team.reps;
  for (std::size_t plan = 0; plan < sc.plans.size(); ++plan) {
    const std::size_t paths = 100;
    const sim::RunOutput r = test::run(sc, plan, paths);
    double flow = 0;
    for (std::size_t i = 0; i < paths; ++i)
      flow += double(initial) + r.scalar(i, out::created) - r.scalar(i, out::won) -
              r.scalar(i, out::lost);
    EXPECT_EQ(flow, r.sum(out::s_open_count, r.shape.weeks - 1)) << sc.plans[plan].name;
  }
}

TEST(Invariants, HeadcountFollowsHiresAndLeavers) {
  const Scenario sc = load_scenario_file(test::example());
  const sim::RunOutput r = test::run(sc, 1, 100);
  for (std::size_t i = 0; i < 100; ++i)
    EXPECT_EQ(r.scalar(i, out::headcount_final),
              double(sc.base.team.reps) + r.scalar(i, out::hires) - r.scalar(i, out::leavers));
}

}  // namespace
}  // namespace salesim
