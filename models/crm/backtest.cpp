#include "models/crm/backtest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/crm/errors.hpp"
#include "models/crm/scoring.hpp"
#include "sim/stats.hpp"

namespace salesim::crm {

namespace {
// Bands of age in weeks for the reliability table.
constexpr int kAgeBands[][2] = {{0, 1}, {2, 3}, {4, 7}, {8, 12}, {13, 25}, {26, -1}};

double shrunk(const Shrinkage& s, int owner) {
  return owner < int(s.reps.size()) ? s.reps[owner].shrunk : 1.0;
}

// The error of a cutoff the export cannot be calibrated or forecast on (nothing created or
// closed by then, no whole week of history) names the option and the cutoff: the user chose it.
InputError on_cutoff(const std::string& option, Day cutoff, const std::string& what) {
  return InputError(fmt::format("{} {}: {}", option, format_date(cutoff), what));
}

Calibration calibrate_on(const Export& e, Day cutoff, CalibrationOptions co,
                         const std::string& option) {
  co.as_of = cutoff;
  try {
    return calibrate(e, co);
  } catch (const InputError& x) {
    throw on_cutoff(option, cutoff, x.what());
  }
}

// Without any amount the forecast is in won deals and its bookings are 0, so every score
// against the close values would be 0 or not a number: refused rather than scored.
ForecastResult forecast_on(const Calibration& c, Day cutoff, const ForecastOptions& f,
                           const std::string& option) {
  if (!c.sizes && c.hazards && c.creation)
    throw on_cutoff(
        option, cutoff,
        fmt::format("{}: no won deal known on {} has an amount and there is no price list, so "
                    "the forecast is in won deals and bookings cannot be scored; map the amount "
                    "column (--map amount=COLUMN) or give a price list (--price-list FILE)",
                    c.source->file, format_date(cutoff)));
  try {
    return forecast(c, f);
  } catch (const InputError& x) {
    throw on_cutoff(option, cutoff, x.what());
  }
}

// A sum's mean over n cases; NaN (missing in every output) when there are none.
double mean_over(double sum, std::size_t n) { return n > 0 ? sum / double(n) : NAN; }
}  // namespace

std::vector<AgeReliability> open_reliability(const Calibration& c, int weeks) {
  std::vector<AgeReliability> t;
  for (const auto& b : kAgeBands) t.push_back({b[0], b[1]});
  if (!c.hazards || !c.sizes) return t;
  const Day as_of = c.history.as_of, end = as_of + 7 * weeks;
  for (std::size_t i = 0; i < c.history.deals.size(); ++i) {
    const KnownDeal& d = c.history.deals[i];
    if (d.outcome != Outcome::open) continue;
    const int age = as_of + 1 - d.created;  // on the first forecast day, as the forecast
    AgeReliability* r = &t.back();
    for (auto& x : t)
      if (x.to_week < 0 || age / 7 <= x.to_week) {
        r = &x;
        break;
      }
    const double p = c.live_prob(i) * eventual(c.live_hazards(), age, shrunk(c.win_reps, d.owner),
                                               shrunk(c.loss_reps, d.owner), age + 7 * weeks)
                                          .p_win;
    const double size = d.amount && *d.amount > 0 ? *d.amount : c.sizes->of(d.source->product).mean;
    const Opportunity& o = *d.source;
    const bool won = o.outcome == Outcome::won && o.closed && *o.closed > as_of && *o.closed <= end;
    r->deals += 1;
    r->predicted_wins += p, r->predicted_value += p * size;
    r->actual_wins += won, r->actual_value += won ? o.amount.value_or(0) : 0;
  }
  return t;
}

BacktestResult backtest(const Export& e, const std::vector<Day>& cutoffs,
                        const CalibrationOptions& calibration, const ForecastOptions& f,
                        const std::string& option, const std::string& weeks_option,
                        std::optional<Day> known_on) {
  BacktestResult res;
  // A cutoff listed twice would be scored twice and weigh double in every mean below.
  for (auto it = cutoffs.begin(); it != cutoffs.end(); ++it)
    if (std::find(cutoffs.begin(), it, *it) != it)
      throw on_cutoff(option, *it, "given twice; each cutoff is scored once");
  for (Day cutoff : cutoffs) {
    const Day end = cutoff + 7 * f.weeks;
    if (end > e.export_date)
      throw on_cutoff(
          option, cutoff,
          fmt::format("the {} weeks after it end on {}, after the export's last date "
                      "{}; what happened is not in {} (use an earlier cutoff or fewer "
                      "{})",
                      f.weeks, format_date(end), format_date(e.export_date), e.file, weeks_option));
    if (known_on && end > *known_on)
      throw on_cutoff(option, cutoff,
                      fmt::format("the {} weeks after it end on {}, after {}, the day the "
                                  "forecast is as of: its report scores past forecasts only "
                                  "against what was known then (use an earlier cutoff or fewer "
                                  "{})",
                                  f.weeks, format_date(end), format_date(*known_on), weeks_option));
    const Calibration c = calibrate_on(e, cutoff, calibration, option);
    const ForecastResult fr = forecast_on(c, cutoff, f, option);

    BacktestCase k;
    k.cutoff = cutoff;
    k.weeks = f.weeks;
    k.actual_cumulative.assign(f.weeks, 0.0);
    std::size_t wins_without_amount = 0, wins = 0;
    for (const Opportunity& o : e.deals) {
      if (o.outcome != Outcome::won || !o.closed || *o.closed <= cutoff || *o.closed > end)
        continue;
      ++wins;
      wins_without_amount += !o.amount;
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
    // The truth is the export's close values: a win without one counts 0, so the actual is
    // understated while the forecast sizes such deals from their product (docs/forecasting.md).
    if (wins_without_amount > 0)
      k.warnings.push_back(fmt::format(
          "{} of the {} deals won in the {} weeks after {} have no amount (missing or 0): the "
          "actual counts them at 0, so it is understated and the scores read the forecast as "
          "too high",
          wins_without_amount, wins, f.weeks, format_date(cutoff)));
    k.p_win = c.new_deal->p_win;
    k.per_rep_week = c.creation->per_rep_week;
    static constexpr double tails[] = {0.05, 0.95};
    const auto q = sim::quantiles(fr.total_samples, tails);
    k.p5 = q[0].value_or(0), k.p95 = q[1].value_or(0);
    k.covered_p5_p95 = k.p5 <= k.actual && k.actual <= k.p95;
    const NaiveBaselines nb = naive_baselines(c, f.weeks);
    const NaiveForecast* naive[kBaselines] = {&nb.run_rate, &nb.seasonal_naive, &nb.stage_weighted};
    for (int i = 0; i < kBaselines; ++i) {
      BaselineScore& s = k.baselines[i];
      s.forecast = *naive[i];
      if (!s.forecast.available) continue;
      s.ape = k.actual > 0 ? std::abs(s.forecast.p50() - k.actual) / k.actual : NAN;
      s.crps = s.forecast.crps(k.actual);
      s.skill = s.crps > 0 ? 1 - k.crps / s.crps : NAN;
    }
    k.reliability = open_reliability(c, f.weeks);
    res.cases.push_back(k);
  }
  res.pit_histogram.assign(10, 0);
  for (const auto& k : res.cases) {
    res.coverage_p5_p95 += k.covered_p5_p95;
    ++res.pit_histogram[std::min(9, int(k.pit * 10))];
    for (int i = 0; i < kBaselines; ++i) {
      const BaselineScore& s = k.baselines[i];
      if (!s.forecast.available) continue;
      BaselineAggregate& a = res.baselines[i];
      ++a.cutoffs;
      a.mean_crps += s.crps, a.mean_p50 += s.forecast.p50();
      a.salesim_mean_crps += k.crps;
      if (std::isfinite(k.ape) && std::isfinite(s.ape))
        ++a.cutoffs_with_ape, a.mean_ape += s.ape, a.salesim_mean_ape += k.ape;
    }
    if (res.reliability.empty())
      res.reliability = k.reliability;
    else
      for (std::size_t b = 0; b < k.reliability.size(); ++b) {
        AgeReliability& r = res.reliability[b];
        const AgeReliability& x = k.reliability[b];
        r.deals += x.deals;
        r.predicted_wins += x.predicted_wins, r.actual_wins += x.actual_wins;
        r.predicted_value += x.predicted_value, r.actual_value += x.actual_value;
      }
    res.coverage += k.covered;
    res.mean_weekly_coverage += k.weekly_coverage;
    res.mean_crps += k.crps;
    if (std::isfinite(k.ape)) {  // a period with nothing won has no APE
      ++res.cutoffs_with_ape;
      res.mean_ape += k.ape;
      res.mean_relative_crps += k.relative_crps;
    }
  }
  if (!res.cases.empty()) {
    const double n = double(res.cases.size());
    res.coverage /= n, res.mean_weekly_coverage /= n, res.mean_crps /= n;
    res.coverage_p5_p95 /= n;
  }
  res.mean_ape = mean_over(res.mean_ape, res.cutoffs_with_ape);
  res.mean_relative_crps = mean_over(res.mean_relative_crps, res.cutoffs_with_ape);
  for (BaselineAggregate& a : res.baselines) {
    if (a.cutoffs == 0) continue;
    const double n = double(a.cutoffs);
    a.mean_crps /= n, a.salesim_mean_crps /= n;
    a.mean_ape = mean_over(a.mean_ape, a.cutoffs_with_ape);
    a.salesim_mean_ape = mean_over(a.salesim_mean_ape, a.cutoffs_with_ape);
    a.mean_p50 /= n;
    a.skill = a.mean_crps > 0 ? 1 - a.salesim_mean_crps / a.mean_crps : NAN;
  }
  return res;
}

}  // namespace salesim::crm
