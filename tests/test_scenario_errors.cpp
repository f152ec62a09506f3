// How a scenario's problems are reported: each once, in the file's line order, cross-field
// problems with line:col (tests/bad_scenarios holds the catalogue of single messages).
#include <gtest/gtest.h>

#include "models/plan_edit.hpp"
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

// Checkpoint labels name HDF5 datasets, CSV columns (p_LABEL, p_LABEL_se) and the metric
// p_checkpoint:LABEL: '/', a duplicate (a written label or the default "week N") and a label
// whose columns another checkpoint or the goal already has are refused, each once.
TEST(ScenarioProblems, CheckpointLabelsMustNameDistinctColumns) {
  auto problems = [](const std::string& checkpoints) {
    return problems_of(
        "salesim: 2\nname: labels\nsimulation: {horizon_weeks: 20}\n"
        "goal: {revenue: 1M, checkpoints: " +
        checkpoints + "}\nplans: [{name: a}]\n");
  };
  auto one = [&](const std::string& checkpoints, const std::string& want) {
    const auto p = problems(checkpoints);
    ASSERT_EQ(p.size(), 1u) << checkpoints;
    EXPECT_NE(p[0].find(want), std::string::npos) << p[0];
  };
  one("[{week: 4, revenue: 1, label: a/b}]",
      "goal.checkpoints[0].label: a checkpoint label cannot contain '/' or control characters, "
      "found 'a/b': labels name HDF5 datasets (where '/' separates groups), CSV columns and the "
      "metric p_checkpoint:LABEL");
  one("[{week: 4, revenue: 1, label: \"a\\tb\"}]", "cannot contain '/' or control characters");
  one("[{week: 4, revenue: 1, label: x}, {week: 6, revenue: 2, label: y}, "
      "{week: 8, revenue: 3, label: x}]",
      "test.yaml:4:130: goal.checkpoints[2].label: duplicate checkpoint label 'x' "
      "(goal.checkpoints[0] has it too); labels must be unique: each names an HDF5 dataset, a "
      "CSV column and the metric p_checkpoint:LABEL");
  // The default label of a checkpoint without one is "week N".
  one("[{week: 4, revenue: 1, label: week 6}, {week: 6, revenue: 2}]",
      "test.yaml:4:73: goal.checkpoints[1].label: duplicate checkpoint label 'week 6' (the "
      "label of a checkpoint without one) (goal.checkpoints[0] has it too)");
  one("[{week: 4, revenue: 1, label: goal}]",
      "goal.checkpoints[0].label: a checkpoint label cannot be 'goal' or 'goal_se'");
  one("[{week: 4, revenue: 1, label: Q1}, {week: 6, revenue: 2, label: Q1_se}]",
      "goal.checkpoints[1].label: checkpoint label 'Q1_se' and 'Q1' (goal.checkpoints[0]) cannot "
      "both be used: a checkpoint's table columns are p_LABEL and p_LABEL_se, so the column "
      "p_Q1_se would be both's");
  EXPECT_TRUE(problems("[{week: 4, revenue: 1, label: Q1}, {week: 6, revenue: 2, label: Q2}, "
                       "{week: 8, revenue: 3}, {week: 10, revenue: 4, label: week 6 (H1)}]")
                  .empty());
}

// A checkpoint week out of range (or missing) is the one problem: it is not also reported as out
// of order, and the next checkpoint is compared with the last valid one.
TEST(ScenarioProblems, ABadCheckpointWeekIsReportedOnce) {
  const auto p = problems_of(R"(salesim: 2
name: weeks
simulation: {horizon_weeks: 20}
goal:
  checkpoints:
    - {week: 10, revenue: 1}
    - {week: 25, revenue: 3}
    - {revenue: 4}
    - {week: 5, revenue: 5}
plans: [{name: a}]
)");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0],
            "test.yaml:7:14: goal.checkpoints[1].week: expected a whole number from 1 to 20, "
            "found 25");
  EXPECT_EQ(p[1], "test.yaml:8:7: goal.checkpoints[2]: missing required key 'week'");
  EXPECT_EQ(p[2],
            "test.yaml:9:7: goal.checkpoints[3].week: checkpoint weeks must be strictly "
            "increasing (5 follows 10)");
}

// YAML::Load reads the first document only: a second one is an error at its '---', reported
// with the first document's own problems; a '---' with nothing after it is harmless.
TEST(ScenarioProblems, ASecondYamlDocumentIsAnError) {
  const std::string one = "salesim: 2\nname: docs\nplans: [{name: a}]\n";
  const auto p = problems_of(
      "salesim: 2\nname: docs\nteam: {reps: -1}\nplans: [{name: a}]\n"
      "---\nplans: [{name: a}, {name: b}]\n");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].rfind("test.yaml:3:14: team.reps", 0), 0u) << p[0];
  EXPECT_EQ(p[1].rfind("test.yaml:5:1: a second YAML document starts here; a scenario file is "
                       "one document",
                       0),
            0u)
      << p[1];
  // Alone, after an explicit first '---' and a '...', or with text that does not parse.
  EXPECT_EQ(problems_of(one + "---\nname: other\n").size(), 1u);
  const auto explicit_start = problems_of("--- # the scenario\n" + one + "...\n---\n- x\n");
  ASSERT_EQ(explicit_start.size(), 1u);
  EXPECT_EQ(explicit_start[0].rfind("test.yaml:6:1: a second YAML document starts here", 0), 0u)
      << explicit_start[0];
  const auto broken = problems_of(one + "---\nplans: [{name: b}\n");
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(broken[0].rfind("test.yaml:4:1: a second YAML document starts here", 0), 0u)
      << broken[0];
  // The first document's problems that stop the load early are reported with it too.
  const auto not_a_map = problems_of("- x\n---\n" + one);
  ASSERT_EQ(not_a_map.size(), 2u);
  EXPECT_EQ(not_a_map[0], "test.yaml: expected a YAML map at the top level");
  EXPECT_EQ(not_a_map[1].rfind("test.yaml:2:1: a second YAML document", 0), 0u) << not_a_map[1];
  // Nothing after the '---' (or comments only), or a lone "--- # scenario" at the top: fine.
  EXPECT_TRUE(problems_of(one + "---\n").empty());
  EXPECT_TRUE(problems_of(one + "---\n# old plans, removed\n").empty());
  EXPECT_TRUE(problems_of("---\n" + one + "...\n").empty());
}

// A funnel's figure cannot be uncertain (it is solved into the stage keys once): say so and
// name what can, instead of "did you mean 'pipeline.deal_size.cv'".
TEST(ScenarioProblems, FunnelAssumptionPointsAtTheStages) {
  const auto p = problems_of(R"(salesim: 2
name: funnel
pipeline:
  funnel: {win_rate: 20%, weeks_to_close: 10, stages: [meet, close]}
assumptions:
  pipeline.funnel.win_rate: {dist: uniform, low: 15%, high: 25%}
plans: [{name: a}]
)");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].rfind("test.yaml:6:3: assumptions.pipeline.funnel.win_rate: cannot be an "
                       "assumption: the funnel's figures are solved into the stage keys once",
                       0),
            0u)
      << p[0];
  EXPECT_NE(p[0].find("e.g. pipeline.stages.close.conversion.top"), std::string::npos) << p[0];
  EXPECT_EQ(p[0].find("did you mean"), std::string::npos) << p[0];
}

// A share given a percentage without its % (renewal_rate: 88) is told how a share is written,
// wherever a share is read: a key, a plan's set, an assumption.
TEST(ScenarioProblems, ShareWrittenAsAPercentageSuggestsThePercentSign) {
  const auto p = problems_of(R"(salesim: 2
name: shares
revenue: {model: recurring, renewal_rate: 88}
assumptions:
  people.attrition_annual: {dist: uniform, low: 10, high: 30}
plans:
  - name: a
    set: {market.lead_quality: 40}
)");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0],
            "test.yaml:3:43: revenue.renewal_rate: expected a number between 0 and 1, found 88: a "
            "share is written 0.88 or 88%, not 88");
  EXPECT_NE(p[1].find(": a share is written 0.3 or 30%, not 30"), std::string::npos) << p[1];
  EXPECT_NE(p[2].find("found 40: a share is written 0.4 or 40%, not 40"), std::string::npos)
      << p[2];
  // Not for a value that is no percentage either, nor for a number that is not a share.
  EXPECT_EQ(
      problems_of("salesim: 2\nname: x\nmarket: {lead_quality: 1.5}\nplans: [{name: a}]\n")[0].find(
          "a share is written"),
      std::string::npos);
  EXPECT_EQ(
      problems_of("salesim: 2\nname: x\nburnout: {accumulation: 40}\nplans: [{name: a}]\n")[0].find(
          "a share is written"),
      std::string::npos);
}

// A rate (unit "rate": revenue.expansion_rate) is written as a fraction or a percentage, which
// may exceed 100%, and a percentage without its % is told how a rate is written.
TEST(ScenarioProblems, ARateTakesAPercentage) {
  const std::string head = "salesim: 2\nname: rates\nrevenue: {model: recurring, expansion_rate: ";
  const Scenario sc = test::scenario(head + "12%}\nplans: [{name: a}]\n");
  EXPECT_DOUBLE_EQ(sc.base.revenue.expansion_rate, 0.12);
  EXPECT_DOUBLE_EQ(test::scenario(head + "250%}\nplans: [{name: a}]\n").base.revenue.expansion_rate,
                   2.5);
  const auto p = problems_of(head + "12}\nplans: [{name: a}]\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("expected a number between 0 and 10, found 12: a rate is written 0.12 or "
                      "12%, not 12"),
            std::string::npos)
      << p[0];
  // An assumption's hint names the value written (the mean 12), not the reach of its draws.
  const auto q = problems_of(
      "salesim: 2\nname: rates\nrevenue: {model: recurring}\nassumptions:\n"
      "  revenue.expansion_rate: {dist: lognormal, mean: 12, cv: 0.2}\nplans: [{name: a}]\n");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_NE(q[0].find(": a rate is written 0.12 or 12%, not 12"), std::string::npos) << q[0];
}

// A key of a plan's set written once dotted and once nested is the same key twice: the later
// one won without a word (YAML's duplicate check sees only one spelling).
TEST(ScenarioProblems, APlanSetKeyDottedAndNestedIsGivenTwice) {
  const std::string yaml =
      "salesim: 2\nname: twice\nplans:\n  - name: a\n    set:\n"
      "      market.volatility: 0.3\n      market: {volatility: 0.7}\n";
  const auto p = problems_of(yaml);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("plans[0] (a).set.market.volatility: given twice in the set (also on line 6"),
            std::string::npos)
      << p[0];
  // Different keys under one nested map, beside a dotted one, are fine.
  EXPECT_TRUE(problems_of("salesim: 2\nname: fine\nplans:\n  - name: a\n    set:\n"
                          "      market.volatility: 0.3\n      market: {persistence: 0.5}\n")
                  .empty());
}

// A seed written in a friendly form is read through a double: 9007199254740993.0 was silently
// the seed ...992. Such forms are refused at 2^53 and above and beyond 15 significant digits,
// with the reason; digits are exact to 2^64 - 1.
TEST(ScenarioProblems, SeedsInFriendlyFormsAreExactOrRefused) {
  const auto seed = [](const std::string& v) {
    return problems_of("salesim: 2\nname: s\nsimulation: {seed: " + v + "}\nplans: [{name: a}]\n");
  };
  for (const std::string ok : {"9007199254740993", "18446744073709551615", "2.5k", "1e6",
                               "900719925474099.0", "123456789012345"})
    EXPECT_TRUE(seed(ok).empty()) << ok;
  for (const std::string bad : {"9007199254740993.0", "9.007199254740993e15", "1.8e19",
                                "18446744073709551615.0", "1.0000000000000001"}) {
    const auto p = seed(bad);
    ASSERT_EQ(p.size(), 1u) << bad;
    EXPECT_NE(p[0].find("read through a double, exact only below 2^53 and to 15 digits; write it "
                        "in digits"),
              std::string::npos)
        << p[0];
  }
  EXPECT_EQ(seed("2.5").size(), 1u);  // not whole
}

// --plan baseline on a file whose first plan has another name: the nearest spelling was any
// plan ('hire-4'); the first plan is the baseline, and the message says so.
TEST(ScenarioProblems, BaselineNamesTheFirstPlanWhenNoPlanHasThatName) {
  const Scenario sc =
      test::scenario("salesim: 2\nname: x\nplans: [{name: status-quo}, {name: hire-4}]\n");
  EXPECT_EQ(no_plan_message(sc, "baseline"),
            "test.yaml has no plan 'baseline' (the first plan, 'status-quo', is the baseline)");
  EXPECT_EQ(no_plan_message(sc, "hire-3"),
            "test.yaml has no plan 'hire-3' (did you mean 'hire-4'?)");
}

// The slips of a newcomer's first file, each with a message that says where to look.
TEST(ScenarioProblems, FirstHourSlipsSayWhereToLook) {
  const auto one = [](const std::string& yaml, const std::string& want) {
    const auto p = problems_of(yaml);
    std::string all;
    for (const auto& x : p) all += x + "\n";
    EXPECT_NE(all.find(want), std::string::npos) << all;
  };
  const std::string head = "salesim: 2\nname: slip\n";
  // A key that is a list (YAML's `? [a, b]`) has no name to suggest a key for.
  one("salesim: 2\nname: slip\norg:\n  ? [a, b]\n  : 3\nplans: [{name: a}]\n",
      ":4:5: org: a key must be text, found a list used as a key");
  // A plan name with a space at an end could not be named on the command line (--plans trims).
  one("salesim: 2\nname: slip\nplans: [{name: a}, {name: ' push'}]\n",
      "a plan name cannot start or end with a space, found ' push'");
  // A list as the name is a list, not a missing name.
  one("salesim: 2\nname: [a]\nplans: [{name: a}]\n",
      "name: expected text (the scenario's name), found");
  // A plan's hiring written inside its set.
  one(head + "plans: [{name: a}, {name: b, set: {hiring: [{week: 2, count: 1}]}}]\n",
      "set.hiring: hiring is a list of the plan, written beside `set`");
  // A stage's skill misspelt: the stage is named, not the correct entry renamed to the typo.
  one(head +
          "pipeline: {stages: [{name: demo, skill: presentng}]}\n"
          "team: {skills: {presenting: {mean: 0.5, sd: 0.1}}}\nplans: [{name: a}]\n",
      "stage 'demo' uses 'presentng' (line 3): if that is a typo, correct it there");
  // A section's key at the top level, and a section written as a value.
  one(head + "checkpoints: [{week: 13, revenue: 1M}]\nplans: [{name: a}]\n",
      "test.yaml:3:1: checkpoints: unknown key at the top level; it belongs under its section: "
      "goal.checkpoints");
  one(head + "goal: 4.2M\nplans: [{name: a}]\n",
      "goal: expected a map of its keys (by_week, metric, revenue, checkpoints), found '4.2M'");
  // A tab in the indentation.
  try {
    test::scenario(head + "team:\n\treps: 4\nplans: [{name: a}]\n");
    FAIL() << "a tab was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("line 4 is indented with a tab"), std::string::npos)
        << e.what();
  }
}

// Checkpoints count the running total: one below the one before it, or above the goal before
// the goal's week, is a notice (the run is well defined, the file almost surely wrong).
TEST(ScenarioProblems, CheckpointsThatCannotBeMeantAreANotice) {
  const Scenario sc = test::scenario(R"(salesim: 2
name: quarters
goal:
  revenue: 4.2M
  checkpoints: [{week: 13, revenue: 900k, label: Q1}, {week: 26, revenue: 200k, label: Q2},
                {week: 39, revenue: 31M, label: Q3}]
plans: [{name: a}]
)");
  std::string all;
  for (const auto& n : sc.notices) all += n + "\n";
  EXPECT_NE(all.find("goal.checkpoints[1] (Q2): 200k by week 26 is below Q1's 900k"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("goal.checkpoints[2] (Q3): 31M by week 39 is above the goal, 4.2M"),
            std::string::npos)
      << all;
  EXPECT_EQ(test::scenario(R"(salesim: 2
name: quarters
goal: {revenue: 4.2M, checkpoints: [{week: 13, revenue: 900k}, {week: 26, revenue: 2M}]}
plans: [{name: a}]
)")
                .notices.size(),
            0u);
}

// Inputs a fuzzing run found ending in a library's message (exit 1) instead of the file's
// problem (exit 2): each is a ScenarioError naming the key.
TEST(ScenarioProblems, FuzzedInputsAreTheFilesProblemsNotTheLibrarys) {
  const auto problem = [](const std::string& yaml) -> std::string {
    try {
      test::scenario(yaml);
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "";
  };
  // A start date that is no date, with seasonality (the year's weeks were counted from it).
  EXPECT_NE(problem("salesim: 2\nname: s\nsimulation: {start_date: 0}\n"
                    "calendar: {seasonality: {by_month: [1,1,1,1,1,1,1,1,1,1,1,2]}}\n"
                    "plans: [{name: a}]\n")
                .find("simulation.start_date: expected an ISO date"),
            std::string::npos);
  // A beta so narrow the incomplete beta's inverse does not converge.
  EXPECT_NE(problem("salesim: 2\nname: s\nassumptions:\n  org.alignment: {dist: beta, mean: 0.8, "
                    "sd: 1e-8}\nplans: [{name: a}]\n")
                .find("a beta's sd must be at least 1e-6"),
            std::string::npos);
  // A device with no end is no scenario file.
  try {
    read_scenario_text("/dev/zero");
    FAIL() << "read /dev/zero";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("larger than 64 MB"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace salesim
