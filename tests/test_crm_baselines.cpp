// The naive baselines of the backtest (models/crm/baselines.hpp) computed by hand on tiny
// exports, the normal CRPS against its closed form, and the backtest's JSON contract for them.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "crm_checks.hpp"
#include "models/crm/backtest.hpp"
#include "models/crm/baselines.hpp"
#include "models/crm/calibrate.hpp"
#include "models/crm/export.hpp"
#include "models/crm/report.hpp"
#include "models/crm/synthetic.hpp"

namespace salesim::crm {
namespace {

const char* kHeader =
    "opportunity_id,sales_agent,product,deal_stage,engage_date,close_date,close_value\n";

TEST(CrmBaselines, NormalCrpsMatchesItsClosedFormAndThePointMass) {
  // CRPS of N(0, 1) at 0 is 2 phi(0) - 1 / sqrt(pi).
  EXPECT_NEAR(crps_normal(0, 1, 0), 2 / std::sqrt(2 * M_PI) - 1 / std::sqrt(M_PI), 1e-12);
  // Scale: CRPS of N(m, s) at m + s z is s times CRPS of N(0, 1) at z.
  EXPECT_NEAR(crps_normal(10, 3, 16), 3 * crps_normal(0, 1, 2), 1e-12);
  // Far in the tail it is the distance minus s / sqrt(pi).
  EXPECT_NEAR(crps_normal(0, 1, 50), 50 - 1 / std::sqrt(M_PI), 1e-9);
  EXPECT_DOUBLE_EQ(crps_normal(5, 0, 2), 3);
}

TEST(CrmBaselines, RunRateAndStageWeightedByHandOnATinyExport) {
  // History starts with the first close, 2024-01-08; the as-of day 2024-01-21 closes two whole
  // weeks: 100 booked in the first, 200 in the second.
  const std::string csv = std::string(kHeader) +
                          "a,r1,P,Won,2024-01-01,2024-01-08,100\n"
                          "b,r1,P,Won,2024-01-02,2024-01-15,200\n"
                          "c,r1,P,Lost,2024-01-03,2024-01-10,\n"
                          "d,r1,P,Engaging,2024-01-10,,300\n";
  const Export e = import_export_text(csv, "tiny.csv", checks::sample_mapping());
  CalibrationOptions o;
  o.as_of = *parse_date("2024-01-21");
  const Calibration c = calibrate(e, o);
  const NaiveBaselines b = naive_baselines(c, 2);

  // Run rate: 150 a week for 2 weeks; the weeks' sd is 50 sqrt(2), times sqrt(2) weeks: 100.
  ASSERT_TRUE(b.run_rate.available);
  EXPECT_NEAR(b.run_rate.mean, 300, 1e-9);
  EXPECT_NEAR(b.run_rate.sd, 100, 1e-9);

  // Stage-weighted: the open deal (11 days old, younger than the oldest close, 13 days) is worth
  // 300 x 2/3; new pipeline: the two wins, of ages 7 and 13 days, weighted by 1 - age / 14.
  ASSERT_TRUE(b.stage_weighted.available);
  const double fresh = 100 * (1 - 7.0 / 14) + 200 * (1 - 13.0 / 14);
  EXPECT_NEAR(b.stage_weighted.mean, 200 + fresh, 1e-9);
  const double var = 300.0 * 300 * (2.0 / 3) * (1.0 / 3) + 100.0 * 100 * 0.5 + 200.0 * 200 / 14;
  EXPECT_NEAR(b.stage_weighted.sd, std::sqrt(var), 1e-9);

  // Less than a year of closes: no seasonal naive, and the note says why.
  EXPECT_FALSE(b.seasonal_naive.available);
  EXPECT_NE(b.seasonal_naive.note.find("a year of close history"), std::string::npos);
}

TEST(CrmBaselines, SeasonalNaiveTakesTheSameWeeksAYearBefore) {
  // Closes from 2023-01-02 on; as of 2024-01-07 the weeks a year before are 2023-01-09..22,
  // which hold one win of 100 (in the first of them).
  const std::string csv = std::string(kHeader) +
                          "a,r1,P,Won,2022-12-20,2023-01-02,50\n"
                          "b,r1,P,Won,2023-01-03,2023-01-10,100\n"
                          "c,r1,P,Lost,2023-02-01,2023-03-01,\n"
                          "d,r1,P,Won,2023-12-01,2024-01-05,400\n"
                          "e,r1,P,Engaging,2024-01-02,,\n";
  const Export e = import_export_text(csv, "year.csv", checks::sample_mapping());
  CalibrationOptions o;
  o.as_of = *parse_date("2024-01-07");
  const Calibration c = calibrate(e, o);
  const NaiveBaselines b = naive_baselines(c, 2);
  ASSERT_TRUE(b.seasonal_naive.available) << b.seasonal_naive.note;
  EXPECT_NEAR(b.seasonal_naive.mean, 100, 1e-9);
  EXPECT_NEAR(b.seasonal_naive.sd, std::sqrt(5000.0 * 2), 1e-9);
  // Run rate over the last 13 weeks: only the 400 of the last week.
  EXPECT_NEAR(b.run_rate.mean, 400.0 / 13 * 2, 1e-9);
}

TEST(CrmBaselines, BacktestJsonCarriesEachBaselineItsSkillAndTheirMeans) {
  std::string csv = kHeader;
  // Two reps, a deal every few days for 16 weeks, each closing 10 days later.
  const Day start = *parse_date("2024-01-01");
  int id = 0;
  for (int d = 0; d < 112; d += 3)
    for (int r = 0; r < 2; ++r) {
      const bool won = (d / 3 + r) % 3 != 0, closed = d + 10 <= 111;
      const int n = id++;
      csv +=
          fmt::format("x{},r{},P,{},{},{},{}\n", n, r, closed ? (won ? "Won" : "Lost") : "Engaging",
                      format_date(start + d), closed ? format_date(start + d + 10) : "",
                      closed && won ? std::to_string(1000 + 10 * (n % 7)) : "");
    }
  const Export e = import_export_text(csv, "grid.csv", checks::sample_mapping());
  ForecastOptions f;
  f.weeks = 2, f.paths = 300;
  const BacktestResult b = backtest(e, {start + 69, start + 83}, CalibrationOptions{}, f);
  const nlohmann::json j = backtest_json(b);
  ASSERT_EQ(j["cases"].size(), 2u);
  double crps_rr = 0, ape_rr = 0;
  for (const auto& k : j["cases"]) {
    for (const char* name : {"run_rate", "seasonal_naive", "stage_weighted"}) {
      ASSERT_TRUE(k["baselines"].contains(name));
      for (const char* key : {"p50", "ape", "crps"})
        ASSERT_TRUE(k["baselines"][name].contains(key));
      ASSERT_TRUE(k["skill"].contains(name));
    }
    EXPECT_TRUE(k["baselines"]["seasonal_naive"]["p50"].is_null());
    const double actual = k["actual"], p50 = k["baselines"]["run_rate"]["p50"];
    EXPECT_NEAR(double(k["baselines"]["run_rate"]["ape"]), std::abs(p50 - actual) / actual, 1e-12);
    EXPECT_NEAR(double(k["skill"]["run_rate"]),
                1 - double(k["crps"]) / double(k["baselines"]["run_rate"]["crps"]), 1e-12);
    crps_rr += double(k["baselines"]["run_rate"]["crps"]) / 2;
    ape_rr += double(k["baselines"]["run_rate"]["ape"]) / 2;
  }
  const auto& a = j["aggregate"];
  EXPECT_NEAR(double(a["baselines"]["run_rate"]["crps"]), crps_rr, 1e-6);
  EXPECT_NEAR(double(a["baselines"]["run_rate"]["ape"]), ape_rr, 1e-12);
  EXPECT_NEAR(double(a["baselines"]["run_rate"]["p50"]),
              (double(j["cases"][0]["baselines"]["run_rate"]["p50"]) +
               double(j["cases"][1]["baselines"]["run_rate"]["p50"])) /
                  2,
              1e-6);
  EXPECT_NEAR(double(a["skill"]["run_rate"]), 1 - double(a["mean_crps"]) / crps_rr, 1e-9);
  EXPECT_TRUE(a["skill"]["seasonal_naive"].is_null());
  int pits = 0;
  for (int n : a["pit_histogram"]) pits += n;
  EXPECT_EQ(pits, 2);
  EXPECT_TRUE(a.contains("coverage_p5_p95"));
  // The reliability table's actual wins are the open deals won in the period.
  double won_open = 0;
  for (const auto& r : j["cases"][0]["open_pipeline_reliability"])
    won_open += double(r["actual_wins"]);
  EXPECT_GT(won_open, 0);
}

}  // namespace
}  // namespace salesim::crm

namespace salesim::crm {
namespace {

// On an export drawn from known, unchanging hazards the reliability table must balance: in each
// band of age the wins the hazards predict for the open deals agree with the wins that happened,
// within the Poisson-binomial error (3 sd), and so does their sum. A bias of the open pipeline
// by age (what the table is for) would show here as a band outside it.
TEST(CrmReliability, OpenPipelineByAgeBalancesOnAStationarySyntheticExport) {
  SyntheticSpec s;
  s.start = *parse_date("2023-01-02");
  s.snapshot = s.start + 7 * 40 - 1;
  s.rep_rates.assign(20, 6.0);
  s.win = {0.02, 0.02, 0.02, 0.02, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.0};
  s.loss = {0.08, 0.08, 0.08, 0.08, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.0};
  s.products = {{"Small", 1000, 0.2, 1}};
  s.seed = 7;
  const Export e =
      import_export_text(synthetic_export_csv(s), "synthetic.csv", checks::sample_mapping());
  CalibrationOptions o;
  o.as_of = s.snapshot - 7 * 8;
  const Calibration c = calibrate(e, o);
  const auto table = open_reliability(c, 6);
  double predicted = 0, actual = 0, var = 0;
  std::size_t deals = 0;
  for (const auto& r : table) {
    deals += r.deals;
    predicted += r.predicted_wins, actual += r.actual_wins;
    // p(1 - p) summed is at most the predicted count: a conservative variance.
    var += r.predicted_wins;
    if (r.predicted_wins > 20) {
      EXPECT_NEAR(r.actual_wins, r.predicted_wins, 3 * std::sqrt(r.predicted_wins) + 5)
          << "ages " << r.from_week << "-" << r.to_week;
    }
  }
  EXPECT_EQ(deals, c.history.open());
  EXPECT_GT(predicted, 100);
  EXPECT_NEAR(actual, predicted, 3 * std::sqrt(var)) << predicted << " vs " << actual;
  // Deals past ten weeks never close in this process: the stale bands predict almost nothing.
  EXPECT_LT(table.back().predicted_wins + table[table.size() - 2].predicted_wins, 3);

  // The same team whose win rates fall to 0.3 times in the months after the cutoff: the table shows
  // the open pipeline's wins over-predicted by far more than the error allows.
  SyntheticSpec shifted = s;
  shifted.month_win.assign(std::size_t(month_number(o.as_of) - month_number(s.start) + 1), 1.0);
  shifted.month_win.resize(shifted.month_win.size() + 6, 0.3);
  const Export e2 =
      import_export_text(synthetic_export_csv(shifted), "shifted.csv", checks::sample_mapping());
  const Calibration c2 = calibrate(e2, o);
  double p2 = 0, a2 = 0;
  for (const auto& r : open_reliability(c2, 6)) p2 += r.predicted_wins, a2 += r.actual_wins;
  EXPECT_GT(p2 - a2, 3 * std::sqrt(p2)) << p2 << " vs " << a2;
}

}  // namespace
}  // namespace salesim::crm
