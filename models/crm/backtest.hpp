#pragma once
// The backtest: for each cutoff, the export cut to what was known then, calibrated and
// forecast, and the forecast compared with what the export shows happened in the weeks after
// (the close values of the deals won in that period, whether they were open at the cutoff or
// created after it).
#include <vector>

#include "models/crm/baselines.hpp"
#include "models/crm/forecast.hpp"

namespace salesim::crm {

// A naive baseline scored on one cutoff (baselines.hpp).
struct BaselineScore {
  NaiveForecast forecast;
  double ape = 0, crps = 0;
  double skill = 0;  // 1 - CRPS of salesim / CRPS of the baseline
};
inline constexpr const char* kBaselineNames[] = {"run_rate", "seasonal_naive", "stage_weighted"};
inline constexpr int kBaselines = 3;

// Reliability of the open pipeline: the deals open on the cutoff in one band of age, the wins
// within the period their hazards predict (sum of each deal's probability) and the wins the
// export shows, in count and in value.
struct AgeReliability {
  int from_week = 0, to_week = 0;  // to_week < 0: and older
  std::size_t deals = 0;
  double predicted_wins = 0, actual_wins = 0, predicted_value = 0, actual_value = 0;
};

struct BacktestCase {
  Day cutoff = 0;
  int weeks = 0;
  double actual = 0, actual_open = 0, actual_new = 0;
  std::vector<double> actual_cumulative;  // per week
  Band forecast, forecast_open, forecast_new;
  bool covered = false;        // P10 <= actual <= P90 for the period
  double weekly_coverage = 0;  // share of weeks whose cumulative actual is in P10-P90
  double ape = 0;              // |P50 - actual| / actual; NaN when nothing was won (actual 0)
  double crps = 0, pit = 0;
  double relative_crps = 0;  // crps / actual: comparable across cutoffs; NaN as the APE
  int history_weeks = 0;     // weeks of close history before the cutoff
  double month_sd_win = 0, month_sd_loss = 0;
  std::vector<std::string> warnings;   // the calibration's (e.g. a short history)
  double p_win = 0, per_rep_week = 0;  // the calibration's headline figures
  double p5 = 0, p95 = 0;
  bool covered_p5_p95 = false;
  BaselineScore baselines[kBaselines];  // in the order of kBaselineNames
  std::vector<AgeReliability> reliability;
};

// Means over the cutoffs where a baseline could be made; the APEs over those of them where
// something was won (NaN when none).
struct BaselineAggregate {
  std::size_t cutoffs = 0;
  std::size_t cutoffs_with_ape = 0;
  double mean_ape = 0, mean_crps = 0;
  double mean_p50 = 0;                                 // of the baseline's medians
  double salesim_mean_ape = 0, salesim_mean_crps = 0;  // over the same cutoffs
  double skill = 0;  // 1 - salesim's mean CRPS / the baseline's, over those cutoffs
};

struct BacktestResult {
  std::vector<BacktestCase> cases;
  // Over the cutoffs: share covered by P10-P90, means of the weekly coverage, APE, CRPS and
  // CRPS / actual. Cutoffs closer than the horizon overlap, so they are not independent. A
  // period in which nothing was won has no APE (a percentage of 0): the APE and CRPS / actual
  // are means over the cutoffs_with_ape others, NaN when there are none.
  double coverage = 0, mean_weekly_coverage = 0, mean_ape = 0, mean_crps = 0,
         mean_relative_crps = 0;
  std::size_t cutoffs_with_ape = 0;
  double coverage_p5_p95 = 0;
  std::vector<int> pit_histogram;  // counts of the PITs in ten bins of 0.1
  BaselineAggregate baselines[kBaselines];
  std::vector<AgeReliability> reliability;  // summed over the cutoffs
};

// The reliability table of a calibration's open deals for a period of `weeks` (actuals from
// the export's later closes).
std::vector<AgeReliability> open_reliability(const Calibration& c, int weeks);

// Throws InputError when a cutoff's period runs past the export date (the outcome is unknown),
// when a cutoff is listed twice, when the export cannot be calibrated on a cutoff (the message
// names `option` and the cutoff) and when no amount is known on it (bookings cannot be scored).
// `option` and `weeks_option` name the options in messages; `known_on`, when given, is the last
// day whose outcomes a case may use (a forecast's as-of day: its report's backtest must not
// score against what happened after it), else the export's last date.
BacktestResult backtest(const Export& e, const std::vector<Day>& cutoffs,
                        const CalibrationOptions& calibration, const ForecastOptions& f,
                        const std::string& option = "--cutoffs",
                        const std::string& weeks_option = "--weeks",
                        std::optional<Day> known_on = std::nullopt);

}  // namespace salesim::crm
