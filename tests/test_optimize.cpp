// Optimisation: the known optimum of planted concave figures in one and two levers, a binding
// constraint, whole-number levers (grid and rounding); `salesim optimize` end to end: a
// binding constraint on a scenario, the same answer for any thread count, the written plan
// loading back and giving the reported figures, bad input.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "test_support.hpp"
#include "tools/optimize.hpp"
#include "tools/plan_yaml.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::shell;
using tools::maximize;
using tools::OptProblem;

// Figures without noise: [objective, constraints...].
tools::Evaluate planted(std::function<std::vector<double>(const std::vector<double>&)> f) {
  return [f](const std::vector<double>& x) {
    std::vector<sim::MeanSe> out;
    for (double v : f(x)) out.push_back({v, 0, 1});
    return out;
  };
}

// A constraint: its figure (after the objective) at most `value`.
tools::Condition at_most(double value) {
  tools::Condition c;
  c.at_least = false;
  c.value = value;
  return c;
}

TEST(Optimize, FindsAPlantedConcaveOptimumInOneLever) {
  OptProblem p;
  p.levers = {{0, 10, false, 8}};
  const auto r = maximize(
      planted([](auto& x) { return std::vector<double>{10 - (x[0] - 3.7) * (x[0] - 3.7)}; }), p);
  EXPECT_NEAR(r.best.x[0], 3.7, 0.02);
  EXPECT_TRUE(r.best.feasible);
  EXPECT_LE(r.trace.size(), p.budget);
  EXPECT_EQ(r.method, "COBYLA");
}

TEST(Optimize, FindsAPlantedConcaveOptimumInTwoLevers) {
  OptProblem p;
  p.levers = {{0, 10, false, 5}, {0, 20, false, 5}};
  p.budget = 120;
  const auto r = maximize(planted([](auto& x) {
                            const double a = x[0] - 2, b = x[1] - 12;
                            return std::vector<double>{100 - a * a - 0.5 * b * b + 0.3 * a * b};
                          }),
                          p);
  EXPECT_NEAR(r.best.x[0], 2, 0.05);
  EXPECT_NEAR(r.best.x[1], 12, 0.1);
}

TEST(Optimize, RespectsABindingConstraint) {
  // Maximise x + y on the box with x^2 + y^2 <= 8: the optimum (2, 2) is on the constraint.
  OptProblem p;
  p.levers = {{0, 5, false, 0.5}, {0, 5, false, 0.5}};
  p.constraints = {at_most(8)};
  p.budget = 150;
  const auto r = maximize(planted([](auto& x) {
                            return std::vector<double>{x[0] + x[1], x[0] * x[0] + x[1] * x[1]};
                          }),
                          p);
  ASSERT_TRUE(r.best.feasible);
  EXPECT_LE(r.best.figures[1].mean, 8);
  EXPECT_NEAR(r.best.x[0], 2, 0.05);
  EXPECT_NEAR(r.best.x[1], 2, 0.05);
  for (const auto& pt : r.trace) EXPECT_EQ(pt.feasible, pt.figures[1].mean <= 8);
}

TEST(Optimize, WholeNumberLeversByGridOrRounding) {
  auto f = planted([](auto& x) { return std::vector<double>{-(x[0] - 7.4) * (x[0] - 7.4)}; });
  OptProblem small;
  small.levers = {{0, 10, true, 0}};
  const auto g = maximize(f, small);
  EXPECT_EQ(g.method, "grid");
  EXPECT_EQ(g.best.x[0], 7);
  EXPECT_EQ(g.trace.size(), 11u);

  OptProblem wide;
  wide.levers = {{0, 1000, true, 900}};
  wide.budget = 40;
  const auto r = maximize(f, wide);
  EXPECT_EQ(r.method, "COBYLA + rounding");
  EXPECT_EQ(r.best.x[0], 7);
  EXPECT_LE(r.trace.size(), wide.budget);
  for (const auto& pt : r.trace) EXPECT_EQ(pt.x[0], std::round(pt.x[0]));
}

// The whole-number search gets every call COBYLA leaves, not only its reserved quarter: four
// whole-number levers have 80 neighbours, and the better one planted here moves all four (the
// last the search tries, after the 64 that move fewer). COBYLA finds the smooth part's
// optimum, 10.4 in each, within a few dozen calls of the 150.
TEST(Optimize, WholeNumberSearchGetsTheCallsCobylaLeaves) {
  OptProblem p;
  for (int i = 0; i < 4; ++i) p.levers.push_back({0, 20, true, 3});
  p.budget = 150;
  const auto r = maximize(planted([](auto& x) {
                            double v = 0;
                            for (double xi : x) v -= (xi - 10.4) * (xi - 10.4);
                            const bool planted = x == std::vector<double>{9, 11, 9, 11};
                            return std::vector<double>{v + (planted ? 10 : 0)};
                          }),
                          p);
  EXPECT_EQ(r.best.x, (std::vector<double>{9, 11, 9, 11})) << r.stop;
  EXPECT_LE(r.trace.size(), p.budget);
  std::size_t cobyla = 0;
  for (const auto& pt : r.trace) cobyla += pt.stage == "cobyla";
  EXPECT_LT(cobyla, p.budget - p.budget / 4) << "COBYLA stopped with calls to spare";
  EXPECT_GT(r.trace.size() - cobyla, p.budget / 4) << "the search used more than its quarter";
}

TEST(Optimize, WholeNumberLocalSearchGoesOnWhileNeighboursAreBetter) {
  // Profit rising in the whole number (to the end of its interval) beside a concave continuous
  // lever: the search must walk the whole number all the way, not stop at one neighbour.
  OptProblem p;
  p.levers = {{0, 30, true, 2}, {0, 1, false, 0.9}};
  p.budget = 60;
  const auto r =
      maximize(planted([](auto& x) {
                 return std::vector<double>{0.05 * x[0] - 400 * (x[1] - 0.5) * (x[1] - 0.5)};
               }),
               p);
  EXPECT_EQ(r.best.x[0], 30);
  EXPECT_NEAR(r.best.x[1], 0.5, 0.01);
  EXPECT_LE(r.trace.size(), p.budget);
  // COBYLA's own best stops short; the local search walks the rest, more than one step.
  const tools::OptPoint* cobyla = nullptr;
  for (const auto& pt : r.trace)
    if (pt.stage == "cobyla" && (!cobyla || pt.figures[0].mean > cobyla->figures[0].mean))
      cobyla = &pt;
  ASSERT_NE(cobyla, nullptr);
  EXPECT_LT(cobyla->x[0], 29);
}

TEST(Optimize, ManyWholeNumberLeversTryEachNeighbourBothWays) {
  // Twelve 0/1 levers, only the last acts. COBYLA's first steps round back to the start, so the
  // local search must find it; past eleven levers it moved the last ones by -1 only.
  OptProblem p;
  for (int i = 0; i < 12; ++i) p.levers.push_back({0, 1, true, 0});
  p.budget = 60;
  const auto r = maximize(planted([](auto& x) { return std::vector<double>{x[11]}; }), p);
  EXPECT_EQ(r.method, "COBYLA + rounding");
  EXPECT_EQ(r.best.x[11], 1);
  EXPECT_LE(r.trace.size(), p.budget);
}

TEST(Optimize, NoFeasiblePointIsReportedAsSuch) {
  OptProblem p;
  p.levers = {{0, 1, false, 0.5}};
  tools::Condition c;
  c.value = 5;  // x >= 5 on [0, 1]
  p.constraints = {c};
  p.budget = 20;
  const auto r = maximize(planted([](auto& x) { return std::vector<double>{x[0], x[0]}; }), p);
  EXPECT_FALSE(r.best.feasible);
  EXPECT_NEAR(r.best.x[0], 1, 1e-6);  // the least infeasible
}

// The feasible region at the other end of the box from the start: the cost rises with x up to
// 16 and falls after it, the bound cost <= 7.3 holds below 11.3 only, and the objective rises
// with x. From x = 18 the pass followed the bound to 20 and reported no feasible point with 52
// of 60 evaluations unused; restarts from spread-out starts find the optimum at the bound.
TEST(Optimize, AFeasibleRegionAwayFromTheStartIsFound) {
  OptProblem p;
  p.levers = {{8, 20, false, 18}};
  p.constraints = {at_most(7.3)};
  // Up by 0.05 a unit to 16, then down by 0.04 a unit: at 20 still 7.375, above the bound.
  const auto cost = [](double x) {
    return x < 16 ? 7.2 + 0.05 * (x - 9.3) : 7.535 - 0.04 * (x - 16);
  };
  const auto r = maximize(planted([&](auto& x) {
                            return std::vector<double>{x[0], cost(x[0])};
                          }),
                          p);
  ASSERT_TRUE(r.best.feasible) << r.stop;
  EXPECT_LE(r.trace.size(), p.budget);
  EXPECT_NEAR(r.best.x[0], 11.3, 0.02);  // at the bound: 7.2 + 0.05 * 2 = 7.3
}

// A whole-number lever pushed to its end: COBYLA's calls land on points already run (nearby
// values round alike), and its budget counts calls. It said "the evaluation budget was
// reached" beside 7 evaluations of 20; it says what stopped it.
TEST(Optimize, ABudgetSpentOnPointsAlreadyRunIsSaidAsSuch) {
  // Hires in [0, 30] from 15: profit rises and then falls with them, cost rises, and a bound of
  // cost <= 0 is met nowhere (as in the walk's `cost<=0`).
  OptProblem p;
  p.levers = {{0, 30, true, 15}};
  p.constraints = {at_most(0)};
  p.budget = 20;
  const auto r = maximize(
      planted([](auto& x) {
        return std::vector<double>{11e6 + 5e4 * x[0] - 1e3 * x[0] * x[0], 6.7e6 + 1.24e5 * x[0]};
      }),
      p);
  ASSERT_LT(r.trace.size(), p.budget);
  EXPECT_EQ(r.best.x[0], 0);
  EXPECT_EQ(r.stop.find("the evaluation budget was reached"), std::string::npos) << r.stop;
  EXPECT_NE(r.stop.find("at points already run (nearby values round to the same point)"),
            std::string::npos)
      << r.stop;
}

using test::kLists;  // top-level lists and a later plan ("more") with lists of its own

TEST(PlanYaml, PastesUnderPlansAndRunsAsTheOptimum) {
  const Scenario sc = test::scenario(kLists);
  const tools::PlanYaml y =
      tools::plan_yaml(sc, "more", {{"hiring[1].count", 7}, {"prospecting.target_hours", 9.5}},
                       "more-tuned", {"how it was found"}, "Optimised.");
  EXPECT_TRUE(y.top_level_edits.empty());
  EXPECT_EQ(y.text.rfind("# how it was found\n  - name: more-tuned\n", 0), 0u) << y.text;
  const Scenario pasted = test::scenario(std::string(kLists) + y.text);
  ASSERT_EQ(pasted.plans.size(), 3u);
  const PlanSpec& p = pasted.plans[2];
  EXPECT_EQ(p.name, "more-tuned");
  EXPECT_EQ(p.params.prospecting.target_hours, 9.5);
  // The top-level hire first, then the plan's own two, the second now 7.
  ASSERT_EQ(p.params.hiring.size(), 3u);
  EXPECT_EQ(p.params.hiring[2].count, 7);
  EXPECT_EQ(p.params.hiring[0].count, 2);

  // The first plan's hiring[0] is the file's top-level item, which a pasted plan cannot change.
  const tools::PlanYaml b = tools::plan_yaml(sc, "baseline", {{"hiring[0].count", 5}},
                                             "baseline-tuned", {}, "Optimised.");
  EXPECT_EQ(b.top_level_edits, std::vector<std::string>{"hiring"});
  EXPECT_NE(b.text.find("# NOTE: the values also change the file's top-level `hiring` list"),
            std::string::npos)
      << b.text;
}

struct OptimizeCli : test::FolderTest {
  OptimizeCli() : FolderTest("optimize") {}
  json optimise(const std::string& args, const std::string& tag = "o", int expect = 0) {
    const auto js = dir / (tag + ".json");
    std::string out;
    EXPECT_EQ(shell(salesim("optimize " + test::example() + " --quiet --json " + js.string() +
                            " -o " + (dir / (tag + ".yaml")).string() + " " + args),
                    &out),
              expect)
        << out;
    return json::parse(test::read_file(js.string()));
  }
};

TEST_F(OptimizeCli, BindingConstraintOnAScenarioAndTheConfirmationRun) {
  // Profit rises with the deal size (bookings scale with it, costs do not): capped by a bound
  // on bookings equal to their figure at 40000, the optimum is 40000.
  const auto g = dir / "g.json";
  std::string text;
  ASSERT_EQ(shell(salesim("goalseek " + test::example() +
                          " --quiet --plan baseline --paths 48 --lever "
                          "pipeline.deal_size.mean=40000:40001 --target final_bookings_mean=1 "
                          "--json " +
                          g.string()),
                  &text),
            0)
      << text;
  const json at = json::parse(test::read_file(g.string()));
  ASSERT_EQ(at["points"][0]["value"].get<double>(), 40000);
  const double cap = at["points"][0]["achieved"].get<double>();
  const json j =
      optimise(fmt::format("--plan baseline --paths 48 --confirm-paths 64 --lever "
                           "pipeline.deal_size.mean=16000:64000 --maximize profit "
                           "--subject-to 'final_bookings_mean<={:.4f}' --evaluations 40",
                           cap));
  ASSERT_TRUE(j["feasible"].get<bool>());
  EXPECT_NEAR(j["levers"][0]["value"].get<double>(), 40000, 100);
  EXPECT_LE(j["in_sample"]["final_bookings_mean"]["mean"].get<double>(), cap);
  EXPECT_EQ(j["confirmation_paths"], 64);
  EXPECT_EQ(j["confirmation_first_path"], 48);
  // Fresh paths give other figures, each with a standard error; optimism is their difference.
  const double in = j["in_sample"]["profit"]["mean"], out = j["confirmation"]["profit"]["mean"];
  EXPECT_NE(in, out);
  EXPECT_GT(j["confirmation"]["profit"]["se"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(j["optimism"]["mean"].get<double>(), in - out);
  EXPECT_GT(j["gain_vs_as_written"]["mean"].get<double>(), 0);  // 40000 > 32000 as written
  for (const auto& row : j["trace"])
    EXPECT_EQ(row["feasible"].get<bool>(), row["final_bookings_mean"]["mean"].get<double>() <=
                                               std::stod(fmt::format("{:.4f}", cap)));
}

TEST_F(OptimizeCli, FindsTheOptimumABruteForceSweepFindsOnTheSamePaths) {
  // Profit in the prospecting target rises then falls (more opportunities, then too little time
  // to work them): a sweep every half hour on the same 32 paths brackets the optimum.
  const auto h5 = dir / "s.h5", csv = dir / "s.csv";
  std::string out;
  ASSERT_EQ(shell(salesim("sweep " + test::example() +
                          " --plan push-activity --paths 32 --quiet --vary "
                          "prospecting.target_hours=8:24:0.5 -o " +
                          h5.string() + " --csv " + csv.string()),
                  &out),
            0)
      << out;
  std::stringstream in(test::read_file(csv.string()));
  std::string line, cell;
  std::getline(in, line);
  std::size_t key = 0, profit = 0, i = 0;
  for (std::stringstream h(line); std::getline(h, cell, ','); ++i) {
    if (cell == "prospecting.target_hours") key = i;
    if (cell == "profit_mean") profit = i;
  }
  double best = -1e300, at = -1;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    for (std::stringstream r(line); std::getline(r, cell, ',');) cells.push_back(cell);
    if (std::stod(cells.at(profit)) > best)
      best = std::stod(cells[profit]), at = std::stod(cells[key]);
  }
  ASSERT_GT(at, 8);  // interior: the shape is concave, not monotone
  ASSERT_LT(at, 24);
  const json j = optimise(
      "--plan push-activity --paths 32 --lever prospecting.target_hours=0:30 "
      "--maximize profit --evaluations 25");
  EXPECT_EQ(j["method"], "COBYLA");
  EXPECT_LE(j["evaluations"].get<int>(), 25);
  EXPECT_NEAR(j["levers"][0]["value"].get<double>(), at, 1.0);
  // At least as good as the sweep's best, up to a small share of a standard error.
  EXPECT_GE(j["in_sample"]["profit"]["mean"].get<double>(),
            best - 0.25 * j["in_sample"]["profit"]["se"].get<double>());
}

TEST_F(OptimizeCli, SameAnswerForAnyThreadCountAndTheTraceAsCsv) {
  const std::string args =
      "--plan push-activity --paths 48 --lever 'hiring[0].count=0:40' --lever "
      "prospecting.target_hours=8:24 --maximize profit --subject-to 'p_checkpoint:Q2>=0.2' "
      "--evaluations 20 --csv " +
      (dir / "t.csv").string();
  const json one = optimise(args + " --threads 1", "one");
  const json two = optimise(args + " --threads 2", "two");
  EXPECT_EQ(one.dump(), two.dump());
  EXPECT_LE(one["evaluations"].get<int>(), 20);
  EXPECT_EQ(one["method"], "COBYLA + rounding");
  const double hires = one["levers"][0]["value"];
  EXPECT_EQ(hires, std::round(hires));
  EXPECT_GE(one["in_sample"]["p_checkpoint:Q2"]["mean"].get<double>(), 0.2);
  EXPECT_EQ(test::read_file((dir / "one.yaml").string()),
            test::read_file((dir / "two.yaml").string()));
  const std::string csv = test::read_file((dir / "t.csv").string());
  EXPECT_EQ(csv.rfind("evaluation,stage,hiring[0].count,prospecting.target_hours,profit,", 0), 0u)
      << csv.substr(0, 200);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), one["evaluations"].get<long>() + 1);
}

TEST_F(OptimizeCli, TheWrittenPlanLoadsBackAndGivesTheReportedFigures) {
  const json j = optimise(
      "--plan targeted-effectiveness --paths 40 --lever org.coaching_hours_per_rep=0.5:2 --lever "
      "'training[targeted-skills].cost_per_person=500:3000' --maximize profit --evaluations 12 "
      "--name tuned");
  const std::string plan = test::read_file((dir / "o.yaml").string());
  EXPECT_NE(plan.find("  - name: tuned"), std::string::npos) << plan;
  // Pasted under `plans:` (the file's last section), it runs as the reported optimum.
  const fs::path file = dir / "with.yaml";
  std::ofstream(file) << test::read_file(test::example()) << plan;
  const auto summary = dir / "run.json";
  std::string out;
  ASSERT_EQ(shell(salesim("run " + file.string() + " --quiet --paths 40 --plans tuned --json " +
                          summary.string()),
                  &out),
            0)
      << out;
  const json s = json::parse(test::read_file(summary.string()));
  EXPECT_DOUBLE_EQ(s["plans"][0]["profit"]["mean"].get<double>(),
                   j["in_sample"]["profit"]["mean"].get<double>());
  EXPECT_DOUBLE_EQ(s["plans"][0]["cost"]["mean"].get<double>(),
                   j["in_sample"]["cost"]["mean"].get<double>());
}

TEST_F(OptimizeCli, BoundsNoPointMeetsFailWithTheNearestAndWriteNoPlan) {
  std::string out;
  const auto js = dir / "f.json", plan = dir / "f.yaml";
  EXPECT_EQ(shell(salesim("optimize " + test::example() +
                          " --plan push-activity --paths 8 --evaluations 6 --lever "
                          "prospecting.target_hours=8:20 --maximize profit --subject-to "
                          "'cost<=1M' -o " +
                          plan.string() + " --json " + js.string()),
                  &out),
            1)
      << out;
  EXPECT_NE(out.find("no point evaluated meets every --subject-to bound; the nearest is at "
                     "prospecting.target_hours="),
            std::string::npos)
      << out;
  // The cost there as money is written everywhere else (it read "(there 6.75964e+06)").
  // As a leader writes a bound (it read "cost<=1000000").
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(cost at most 1M \(there \d+(\.\d+)?M\))")))
      << out;
  EXPECT_FALSE(fs::exists(plan));
  const json j = json::parse(test::read_file(js.string()));
  EXPECT_FALSE(j["feasible"].get<bool>());
  EXPECT_FALSE(j["constraints_met_on_confirmation"].get<bool>());
}

TEST_F(OptimizeCli, NoFeasiblePointIsNotReportedAsABoundThatBinds) {
  // cost<=1 is met nowhere, in-sample or on the confirmation paths: the warning for a bound met
  // in-sample and missed on fresh paths ("the bound binds ... raise --paths") misled.
  std::string out;
  EXPECT_EQ(shell(salesim("optimize " + test::example() +
                          " --plan push-activity --paths 8 --evaluations 6 --lever "
                          "prospecting.target_hours=8:20 --maximize profit --subject-to "
                          "'cost<=1' -o " +
                          (dir / "f.yaml").string()),
                  &out),
            1)
      << out;
  EXPECT_NE(out.find("no point evaluated meets every --subject-to bound"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("the bound binds"), std::string::npos) << out;
}

// A figure bounded twice (a band: cost >= 7.5M and cost <= 8M) had two columns of one name in
// the trace CSV (pandas renamed the second cost.1) and two rows in the table.
TEST_F(OptimizeCli, AFigureBoundedTwiceIsOneColumnAndOneRow) {
  const std::string csv = (dir / "band.csv").string();
  std::string out;
  ASSERT_EQ(shell(salesim("optimize " + test::example() +
                          " --plan push-activity --lever 'hiring[0].count=0:15' --maximize p_goal"
                          " --subject-to 'cost>=7.5M' --subject-to 'cost<=8M' --paths 40 "
                          "--evaluations 8 -o " +
                          (dir / "band.yaml").string() + " --csv " + csv),
                  &out),
            0)
      << out;
  const std::string header = test::read_file(csv).substr(0, test::read_file(csv).find('\n'));
  EXPECT_EQ(header, "evaluation,stage,hiring[0].count,p_goal,p_goal_se,cost,cost_se,feasible");
  EXPECT_EQ(out.find("\n  cost "), out.rfind("\n  cost ")) << out;
}

TEST_F(OptimizeCli, BadInputNamesTheOptionAndWhatWasExpected) {
  auto fails = [&](const std::string& args, const std::string& expect) {
    std::string out;
    EXPECT_EQ(shell(salesim("optimize " + test::example() + " --plan push-activity --paths 8 -o " +
                            (dir / "x.yaml").string() + " " + args),
                    &out),
              2)
        << args;
    EXPECT_NE(out.find(expect), std::string::npos) << args << "\n" << out;
    EXPECT_FALSE(fs::exists(dir / "x.yaml"));
  };
  const std::string l = " --lever prospecting.target_hours=8:20";
  fails(l + " --maximize cost", "expected profit, p_goal or final_bookings_mean");
  fails(l + " --maximize profit --subject-to p_goal=0.8", "METRIC>=VALUE or METRIC<=VALUE");
  fails(l + " --maximize profit --subject-to 'burnt_out_sharee<=0.1'", "did you mean");
  fails(l + l + " --maximize profit", "given twice");
  fails(" --lever 'hiring[0].count=3:2' --maximize profit", "LO 3 is not below HI 2");
  fails(l + " --maximize profit --name baseline", "already has a plan");
}

}  // namespace
}  // namespace salesim
