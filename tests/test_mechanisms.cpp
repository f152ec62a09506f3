// Unit tests of single mechanisms of the weekly step.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "models/burnout.hpp"
#include "models/capacity.hpp"
#include "models/skills.hpp"
#include "models/training.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

Params two_stages() {
  Params p;
  p.pipeline.stages = {Stage{}, Stage{}};
  p.pipeline.stages[0].name = "a", p.pipeline.stages[0].hours = 1;
  p.pipeline.stages[1].name = "b", p.pipeline.stages[1].hours = 2;
  return p;
}

TEST(Capacity, StagesServedFromTheLastAndSlackGoesToProspecting) {
  Params p = two_stages();
  const std::int64_t open[2] = {10, 4};
  std::int64_t worked[2];
  HoursInput in{/*H=*/20, /*F=*/5, 1, 0.5, 0};
  // A = 15: stage b takes 4*2 = 8, stage a takes 7 of 10; P* = max(0, 40 - 5 - 18) = 17 but
  // nothing remains.
  EXPECT_EQ(allocate_hours(p, in, open, worked), 0.0);
  EXPECT_EQ(worked[1], 4);
  EXPECT_EQ(worked[0], 7);
  in.H = 60;  // A = 55: all stages (18 hours), then P = min(17, 37)
  EXPECT_EQ(allocate_hours(p, in, open, worked), 17.0);
}

TEST(Capacity, MandatoryTargetServedFirstWithAvoidance) {
  Params p = two_stages();
  p.prospecting.target_hours = 10;
  p.prospecting.mandatory = true;
  p.prospecting.avoidance = 0.5;
  const std::int64_t open[2] = {10, 4};
  std::int64_t worked[2];
  HoursInput in{/*H=*/20, /*F=*/5, 1, /*pref=*/0.2, /*awareness=*/0.5};
  // P* = 10 (1 - 0.5 * 0.8 * 0.5) = 8; A = 15: P = 8 first, then b gets 3 of 4 (6 h), a 1.
  EXPECT_DOUBLE_EQ(allocate_hours(p, in, open, worked), 8.0);
  EXPECT_EQ(worked[1], 3);
  EXPECT_EQ(worked[0], 1);
}

TEST(Capacity, ZeroHourStagesAreAllWorked) {
  Params p = two_stages();
  p.pipeline.stages[0].hours = 0;
  const std::int64_t open[2] = {50, 0};
  std::int64_t worked[2];
  HoursInput in{/*H=*/5, /*F=*/10, 1, 0.5, 0};
  allocate_hours(p, in, open, worked);
  EXPECT_EQ(worked[0], 50);
}

TEST(Capacity, EffortFollowsCommission) {
  Params p;
  p.compensation.commission_rate = 0.12;
  p.compensation.effort_elasticity = 0.3;
  EXPECT_DOUBLE_EQ(effort(p, 0.08), 1 + 0.3 * 0.5);
  EXPECT_DOUBLE_EQ(effort(p, 0.0), 1.0);
  p.compensation.commission_rate = 0;
  p.compensation.effort_elasticity = 5;
  EXPECT_DOUBLE_EQ(effort(p, 0.08), 0.0);
}

TEST(Training, RampIsLinearToOne) {
  Params p;
  p.people.ramp_weeks = 26;
  EXPECT_DOUBLE_EQ(ramp(p, 0), 1.0 / 26);
  EXPECT_DOUBLE_EQ(ramp(p, 25), 1.0);
  EXPECT_DOUBLE_EQ(ramp(p, 100), 1.0);
  p.people.ramp_weeks = 0;
  EXPECT_DOUBLE_EQ(ramp(p, 0), 1.0);
}

TEST(Burnout, UpdateFormula) {
  BurnoutParams b;
  // B + 0.13 * (1.4 - 1.2) + 0.05 * (1 - 0.5) * 10 / 40 - 0.1 * B with B = 0.3
  EXPECT_DOUBLE_EQ(next_burnout(b, 0.3, 1.4, 10, 40, 0.5), 0.3 + 0.13 * 0.2 + 0.00625 - 0.03);
  // Overload counts only above onset_load (1.2): a load of 1.2 adds nothing.
  EXPECT_DOUBLE_EQ(next_burnout(b, 0.3, 1.2, 0, 40, 0), 0.3 - 0.03);
  EXPECT_EQ(next_burnout(b, 0.99, 15, 0, 40, 0), 1.0);
  EXPECT_EQ(next_burnout(b, 0.0, 0.5, 0, 40, 0), 0.0);
}

TEST(Skills, FullCoachingTransfersAndGrows) {
  SkillParams p;
  double s[1] = {0.4}, g[1] = {0.2};
  update_skills(p, /*c=*/1.0, /*rho=*/1.0, /*m=*/0.5, s, g, 1);
  const double g1 = 0.2 * std::exp2(-(1 - 0.8) / 12);
  const double d = 0.05 * g1;
  const double s1 = 0.4 + d;
  const double g2 = g1 - d;
  EXPECT_NEAR(g[0], g2, 1e-15);
  EXPECT_NEAR(s[0], s1 + (0.01 * 0.5 + 0.002) * (1 - s1 - g2), 1e-15);
}

TEST(Skills, StaysWithinOne) {
  SkillParams p;
  p.experience_rate = 1;
  double s[1] = {0.9}, g[1] = {0.1};
  update_skills(p, 1.0, 1.0, 1.0, s, g, 1);
  EXPECT_LE(s[0] + g[0], 1.0 + 1e-15);
  EXPECT_LE(s[0], 1.0);
}

// The skills' update runs two skills at a time in SSE2 lanes: each skill ends bit for bit where
// the one-at-a-time loop of MODEL.md 3.4.10 puts it, for any number of skills (odd counts take
// the scalar tail) and where the caps at 1 bind.
TEST(Skills, LanesGiveTheLoopsBits) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> U(0.0, 1.0);
  SkillParams p;
  for (int trial = 0; trial < 20000; ++trial) {
    const int J = 1 + int(rng() % 7);
    p.experience_rate = trial % 5 == 0 ? 1.0 : U(rng) * 0.01;
    const SkillStep step = skill_step(p, U(rng) * 3, U(rng));
    const double rho = trial % 3 == 0 ? 1.0 : U(rng);
    double s[7], g[7], s_loop[7], g_loop[7];
    for (int j = 0; j < J; ++j) {
      s[j] = s_loop[j] = trial % 4 == 0 ? 1.0 - U(rng) * 1e-3 : U(rng);
      g[j] = g_loop[j] = U(rng) * (1 - s[j]) * (trial % 2 ? 1.0 : 1.5);
    }
    update_skills(p, step, rho, s, g, J);
    const double growth = step.coach_growth + p.experience_rate * rho;
    for (int j = 0; j < J; ++j) {  // MODEL.md 3.4.10, one skill at a time
      g_loop[j] *= step.decay;
      const double delta = step.transfer * g_loop[j];
      g_loop[j] -= delta;
      s_loop[j] += delta;
      s_loop[j] += growth * (1 - s_loop[j] - g_loop[j]);
      s_loop[j] = std::min(1.0, s_loop[j]);
      g_loop[j] = std::min(g_loop[j], 1 - s_loop[j]);
      ASSERT_EQ(s[j], s_loop[j]) << "skill " << j << " of " << J;
      ASSERT_EQ(g[j], g_loop[j]) << "skill " << j << " of " << J;
    }
  }
}

// Training: a program raises the effective skills of participants; the gap-targeted one
// trains the weakest skills.
TEST(Training, TargetedTrainingRaisesBookings) {
  const Scenario sc = load_scenario_file(test::example());
  RunSettings s;
  s.paths = 200;
  const ScenarioResults res = run_scenario(sc, s, {"baseline", "targeted-effectiveness"});
  EXPECT_GT(res.comparisons[0].bookings_diff.mean, 3 * res.comparisons[0].bookings_diff.se);
}

// MODEL.md 3.8 gives focus_skills no upper limit: at or above the number of skills it trains
// every skill, so any such value runs the same bits (it was refused above the skill count).
TEST(Training, FocusSkillsPastTheSkillCountTrainsEverySkill) {
  const std::string file = test::kLists;  // skills a, b and prospecting: J = 3
  const std::string from = "efficacy: 0.2, cost_per_person: 500}";
  ASSERT_NE(file.find(from), std::string::npos);
  auto with = [&](int k) {
    std::string t = file;
    t.replace(t.find(from), from.size(),
              fmt::format("efficacy: 0.2, focus_skills: {}, cost_per_person: 500}}", k));
    return test::scenario(t);
  };
  const sim::RunOutput three = test::run(with(3), 0, 64), fifty = test::run(with(50), 0, 64);
  ASSERT_EQ(three.scalars.size(), fifty.scalars.size());
  EXPECT_EQ(std::memcmp(three.scalars.data(), fifty.scalars.data(),
                        three.scalars.size() * sizeof(double)),
            0);
}

}  // namespace
}  // namespace salesim
