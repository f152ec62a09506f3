// How a scenario's problems are reported: each once, in the file's line order, cross-field
// problems with line:col (tests/bad_scenarios holds the catalogue of single messages).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace salesim {
namespace {

std::vector<std::string> problems_of(const std::string& yaml) {
  try {
    test::scenario(yaml);
  } catch (const ScenarioError& e) {
    return e.problems;
  }
  return {};
}

// The loader reads sections in a fixed order (simulation, market, capacity, ..., pipeline,
// team, goal, lists, plans); the problems come out in the order of the file's lines.
TEST(ScenarioProblems, ComeInLineOrder) {
  const auto p = problems_of(R"(salesim: 2
name: order
plans:
  - name: baseline
    set: {burnout.recovery: 2}
team: {reps: -1}
goal: {revenue: -5}
pipeline:
  stages: [{name: a, exit_rate: 2, conversion: {floor: 0.6, top: 0.4}}]
capacity: {admin_hours: x, sustainable_hours: 40, max_hours: 30}
market: {volatility: -1}
simulation: {horizon_weeks: 0}
)");
  ASSERT_EQ(p.size(), 9u);
  const char* want[] = {
      "test.yaml:5:29: plans[0] (baseline).set.burnout.recovery",
      "test.yaml:6:14: team.reps",
      "test.yaml:7:17: goal.revenue",
      "test.yaml:9:33: pipeline.stages[0].exit_rate",
      "test.yaml:9:48: pipeline.stages.a.conversion: floor (0.6) must not exceed top (0.4)",
      "test.yaml:10:25: capacity.admin_hours",
      "test.yaml:10:62: capacity.max_hours: 30 must be >= capacity.sustainable_hours (40)",
      "test.yaml:11:22: market.volatility",
      "test.yaml:12:29: simulation.horizon_weeks",
  };
  for (std::size_t i = 0; i < p.size(); ++i)
    EXPECT_EQ(p[i].rfind(want[i], 0), 0u) << i << ": " << p[i];
}

// A baseline problem is the baseline's: it is not repeated for each of the plans that inherit
// it, while a plan's own problem names the plan and the place of its `set`.
TEST(ScenarioProblems, BaselineProblemsOnceAndPlanProblemsAtTheirSet) {
  const auto p = problems_of(R"(salesim: 2
name: once
team: {preference: {mean: 0.9, sd: 0.45}}
plans:
  - name: a
  - name: b
  - name: c
    set: {capacity.max_hours: 20}
)");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].rfind("test.yaml:3:36: team.preference.sd: 0.45 must be below", 0), 0u) << p[0];
  EXPECT_EQ(p[1].rfind("test.yaml:8:31: plans[2] (c): capacity.max_hours: 20 must be >= "
                       "capacity.sustainable_hours (40)",
                       0),
            0u)
      << p[1];
}

}  // namespace
}  // namespace salesim
