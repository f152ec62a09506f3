#include "models/crm/baselines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "sim/samplers.hpp"

namespace salesim::crm {

double crps_normal(double mean, double sd, double y) {
  if (!(sd > 0)) return std::abs(mean - y);
  const double z = (y - mean) / sd;
  const double Phi = 0.5 * std::erfc(-z / std::numbers::sqrt2);
  const double phi = std::exp(-z * z / 2) / std::sqrt(2 * std::numbers::pi);
  return sd * (z * (2 * Phi - 1) + 2 * phi - 1 / std::sqrt(std::numbers::pi));
}

double NaiveForecast::p10() const { return mean + sd * sim::normal_inv(0.1); }
double NaiveForecast::p90() const { return mean + sd * sim::normal_inv(0.9); }
double NaiveForecast::crps(double y) const { return crps_normal(mean, sd, y); }

namespace {

// Bookings of the won deals known on the day, per week of n whole weeks ending on `last`
// (oldest first).
std::vector<double> weekly_bookings(const History& h, Day last, int n) {
  std::vector<double> b(std::size_t(std::max(0, n)), 0.0);
  for (const KnownDeal& d : h.deals) {
    if (d.outcome != Outcome::won || !d.closed || *d.closed > last) continue;
    const int back = (last - *d.closed) / 7;  // 0: the week ending on `last`
    if (back < n) b[std::size_t(n - 1 - back)] += d.amount.value_or(0);
  }
  return b;
}

// A normal for the sum of `weeks` weeks like the given ones: mean and sd of a week, times the
// horizon and its square root.
NaiveForecast from_weeks(const std::vector<double>& b, int weeks) {
  NaiveForecast f;
  double m = 0, v = 0;
  for (double x : b) m += x;
  m /= double(b.size());
  for (double x : b) v += (x - m) * (x - m);
  v = b.size() > 1 ? v / double(b.size() - 1) : 0;
  f.available = true;
  f.mean = m * weeks;
  f.sd = std::sqrt(v * weeks);
  return f;
}

}  // namespace

NaiveBaselines naive_baselines(const Calibration& c, int weeks) {
  NaiveBaselines r;
  const History& h = c.history;
  const Day start = c.history_start.value_or(h.as_of + 1);
  const int history_weeks = std::max(0, (h.as_of - start + 1) / 7);
  const int n = std::min(kRunRateWeeks, history_weeks);

  if (n >= 1) {
    r.run_rate = from_weeks(weekly_bookings(h, h.as_of, n), weeks);
    r.run_rate.note = n == 1
                          ? fmt::format(
                                "the last week's bookings x {} weeks (one week: no spread, a point "
                                "forecast, so its CRPS and salesim's skill against it are harsh)",
                                weeks)
                          : fmt::format("mean of the last {} weeks' bookings x {} weeks", n, weeks);
  } else {
    r.run_rate.note = "no whole week of close history";
  }

  // The same weeks a year (52 weeks) before: they must lie inside the close history.
  const Day year_ago_last = h.as_of - 364 + 7 * weeks;
  if (h.as_of - 364 + 1 >= start) {
    r.seasonal_naive = from_weeks(weekly_bookings(h, year_ago_last, weeks), weeks);
    r.seasonal_naive.note =
        fmt::format("the bookings of the {} weeks after {}", weeks, format_date(h.as_of - 364));
  } else {
    r.seasonal_naive.note = fmt::format("needs a year of close history before {} (it starts on {})",
                                        format_date(h.as_of), format_date(start));
  }

  // Stage-weighted pipeline. A snapshot shows closed deals as won or lost, not the stage they
  // passed through, so every open stage's historical win rate is the won share of closed deals.
  const double won = double(h.won()), lost = double(h.lost());
  if (won + lost > 0 && c.sizes && n >= 1) {
    const double p = won / (won + lost);
    const int stale_days = c.hazards ? 7 * c.hazards->tail_from_week : 1 << 30;
    double mean = 0, var = 0;
    std::size_t counted = 0;
    for (const KnownDeal& d : h.deals) {
      if (d.outcome != Outcome::open || h.as_of - d.created >= stale_days) continue;
      const double a = d.amount && *d.amount > 0 ? *d.amount : c.sizes->of(d.source->product).mean;
      mean += a * p, var += a * a * p * (1 - p);
      ++counted;
    }
    // New pipeline: a deal won at age x in the last n weeks stands for the deals created in a
    // period of 7 * weeks days that close inside it, a share max(0, 1 - x / (7 * weeks)).
    const int horizon_days = 7 * weeks;
    double fresh = 0, fresh_sq = 0;
    for (const KnownDeal& d : h.deals) {
      if (d.outcome != Outcome::won || !d.closed || h.as_of - *d.closed >= 7 * n) continue;
      const double share = std::max(0.0, 1.0 - double(*d.closed - d.created) / horizon_days);
      const double v = d.amount.value_or(0);
      fresh += v * share, fresh_sq += v * v * share;
    }
    const double scale = double(weeks) / n;
    r.stage_weighted.available = true;
    r.stage_weighted.mean = mean + fresh * scale;
    r.stage_weighted.sd = std::sqrt(var + fresh_sq * scale);
    r.stage_weighted.note = fmt::format(
        "{} open deals (not stale) x win rate {:.3f}, plus new-pipeline bookings of the last {} "
        "weeks scaled to {} weeks",
        counted, p, n, weeks);
  } else {
    r.stage_weighted.note = "no closed deal, no deal size or no whole week of close history";
  }
  return r;
}

}  // namespace salesim::crm
