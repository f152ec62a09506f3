// The weekly step with four reps' flows in lanes (models/pipeline_flow_lanes.hpp) gives the
// bits of the step one rep at a time: stage_flows4 against stage_flows on random inputs, then
// whole runs with the lanes on and off, on every example scenario and on teams built to cut the
// blocks (many leavers, teams of one to seven reps, counts past the lanes' and the tables'
// reach, three to six stages, recurring revenue).
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <random>

#include "models/pipeline_flow_lanes.hpp"
#include "models/simulate.hpp"
#include "sim/binomial_lanes.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// Leaves the switch on whatever a test does.
struct LanesOn {
  ~LanesOn() { set_flow_lanes(true); }
};

// Every plan of sc run with the lanes and without them: the same bits.
void expect_lanes_as_scalar(const Scenario& sc, std::size_t paths, const std::string& what) {
  LanesOn restore;
  RunSettings s;
  s.paths = paths;
  s.threads = 2;
  set_flow_lanes(true);
  const ScenarioResults lanes = run_scenario(sc, s);
  set_flow_lanes(false);
  const ScenarioResults scalar = run_scenario(sc, s);
  ASSERT_EQ(lanes.plans.size(), scalar.plans.size());
  for (std::size_t p = 0; p < lanes.plans.size(); ++p) {
    const sim::RunOutput &a = lanes.plans[p].run, &b = scalar.plans[p].run;
    EXPECT_TRUE(same_bits(a.scalars, b.scalars)) << what << ", plan " << sc.plans[p].name;
    EXPECT_TRUE(same_bits(a.kept, b.kept)) << what << ", plan " << sc.plans[p].name;
    EXPECT_TRUE(same_bits(a.sums, b.sums)) << what << ", plan " << sc.plans[p].name;
  }
}

TEST(FlowLanes, StageFlows4IsStageFlowsForEachRep) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  std::mt19937_64 rng(15);
  for (int K : {1, 2, 3, 4, 5}) {
    Params P = load_scenario_file(test::example()).base;
    P.pipeline.stages.resize(std::size_t(K), P.pipeline.stages.back());
    const Derived D(P);
    ASSERT_NE(D.lanes, nullptr) << K << " stages";
    for (int trial = 0; trial < 20000; ++trial) {
      const int count = 1 + int(rng() % 4);
      std::int64_t n[4][5], n_scalar[4][5], worked[4][5];
      double p[4][5];
      std::uint64_t words[4][rep_week::Draws::eager_words];
      RepFlows in[4];
      for (int i = 0; i < count; ++i) {
        for (int k = 0; k < K; ++k) {
          // Mostly the small counts of a rep's week; sometimes past 16 (the conversions'
          // scalar path) and past 64 (the tables' end).
          const int pick = int(rng() % 10);
          n[i][k] = pick < 7   ? std::int64_t(rng() % 9)
                    : pick < 9 ? std::int64_t(rng() % 30)
                               : std::int64_t(rng() % 120);
          worked[i][k] = rng() % 3 ? n[i][k] : std::int64_t(rng() % (n[i][k] + 1));
          const int q = int(rng() % 20);
          p[i][k] = q == 0 ? 0.0 : q == 1 ? 1.0 : double(rng() % 1000) / 1000.0;
          n_scalar[i][k] = n[i][k];
        }
        for (auto& w : words[i]) w = rng();
        in[i] = RepFlows{n[i], worked[i], p[i], words[i]};
      }
      Flowed got[4];
      stage_flows4(*D.lanes, D, K, in, count, got);
      for (int i = 0; i < count; ++i) {
        rep_week::Draws draws(sim::Address{1, 2, 3, 4, 5}, words[i]);
        std::int64_t E[5], S[5];
        const Flowed want = stage_flows(D, K, n_scalar[i], p[i], worked[i], draws, E, S);
        ASSERT_EQ(got[i].lost, want.lost) << K << " stages, rep " << i << " of " << count;
        ASSERT_EQ(got[i].won, want.won) << K << " stages, rep " << i << " of " << count;
        for (int k = 0; k < K; ++k) ASSERT_EQ(n[i][k], n_scalar[i][k]) << "stage " << k;
      }
    }
  }
}

TEST(FlowLanes, NotBuiltPastFiveStages) {
  Params P = load_scenario_file(test::example()).base;
  P.pipeline.stages.resize(6, P.pipeline.stages.back());  // slot 3 * 5 + 2 = 17: past the eager 16
  EXPECT_EQ(Derived(P).lanes, nullptr);
  EXPECT_EQ(Derived(load_scenario_file(test::example()).base, /*with_lanes=*/false).lanes, nullptr);
}

TEST(FlowLanes, EveryExampleScenarioGivesTheSameBits) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  const Scenario example = load_scenario_file(test::example());
  ASSERT_NE(PlanModel(example, example.plans[0]).base_derived.lanes, nullptr);  // lanes in use
  for (const auto& f : std::filesystem::directory_iterator(test::source_dir() + "/scenarios"))
    if (f.path().extension() == ".yaml")
      expect_lanes_as_scalar(load_scenario_file(f.path().string()), 60, f.path().filename());
}

// A team with many leavers (every block cut short somewhere), counts past the lanes' reach, and
// team sizes that leave blocks of one to three reps at the end of a week.
std::string cut_blocks(int reps, int stages, const char* extra = "") {
  std::string yaml = R"(salesim: 2
name: cut
simulation: {horizon_weeks: 30, paths: 10, seed: 3}
goal: {revenue: 500000}
team:
  reps: )" + std::to_string(reps) +
                     R"(
  managers: 2
  skills: {a: {mean: 0.5, sd: 0.2}}
people: {attrition_annual: 0.95, time_to_fill_weeks: 2, ramp_weeks: 4}
burnout: {attrition: 0.3}
capacity: {sustainable_hours: 30, max_hours: 70}
pipeline:
  deal_size: {mean: 20000, cv: 0.7}
  stages:
)";
  for (int k = 0; k < stages; ++k)
    yaml += "    - {name: s" + std::to_string(k) +
            ", skill: a, hours: 0.3, exit_rate: 0.6, conversion: {floor: 0.5, top: 0.9}, "
            "stale_loss: 0.1, initial_per_rep: " +
            std::to_string(k == 0 ? 40 : 12) + "}\n";
  yaml += extra;
  yaml += "plans:\n  - name: baseline\n  - name: hire\n    hiring: [{week: 2, count: 3}]\n";
  return yaml;
}

TEST(FlowLanes, BlocksCutByLeaversAndShortTeamsGiveTheSameBits) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  for (int reps : {1, 2, 3, 5, 7, 13})
    expect_lanes_as_scalar(test::scenario(cut_blocks(reps, 4)), 40, std::to_string(reps) + " reps");
  for (int stages : {1, 3, 5, 6})
    expect_lanes_as_scalar(test::scenario(cut_blocks(9, stages)), 40,
                           std::to_string(stages) + " stages");
  // Recurring revenue keeps each won deal's size in a list, in the order the reps won them.
  expect_lanes_as_scalar(test::scenario(cut_blocks(9, 4, "revenue: {model: recurring}\n")), 30,
                         "recurring");
}

// Every occurrence of `from` in yaml replaced by `to`.
std::string replaced(std::string yaml, const std::string& from, const std::string& to) {
  for (std::size_t at = yaml.find(from); at != std::string::npos;
       at = yaml.find(from, at + to.size()))
    yaml.replace(at, from.size(), to);
  return yaml;
}

// Steps 1-6 in lanes (models/week_lanes.hpp) in every case they branch on: prospecting targets
// (mandatory, or a floor on the slack), a stage of zero hours, stages that do not fit in the
// hours left, no ramp, funnels of two (square roots), three and five stages (roots lane by lane),
// holidays and vacation (which shorten the hours that bind).
TEST(FlowLanes, StepsOneToSixInEveryBranchGiveTheSameBits) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  const std::string base = cut_blocks(11, 4);
  const std::pair<std::string, std::string> cases[] = {
      {"mandatory target",
       cut_blocks(11, 4, "prospecting: {target_hours: 20, mandatory: true, avoidance: 0.4}\n")},
      {"target as a floor", cut_blocks(11, 4, "prospecting: {target_hours: 12}\n")},
      {"overloaded", replaced(base, "hours: 0.3", "hours: 1.7")},
      {"overloaded, mandatory target",
       replaced(cut_blocks(11, 4, "prospecting: {target_hours: 25, mandatory: true}\n"),
                "hours: 0.3", "hours: 1.7")},
      {"a stage of zero hours",
       replaced(base, "name: s1, skill: a, hours: 0.3", "name: s1, skill: a, hours: 0")},
      {"no ramp", replaced(base, "ramp_weeks: 4", "ramp_weeks: 0")},
      {"two stages", replaced(cut_blocks(11, 2), "hours: 0.3", "hours: 1.1")},
      {"three stages", replaced(cut_blocks(11, 3), "hours: 0.3", "hours: 1.1")},
      {"five stages", replaced(cut_blocks(11, 5), "hours: 0.3", "hours: 0.9")},
      {"holidays and vacation, overloaded",
       replaced(replaced(cut_blocks(11, 4,
                                    "calendar: {holidays: [2026-02-16, 2026-04-03], "
                                    "vacation_weeks_per_rep: 5}\n"),
                         "seed: 3}", "seed: 3, start_date: 2026-02-02}"),
                "hours: 0.3", "hours: 1.7")},
  };
  for (const auto& [what, yaml] : cases) expect_lanes_as_scalar(test::scenario(yaml), 40, what);
}

}  // namespace
}  // namespace salesim
