// Statistical tests against the closed forms of MODEL.md section 6, each within 3 standard
// errors (or exactly, where the model is deterministic).
#include <gtest/gtest.h>

#include <cmath>

#include "models/pipeline_graph.hpp"
#include "models/skills.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

TEST(AbsorbingChain, MatchesModelExample) {
  const ChainFigures f = absorbing_chain({{"s1", 0.6, 0.25, 0.15}, {"s2", 0.8, 0.12, 0.08}});
  EXPECT_NEAR(f.N(0, 0), 2.5, 1e-12);
  EXPECT_NEAR(f.N(0, 1), 3.125, 1e-12);
  EXPECT_NEAR(f.N(1, 0), 0.0, 1e-12);
  EXPECT_NEAR(f.N(1, 1), 5.0, 1e-12);
  EXPECT_NEAR(f.expected_weeks[0], 5.625, 1e-12);
  EXPECT_NEAR(f.expected_weeks[1], 5.0, 1e-12);
  EXPECT_NEAR(f.win_probability[0], 0.375, 1e-12);
  EXPECT_NEAR(f.win_probability[1], 0.6, 1e-12);
  EXPECT_NEAR(f.weeks_variance[0], 22.109375, 1e-9);
  EXPECT_NEAR(f.weeks_variance[1], 20.0, 1e-9);
}

// A stage nothing leaves (exit_rate 0): opportunities that reach it are never resolved, so the
// weeks to resolution are unbounded from it and from every stage before it that reaches it; the
// win probabilities are those of the paths that do not get stuck (the chain counted one week).
TEST(AbsorbingChain, AStageNothingLeavesHasUnboundedWeeks) {
  const ChainFigures f =
      absorbing_chain({{"s1", 0.6, 0.25, 0.15}, {"s2", 1, 0, 0}, {"s3", 0.5, 0.5, 0}});
  EXPECT_TRUE(std::isinf(f.expected_weeks[0]));
  EXPECT_TRUE(std::isinf(f.expected_weeks[1]));
  EXPECT_NEAR(f.expected_weeks[2], 2.0, 1e-12);
  EXPECT_NEAR(f.win_probability[0], 0.0, 1e-12);
  EXPECT_NEAR(f.win_probability[1], 0.0, 1e-12);
  EXPECT_NEAR(f.win_probability[2], 1.0, 1e-12);
}

// A team whose only activity is the given pipeline: no prospecting, no attrition, no burnout.
std::string quiet_team(const std::string& extra) {
  return R"(
salesim: 1
name: closed form
simulation: {horizon_weeks: 200, paths: 4000, seed: 99}
team: {reps: 1, managers: 1}
prospecting: {yield: {floor: 0, top: 0}}
burnout: {discomfort: 0, conversion_loss: 0, capacity_loss: 0, attrition: 0}
people: {attrition_annual: 0}
)" + extra +
         "plans: [{name: only}]\n";
}

// Stage 1 stays .6, advances .25, is lost .15; stage 2 stays .8, wins .12, is lost .08.
TEST(AbsorbingChain, SimulatedPipelineMatches) {
  const int n0 = 20;
  const Scenario sc = test::scenario(quiet_team(R"(
pipeline:
  stages:
    - {name: s1, hours: 0, exit_rate: 0.4, conversion: {floor: 0.625, top: 0.625}, stale_loss: 0, initial_per_rep: 20}
    - {name: s2, hours: 0, exit_rate: 0.2, conversion: {floor: 0.6, top: 0.6}, stale_loss: 0}
)"));
  const std::size_t paths = 4000;
  const sim::RunOutput r = test::run(sc, 0, paths);
  std::vector<double> win_share(paths);
  for (std::size_t i = 0; i < paths; ++i) {
    win_share[i] = r.scalar(i, out::won) / n0;
    EXPECT_EQ(r.scalar(i, out::won) + r.scalar(i, out::lost), n0);  // all absorbed in 200 weeks
  }
  const sim::MeanSe win = sim::mean_se(win_share);
  EXPECT_NEAR(win.mean, 0.375, 3 * win.se);

  // E[T] = sum over weeks of P(open at the start of the week) = 1 + sum_t E[open_t] / n0.
  double expected_weeks = 1;
  for (std::size_t t = 0; t < r.shape.weeks; ++t)
    expected_weeks += r.sum(out::s_open_count, t) / double(paths * n0);
  const double se = std::sqrt(22.109375 / double(paths * n0));
  EXPECT_NEAR(expected_weeks, 5.625, 3 * se);
}

// Every opportunity created in week t exits and wins in week t+1: weekly bookings are a
// compound Poisson sum with rate lambda and lognormal sizes.
TEST(CompoundPoisson, WeeklyBookingsMeanAndVariance) {
  const double lambda = 3, mean = 25000, cv = 0.8;
  const Scenario sc = test::scenario(quiet_team(R"(
market: {inbound_leads_per_week: 3, lead_quality: 1}
pipeline:
  deal_size: {mean: 25000, cv: 0.8}
  stages: [{name: s, hours: 0, exit_rate: 1, conversion: {floor: 1, top: 1}, stale_loss: 0}]
)"));
  const sim::RunOutput r = test::run(sc, 0, 1000);
  std::vector<double> x;
  for (std::size_t w = 1; w < r.shape.weeks; ++w)
    for (double v : r.kept_week(out::weekly_bookings, w)) x.push_back(v);
  const sim::MeanSe m = sim::mean_se(x);
  EXPECT_NEAR(m.mean, lambda * mean, 3 * m.se);
  double m2 = 0, m4 = 0;
  for (double v : x) m2 += (v - m.mean) * (v - m.mean), m4 += std::pow(v - m.mean, 4);
  m2 /= double(x.size()), m4 /= double(x.size());
  const double var_se = std::sqrt((m4 - m2 * m2) / double(x.size()));
  const double ex2 = mean * mean * (1 + cv * cv);
  EXPECT_NEAR(m2, lambda * ex2, 3 * var_se);
}

// The closed form of burnout under a constant overload is in test_model2.cpp
// (Model2Burnout.ConstantOverloadAboveOnsetApproachesBalance, four loads and parameter sets).
TEST(Burnout, StaysZeroWithoutDiscomfortOrOverload) {
  std::string yaml = test::read_file(test::example());
  yaml += "\n";  // the example with burnout sources switched off, through plan overrides
  Scenario sc = test::scenario(yaml);
  for (auto& p : sc.plans) {
    p.params.burnout.discomfort = 0;
    p.params.capacity.max_hours = p.params.capacity.sustainable_hours;
    p.from_week = 0;
  }
  sc.base.burnout.discomfort = 0;
  sc.base.capacity.max_hours = sc.base.capacity.sustainable_hours;
  for (std::size_t plan = 0; plan < sc.plans.size(); ++plan) {
    if (sc.plans[plan].params.compensation.commission_rate > sc.base.compensation.commission_rate)
      continue;  // effort above 1 would raise hours over sustainable
    const sim::RunOutput r = test::run(sc, plan, 50);
    for (std::size_t t = 0; t < r.shape.weeks; ++t)
      EXPECT_EQ(r.sum(out::s_burnout_mean, t), 0.0) << sc.plans[plan].name << " week " << t;
  }
}

TEST(Skills, UnreinforcedTrainingGainHalvesEveryHalfLife) {
  SkillParams p;
  p.experience_rate = 0;
  p.training_half_life_weeks = 12;
  double s[1] = {0.3}, g[1] = {0.2};
  for (int week = 0; week < 12; ++week) update_skills(p, 0.0, 1.0, 0.5, s, g, 1);
  EXPECT_NEAR(g[0], 0.1, 1e-12);
  EXPECT_EQ(s[0], 0.3);
  for (int week = 0; week < 24; ++week) update_skills(p, 0.0, 1.0, 0.5, s, g, 1);
  EXPECT_NEAR(g[0], 0.025, 1e-12);
}

}  // namespace
}  // namespace salesim
