// Segments of a finite market, territories, quotas and accelerators (docs/model.md 12.7-12.8):
// the depletion closed form, cooling, the split of one segment into two, attainment from
// per-rep state, accelerators in cost, and the CLI's JSON keys.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "models/outputs.hpp"
#include "models/plan_model.hpp"
#include "models/segments.hpp"
#include "models/week.hpp"
#include "sim/stats.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

using namespace out::territory;

std::vector<double> column(const sim::RunOutput& run, std::size_t i) {
  std::vector<double> v(run.paths);
  for (std::size_t p = 0; p < run.paths; ++p) v[p] = run.scalar(p, i);
  return v;
}

// Prospecting at a constant rate (a mandatory target, a yield without a skill slope, no icp
// lift, no burnout, no attrition) into a stage nothing leaves: only depletion moves the rate.
std::string depletion(int horizon) {
  return fmt::format(R"(salesim: 2
name: depletion
simulation: {{horizon_weeks: {}, paths: 400, seed: 11}}
pipeline:
  stages: [{{name: hold, hours: 0, exit_rate: 0, stale_loss: 0}}]
team: {{reps: 10, managers: 1}}
capacity: {{admin_hours: 0}}
prospecting: {{target_hours: 5, mandatory: true, avoidance: 0, yield: {{floor: 0.4, top: 0.4}}, icp_lift: 0}}
burnout: {{discomfort: 0, attrition: 0}}
people: {{attrition_annual: 0}}
segments: [{{name: all, accounts: 2000}}]
plans: [{{name: baseline}}]
)",
                     horizon);
}

// Fresh accounts fall geometrically: E[F_t] = A (1 - lambda/A)^t with lambda the team's
// expected new opportunities per week at a full pool (10 reps x 5 hours x 0.4 = 20).
TEST(Territory, DepletionFollowsTheClosedForm) {
  for (int horizon : {10, 30}) {
    const Scenario sc = test::scenario(depletion(horizon));
    const sim::RunOutput run = test::run(sc, 0, 400);
    const Layout L = out::territory_layout(sc);
    const sim::MeanSe fresh = sim::mean_se(column(run, L.segment(0, seg_fresh)));
    const double expected = 2000 * std::pow(1 - 20.0 / 2000, horizon);
    EXPECT_NEAR(fresh.mean, expected, 4 * fresh.se) << "horizon " << horizon;
    EXPECT_GT(fresh.se, 0);
    for (std::size_t p = 0; p < run.paths; ++p) {  // nothing won or lost: accounts conserved
      EXPECT_EQ(run.scalar(p, L.segment(0, seg_fresh)) + run.scalar(p, L.segment(0, seg_created)),
                2000);
      EXPECT_EQ(run.scalar(p, L.segment(0, seg_customers)), 0);
      EXPECT_EQ(run.scalar(p, L.segment(0, seg_cooling)), 0);
    }
  }
}

// Five starting opportunities nobody works (the stage needs more hours than a week has) go
// stale in week 1 and are fresh again at the start of week 1 + cooling_weeks, not before.
TEST(Territory, CoolingReturnsALostAccountAfterExactlyCoolingWeeks) {
  const Scenario sc = test::scenario(R"(salesim: 2
name: cooling
simulation: {horizon_weeks: 12, paths: 1, seed: 3}
pipeline:
  stages: [{name: hold, hours: 100, exit_rate: 0.5, stale_loss: 1, initial_per_rep: 5}]
team: {reps: 1, managers: 1}
prospecting: {yield: {floor: 0, top: 0}}
people: {attrition_annual: 0}
burnout: {attrition: 0}
segments: [{name: all, accounts: 100, cooling_weeks: 4}]
plans: [{name: baseline}]
)");
  const PlanModel model(sc, sc.plans[0]);
  PathScratch scratch;
  init_path(model, scratch, 0);
  const SegmentBooks& b = scratch.state.territory.books[0];
  EXPECT_EQ(b.fresh, 95);
  for (int t = 0; t < 12; ++t) {
    step_week(model, scratch, t);
    // Lost in week t = 0; fresh again from the start of week t = 4.
    EXPECT_EQ(b.fresh, t < 4 ? 95 : 100) << "after week t = " << t;
    EXPECT_EQ(b.cooling, t < 4 ? 5 : 0) << "after week t = " << t;
    EXPECT_EQ(b.lost, 5);
  }
}

std::string split(bool two) {
  const std::string segments =
      two ? "segments: [{name: east, accounts: 1500}, {name: west, accounts: 1500}]\n"
            "territories: [{segment: east, reps: 10}, {segment: west, reps: 10}]\n"
          : "segments: [{name: all, accounts: 3000}]\n";
  return R"(salesim: 2
name: split
simulation: {horizon_weeks: 40, paths: 400, seed: 5}
market: {inbound_leads_per_week: 30, lead_quality: 0.5}
pipeline:
  stages:
    - {name: qualify, hours: 0.5, exit_rate: 0.5, conversion: {floor: 0.4, top: 0.6}, stale_loss: 0.05, initial_per_rep: 4}
    - {name: close, hours: 1, exit_rate: 0.4, conversion: {floor: 0.4, top: 0.6}, stale_loss: 0.03, initial_per_rep: 2}
team: {reps: 20, managers: 2}
)" + segments +
         "plans: [{name: baseline}]\n";
}

// Two identical segments of half the accounts each, with half the team each, are one segment
// with the whole team: the same bookings, opportunities and fresh accounts (within Monte Carlo
// error; unpaired, since hand-overs stay within a segment and so differ path by path).
TEST(Territory, TwoIdenticalSegmentsSplittingATeamAreOneSegment) {
  const Scenario one = test::scenario(split(false)), two = test::scenario(split(true));
  const sim::RunOutput a = test::run(one, 0, 400), b = test::run(two, 0, 400);
  const Layout La = out::territory_layout(one), Lb = out::territory_layout(two);
  auto close = [](const std::vector<double>& x, const std::vector<double>& y, const char* what) {
    const sim::MeanSe mx = sim::mean_se(x), my = sim::mean_se(y);
    EXPECT_NEAR(mx.mean, my.mean, 4 * std::hypot(mx.se, my.se)) << what;
  };
  close(column(a, out::final_bookings), column(b, out::final_bookings), "bookings");
  close(column(a, out::created), column(b, out::created), "opportunities");
  std::vector<double> fresh2(b.paths), booked2(b.paths);
  for (std::size_t p = 0; p < b.paths; ++p) {
    fresh2[p] = b.scalar(p, Lb.segment(0, seg_fresh)) + b.scalar(p, Lb.segment(1, seg_fresh));
    booked2[p] =
        b.scalar(p, Lb.segment(0, seg_bookings)) + b.scalar(p, Lb.segment(1, seg_bookings));
    // The segments' bookings are the path's (up to the order of the sums).
    EXPECT_NEAR(booked2[p], b.scalar(p, out::final_bookings), 1e-6 * booked2[p] + 1e-6);
  }
  close(column(a, La.segment(0, seg_fresh)), fresh2, "fresh accounts");
  // The depletion is real in this scenario, so the comparison says something.
  EXPECT_LT(sim::mean_se(fresh2).mean, 0.8 * 3000);
}

const char* kQuota = R"(salesim: 2
name: quota
simulation: {horizon_weeks: 52, paths: 48, seed: 9}
pipeline:
  deal_size: {mean: 20000, cv: 0.6}
  stages:
    - {name: qualify, hours: 0.5, exit_rate: 0.5, conversion: {floor: 0.4, top: 0.6}, stale_loss: 0.05, initial_per_rep: 4}
    - {name: close, hours: 1, exit_rate: 0.4, conversion: {floor: 0.4, top: 0.6}, stale_loss: 0.03, initial_per_rep: 2}
team: {reps: 12, managers: 2, quota: {annual: 500k}}
hiring: [{week: 20, count: 3}]
plans: [{name: baseline}]
)";

// The share at or above quota is the per-rep computation: rebuild each path's reps from the
// engine's state after its last week and compare with the path's figures and the summary.
TEST(Territory, AttainmentShareEqualsThePerRepComputation) {
  const Scenario sc = test::scenario(kQuota);
  const sim::RunOutput run = test::run(sc, 0, 48);
  const Layout L = out::territory_layout(sc);
  const PlanModel model(sc, sc.plans[0]);
  PathScratch scratch;
  double reps = 0, above = 0;
  std::vector<double> all;  // every counted rep's attainment, over the paths
  for (std::uint64_t p = 0; p < 48; ++p) {
    init_path(model, scratch, p);
    for (int t = 0; t < model.horizon; ++t) step_week(model, scratch, t);
    const PathState& st = scratch.state;
    double n = 0, a = 0, n_new = 0, zeros = 0;
    std::vector<double> bins(kBins + 1, 0.0);
    for (int r : st.active_list) {
      const double q = st.territory.quota_to_date(r), att = st.territory.booked[r] / q;
      n += 1, a += att >= 1, n_new += r >= 12, zeros += att == 0;
      all.push_back(att);
      bins[std::min<std::size_t>(kBins, std::size_t(std::floor(att * (1.0 / kBinWidth))))] += 1;
      // A starting rep who stayed the whole year carries the whole annual quota.
      if (r < 12) {
        EXPECT_NEAR(q, 500000, 1e-6);
      } else {
        EXPECT_LT(q, 500000 * 33.0 / 52);  // joined in week 20, then ramped
      }
    }
    EXPECT_EQ(run.scalar(p, L.quota_field(q_reps)), n) << "path " << p;
    EXPECT_EQ(run.scalar(p, L.quota_field(q_at_or_above)), a) << "path " << p;
    EXPECT_EQ(run.scalar(p, L.quota_field(q_new_reps)), n_new) << "path " << p;
    EXPECT_EQ(run.scalar(p, L.quota_field(q_at_zero)), zeros) << "path " << p;
    for (std::size_t i = 0; i <= kBins; ++i) EXPECT_EQ(run.scalar(p, L.bin(i)), bins[i]);
    reps += n, above += a;
  }
  RunSettings s;
  s.paths = 48;
  const ScenarioResults res = run_scenario(sc, s);
  const auto& q = res.plans[0].territory.quota;
  ASSERT_TRUE(q.has_value());
  ASSERT_TRUE(q->all.share_at_or_above.has_value());
  EXPECT_NEAR(*q->all.share_at_or_above, above / reps, 1e-12);
  EXPECT_GT(above, 0);
  EXPECT_LT(above, reps);
  // The percentiles from the pooled histogram are within a bin of the exact ones (or null when
  // they fall in the open top bin).
  const std::array<double, 3> probs{0.1, 0.5, 0.9};
  const auto exact = sim::quantiles(all, probs);
  const std::array<std::optional<double>, 3> got{q->p10, q->p50, q->p90};
  for (int i = 0; i < 3; ++i) {
    if (*exact[i] >= kBins * kBinWidth) {
      EXPECT_FALSE(got[i].has_value());
    } else {
      ASSERT_TRUE(got[i].has_value()) << probs[i];
      EXPECT_NEAR(*got[i], *exact[i], kBinWidth) << probs[i];
    }
  }
  // Streaming gives the same share (sums of the same per-path counts).
  s.streaming = true;
  const ScenarioResults st = run_scenario(sc, s);
  EXPECT_NEAR(*st.plans[0].territory.quota->all.share_at_or_above, above / reps, 1e-12);
}

// Reps who booked nothing are a point mass at 0, not spread over the first bin: with a third
// of the team hired two weeks before the horizon, P10 is 0 exactly (it read about 0.03 when
// the first bin was taken as uniform) and P50 is the exact one's within a bin.
TEST(Territory, AttainmentPercentilesAmongRepsWhoBookedNothingAreZero) {
  std::string text = kQuota;
  const std::string hires = "hiring: [{week: 20, count: 3}]";
  text.replace(text.find(hires), hires.size(), "hiring: [{week: 50, count: 6}]");
  const Scenario sc = test::scenario(text);
  const Layout L = out::territory_layout(sc);
  RunSettings s;
  s.paths = 40;
  const ScenarioResults res = run_scenario(sc, s);
  const auto& q = *res.plans[0].territory.quota;
  double zeros = 0, reps = 0;
  for (std::size_t p = 0; p < 40; ++p) {
    zeros += res.plans[0].run.scalar(p, L.quota_field(q_at_zero));
    reps += res.plans[0].run.scalar(p, L.quota_field(q_reps));
  }
  ASSERT_GT(zeros / reps, 0.1);  // the late hires, and the odd starting rep
  ASSERT_LT(zeros / reps, 0.5);
  ASSERT_TRUE(q.p10.has_value());
  EXPECT_EQ(*q.p10, 0.0);
  ASSERT_TRUE(q.p50.has_value());
  EXPECT_GT(*q.p50, 0.0);
  // P50 within a bin of the exact one, from every counted rep's attainment on the same paths.
  const PlanModel model(sc, sc.plans[0]);
  PathScratch scratch;
  std::vector<double> all;
  for (std::uint64_t p = 0; p < 40; ++p) {
    init_path(model, scratch, p);
    for (int t = 0; t < model.horizon; ++t) step_week(model, scratch, t);
    for (int r : scratch.state.active_list)
      all.push_back(scratch.state.territory.booked[r] / scratch.state.territory.quota_to_date(r));
  }
  ASSERT_EQ(double(all.size()), reps);
  const std::array<double, 1> half{0.5};
  const auto exact = sim::quantiles(all, half);
  ASSERT_TRUE(exact[0].has_value());
  EXPECT_NEAR(*q.p50, *exact[0], kBinWidth);
  // Streaming gives the same percentiles (sums of the same per-path counts).
  s.streaming = true;
  const ScenarioResults st = run_scenario(sc, s);
  EXPECT_EQ(st.plans[0].territory.quota->p10, q.p10);
  EXPECT_EQ(st.plans[0].territory.quota->p50, q.p50);
}

// Without effort elasticity the accelerators change no draw: bookings keep their bits and the
// cost grows by exactly the accelerator pay of each path. With it, reps past quota work more.
TEST(Territory, AcceleratorsEnterCostAndThroughEffortHours) {
  auto with = [](const std::string& comp) {
    return test::scenario(std::string(kQuota) + "compensation: " + comp + "\n");
  };
  const Scenario plain = with("{effort_elasticity: 0}"),
                 acc = with(
                     "{effort_elasticity: 0, accelerators: [{from: 1, rate: 0.12}, "
                     "{from: 1.5, rate: 0.05}]}");
  const sim::RunOutput a = test::run(plain, 0, 48), b = test::run(acc, 0, 48);
  const Layout L = out::territory_layout(acc);
  double paid = 0;
  for (std::size_t p = 0; p < 48; ++p) {
    EXPECT_EQ(a.scalar(p, out::final_bookings), b.scalar(p, out::final_bookings));
    const double pay = b.scalar(p, L.quota_field(q_accelerators));
    EXPECT_NEAR(b.scalar(p, out::cost) - a.scalar(p, out::cost), pay, 1e-6 * (1 + pay));
    paid += pay;
  }
  EXPECT_GT(paid, 0);
  const Scenario elastic = with("{effort_elasticity: 0.5}"),
                 elastic_acc =
                     with("{effort_elasticity: 0.5, accelerators: [{from: 1, rate: 0.12}]}");
  const auto h0 = sim::mean_se(column(test::run(elastic, 0, 48), out::hours_per_rep_week)),
             h1 = sim::mean_se(column(test::run(elastic_acc, 0, 48), out::hours_per_rep_week));
  EXPECT_GT(h1.mean, h0.mean);
}

// Deals of a fixed size that every week's lead turns into a win at once: one rep books exactly
// `annual` over the year (four deals, the segment's four accounts), or two reps, one in a
// segment with a quota and one in a segment without, book what their accounts allow.
std::string fixed_deals(double deal, const std::string& team_quota, const std::string& segments,
                        int reps) {
  return fmt::format(R"(salesim: 2
name: fixed deals
simulation: {{horizon_weeks: 52, paths: 4, seed: 1}}
market: {{inbound_leads_per_week: 1000000, lead_quality: 1}}
pipeline:
  deal_size: {{mean: {}, cv: 0}}
  stages:
    - {{name: s1, hours: 0, exit_rate: 1, conversion: {{floor: 1, top: 1}}, stale_loss: 0, initial_per_rep: 0}}
team: {{reps: {}, managers: 1{}}}
prospecting: {{yield: {{floor: 0, top: 0}}}}
people: {{attrition_annual: 0}}
burnout: {{accumulation: 0, discomfort: 0, attrition: 0}}
compensation: {{commission_rate: 0.08, accelerators: [{{from: 1.0, rate: 0.1}}]}}
segments: {}
plans: [{{name: baseline}}]
)",
                     deal, reps, team_quota, segments);
}

// docs/model.md 12.8: "a starting rep who stays the whole 52-week year carries exactly the
// annual quota": its attainment is its bookings over the annual quota, and booking the quota is
// reaching it. Adding annual / 52 a week left 1M at 0.9999999999999984 of itself.
TEST(Territory, ARepWhoStaysAYearCarriesExactlyTheAnnualQuota) {
  for (const double annual : {250000.0, 300000.0, 1e6, 1.2e6, 2e6}) {
    const Scenario sc = test::scenario(fixed_deals(
        annual / 4, fmt::format(", quota: {{annual: {}}}", annual), "[{name: a, accounts: 4}]", 1));
    const sim::RunOutput r = test::run(sc, 0, 4);
    const Layout L = out::territory_layout(sc);
    for (std::size_t p = 0; p < 4; ++p) {
      const double booked = r.scalar(p, out::final_bookings);
      ASSERT_NEAR(booked, annual, 1e-6 * annual);  // four deals of a quarter each
      EXPECT_EQ(r.scalar(p, L.quota_field(q_attainment_sum)), booked / annual) << annual;
      EXPECT_EQ(r.scalar(p, L.quota_field(q_at_or_above)), booked >= annual ? 1.0 : 0.0);
    }
  }
}

// Accelerators "pay above quota and need a quota": a rep in a segment without one (in a team
// without one) is paid none; it was paid the tiers' rates on all its bookings.
TEST(Territory, ARepWithoutAQuotaIsPaidNoAccelerators) {
  const Scenario sc = test::scenario(
      fixed_deals(10000, "",
                  "[{name: a, accounts: 52, quota: {annual: 520000}}, {name: b, accounts: 30}]\n"
                  "territories: [{segment: a, reps: 1}, {segment: b, reps: 1}]",
                  2));
  const sim::RunOutput r = test::run(sc, 0, 4);
  const Layout L = out::territory_layout(sc);
  for (std::size_t p = 0; p < 4; ++p) {
    // The rep of a wins its segment's 52 accounts in week 2 (created in week 1), 520k when its
    // quota to date is 20k: 0.1 x (520k - 20k). The rep of b, 300k without a quota, adds none.
    EXPECT_NEAR(r.scalar(p, L.quota_field(q_accelerators)), 50000, 1e-6) << p;
  }
}

// A tiny quota (any annual quota above 0 is valid) makes attainments past 1e18: their bin
// index did not convert to an integer and every such rep landed in the first bin, so the
// histogram and the percentiles said "below 5%" of reps 97% of whom were at or above quota.
// The shares of reps are ratios of whole counts: the tenured share, a difference of two
// totals rebuilt from means, came out at 1.0000000000000004.
TEST(Territory, ATinyQuotaPutsItsRepsInTheTopBinAndSharesStayShares) {
  std::string yaml =
      std::string(kQuota).replace(std::string(kQuota).find("annual: 500k"), 12, "annual: 1e-15");
  const Scenario sc = test::scenario(yaml);
  const sim::RunOutput run = test::run(sc, 0, 48);
  const Layout L = out::territory_layout(sc);
  double above = 0;
  for (std::size_t p = 0; p < 48; ++p) {
    double top = 0;  // reps in the bins from attainment 1 up
    for (std::size_t i = std::size_t(1 / kBinWidth); i <= kBins; ++i)
      top += run.scalar(p, L.bin(i));
    EXPECT_EQ(top, run.scalar(p, L.quota_field(q_at_or_above))) << "path " << p;
    EXPECT_EQ(run.scalar(p, L.bin(kBins)), run.scalar(p, L.quota_field(q_at_or_above)));
    above += top;
  }
  EXPECT_GT(above, 0);
  EXPECT_EQ(attainment_bin(1e300), kBins);
  EXPECT_EQ(attainment_bin(std::numeric_limits<double>::infinity()), kBins);
  EXPECT_EQ(attainment_bin(2.96), 59u);
  EXPECT_EQ(attainment_bin(0), 0u);

  // quota_tiny: 10 reps with the default team and attrition over 200 paths, where the share
  // of tenured reps came out above 1.
  const Scenario tiny = test::scenario(R"(salesim: 2
name: quota-tiny
simulation: {horizon_weeks: 52, paths: 200, seed: 11}
pipeline:
  stages:
    - {name: q, initial_per_rep: 5}
team: {reps: 10, quota: {annual: 1e-15}}
compensation: {accelerators: [{from: 10, rate: 1}]}
plans:
  - name: base
)");
  RunSettings s;
  s.paths = 200;
  const auto q = run_scenario(tiny, s).plans[0].territory.quota;
  ASSERT_TRUE(q.has_value());
  for (const AttainmentGroup* g : {&q->all, &q->new_hires, &q->tenured}) {
    ASSERT_TRUE(g->share_at_or_above.has_value());
    EXPECT_GE(*g->share_at_or_above, 0.0);
    EXPECT_LE(*g->share_at_or_above, 1.0);
  }
  EXPECT_EQ(*q->tenured.share_at_or_above, 1.0);  // every tenured rep books above a tiny quota
  EXPECT_FALSE(q->p90.has_value());               // in the open top bin
}

TEST(Territory, SameBitsForAnyThreadCount) {
  const Scenario sc = test::scenario(split(true));
  const sim::RunOutput a = test::run(sc, 0, 130, 1), b = test::run(sc, 0, 130, 2);
  ASSERT_EQ(a.scalars.size(), b.scalars.size());
  EXPECT_EQ(std::memcmp(a.scalars.data(), b.scalars.data(), a.scalars.size() * sizeof(double)), 0);
}

TEST(Territory, OffWithoutItsKeys) {
  const Scenario sc = test::scenario(test::kLists);
  EXPECT_EQ(out::territory_layout(sc).count(), 0u);
  EXPECT_EQ(out::shape(sc).scalars, out::first_period(sc) + out::period_count(sc));
}

// An empty list of accelerators pays nothing, so it needs no quota; a tier without one is refused.
TEST(Territory, AnEmptyAcceleratorListNeedsNoQuota) {
  const std::string base = std::string(test::kLists) + "compensation: {accelerators: ";
  const Scenario sc = test::scenario(base + "[]}\n");
  EXPECT_TRUE(sc.base.quota.accelerators.empty());
  EXPECT_EQ(out::territory_layout(sc).count(), 0u);
  try {
    test::scenario(base + "[{from: 1, rate: 0.1}]}\n");
    ADD_FAILURE() << "a tier without a quota was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("accelerators are paid above quota"), std::string::npos)
        << e.what();
  }
}

TEST(Territory, TeamSharesByTheDeficitRule) {
  EXPECT_EQ(segment_counts({0.2, 0.8}, 40), (std::vector<int>{8, 32}));
  EXPECT_EQ(segment_counts({0.5, 0.5}, 3), (std::vector<int>{2, 1}));
  EXPECT_EQ(segment_counts({0.0, 1.0}, 4), (std::vector<int>{0, 4}));
}

TEST(Territory, RunJsonHasSegmentsAndQuota) {
  const std::string out = testing::TempDir() + "territory.json";
  ASSERT_EQ(test::shell(test::binary() + " run " + test::source_dir() +
                        "/scenarios/territory-rebalance.yaml --paths 40 --quiet --json " + out),
            0);
  const auto j = nlohmann::json::parse(test::read_file(out));
  for (const auto& p : j["plans"]) {
    ASSERT_TRUE(p["segments"].is_array());
    EXPECT_EQ(p["segments"].size(), 3u);
    EXPECT_TRUE(p["segments"][0]["bookings"]["mean"].is_number());
    EXPECT_TRUE(p["segments"][0]["fresh_accounts_final"]["mean"].is_number());
    EXPECT_TRUE(p["quota"]["attainment"]["p50"].is_number());
    EXPECT_TRUE(p["quota"]["share_at_or_above"].is_number());
  }
}

}  // namespace
}  // namespace salesim
