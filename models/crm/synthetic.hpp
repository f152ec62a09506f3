#pragma once
// A synthetic opportunity export from known parameters, for recovery tests: reps create deals
// as Poisson processes, each deal closes under piecewise-constant win and loss hazards by age
// week (continuous within a day, as the calibration assumes), won deals get a lognormal size
// by product, and the export shows every deal as it stands on the snapshot day. A share of
// each rep's deals may never close, and the deals closed before a history start may be missing.
#include <cstdint>
#include <string>
#include <vector>

#include "models/crm/dates.hpp"

namespace salesim::crm {

struct SyntheticProduct {
  std::string name;
  double mean = 1000, cv = 0.2, share = 1;
};

struct SyntheticSpec {
  Day start = 0, snapshot = 0;    // deals are created on start..snapshot
  std::vector<double> rep_rates;  // new deals per rep per week
  std::vector<double> win, loss;  // per week, by age week; the last value holds after
  // Factors on every deal's win (loss) hazard by calendar month (0: the month of `start`);
  // empty or past the end: 1. Month-to-month variation for the drift tests.
  std::vector<double> month_win, month_loss;
  // Per rep, the share of its deals that never close (they stay open; empty: none), and the
  // first day of the close history: deals closed before it are left out of the export, as an
  // export that holds closes only from some day on (left truncation). 0: every deal is in.
  std::vector<double> rep_never;
  Day history_start = 0;
  std::vector<SyntheticProduct> products;
  std::uint64_t seed = 1;
  double hazard_win(int age_days) const;
  double hazard_loss(int age_days) const;
  double month_factor_win(Day d) const;
  double month_factor_loss(Day d) const;
};

// CSV text with the columns opportunity_id, sales_agent, product, deal_stage (Won, Lost,
// Engaging), engage_date, close_date, close_value.
std::string synthetic_export_csv(const SyntheticSpec& s);

}  // namespace salesim::crm
