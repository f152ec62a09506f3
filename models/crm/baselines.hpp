#pragma once
// The naive forecasts a backtest sets beside salesim's, each computable by hand from what was
// known on the cutoff:
// - run rate: the mean weekly bookings of the last 13 whole weeks of close history (fewer when
//   the history is shorter) times the horizon;
// - seasonal naive: the bookings of the same weeks a year before (needs that year of history);
// - stage-weighted pipeline: each open deal's amount (its own, else its product's mean won
//   value) times its stage's historical win rate, plus new-pipeline bookings at the historical
//   rate (the wins of the last 13 weeks, each weighted by the share of a horizon-long period in
//   which a deal created in it has time to close at that deal's age).
// Each is a normal distribution (mean and sd, below) so that its CRPS can be set against
// salesim's; the sd is the one the baseline's own data implies, never fitted to the outcome.
#include <optional>
#include <string>

#include "models/crm/calibrate.hpp"

namespace salesim::crm {

struct NaiveForecast {
  bool available = false;
  std::string note;  // how it was made, or why it could not be
  double mean = 0, sd = 0;
  double p10() const;
  double p50() const { return mean; }
  double p90() const;
  double crps(double y) const;  // closed form for the normal (|mean - y| when sd = 0)
};

struct NaiveBaselines {
  NaiveForecast run_rate, seasonal_naive, stage_weighted;
};

inline constexpr int kRunRateWeeks = 13;

// The baselines of a forecast of `weeks` weeks after the calibration's as-of day.
NaiveBaselines naive_baselines(const Calibration& c, int weeks);

// CRPS of a normal distribution at y.
double crps_normal(double mean, double sd, double y);

}  // namespace salesim::crm
