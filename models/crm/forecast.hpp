#pragma once
// The Monte Carlo forecast of bookings after the as-of day. Each open deal is followed from
// its own age, under the age hazards times its rep's shrunk factors: one uniform gives the day
// it closes (inverting its cumulative hazard), one whether it is won, one its size (its own
// amount when the export has one, else its product's). New deals arrive per rep and week as
// Poisson counts at the rep's shrunk rate (times the month-of-quarter factor when seasonality
// is used) and are followed the same way from age 0. Each path also draws the uncertainty of
// the estimates: a level factor on the win rates, the loss rates and the creation rate, and a
// weekly factor for the creation rate's dispersion beyond Poisson; and the month-to-month
// variation of the win and loss rates (drift.hpp): one factor per calendar month of the
// horizon on every deal's rates, with the level's error from the history's own months.
//
// Paths run on sim::run_paths; every draw has its own address (seed, path, process, deal or
// rep, week), so the result is the same bits for any thread count.
#include <cstdint>
#include <optional>
#include <vector>

#include "models/crm/calibrate.hpp"
#include "sim/runner.hpp"

namespace salesim::crm {

struct ForecastOptions {
  int weeks = 13;
  std::size_t paths = 4000;
  std::uint64_t seed = 1;
  int threads = 0;
  bool parameter_uncertainty = true;  // level factors: estimation error and month variation
  sim::ProgressFunction progress;
};

// Quantiles of one figure over the paths.
struct Band {
  double mean = 0, p10 = 0, p50 = 0, p90 = 0;
};

// The period's bookings of one calendar month of the horizon (the first and last may be part
// months), or of one owner or manager.
struct MonthBand {
  int month = 0;  // month_number
  Day from = 0, to = 0;
  Band bookings;
};
struct GroupBand {
  std::string name, manager;  // manager: of an owner ("" for a manager's own line)
  Band bookings;
};

struct ForecastResult {
  Day as_of = 0;
  int weeks = 0;
  std::size_t paths = 0, open_deals = 0, stale_deals = 0, creating_reps = 0;
  int history_weeks = 0;                       // whole weeks of close history before as_of
  double month_sd_win = 0, month_sd_loss = 0;  // log sd of a month's level used
  std::vector<std::string> warnings;           // the calibration's

  // Per week (1..weeks): bookings in the week and cumulative, total / open / new pipeline.
  std::vector<Band> weekly, cumulative, cumulative_open, cumulative_new;
  // Per week: won deals in the week and cumulative (with or without amounts).
  std::vector<Band> weekly_won, cumulative_won;
  Band total, from_open, from_new, won_open_count, won_new_count;
  Band won_count;                    // won deals in the period, open and new pipeline together
  bool amounts_known = true;         // false: no amount anywhere; the forecast is in won deals
  std::size_t unassigned_leads = 0;  // open leads without an owner, worked once assigned
  // With the never-close shares (cure.hpp): the team's share and the open deals' expected live
  // number; nullopt without them.
  std::optional<double> never_close_share;
  double open_deals_live = 0;
  std::vector<MonthBand> by_month;
  std::vector<GroupBand> by_owner, by_manager;  // owners: History::owners order
  std::vector<double> total_samples;            // per path, for scores
  sim::RunOutput run;                           // every path's figures
};

// Kept series and scalars of the run.
namespace fc {
enum Series { cum_total, cum_open, cum_new, weekly_total, cum_won, weekly_won, n_series };
enum Scalar { total, open, fresh, won_open, won_new, n_scalars };
}  // namespace fc

// Throws InputError when the calibration lacks what the forecast needs.
ForecastResult forecast(const Calibration& c, const ForecastOptions& o);

// About what a forecast of `owners` owners keeps in memory: every path's weekly series and its
// totals by month, owner and manager (an upper bound: a manager per owner).
double forecast_memory_bytes(std::size_t owners, const ForecastOptions& o);

}  // namespace salesim::crm
