// Recurring revenue (docs/model.md 12.5): closed forms of renewal and expansion, won deals as
// contracts, MRR, commission bases, goal.metric: arr, determinism and the CLI's outputs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "models/cost_parts.hpp"
#include "models/results.hpp"
#include "models/simulate.hpp"
#include "sim/h5.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

// A team that never wins a deal (conversion 0, no prospecting): only the starting base moves.
std::string base_only(double renewal, double expansion, int weeks = 104, int paths = 400) {
  return fmt::format(R"(salesim: 2
name: base only
simulation: {{horizon_weeks: {}, paths: {}, seed: 21}}
pipeline:
  stages: [{{name: qualify, conversion: {{floor: 0, top: 0}}}}]
team: {{reps: 1, managers: 1}}
prospecting: {{yield: {{floor: 0, top: 0}}}}
revenue: {{model: recurring, term_months: 12, renewal_rate: {}, expansion_rate: {}}}
customers: {{count: 150, acv: {{mean: 10000, cv: 0.6}}}}
plans: [{{name: base}}]
)",
                     weeks, paths, renewal, expansion);
}

std::size_t slot(const Scenario& sc, std::size_t s) { return out::first_recurring(sc) + s; }

// Per path, ARR at the end of file week `week` over ARR at the start: its mean and standard
// error. Given the ACVs, each contract survives k anniversaries with probability r^k, so the
// ratio's expectation is exactly (r (1 + e))^k.
sim::MeanSe arr_ratio(const Scenario& sc, const sim::RunOutput& run, int week) {
  std::vector<double> v;
  const auto arr = run.kept_week(out::kept_count + arr_out::arr, std::size_t(week - 1));
  for (std::size_t i = 0; i < run.paths; ++i)
    v.push_back(arr[i] / run.scalar(i, slot(sc, arr_out::arr_start)));
  return sim::mean_se(v);
}

TEST(Recurring, BaseKeepsRenewalRatePowerAfterEachAnniversary) {
  const double r = 0.8;
  const Scenario sc = test::scenario(base_only(r, 0));
  const auto run = test::run(sc, 0, 400);
  for (int k : {1, 2}) {
    const sim::MeanSe m = arr_ratio(sc, run, 52 * k);
    EXPECT_NEAR(m.mean, std::pow(r, k), 3 * m.se) << "after " << k << " anniversaries";
    EXPECT_GT(m.se, 0);
  }
  // Half-way through the first term, half the base has had its anniversary: 1 - (1 - r)/2.
  const sim::MeanSe half = arr_ratio(sc, run, 26);
  EXPECT_NEAR(half.mean, 1 - (1 - r) / 2, 3 * half.se);
}

// ARR is a running sum of the week's changes: with every contract churned it ended at -1.7e-9
// (or -0.002 with ACVs of 1e9), negative on 228 of 500 paths. It is 0, as is MRR.
TEST(Recurring, ArrOfABookThatAllChurnsIsZeroNotBelow) {
  std::string yaml = base_only(0, 0, 60, 200);
  yaml.replace(yaml.find("mean: 10000, cv: 0.6"), 20, "mean: 1000000000, cv: 3");
  const Scenario sc = test::scenario(yaml);
  const auto run = test::run(sc, 0, 200);
  for (std::size_t i = 0; i < run.paths; ++i) {
    EXPECT_EQ(run.scalar(i, slot(sc, arr_out::arr_final)), 0.0) << "path " << i;
    EXPECT_EQ(run.scalar(i, slot(sc, arr_out::mrr_final)), 0.0) << "path " << i;
  }
}

TEST(Recurring, ExpansionCompoundsWithRenewal) {
  const double r = 0.85, e = 0.1;
  const Scenario sc = test::scenario(base_only(r, e));
  const auto run = test::run(sc, 0, 400);
  for (int k : {1, 2}) {
    const sim::MeanSe m = arr_ratio(sc, run, 52 * k);
    EXPECT_NEAR(m.mean, std::pow(r * (1 + e), k), 3 * m.se) << "after " << k << " anniversaries";
  }
  // Retention over weeks 53-104: every cohort contract has one anniversary there.
  const PlanResult pr = summarize(sc, "base", test::run(sc, 0, 400));
  ASSERT_TRUE(pr.recurring);
  EXPECT_EQ(pr.recurring->retention_from_week, 53);
  EXPECT_NEAR(pr.recurring->grr.est.mean, r, 3 * pr.recurring->grr.est.se);
  EXPECT_NEAR(pr.recurring->nrr.est.mean, r * (1 + e), 3 * pr.recurring->nrr.est.se);
}

TEST(Recurring, BridgeAddsUpAndMrrIsArrOverTwelveWithoutRamp) {
  const Scenario sc = test::scenario(base_only(0.7, 0.2, 60, 64));
  const PlanResult pr = summarize(sc, "base", test::run(sc, 0, 64));
  const RecurringResult& a = *pr.recurring;
  ASSERT_EQ(a.bridge.size(), 5u);  // 60 weeks: four quarters of 13 and one of 8
  EXPECT_EQ(a.bridge.back().from_week, 53);
  EXPECT_EQ(a.bridge.back().to_week, 60);
  for (const ArrQuarter& q : a.bridge) {
    EXPECT_NEAR(q.opening + q.added.mean + q.expansion.mean - q.churn.mean, q.closing,
                1e-9 * q.opening);
    EXPECT_EQ(q.added.mean, 0);  // no deals won
    EXPECT_GT(q.churn.mean, 0);
  }
  for (std::size_t w = 0; w < a.arr_mean.size(); ++w)
    EXPECT_NEAR(a.mrr_mean[w], a.arr_mean[w] / 12, 1e-9 * a.arr_mean[w]);
}

// A selling team without a base, whose contracts cannot reach an anniversary in the horizon.
std::string selling(const std::string& extra, int weeks = 40) {
  return fmt::format(R"(salesim: 2
name: selling
simulation: {{horizon_weeks: {}, paths: 200, seed: 5}}
pipeline:
  deal_size: {{mean: 20000, cv: 0.5}}
  stages: [{{name: qualify, exit_rate: 0.5, conversion: {{floor: 0.3, top: 0.5}}, initial_per_rep: 5}}]
team: {{reps: 4, managers: 1}}
{}
plans: [{{name: base}}]
)",
                     weeks, extra);
}

TEST(Recurring, WonDealsBecomeContractsWorthTheirSize) {
  const Scenario sc = test::scenario(selling("revenue: {model: recurring, term_months: 12}"));
  const auto run = test::run(sc, 0, 200);
  for (std::size_t i = 0; i < run.paths; ++i) {
    const double booked = run.scalar(i, out::final_bookings);
    EXPECT_NEAR(run.scalar(i, slot(sc, arr_out::arr_final)), booked, 1e-9 * booked);
    EXPECT_EQ(run.scalar(i, slot(sc, arr_out::arr_start)), 0);
    EXPECT_TRUE(std::isnan(run.scalar(i, slot(sc, arr_out::nrr))));  // no cohort: no retention
  }
}

TEST(Recurring, RampBillsLinearlyAndFirstYearCommissionFollowsIt) {
  // A 6-month ramp bills 3/4 of the ACV in the first year: first_year commission is 0.75 x the
  // commission on bookings, path by path (the same draws).
  const Scenario on_bookings =
      test::scenario(selling("revenue: {model: recurring, ramp_months: 6}\ncompensation: "
                             "{commission_rate: 0.1}"));
  const Scenario first_year = test::scenario(selling(
      "revenue: {model: recurring, ramp_months: 6}\ncompensation: {commission_rate: 0.1, on: "
      "first_year}"));
  const Scenario on_acv =
      test::scenario(selling("revenue: {model: recurring, expansion_rate: 0.5}\ncompensation: "
                             "{commission_rate: 0.1, on: acv}"));
  const auto a = test::run(on_bookings, 0, 100), b = test::run(first_year, 0, 100),
             c = test::run(on_acv, 0, 100);
  const std::size_t commission = std::size_t(out::first_cost_part) + cost::commission;
  for (std::size_t i = 0; i < a.paths; ++i) {
    EXPECT_NEAR(b.scalar(i, commission), 0.75 * a.scalar(i, commission),
                1e-9 * a.scalar(i, commission));
    // No anniversary in 40 weeks: no expansion, so ACV commission is bookings commission.
    EXPECT_NEAR(c.scalar(i, commission), a.scalar(i, commission), 1e-9 * a.scalar(i, commission));
    // MRR lags ARR while recent contracts ramp.
    EXPECT_LE(a.scalar(i, slot(on_bookings, arr_out::mrr_final)),
              a.scalar(i, slot(on_bookings, arr_out::arr_final)) / 12 + 1e-6);
  }
}

// MRR bills each contract min(1, (t - s + 1) / R) of its ACV with R the ramp in force that week
// (12.5), also when a plan lengthens it from its from_week: the contracts that had finished the
// old, shorter ramp were billed in full for the rest of the run (MRR 2.5 times the formula's).
TEST(Recurring, MrrFollowsTheRampInForceWhenAPlanLengthensIt) {
  const Scenario sc = test::scenario(R"(salesim: 2
name: ramp
simulation: {horizon_weeks: 40, paths: 60, seed: 5}
pipeline:
  deal_size: {mean: 20000, cv: 0.5}
  stages: [{name: qualify, exit_rate: 0.5, conversion: {floor: 0.3, top: 0.5}, initial_per_rep: 5}]
team: {reps: 4, managers: 1}
revenue: {model: recurring, ramp_months: 1}
plans:
  - name: base
  - name: longer
    from_week: 20
    set: {revenue.ramp_months: 12}
)");
  for (int plan : {0, 1}) {
    const auto run = test::run(sc, plan, 60);
    for (std::size_t i = 0; i < run.paths; ++i)
      for (int t = 0; t < 40; ++t) {
        const double R = (plan == 1 && t >= 19 ? 12 : 1) * 52.0 / 12;
        double mrr = 0;  // no anniversary in 40 weeks: the week's bookings are its new ACV
        for (int s = 0; s <= t; ++s)
          mrr += run.kept_week(out::weekly_bookings, std::size_t(s))[i] *
                 std::min(1.0, (t - s + 1) / R) / 12;
        const double got = run.kept_week(out::kept_count + arr_out::mrr, std::size_t(t))[i];
        ASSERT_NEAR(got, mrr, 1e-9 * (1 + mrr))
            << "plan " << plan << " path " << i << " week " << t + 1;
      }
  }
}

TEST(Recurring, GoalOnArrCountsArrAtTheWeek) {
  const Scenario sc = test::scenario(
      selling("revenue: {model: recurring, term_months: 3, renewal_rate: 0.7}\ngoal: {revenue: "
              "5.8M, by_week: 30, metric: arr, checkpoints: [{week: 13, revenue: 2.9M}]}"));
  const auto run = test::run(sc, 0, 200);
  int met = 0;
  for (std::size_t i = 0; i < run.paths; ++i) {
    const double arr30 = run.kept_week(out::kept_count + arr_out::arr, 29)[i];
    const double arr13 = run.kept_week(out::kept_count + arr_out::arr, 12)[i];
    EXPECT_EQ(run.scalar(i, out::goal_met), arr30 >= 5.8e6 ? 1.0 : 0.0);
    EXPECT_EQ(run.scalar(i, out::first_checkpoint), arr13 >= 2.9e6 ? 1.0 : 0.0);
    met += arr30 >= 5.8e6;
  }
  EXPECT_GT(met, 0);  // the target sits inside the distribution, so the test can tell
  EXPECT_LT(met, int(run.paths));
}

TEST(Recurring, SameBitsForAnyThreadCountAndOffByDefault) {
  const Scenario sc = test::scenario(base_only(0.8, 0.1, 30, 128));
  const auto one = test::run(sc, 0, 128, 1), two = test::run(sc, 0, 128, 2);
  ASSERT_EQ(one.scalars.size(), two.scalars.size());
  ASSERT_EQ(one.kept.size(), two.kept.size());
  EXPECT_EQ(std::memcmp(one.scalars.data(), two.scalars.data(), one.scalars.size() * 8), 0);
  EXPECT_EQ(std::memcmp(one.kept.data(), two.kept.data(), one.kept.size() * 8), 0);
  // Without revenue.model: recurring there are no recurring slots at all.
  const Scenario plain = test::scenario(test::kLists);
  EXPECT_EQ(out::shape(plain).scalars, out::first_recurring(plain));
  EXPECT_EQ(out::shape(plain).kept_series, std::size_t(out::kept_count));
  EXPECT_FALSE(summarize(plain, "baseline", test::run(plain, 0, 16)).recurring);
}

// The paired difference of final ARR splits exactly into the bridge's parts over the horizon
// (start + new + expansion - churn on every path), and P(better) is the share of paths with
// more ARR. Retention changes no booking; a hire changes no renewal within the first term.
TEST(Recurring, FinalArrDifferenceSplitsIntoTheBridgesParts) {
  const Scenario sc = test::scenario(R"(salesim: 2
name: arr parts
simulation: {horizon_weeks: 70, paths: 300, seed: 5}
pipeline:
  stages: [{name: qualify, conversion: {floor: 0.3, top: 0.5}, initial_per_rep: 3}]
team: {reps: 4, managers: 1}
revenue: {model: recurring, term_months: 12, renewal_rate: 0.85, expansion_rate: 0.05}
customers: {count: 60, acv: {mean: 10000, cv: 0.6}}
plans:
  - {name: base}
  - {name: keep, set: {revenue.renewal_rate: 0.93, revenue.expansion_rate: 0.1}}
  - {name: hire, hiring: [{week: 2, count: 3}]}
)");
  RunSettings rs;
  rs.threads = 2;
  const ScenarioResults res = run_scenario(sc, rs);
  ASSERT_EQ(res.comparisons.size(), 2u);
  const auto base = arr_final_column(res.plans[0]);
  for (std::size_t c = 0; c < 2; ++c) {
    const auto& d = res.comparisons[c].arr_final_diff;
    ASSERT_TRUE(d);
    const double parts = d->start.mean + d->added.mean + d->expansion.mean - d->churn.mean;
    EXPECT_NEAR(parts, d->mean, 1e-9 * (1 + std::fabs(d->mean))) << res.comparisons[c].plan;
    const auto plan = arr_final_column(res.plans[c + 1]);
    double more = 0;
    for (std::size_t i = 0; i < plan.size(); ++i) more += plan[i] > base[i];
    EXPECT_EQ(d->p_better, more / double(plan.size()));
    EXPECT_EQ(d->start.mean, 0);  // neither plan changes the customers at the start
  }
  const auto& keep = *res.comparisons[0].arr_final_diff;
  EXPECT_EQ(keep.added.mean, 0);
  EXPECT_GT(keep.expansion.mean, 0);
  EXPECT_LT(keep.churn.mean, 0);  // less churn
  EXPECT_GT(keep.p_better, 0.9);
  const auto& hire = *res.comparisons[1].arr_final_diff;
  EXPECT_GT(hire.added.mean, 5 * hire.added.se);
  EXPECT_NE(hire.expansion.mean, 0);  // past week 52 the new contracts renew, or churn
}

TEST(RecurringCli, JsonCarriesArrStoredAndStreamed) {
  const std::string dir = ::testing::TempDir() + "/recurring-cli";
  std::filesystem::create_directories(dir);
  const std::string file = dir + "/s.yaml";
  std::ofstream(file) << base_only(0.8, 0.1, 26, 50);
  std::string out;
  ASSERT_EQ(test::shell(test::binary() + " run " + file + " --json " + dir + "/r.json", &out), 0)
      << out;
  EXPECT_NE(out.find("ARR bridge per quarter"), std::string::npos) << out;
  const auto j = nlohmann::json::parse(test::read_file(dir + "/r.json"));
  const auto& arr = j["plans"][0]["arr"];
  for (const char* k : {"mean", "se", "p10", "p50", "p90"})
    EXPECT_TRUE(arr["final"][k].is_number()) << k;
  EXPECT_EQ(arr["weekly"]["mean"].size(), 26u);
  EXPECT_EQ(arr["bridge"].size(), 2u);
  // The report draws ARR's fan charts and bridge; a scenario without recurring revenue has none.
  ASSERT_EQ(test::shell(test::binary() + " run " + file + " --quiet --paths 40 --report " + dir +
                        "/r.html"),
            0);
  const std::string html = test::read_file(dir + "/r.html");
  EXPECT_NE(html.find("arr-fan-1-base"), std::string::npos);
  EXPECT_NE(html.find("the ARR bridge over the horizon"), std::string::npos);
  // Streamed (memory flat in paths), with the weekly series in the results file: the same
  // ARR keys (streaming_test.cpp checks the figures against the stored run's).
  ASSERT_EQ(test::shell(test::binary() + " run " + file + " --streaming --trajectories -o " + dir +
                            "/s.h5 --json " + dir + "/s.json",
                        &out),
            0)
      << out;
  EXPECT_NE(out.find("ARR bridge per quarter"), std::string::npos) << out;
  const auto s = nlohmann::json::parse(test::read_file(dir + "/s.json"));
  const auto arr_keys = arr.flatten(), streamed_keys = s["plans"][0]["arr"].flatten();
  EXPECT_EQ(arr_keys.size(), streamed_keys.size());
  for (auto it = arr_keys.begin(); it != arr_keys.end(); ++it)
    EXPECT_TRUE(streamed_keys.contains(it.key())) << it.key();
  EXPECT_TRUE(sim::h5::File::open_read(dir + "/s.h5")
                  .open_group("plans")
                  .open_group(s["plans"][0]["name"].get<std::string>())
                  .open_group("trajectories")
                  .has("arr"));
}

}  // namespace
}  // namespace salesim
