#pragma once
// The rate at which reps create opportunities. Counted over whole weeks ending on the as-of
// day, from the start of the close history on (an export that lacks the closes before some
// day also lacks the deals that were created and closed before it, so earlier counts are
// short). Week-to-week variation beyond Poisson is measured as a dispersion factor; it widens
// the standard errors and the forecast. Within-quarter seasonality is tested as one rate per
// month of the quarter against one rate overall (an F test on the deviance, scaled by the
// dispersion); it is used only when the data shows it (p < 0.05).
#include <array>
#include <vector>

#include "models/crm/history.hpp"
#include "models/crm/shrinkage.hpp"

namespace salesim::crm {

struct Seasonality {
  bool estimable = false;  // every month of the quarter has at least two weeks of data
  bool used = false;       // estimable and significant
  double f = 0, p_value = 1;
  std::array<double, 3> factor{1, 1, 1}, factor_se{0, 0, 0};  // mean 1 over the months
  std::array<int, 3> weeks{0, 0, 0};
};

struct CreationRates {
  Day window_start = 0, window_end = 0;
  int weeks = 0;
  double created = 0;
  double per_rep_week = 0, per_rep_week_se = 0;
  double dispersion = 1;       // Pearson chi-square / df of the weekly team counts
  std::vector<double> weekly;  // team counts per week of the window, oldest first
  std::vector<int> reps;       // owners (History indices) creating in the window
  Shrinkage rep_rates;         // per rep in `reps` order: factor on per_rep_week
  Seasonality season;
  double rate_of(int owner) const;  // shrunk weekly rate of an owner (0 if not creating)
};

// nullopt when the window holds no whole week.
std::optional<CreationRates> fit_creation(const History& h, Day history_start, int window_weeks);

}  // namespace salesim::crm
