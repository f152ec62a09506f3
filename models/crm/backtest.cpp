#include "models/crm/backtest.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/crm/errors.hpp"
#include "models/crm/scoring.hpp"

namespace salesim::crm {

BacktestResult backtest(const Export& e, const std::vector<Day>& cutoffs,
                        const CalibrationOptions& calibration, const ForecastOptions& f) {
  BacktestResult res;
  for (Day cutoff : cutoffs) {
    const Day end = cutoff + 7 * f.weeks;
    if (end > e.export_date)
      throw InputError(fmt::format(
          "--cutoffs {}: the {} weeks after it end on {}, after the export's last date {}; what "
          "happened is not in {} (use an earlier cutoff or fewer --weeks)",
          format_date(cutoff), f.weeks, format_date(end), format_date(e.export_date), e.file));
    CalibrationOptions co = calibration;
    co.as_of = cutoff;
    const Calibration c = calibrate(e, co);
    const ForecastResult fr = forecast(c, f);

    BacktestCase k;
    k.cutoff = cutoff;
    k.weeks = f.weeks;
    k.actual_cumulative.assign(f.weeks, 0.0);
    for (const Opportunity& o : e.deals) {
      if (o.outcome != Outcome::won || !o.closed || *o.closed <= cutoff || *o.closed > end)
        continue;
      const double v = o.amount.value_or(0);
      (o.created <= cutoff ? k.actual_open : k.actual_new) += v;
      for (int w = (*o.closed - cutoff - 1) / 7; w < f.weeks; ++w) k.actual_cumulative[w] += v;
    }
    k.actual = k.actual_open + k.actual_new;
    k.forecast = fr.total, k.forecast_open = fr.from_open, k.forecast_new = fr.from_new;
    k.covered = k.forecast.p10 <= k.actual && k.actual <= k.forecast.p90;
    int inside = 0;
    for (int w = 0; w < f.weeks; ++w)
      inside += fr.cumulative[w].p10 <= k.actual_cumulative[w] &&
                k.actual_cumulative[w] <= fr.cumulative[w].p90;
    k.weekly_coverage = double(inside) / f.weeks;
    k.ape = k.actual > 0 ? std::abs(k.forecast.p50 - k.actual) / k.actual : NAN;
    k.crps = crps(fr.total_samples, k.actual);
    k.pit = pit(fr.total_samples, k.actual);
    k.relative_crps = k.actual > 0 ? k.crps / k.actual : NAN;
    k.history_weeks = fr.history_weeks;
    k.month_sd_win = fr.month_sd_win, k.month_sd_loss = fr.month_sd_loss;
    k.warnings = fr.warnings;
    k.p_win = c.new_deal->p_win;
    k.per_rep_week = c.creation->per_rep_week;
    res.cases.push_back(k);
  }
  for (const auto& k : res.cases) {
    res.coverage += k.covered;
    res.mean_weekly_coverage += k.weekly_coverage;
    res.mean_ape += k.ape;
    res.mean_crps += k.crps;
    res.mean_relative_crps += k.relative_crps;
  }
  if (!res.cases.empty()) {
    const double n = double(res.cases.size());
    res.coverage /= n, res.mean_weekly_coverage /= n, res.mean_ape /= n, res.mean_crps /= n;
    res.mean_relative_crps /= n;
  }
  return res;
}

}  // namespace salesim::crm
