#pragma once
// Month-to-month variation of the win and loss rates. The hazards by age assume that a deal's
// chance to close depends on its age only; real teams have good and bad months (the end of a
// quarter, a pricing change, a slow April), which shift every deal's rates at once. Each
// calendar month m of the close history has an observed count O_m of wins (losses) and the
// count E_m the age hazards give the deals at risk that month. A level factor theta_m with mean
// 1 and variance tau^2 per month is estimated by moments with the fitted level removed (the
// DerSimonian-Laird estimator on counts):
//   X^2 = sum (O_m - k E_m)^2 / (k E_m),  k = sum O / sum E,
//   tau^2 = max(0, (X^2 - (M - 1)) / (k (sum E - sum E^2 / sum E))),
// with M - 1 degrees of freedom. With one month (or two) nothing or little can be said, so the
// estimate is pooled with a prior worth `prior_months` months at `prior_sd` (a scaled inverse
// chi-square prior): tau^2 = (nu0 tau0^2 + df tau_hat^2) / (nu0 + df).
//
// The forecast draws an independent factor per calendar month of the horizon, and the level the
// hazards were estimated at carries the history months' own factors: an extra error of variance
// tau^2 / M_eff on the level, M_eff = (sum E)^2 / sum E^2 the effective number of months.
#include <vector>

#include "models/crm/hazards.hpp"

namespace salesim::crm {

struct DriftPrior {
  double sd = 0.3;    // tau0: log sd of a month's level (a month within x1.5 of the mean 80%)
  double months = 2;  // nu0: the prior's weight, in months of history
};

struct MonthCounts {
  Day from = 0, to = 0;  // the days of the month in the close history
  double wins = 0, losses = 0, expected_wins = 0, expected_losses = 0;
};

struct LevelVariation {
  int df = 0;                   // months - 1
  double x2 = 0, p_value = 1;   // chi-square test of no month variation (df > 0)
  double tau2_data = 0;         // the moment estimate (0 when df = 0)
  double tau2 = 0;              // pooled with the prior: the one used
  double effective_months = 0;  // (sum E)^2 / sum E^2
};

struct Drift {
  std::vector<MonthCounts> months;
  LevelVariation win, loss;
  DriftPrior prior;
  int history_weeks = 0;  // whole weeks of close history before the as-of day
};

// The month variation of a level from observed and expected counts (exposed for tests).
LevelVariation level_variation(const std::vector<double>& observed,
                               const std::vector<double>& expected, const DriftPrior& prior);

Drift fit_drift(const History& h, const Hazards& hz, const DriftPrior& prior = {});

}  // namespace salesim::crm
