#pragma once
// The backtest: for each cutoff, the export cut to what was known then, calibrated and
// forecast, and the forecast compared with what the export shows happened in the weeks after
// (the close values of the deals won in that period, whether they were open at the cutoff or
// created after it).
#include <vector>

#include "models/crm/forecast.hpp"

namespace salesim::crm {

struct BacktestCase {
  Day cutoff = 0;
  int weeks = 0;
  double actual = 0, actual_open = 0, actual_new = 0;
  std::vector<double> actual_cumulative;  // per week
  Band forecast, forecast_open, forecast_new;
  bool covered = false;        // P10 <= actual <= P90 for the period
  double weekly_coverage = 0;  // share of weeks whose cumulative actual is in P10-P90
  double ape = 0;              // |P50 - actual| / actual
  double crps = 0, pit = 0;
  double relative_crps = 0;  // crps / actual: comparable across cutoffs
  int history_weeks = 0;     // weeks of close history before the cutoff
  double month_sd_win = 0, month_sd_loss = 0;
  std::vector<std::string> warnings;   // the calibration's (e.g. a short history)
  double p_win = 0, per_rep_week = 0;  // the calibration's headline figures
};

struct BacktestResult {
  std::vector<BacktestCase> cases;
  // Over the cutoffs: share covered by P10-P90, means of the weekly coverage, APE, CRPS and
  // CRPS / actual. Cutoffs closer than the horizon overlap, so they are not independent.
  double coverage = 0, mean_weekly_coverage = 0, mean_ape = 0, mean_crps = 0,
         mean_relative_crps = 0;
};

// Throws InputError when a cutoff's period runs past the export date (the outcome is unknown).
BacktestResult backtest(const Export& e, const std::vector<Day>& cutoffs,
                        const CalibrationOptions& calibration, const ForecastOptions& f);

}  // namespace salesim::crm
