// pipeline.funnel (models/funnel.hpp): the solver reproduces the stated win rate and weeks to
// close through the absorbing chain, stated stage keys win, impossible figures are refused, and
// a simulated pipeline wins at the stated rate.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "models/funnel.hpp"
#include "models/pipeline_graph.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

PipelineParams stages(int k) {
  PipelineParams p;
  for (int i = 0; i < k; ++i) {
    Stage s;
    s.name = fmt::format("s{}", i);
    p.stages.push_back(s);
  }
  return p;
}

FunnelSpec figures(double win, double weeks) {
  FunnelSpec f;
  f.win_rate = win;
  f.weeks_to_close = weeks;
  return f;
}

TEST(FunnelSolver, RoundTripThroughTheAbsorbingChain) {
  for (int k : {1, 2, 4, 7})
    for (double win : {0.05, 0.22, 0.6, 0.95})
      for (double weeks : {double(k), 14.0, 40.5})
        for (double sigma : {0.0, 0.4, 0.9}) {
          if (weeks < k) continue;
          PipelineParams p = stages(k);
          FunnelSpec spec;
          spec.win_rate = win;
          spec.weeks_to_close = weeks;
          const std::vector<double> sig(k, sigma);
          const auto problems = solve_funnel(spec, std::vector<StageGiven>(k), sig, p);
          ASSERT_TRUE(problems.empty()) << problems[0].msg;
          const ImpliedFigures f = implied_figures(p, sig);
          const std::string at = fmt::format("K={} win={} weeks={} sigma={}", k, win, weeks, sigma);
          EXPECT_NEAR(f.win_rate, win, 1e-9) << at;
          EXPECT_NEAR(f.weeks_to_win, weeks, 1e-9) << at;
          for (const Stage& s : p.stages) {
            EXPECT_GE(s.conversion.floor, 0) << at;
            EXPECT_LE(s.conversion.floor, s.conversion.top) << at;
            EXPECT_LE(s.conversion.top, 1) << at;
            EXPECT_GT(s.exit_rate, 0) << at;
            EXPECT_LE(s.exit_rate, 1) << at;
          }
        }
}

TEST(FunnelSolver, SkillSlopeIsTheDefaultStagesUnlessToldOtherwise) {
  PipelineParams p = stages(2);
  FunnelSpec spec = figures(0.25, 10);
  ASSERT_TRUE(solve_funnel(spec, std::vector<StageGiven>(2), {0.4, 0.4}, p).empty());
  EXPECT_NEAR(p.stages[0].conversion.top / p.stages[0].conversion.floor, 1.8, 1e-12);
  EXPECT_NEAR(p.stages[0].conversion.floor, 0.5 / 1.32, 1e-12);  // 0.5 = sqrt(0.25)
  EXPECT_NEAR(p.stages[0].exit_rate, 0.2, 1e-12);                // 5 weeks a stage
  spec.skill_lift = 0;
  ASSERT_TRUE(solve_funnel(spec, std::vector<StageGiven>(2), {0.4, 0.4}, p).empty());
  EXPECT_DOUBLE_EQ(p.stages[1].conversion.floor, p.stages[1].conversion.top);
}

TEST(FunnelSolver, WeeksToResolutionIsShorterThanToAWin) {
  PipelineParams p = stages(3);
  ASSERT_TRUE(
      solve_funnel(figures(0.3, 12), std::vector<StageGiven>(3), {0.4, 0.4, 0.4}, p).empty());
  const ImpliedFigures f = implied_figures(p, {0.4, 0.4, 0.4});
  // Lost opportunities leave early: E[T] = sum_k P(reach k) * 4 weeks.
  const double c = std::cbrt(0.3);
  EXPECT_NEAR(f.weeks_to_resolution, 4 * (1 + c + c * c), 1e-9);
  EXPECT_NEAR(f.bookings_per_opportunity, 0.3 * 25000, 1e-6);
}

TEST(FunnelSolver, ImpossibleFiguresAreRefused) {
  PipelineParams p = stages(4);
  const std::vector<double> sig(4, 0.4);
  const std::vector<StageGiven> free(4);
  for (double win : {0.0, 1.0, -0.1}) {
    const auto problems = solve_funnel(figures(win, 14), free, sig, p);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].key, "win_rate");
    EXPECT_NE(problems[0].msg.find("strictly between 0 and 1"), std::string::npos);
  }
  const auto problems = solve_funnel(figures(0.2, 3.5), free, sig, p);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key, "weeks_to_close");
  EXPECT_NE(problems[0].msg.find("expected at least 4 weeks for 4 stages, found 3.5"),
            std::string::npos);
}

// Scenario text with the given pipeline section and a quiet team (no prospecting, attrition,
// burnout or skill growth); the pipeline section is line 10.
std::string funnel_scenario(const std::string& pipeline,
                            const std::string& plans = "plans: [{name: only}]") {
  return R"(
salesim: 2
name: funnel
simulation: {horizon_weeks: 400, paths: 2000, seed: 7}
team: {reps: 4, managers: 1, skills: {discovery: {mean: 0.5, sd: 0}}}
prospecting: {yield: {floor: 0, top: 0}}
burnout: {discomfort: 0, conversion_loss: 0, capacity_loss: 0, attrition: 0}
people: {attrition_annual: 0}
skills: {experience_rate: 0}
)" + pipeline +
         "\n" + plans + "\n";
}

TEST(FunnelScenario, StatedStageKeysWinAndTheRestStillHitTheFigures) {
  const Scenario sc = test::scenario(funnel_scenario(R"(
pipeline:
  funnel: {win_rate: 22%, weeks_to_close: 14}
  stages:
    - {name: qualify, exit_rate: 0.5}
    - {name: demo, conversion: {floor: 0.5, top: 0.7}}
    - {name: proposal}
    - {name: close, exit_rate: 0.25, conversion: {top: 0.9}}
)"));
  const auto& st = sc.base.pipeline.stages;
  EXPECT_EQ(st[0].exit_rate, 0.5);
  EXPECT_EQ(st[1].conversion.floor, 0.5);
  EXPECT_EQ(st[1].conversion.top, 0.7);
  EXPECT_EQ(st[3].exit_rate, 0.25);
  EXPECT_EQ(st[3].conversion.top, 0.9);
  EXPECT_EQ(st[3].conversion.floor, 0.25);  // the stage default: the stated conversion is kept
  const auto funnel = funnel_expansion(sc);
  ASSERT_TRUE(funnel);
  EXPECT_TRUE(funnel->given[0].exit_rate);
  EXPECT_FALSE(funnel->given[0].conversion);
  EXPECT_TRUE(funnel->given[1].conversion);
  EXPECT_FALSE(funnel_expansion(test::scenario("salesim: 2\nname: x\nplans: [{name: b}]\n")));
  const ImpliedFigures f = implied_figures(sc.base.pipeline, starting_sigma(sc.base, sc.skills));
  EXPECT_NEAR(f.win_rate, 0.22, 1e-9);
  EXPECT_NEAR(f.weeks_to_win, 14, 1e-9);
  EXPECT_NEAR(st[1].exit_rate, 1 / 4.0, 1e-12);  // 14 - 2 - 4 = 8 weeks over two stages
}

TEST(FunnelScenario, StagesNamedInTheFunnelAndDealSize) {
  const Scenario sc = test::scenario(funnel_scenario(R"(
pipeline:
  funnel: {win_rate: 0.3, weeks_to_close: 9, deal_size: 40k, stages: [qualify, demo, close]}
)"));
  ASSERT_EQ(sc.base.pipeline.stages.size(), 3u);
  EXPECT_EQ(sc.base.pipeline.stages[1].name, "demo");
  EXPECT_EQ(sc.base.pipeline.deal_mean, 40000);
  EXPECT_NEAR(sc.base.pipeline.stages[2].exit_rate, 1 / 3.0, 1e-12);
  // A plan may still set a solved key by its stage name.
  const Scenario two = test::scenario(funnel_scenario(
      "pipeline: {funnel: {win_rate: 0.3, weeks_to_close: 9, stages: [qualify, demo, close]}}",
      "plans: [{name: only}, {name: faster, set: {pipeline.stages.demo.exit_rate: 0.5}}]"));
  EXPECT_EQ(two.plans[1].params.pipeline.stages[1].exit_rate, 0.5);
  EXPECT_NEAR(two.plans[0].params.pipeline.stages[1].exit_rate, 1 / 3.0, 1e-12);
}

void expect_problem(const std::string& yaml, const std::string& part) {
  try {
    test::scenario(yaml);
    FAIL() << "accepted; expected: " << part;
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

// A funnel with its figures over two stages, a (written as given) and b (left to the funnel);
// the stages' line is line 13 of the scenario.
std::string two_stages(const std::string& figures, const std::string& a) {
  return funnel_scenario("\npipeline:\n  funnel: {" + figures + "}\n  stages: [{name: a" + a +
                         "}, {name: b}]\n");
}

TEST(FunnelScenario, BadFunnelsAreRefusedWithThePlace) {
  expect_problem(funnel_scenario("pipeline: {funnel: {win_rate: 1.2, weeks_to_close: 5}}"),
                 "test.yaml:10:31: pipeline.funnel.win_rate: expected a number between 0 and 1");
  expect_problem(funnel_scenario("pipeline: {funnel: {win_rate: 0, weeks_to_close: 5}}"),
                 "pipeline.funnel.win_rate: expected a number strictly between 0 and 1");
  expect_problem(
      funnel_scenario("pipeline: {funnel: {win_rate: 0.2, weeks_to_close: 2, stages: [a, b, c]}}"),
      "test.yaml:10:52: pipeline.funnel.weeks_to_close: expected at least 3 weeks for 3 stages");
  expect_problem(funnel_scenario("pipeline: {funnel: {win_rate: 0.2}}"),
                 "pipeline.funnel: missing required key 'weeks_to_close'");
  expect_problem(funnel_scenario("pipeline: {funnel: {win_rate: 0.2, weeks_to_close: 8, "
                                 "week_to_close: 3}}"),
                 "pipeline.funnel.week_to_close: unknown key (did you mean 'weeks_to_close'?)");
  expect_problem(funnel_scenario("pipeline: {funnel: {win_rate: 0.2, weeks_to_close: 8, stages: "
                                 "[a]}, stages: [{name: a}]}"),
                 "pipeline.funnel.stages: pipeline.stages is given too");
  expect_problem(funnel_scenario("pipeline: {deal_size: {mean: 1}, funnel: {win_rate: 0.2, "
                                 "weeks_to_close: 8, deal_size: 5}}"),
                 "pipeline.funnel.deal_size: pipeline.deal_size.mean is given too");
  expect_problem(
      two_stages("win_rate: 0.6, weeks_to_close: 8", ", conversion: {floor: 0.5, top: 0.5}"),
      "pipeline.funnel.win_rate: expected a win rate of at most 0.5");
  expect_problem(funnel_scenario(R"(
pipeline:
  funnel: {win_rate: 0.2, weeks_to_close: 8}
  stages: [{name: a, exit_rate: 0.5}, {name: b, exit_rate: 0.1}]
)"),
                 "every stage states its exit_rate");
}

TEST(FunnelScenario, EdgesOfTheSolvableAndTheirMessages) {
  // A win rate the stated stages reach exactly: the free stage converts every exit.
  const Scenario exact = test::scenario(
      two_stages("win_rate: 0.5, weeks_to_close: 8", ", conversion: {floor: 0.5, top: 0.5}"));
  EXPECT_EQ(exact.base.pipeline.stages[1].conversion.floor, 1.0);
  EXPECT_EQ(exact.base.pipeline.stages[1].conversion.top, 1.0);
  // A stated conversion of 0, or exit rate of 0: said so at that stage's key.
  expect_problem(
      two_stages("win_rate: 0.2, weeks_to_close: 8", ", conversion: {floor: 0, top: 0}"),
      "test.yaml:13:34: pipeline.stages.a.conversion: stage 'a' states a conversion of 0");
  expect_problem(two_stages("win_rate: 0.2, weeks_to_close: 8", ", exit_rate: 0"),
                 "test.yaml:13:33: pipeline.stages.a.exit_rate: stage 'a' states exit_rate 0");
  // The way out named is one the file can take (both figures are required).
  expect_problem(funnel_scenario(R"(
pipeline:
  funnel: {win_rate: 0.2, weeks_to_close: 8}
  stages: [{name: a, exit_rate: 0.5}, {name: b, exit_rate: 0.1}]
)"),
                 "leave exit_rate out of at least one stage (or write the stages without "
                 "pipeline.funnel)");
  // A funnel left empty is refused, not read as no funnel; a figure left empty is missing, at
  // its own line.
  expect_problem(funnel_scenario("pipeline:\n  funnel:\n  stages: [{name: a}]"),
                 "test.yaml:11:3: pipeline.funnel: the funnel is left empty");
  expect_problem(funnel_scenario("pipeline:\n  funnel:\n    win_rate:\n    weeks_to_close: 8"),
                 "test.yaml:12:5: pipeline.funnel.win_rate: missing required key 'win_rate' (it "
                 "is left empty)");
  // An invalid stated stage is reported once, without a bound computed from it.
  try {
    test::scenario(two_stages("win_rate: 0.2, weeks_to_close: 8", ", conversion: {top: 0.2}"));
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("floor (0.25) must not exceed top (0.2)"),
              std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("win rate"), std::string::npos) << e.what();
  }
  // One stage left: "the other stage", not "each of the other 1 stage".
  expect_problem(two_stages("win_rate: 0.2, weeks_to_close: 4", ", exit_rate: 0.25"),
                 "the stated exit rates take 4 weeks and the other stage at least one");
  // A plan cannot set a funnel figure; it is told which stage key to set.
  expect_problem(funnel_scenario("pipeline: {funnel: {win_rate: 0.2, weeks_to_close: 8}}",
                                 "plans: [{name: a}, {name: b, set: "
                                 "{pipeline.funnel.win_rate: 0.3}}]"),
                 "so a plan's value would change nothing; set a stage's conversion instead");
}

// A simulated pipeline at the starting skill (every opportunity worked, no stale loss, no
// growth or burnout) wins at the stated rate and closes its won deals in the stated weeks.
TEST(FunnelScenario, SimulatedWinRateMatchesTheStatedOne) {
  const int n = 30, reps = 4;
  const Scenario sc = test::scenario(funnel_scenario(fmt::format(R"(
pipeline:
  funnel: {{win_rate: 0.22, weeks_to_close: 14}}
  stages:
    - {{name: qualify, hours: 0, stale_loss: 0, initial_per_rep: {}}}
    - {{name: demo, hours: 0, stale_loss: 0}}
    - {{name: proposal, hours: 0, stale_loss: 0}}
    - {{name: close, hours: 0, stale_loss: 0}}
)",
                                                                 n)));
  const std::size_t paths = 2000;
  const sim::RunOutput r = test::run(sc, 0, paths);
  std::vector<double> share(paths);
  for (std::size_t i = 0; i < paths; ++i) {
    share[i] = r.scalar(i, out::won) / double(n * reps);
    ASSERT_EQ(r.scalar(i, out::won) + r.scalar(i, out::lost), n * reps);  // all closed
  }
  const sim::MeanSe win = sim::mean_se(share);
  EXPECT_NEAR(win.mean, 0.22, 3 * win.se) << "se " << win.se;
  EXPECT_LT(win.se, 0.005);
  // The won deals' weeks from the start (a deal won in week t's step has spent t + 1 weeks),
  // pooled over the paths: every deal is independent here (skills fixed), so the standard error
  // is the weeks' sd over the square root of the deals won.
  double w = 0, sum = 0, sum2 = 0;
  for (std::size_t t = 0; t < r.shape.weeks; ++t) {
    const double won = r.sum(out::s_won, t), weeks = double(t + 1);
    w += won, sum += won * weeks, sum2 += won * weeks * weeks;
  }
  ASSERT_GT(w, 10000);
  const double mean = sum / w, se = std::sqrt((sum2 / w - mean * mean) / w);
  EXPECT_NEAR(mean, 14, 4 * se) << "se " << se;
  EXPECT_LT(se, 0.1);
}

}  // namespace
}  // namespace salesim

namespace salesim {
namespace {

// `validate --explain` shows the solved keys and computes the figures back from the chain.
TEST(FunnelCli, ValidateExplainShowsTheExpansionAndTheImpliedFigures) {
  std::string out;
  const std::string saas = test::source_dir() + "/scenarios/funnel-saas.yaml";
  ASSERT_EQ(test::shell(test::binary() + " validate --explain " + saas, &out), 0) << out;
  for (const char* part :
       {"pipeline.funnel: win_rate 0.22, weeks_to_close 14", "qualify", "0.285714*",
        "win rate                   0.22\n", "weeks to close (won deals) 14\n",
        "weeks to resolution        8.66298", "bookings per opportunity   6160"})
    EXPECT_NE(out.find(part), std::string::npos) << "no \"" << part << "\" in:\n" << out;
  // Without a funnel: the file's own keys, no marks, and the figures they imply.
  ASSERT_EQ(test::shell(test::binary() + " validate --explain " + test::example(), &out), 0);
  EXPECT_NE(out.find("no pipeline.funnel"), std::string::npos) << out;
  EXPECT_EQ(out.find('*'), std::string::npos) << out;
  EXPECT_NE(out.find("win rate                   0.0577538"), std::string::npos) << out;
}

}  // namespace
}  // namespace salesim
