// Plans run together on a path share what they draw alike (models/shared_draws.hpp): every
// figure must be the bits each plan gives when run alone, and a draw is only ever reused for
// the address and the parameters it was made with.
#include <gtest/gtest.h>

#include <cstring>

#include "models/all_plans.hpp"
#include "models/week.hpp"
#include "sim/draw_cache.hpp"
#include "sim/runner.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// salesim run's plans, run together with shared draws, against each plan run alone.
void expect_plans_as_alone(const Scenario& sc, std::size_t paths, int threads) {
  RunSettings s;
  s.paths = paths;
  s.threads = threads;
  const ScenarioResults together = run_scenario(sc, s);
  ASSERT_EQ(together.plans.size(), sc.plans.size());
  for (std::size_t p = 0; p < sc.plans.size(); ++p) {
    const sim::RunOutput alone = test::run(sc, p, paths, 1);
    const sim::RunOutput& run = together.plans[p].run;
    EXPECT_TRUE(same_bits(run.scalars, alone.scalars)) << sc.plans[p].name;
    EXPECT_TRUE(same_bits(run.kept, alone.kept)) << sc.plans[p].name;
    EXPECT_TRUE(same_bits(run.sums, alone.sums)) << sc.plans[p].name;
  }
}

TEST(SharedDraws, PlansRunTogetherGiveTheirBitsRunAlone) {
  expect_plans_as_alone(load_scenario_file(test::example()), 120, 2);
}

TEST(SharedDraws, WithUncertainAssumptionsAndHires) {
  // Each path's own values of the assumptions; a plan that hires has more reps than the others.
  expect_plans_as_alone(
      load_scenario_file(test::source_dir() + "/scenarios/uncertain-assumptions.yaml"), 80, 1);
  expect_plans_as_alone(test::scenario(test::kLists), 150, 2);
}

// A team kept on a path is read back only by a plan that would draw it from the same
// distributions: another team distribution on the same path draws its own.
TEST(SharedDraws, TeamIsReusedOnlyForTheSameDistributions) {
  const Scenario a = load_scenario_file(test::example());
  Scenario b = a;
  b.base.team.skills.begin()->second.mean += 0.1;  // another starting team
  const PlanModel ma(a, a.plans[0]), mb(b, b.plans[0]);

  SharedDraws shared;
  PathScratch with, alone;
  with.shared = &shared;
  for (std::uint64_t path : {7u, 7u, 8u}) {
    init_path(ma, with, path);  // draws and keeps path's team (then reads it back)
    init_path(ma, alone, path);
    EXPECT_EQ(with.state.reps.durable, alone.state.reps.durable);
    EXPECT_EQ(with.state.reps.pref, alone.state.reps.pref);
    const std::vector<double> team_a = alone.state.reps.durable;
    init_path(mb, with, path);  // the kept team is a's: b must draw its own
    init_path(mb, alone, path);
    ASSERT_NE(alone.state.reps.durable, team_a);  // the two teams differ
    EXPECT_EQ(with.state.reps.durable, alone.state.reps.durable);
    EXPECT_EQ(with.state.reps.pref, alone.state.reps.pref);
  }
}

TEST(EagerBlockCache, GivesTheStreamsWordsAndOnlyForItsPath) {
  sim::EagerBlockCache<2> cache;
  const sim::Address a{99, 5, 3, 0, 0};
  EXPECT_EQ(cache.words(a), nullptr);  // nothing started
  cache.start(99, 5, 3, 10);
  for (std::uint32_t entity : {0u, 40u, 3u, 200u}) {  // grows past its first size
    for (std::uint32_t week : {0u, 9u, 4u}) {
      sim::Address e = a;
      e.entity = entity, e.week = week;
      std::uint64_t want[8];
      sim::EagerStream32<2>::compute(e, want);
      const std::uint64_t* got = cache.words(e);
      ASSERT_NE(got, nullptr);
      EXPECT_EQ(std::memcmp(got, want, sizeof want), 0) << entity << " " << week;
      sim::EagerStream32<2> from_cache(e, got), direct(e);
      for (int slot = 0; slot < 20; ++slot)
        EXPECT_EQ(from_cache.uniform32_at(slot), direct.uniform32_at(slot));
    }
  }
  sim::Address other = a;
  other.entity = 1000000;  // 640 MB of words: past the cache's limit, not kept
  EXPECT_EQ(cache.words(other), nullptr);
  other = a, other.week = 10;  // beyond the weeks it keeps
  EXPECT_EQ(cache.words(other), nullptr);
  other = a, other.process = 4;
  EXPECT_EQ(cache.words(other), nullptr);
  other = a, other.path = 6;
  EXPECT_EQ(cache.words(other), nullptr);
  // Another path: the earlier entries are forgotten, the new ones are that path's.
  cache.start(99, 6, 3, 10);
  std::uint64_t want[8];
  sim::EagerStream32<2>::compute(other, want);
  ASSERT_NE(cache.words(other), nullptr);
  EXPECT_EQ(std::memcmp(cache.words(other), want, sizeof want), 0);
  EXPECT_EQ(cache.words(a), nullptr);
}

// run_path_groups fills each group's output as run_paths fills it for that group alone.
TEST(RunPathGroups, EachGroupEqualsItsRunAlone) {
  const std::vector<sim::OutputShape> groups{{6, 3, 2, 1}, {6, 1, 0, 2}, {6, 2, 1, 0}};
  auto value = [](std::uint64_t path, std::size_t g, std::size_t what, std::size_t i) {
    return double(path * 1000 + g * 100 + what * 10 + i) * 0.37;
  };
  // One group's slots for a path.
  auto fill = [&](std::uint64_t path, std::size_t g, double* scalars, double* kept,
                  double* summed) {
    const sim::OutputShape& s = groups[g];
    for (std::size_t i = 0; i < s.scalars; ++i) scalars[i] = value(path, g, 0, i);
    for (std::size_t i = 0; i < s.kept_series * s.weeks; ++i) kept[i] = value(path, g, 1, i);
    for (std::size_t i = 0; i < s.summed_series * s.weeks; ++i) summed[i] = value(path, g, 2, i);
  };
  sim::RunOptions opt;
  opt.paths = 300;
  opt.first_path = 11;
  opt.threads = 2;
  opt.chunk = 16;
  const auto scratch = [] { return std::make_unique<sim::Scratch>(); };
  const std::vector<sim::RunOutput> together = sim::run_path_groups(
      groups, opt,
      [&](std::uint64_t path, sim::Scratch&, sim::PathSlots& slots) {
        std::size_t s0 = 0, k0 = 0, m0 = 0;
        for (std::size_t g = 0; g < groups.size(); ++g) {
          fill(path, g, slots.scalars.data() + s0, slots.kept.data() + k0,
               slots.summed.data() + m0);
          s0 += groups[g].scalars, k0 += groups[g].kept_series * groups[g].weeks;
          m0 += groups[g].summed_series * groups[g].weeks;
        }
      },
      scratch);
  ASSERT_EQ(together.size(), groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const sim::RunOutput alone = sim::run_paths(
        groups[g], opt,
        [&](std::uint64_t path, sim::Scratch&, sim::PathSlots& slots) {
          fill(path, g, slots.scalars.data(), slots.kept.data(), slots.summed.data());
        },
        scratch);
    EXPECT_TRUE(same_bits(together[g].scalars, alone.scalars)) << g;
    EXPECT_TRUE(same_bits(together[g].kept, alone.kept)) << g;
    EXPECT_TRUE(same_bits(together[g].sums, alone.sums)) << g;
    EXPECT_EQ(together[g].paths, alone.paths);
    EXPECT_EQ(together[g].first_path, alone.first_path);
  }
}

}  // namespace
}  // namespace salesim
