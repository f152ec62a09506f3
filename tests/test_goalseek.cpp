// Goal-seek: bisection on synthetic figures with known answers (continuous, whole numbers,
// unreachable, not monotone), and `salesim goalseek` end to end: agreement with a brute-force
// sweep of the same lever on the same paths, a closed-form answer, bad input, thread counts.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tools/goalseek.hpp"

namespace salesim {
namespace {

using nlohmann::json;
using test::shell;
using tools::Condition;
using tools::goal_seek;
using tools::GoalSeekSettings;

Condition at_least(double v) {
  Condition c;
  c.value = v;
  return c;
}

tools::Probe exact(std::function<double(double)> f) {
  return [f](double x) { return sim::MeanSe{f(x), 0.01, 100}; };
}

TEST(GoalSeek, ContinuousLeverWithinTheTolerance) {
  GoalSeekSettings s{0, 10, false, false, 1e-3};
  const auto r = goal_seek(exact([](double x) { return 2 * x; }), at_least(7.3), s);
  ASSERT_TRUE(r.reachable);
  EXPECT_GE(2 * r.value, 7.3);  // the answer reaches the target
  EXPECT_NEAR(r.value, 3.65, 1e-3);
  ASSERT_TRUE(r.neighbour);
  EXPECT_LT(2 * *r.neighbour, 7.3);  // one step below does not
  EXPECT_LE(r.value - *r.neighbour, 1e-3 * (1 + 1e-9));
  EXPECT_TRUE(r.monotone_note.empty());
  EXPECT_LE(r.steps.size(), 5u + 12u);  // a scan and about log2(2.5 / 0.001) halvings

  // The largest value at which a falling figure still reaches it.
  s.largest = true;
  const auto l = goal_seek(exact([](double x) { return 10 - x; }), at_least(4), s);
  ASSERT_TRUE(l.reachable);
  EXPECT_NEAR(l.value, 6, 1e-3);
  EXPECT_GE(10 - l.value, 4);
}

TEST(GoalSeek, WholeNumberLeverGivesTheExactWholeNumber) {
  GoalSeekSettings s{0, 20, true};
  std::vector<double> probed;
  const auto r = goal_seek(
      [&](double x) {
        probed.push_back(x);
        return sim::MeanSe{x * x, 0, 1};
      },
      at_least(50), s);
  ASSERT_TRUE(r.reachable);
  EXPECT_EQ(r.value, 8);  // 64 >= 50 > 49
  EXPECT_EQ(*r.neighbour, 7);
  EXPECT_EQ(r.achieved.mean, 64);
  for (double x : probed) EXPECT_EQ(x, std::round(x));

  s.largest = true;
  const auto l = goal_seek(exact([](double x) { return 100 - x * x; }), at_least(50), s);
  EXPECT_EQ(l.value, 7);  // 51 >= 50 > 36

  // A short interval is scanned whole.
  GoalSeekSettings few{2, 5, true};
  EXPECT_EQ(goal_seek(exact([](double x) { return x; }), at_least(3.5), few).steps.size(), 4u);
  // Reached at the start of the interval.
  EXPECT_EQ(goal_seek(exact([](double x) { return x; }), at_least(-1), s).value, 20);
  s.largest = false;
  EXPECT_EQ(goal_seek(exact([](double x) { return x; }), at_least(-1), s).value, 0);
}

TEST(GoalSeek, UnreachableTargetGivesTheBestValueReached) {
  GoalSeekSettings s{0, 10, false};
  const auto r = goal_seek(exact([](double x) { return x; }), at_least(20), s);
  EXPECT_FALSE(r.reachable);
  EXPECT_EQ(r.value, 10);
  EXPECT_EQ(r.achieved.mean, 10);
  // An upper bound (cost <= ...) that every value exceeds: the cheapest point is the best.
  Condition at_most = at_least(-5);
  at_most.at_least = false;
  const auto c = goal_seek(exact([](double x) { return x; }), at_most, s);
  EXPECT_FALSE(c.reachable);
  EXPECT_EQ(c.value, 0);
}

TEST(GoalSeek, NotesAFigureThatIsNotMonotone) {
  GoalSeekSettings s{0, 4, false};
  // Rises, dips at 2, rises again: the scan sees the dip.
  const auto r = goal_seek(exact([](double x) { return x == 2 ? 0.0 : x; }), at_least(3.5), s);
  ASSERT_TRUE(r.reachable);
  EXPECT_NE(r.monotone_note.find("not monotone"), std::string::npos) << r.monotone_note;
  const auto m = goal_seek(exact([](double x) { return x; }), at_least(3.5), s);
  EXPECT_TRUE(m.monotone_note.empty());
}

// A figure that peaks between two scan points (a hump at 14.5 between 13 and 22 on [4, 40]):
// the scan saw no point meeting the target and answered "not reachable". The search between
// the best point's neighbours finds where it is met, and the bracket goes on from there.
TEST(GoalSeek, APeakBetweenScanPointsIsFound) {
  GoalSeekSettings s{4, 40, false};
  s.tolerance = 0.01;
  const auto hump = exact([](double x) { return 19.2 - 0.05 * (x - 14.5) * (x - 14.5); });
  const auto r = goal_seek(hump, at_least(19), s);
  ASSERT_TRUE(r.reachable);
  // 19.2 - 0.05 d^2 >= 19 for |d| <= 2: the smallest value is 12.5.
  EXPECT_NEAR(r.value, 12.5, 0.02);
  EXPECT_GE(r.achieved.mean, 19);
  EXPECT_LE(r.steps.size(), 5u + 16u + 20u);
  s.largest = true;
  EXPECT_NEAR(goal_seek(hump, at_least(19), s).value, 16.5, 0.02);
  // Where the hump stays below the target, still not reachable, at its top.
  const auto low = goal_seek(hump, at_least(19.5), GoalSeekSettings{4, 40, false});
  EXPECT_FALSE(low.reachable);
  EXPECT_NEAR(low.value, 14.5, 0.3);  // the nearest of every point probed
}

TEST(GoalSeek, AnUnreachableTargetHasNoValueSe) {
  // No bracket, so no noise of an answer: null in the JSON, as documented (it read 0).
  GoalSeekSettings s{0, 10, false};
  const auto r = goal_seek(exact([](double x) { return x; }), at_least(20), s);
  ASSERT_FALSE(r.reachable);
  EXPECT_TRUE(std::isnan(r.value_se)) << r.value_se;
}

TEST(GoalSeek, TheAnswersNoiseIsMeasuredNearTheAnswerNotAcrossTheScan) {
  // Hires in [0, 100000] with P(goal) 0.90 + 0.02 per hire (to 1): the target 0.95 is met at 3.
  // The scan's bracket [0, 25000] has a slope of 0.1 / 25000, which made the answer look
  // thousands of hires noisy; near the answer the figure moves 0.02 a hire, so about 1.4.
  GoalSeekSettings s{0, 100000, true};
  const auto r = goal_seek(
      [](double x) {
        return sim::MeanSe{std::min(1.0, 0.9 + 0.02 * x), 0.028, 50};
      },
      at_least(0.95), s);
  ASSERT_TRUE(r.reachable);
  EXPECT_EQ(r.value, 3);
  EXPECT_GT(r.value_se, 0.5);
  EXPECT_LT(r.value_se, 3);
  // The same interval narrowed to [0, 3] gives the same noise.
  const auto narrow = goal_seek(
      [](double x) {
        return sim::MeanSe{std::min(1.0, 0.9 + 0.02 * x), 0.028, 50};
      },
      at_least(0.95), GoalSeekSettings{0, 3, true});
  EXPECT_NEAR(narrow.value_se, r.value_se, 1e-9);
}

// What goal-seek and optimize print for a leader: targets and bounds as the user wrote them
// (it read "with final_bookings_p50>=14500000"), probabilities as percent with the standard
// error in points (it read "p_goal = 0.9005 (SE 0.0067)").
TEST(GoalSeekWords, TargetsReadAsWrittenAndProbabilitiesAsPercent) {
  tools::Outcome p50{"final_bookings_p50", 0, 0.5, false, true};
  tools::Outcome cost{"cost", 0, std::nullopt, false, false};
  tools::Outcome goal{"p_goal", 0, std::nullopt, true, true};
  tools::Outcome q2{"p_checkpoint:Q2", 0, std::nullopt, true, true};
  auto cond = [](const tools::Outcome& o, bool at_least, double v) {
    Condition c;
    c.outcome = o, c.at_least = at_least, c.value = v;
    return c;
  };
  EXPECT_EQ(tools::condition_words(cond(p50, true, 14.5e6)), "final_bookings_p50 at least 14.5M");
  EXPECT_EQ(tools::condition_words(cond(cost, false, 8e6)), "cost at most 8M");
  EXPECT_EQ(tools::condition_words(cond(cost, false, 250e3)), "cost at most 250k");
  EXPECT_EQ(tools::condition_words(cond(goal, true, 0.9)), "P(goal) at least 90%");
  EXPECT_EQ(tools::condition_words(cond(q2, true, 0.125)), "P(checkpoint Q2) at least 12.5%");
  // A short form that would round the number is not used: the bound reads as itself.
  EXPECT_EQ(tools::amount_text(cost, 14537000), "14.537M");
  EXPECT_EQ(tools::amount_text(cost, 0), "0");
  EXPECT_EQ(tools::figure_text(goal, sim::MeanSe{0.9012, 0.0067, 2000}), "90.1% ±0.7");
  EXPECT_EQ(tools::figure_text(p50, sim::MeanSe{14.5e6, 28.4e3, 2000}), "14.500M (SE 28.4k)");
  // Beside the target, a figure that misses it never reads as it: 89.996% is not "90.0%".
  const Condition ninety = cond(goal, true, 0.9);
  EXPECT_EQ(tools::figure_text(goal, 0.89996, ninety), "89.996%");
  EXPECT_EQ(tools::figure_text(goal, 0.899, ninety), "89.9%");
  EXPECT_EQ(tools::figure_text(goal, 0.90004, ninety), "90.0%");
}

struct GoalSeekCli : test::FolderTest {
  GoalSeekCli() : FolderTest("goalseek") {}
  json seek(const std::string& args, int expect = 0) {
    const auto js = dir / "g.json";
    std::string out;
    EXPECT_EQ(shell(salesim("goalseek " + test::example() + " --quiet --json " + js.string() + " " +
                            args),
                    &out),
              expect)
        << out;
    return json::parse(test::read_file(js.string()));
  }
};

TEST_F(GoalSeekCli, AgreesWithABruteForceSweepOfTheSameLever) {
  // The sweep: every hiring count 0..12 on the same 64 paths.
  const auto h5 = dir / "s.h5", csv = dir / "s.csv";
  std::string out;
  ASSERT_EQ(
      shell(salesim("sweep " + test::example() +
                    " --plan push-activity --paths 64 --quiet --vary 'hiring[0].count=0:12:1' "
                    "-o " +
                    h5.string() + " --csv " + csv.string()),
            &out),
      0)
      << out;
  std::vector<double> bookings;  // by count
  std::stringstream in(test::read_file(csv.string()));
  std::string line, cell;
  std::getline(in, line);
  std::size_t col = 0, i = 0;
  for (std::stringstream h(line); std::getline(h, cell, ','); ++i)
    if (cell == "final_bookings_mean") col = i;
  ASSERT_GT(col, 0u);
  while (std::getline(in, line)) {
    std::stringstream r(line);
    for (std::size_t j = 0; std::getline(r, cell, ','); ++j)
      if (j == col) bookings.push_back(std::stod(cell));
  }
  ASSERT_EQ(bookings.size(), 13u);
  // A target between the figures at 6 and 7 hires.
  const double target = (bookings[6] + bookings[7]) / 2;
  std::size_t brute = 0;
  while (brute < bookings.size() && bookings[brute] < target) ++brute;
  const json j = seek("--plan push-activity --paths 64 --lever 'hiring[0].count=0:12' --target " +
                      fmt::format("final_bookings_mean={:.2f}", target));
  EXPECT_TRUE(j["reachable"].get<bool>());
  // The same 64 paths as the sweep's (common random numbers): the least count that reaches the
  // target, exactly, with the sweep's own figure for it.
  ASSERT_GT(brute, 0u);
  ASSERT_LT(brute, bookings.size());
  EXPECT_EQ(j["value"].get<double>(), double(brute));
  EXPECT_NEAR(j["achieved"].get<double>(), bookings[brute], 1e-9 * bookings[brute]);
  EXPECT_GE(j["achieved"].get<double>(), target);
  EXPECT_GT(j["achieved_se"].get<double>(), 0);
  EXPECT_EQ(j["metric"], "final_bookings_mean");
  EXPECT_LE(j["evaluations"].get<int>(), 13);
  for (const auto& p : j["points"])
    EXPECT_EQ(p["value"].get<double>(), std::round(p["value"].get<double>()));
}

TEST_F(GoalSeekCli, DealSizeScalesBookingsSoTheAnswerIsInClosedForm) {
  // With common random numbers every won deal scales with deal_size.mean, so final bookings are
  // proportional to it: 1.25 x the bookings at 32000 needs a mean of 40000.
  const json base = seek(
      "--plan baseline --paths 64 --lever pipeline.deal_size.mean=32000:33000 "
      "--target final_bookings_mean=1");
  const double b = base["achieved"].get<double>();
  ASSERT_EQ(base["value"].get<double>(), 32000);
  const json j = seek(
      "--plan baseline --paths 64 --lever pipeline.deal_size.mean=20000:60000 "
      "--tolerance 1 --target " +
      fmt::format("final_bookings_mean={:.6f}", 1.25 * b));
  ASSERT_TRUE(j["reachable"].get<bool>());
  EXPECT_NEAR(j["value"].get<double>(), 40000, 1.5);
  EXPECT_TRUE(j["monotone"].get<bool>());
}

// A top below its floor is no scenario: the way out is the floor in the file, which narrowing
// the top's range cannot give (the README's calibration recipe looped on "narrow the range").
TEST_F(GoalSeekCli, ATopBelowItsFloorSaysToLowerTheFloor) {
  std::string out;
  EXPECT_EQ(shell(salesim("goalseek " + test::example() +
                          " --plan baseline --paths 16 --lever prospecting.yield.top=0.01:0.9 "
                          "--target final_bookings_p50=10M"),
                  &out),
            2)
      << out;
  EXPECT_NE(out.find("to try a prospecting.yield.top below its floor, lower "
                     "prospecting.yield.floor in the file first"),
            std::string::npos)
      << out;
  // An end of the interval that is no valid scenario is refused before any point runs (the
  // scan ran four points, seconds at the file's paths, before it reached the upper end).
  EXPECT_EQ(shell(salesim("goalseek " + test::example() +
                          " --plan push-activity --lever capacity.sustainable_hours=30:70 "
                          "--target p_goal=0.99 --paths 100000 --threads 1"),
                  &out),
            2)
      << out;
  EXPECT_NE(out.find("at capacity.sustainable_hours=70 is not a valid scenario"), std::string::npos)
      << out;
  // A search of hours is refused before it runs, as run refuses one (hires up to 100000 at
  // 2000 paths ran for hours without a word); --max-hours is the override.
  // And a sweep of a hundred points over the same hires.
  EXPECT_EQ(
      shell(salesim("sweep " + test::example() +
                    " --plan push-activity --vary 'hiring[0].count=0:100000:1000' --threads 1 "
                    "-o " +
                    (dir / "sw.h5").string()),
            &out),
      2)
      << out;
  EXPECT_NE(out.find("sweep: about 102 runs of 2000 paths"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir / "sw.h5"));
  for (const char* cmd : {"goalseek", "optimize"}) {
    EXPECT_EQ(shell(salesim(std::string(cmd) + " " + test::example() +
                            " --plan push-activity --lever 'hiring[0].count=0:100000' --paths 2000"
                            " --threads 1" +
                            (std::string(cmd) == "goalseek"
                                 ? std::string(" --target p_goal=0.99")
                                 : " --maximize profit -o " + (dir / "x.yaml").string())),
                    &out),
              2)
        << out;
    EXPECT_NE(out.find("more than the 24 hours allowed"), std::string::npos) << out;
    EXPECT_NE(out.find("--max-hours"), std::string::npos) << out;
  }
  // Two hiring levers high together step the most: each at its ends alone counted half of it.
  std::string text = test::read_file(test::example());
  const std::string one = "hiring: [{week: 5, count: 5}]";
  ASSERT_NE(text.find(one), std::string::npos);
  text.replace(text.find(one), one.size(), "hiring: [{week: 5, count: 5}, {week: 10, count: 5}]");
  const auto two = dir / "two.yaml";
  std::ofstream(two) << text;
  EXPECT_EQ(
      shell(salesim("optimize " + two.string() +
                    " --plan push-activity --lever 'hiring[0].count=0:20000' --lever "
                    "'hiring[1].count=0:20000' --maximize profit --evaluations 20 --paths 100 "
                    "--threads 1 --max-hours 0.000001 -o " +
                    (dir / "o.yaml").string()),
            &out),
      2)
      << out;
  EXPECT_NE(out.find("each stepping up to 2.08e+08 rep-weeks"), std::string::npos) << out;
}

TEST_F(GoalSeekCli, UnreachableTargetSaysSoWithTheBest) {
  std::string out;
  ASSERT_EQ(shell(salesim("goalseek " + test::example() +
                          " --plan push-activity --paths 32 --lever 'hiring[0].count=0:4' "
                          "--target final_bookings_p50=1000M"),
                  &out),
            0)
      << out;
  EXPECT_NE(out.find("Not reachable in [0, 4]"), std::string::npos) << out;
  const json j = seek(
      "--plan push-activity --paths 32 --lever 'hiring[0].count=0:4' "
      "--target final_bookings_p50=1000M");
  EXPECT_FALSE(j["reachable"].get<bool>());
  EXPECT_EQ(j["target"].get<double>(), 1e9);
  EXPECT_EQ(j["evaluations"].get<int>(), 5);
}

TEST_F(GoalSeekCli, ReachedAtTheKeysOwnLimitDoesNotSayWidenTheInterval) {
  // Met with no hires at all: 0 is the least a count can be, so "widen the interval" (which
  // the key's range refuses) misled; at LO = 1 the crossing may lie below, and it still says so.
  std::string out;
  ASSERT_EQ(shell(salesim("goalseek " + test::example() +
                          " --plan push-activity --paths 20 --lever 'hiring[0].count=0:10' "
                          "--target p_goal=0.5"),
                  &out),
            0)
      << out;
  EXPECT_NE(out.find("at the lower end of the interval, 0, the lowest value the key allows: "
                     "there is no smaller value to find"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("widen the interval"), std::string::npos) << out;
  ASSERT_EQ(shell(salesim("goalseek " + test::example() +
                          " --plan push-activity --paths 20 --lever 'hiring[0].count=1:10' "
                          "--target p_goal=0.5"),
                  &out),
            0)
      << out;
  EXPECT_NE(out.find("lies beyond 1; widen the interval to find it"), std::string::npos) << out;
}

// A percentile from one path has no standard error, as a mean from one path has none: the JSON
// writes it as null, not as 0.
TEST_F(GoalSeekCli, APercentileFromOnePathHasNoStandardError) {
  const json j = seek(
      "--plan push-activity --paths 1 --lever 'hiring[0].count=0:4' "
      "--target final_bookings_p50=1000M");
  EXPECT_FALSE(j["reachable"].get<bool>());
  EXPECT_TRUE(j["achieved_se"].is_null()) << j.dump();
  for (const auto& p : j["points"]) EXPECT_TRUE(p["achieved_se"].is_null()) << p.dump();
}

TEST_F(GoalSeekCli, AToleranceForAWholeNumberKeyIsSaidToBeUnused) {
  std::string out;
  ASSERT_EQ(shell(salesim("goalseek " + test::example() +
                          " --quiet --plan push-activity --paths 8 --lever 'hiring[0].count=0:4' "
                          "--tolerance 0.5 --target final_bookings_p50=1000M"),
                  &out),
            0)
      << out;
  EXPECT_NE(out.find("--tolerance 0.5 is not used: hiring[0].count takes whole numbers"),
            std::string::npos)
      << out;
}

TEST_F(GoalSeekCli, SameAnswerForAnyThreadCount) {
  const std::string args =
      "--plan push-activity --paths 96 --lever prospecting.target_hours=8:24 "
      "--target p_checkpoint:Q2=0.5";
  const json one = seek(args + " --threads 1"), two = seek(args + " --threads 2");
  EXPECT_EQ(one.dump(), two.dump());
  EXPECT_EQ(one["metric"], "p_checkpoint:Q2");
}

TEST_F(GoalSeekCli, BadLeverOrTargetNamesTheKeyAndWhatWasExpected) {
  auto fails = [&](const std::string& args, const std::string& expect) {
    std::string out;
    EXPECT_EQ(
        shell(salesim("goalseek " + test::example() + " --plan push-activity --paths 8 " + args),
              &out),
        2)
        << args;
    EXPECT_NE(out.find(expect), std::string::npos) << args << "\n" << out;
  };
  const std::string t = " --target p_goal=0.8";
  fails("--lever 'hiring[3].count=0:5'" + t, "hiring[3]");
  fails("--lever 'hiring[0].count=0.5:5'" + t, "is not a whole number");
  fails("--lever prospecting.target_hours=30:10" + t, "LO 30 is not below HI 10");
  fails("--lever prospecting.target_hours=8" + t, "expected KEY=LO:HI");
  fails("--lever prospecting.target_hours=-5:10" + t, "outside the key's range");
  fails("--lever prospecting.target_hourz=8:20" + t, "did you mean 'prospecting.target_hours'");
  fails("--lever prospecting.target_hours=8:20 --target p_gaol=0.8", "did you mean 'p_goal'");
  fails("--lever prospecting.target_hours=8:20 --target p_goal=1.5", "a probability");
  fails("--lever prospecting.target_hours=8:20 --target p_checkpoint:Q9=0.5", "Q1, Q2, Q3");
  fails("--lever prospecting.target_hours=8:20 --target final_bookings_p50=lots",
        "is not a number");
  fails("--lever prospecting.target_hours=8:20 --target p_goal", "expected METRIC=VALUE");
}

}  // namespace
}  // namespace salesim
