#include "models/crm/hazards.hpp"

#include <algorithm>
#include <cmath>

namespace salesim::crm {

void AgeTable::grow(std::size_t weeks) {
  if (exposure_days.size() >= weeks) return;
  exposure_days.resize(weeks, 0.0);
  wins.resize(weeks, 0.0);
  losses.resize(weeks, 0.0);
}

AgeTable tabulate(const History& h, Day history_start, std::size_t* at_risk,
                  std::size_t* entered_late, std::size_t* before) {
  AgeTable t;
  for (const KnownDeal& d : h.deals) {
    const Day last = d.closed ? *d.closed : h.as_of;  // the deal is at risk on days entry..last
    if (last < history_start) {
      if (before) ++*before;
      continue;
    }
    const Day entry = std::max(d.created, history_start);
    if (at_risk) ++*at_risk;
    if (entered_late && entry > d.created) ++*entered_late;
    const int a0 = entry - d.created, a1 = last - d.created;  // ages in days, inclusive
    t.grow(std::size_t(a1 / 7) + 1);
    for (int w = a0 / 7; w <= a1 / 7; ++w) {
      const int lo = std::max(a0, 7 * w), hi = std::min(a1, 7 * w + 6);
      t.exposure_days[w] += hi - lo + 1;
    }
    if (d.outcome == Outcome::won) t.wins[a1 / 7] += 1;
    if (d.outcome == Outcome::lost) t.losses[a1 / 7] += 1;
  }
  return t;
}

namespace {
HazardBand make_band(const AgeTable& t, int from, int to) {
  HazardBand b;
  b.from_week = from, b.to_week = to;
  for (int w = from; w <= to && w < int(t.exposure_days.size()); ++w) {
    b.exposure_weeks += t.exposure_days[w] / 7.0;
    b.wins += t.wins[w];
    b.losses += t.losses[w];
  }
  if (b.exposure_weeks > 0) {
    b.win = b.wins / b.exposure_weeks, b.loss = b.losses / b.exposure_weeks;
    b.win_se = std::sqrt(b.wins) / b.exposure_weeks;
    b.loss_se = std::sqrt(b.losses) / b.exposure_weeks;
  }
  return b;
}
}  // namespace

std::optional<Hazards> fit_hazards(const History& h, Day history_start, double min_events) {
  Hazards hz;
  hz.history_start = history_start;
  const AgeTable t =
      tabulate(h, history_start, &hz.deals_at_risk, &hz.entered_late, &hz.closed_before_history);
  int last_event = -1;
  for (int w = 0; w < int(t.exposure_days.size()); ++w)
    if (t.wins[w] + t.losses[w] > 0) last_event = w;
  if (last_event < 0) return std::nullopt;

  int from = 0;
  double events = 0;
  for (int w = 0; w <= last_event; ++w) {
    events += t.wins[w] + t.losses[w];
    if (events >= min_events || w == last_event) {
      hz.bands.push_back(make_band(t, from, w));
      from = w + 1;
      events = 0;
    }
  }
  // A last band short of closes joins the one before it.
  if (hz.bands.size() >= 2 && hz.bands.back().wins + hz.bands.back().losses < min_events) {
    const int lo = hz.bands[hz.bands.size() - 2].from_week;
    hz.bands.pop_back();
    hz.bands.back() = make_band(t, lo, last_event);
  }
  hz.tail_from_week = last_event + 1;
  const DayRisk risk = day_risk(h, history_start, 7 * hz.tail_from_week);
  hz.day_win.assign(risk.at_risk.size(), 1.0);
  hz.day_loss.assign(risk.at_risk.size(), 1.0);
  for (HazardBand& b : hz.bands) fit_band_rates(b, risk, hz);
  HazardBand tail = make_band(t, last_event + 1, int(t.exposure_days.size()));
  tail.to_week = -1;
  const double e = tail.exposure_weeks + hz.bands.back().exposure_weeks;
  tail.win = tail.loss = 0.5 / e;
  tail.win_se = tail.loss_se = std::sqrt(0.5) / e;
  hz.bands.push_back(tail);
  return hz;
}

DayRisk day_risk(const History& h, Day history_start, int days) {
  DayRisk r;
  std::vector<double> change(std::size_t(days) + 1, 0.0);  // entries minus exits, by day
  r.wins.assign(std::size_t(days), 0.0);
  r.losses.assign(std::size_t(days), 0.0);
  for (const KnownDeal& d : h.deals) {
    const Day last = d.closed ? *d.closed : h.as_of;
    if (last < history_start) continue;
    const int a0 = std::max(d.created, history_start) - d.created, a1 = last - d.created;
    if (a0 >= days) continue;
    change[std::size_t(a0)] += 1;  // at risk on days a0..a1
    if (a1 < days) {
      change[std::size_t(a1) + 1] -= 1;
      if (d.outcome == Outcome::won) r.wins[std::size_t(a1)] += 1;
      if (d.outcome == Outcome::lost) r.losses[std::size_t(a1)] += 1;
    }
  }
  r.at_risk.assign(std::size_t(days), 0.0);
  double n = 0;
  for (int a = 0; a < days; ++a) r.at_risk[std::size_t(a)] = n += change[std::size_t(a)];
  return r;
}

void fit_band_rates(HazardBand& b, const DayRisk& r, Hazards& hz) {
  const int weeks = b.to_week - b.from_week + 1;
  const int from = 7 * b.from_week;
  const int to =
      std::min({7 * b.to_week + 6, int(r.at_risk.size()) - 1, int(hz.day_win.size()) - 1});
  std::vector<double> win(std::size_t(std::max(0, to - from + 1)), 0.0), loss(win.size(), 0.0);
  double cw = 0, cl = 0;
  for (int a = from; a <= to; ++a) {
    const double w = r.wins[std::size_t(a)], l = r.losses[std::size_t(a)], c = w + l;
    if (c <= 0) continue;
    const double n = std::max(r.at_risk[std::size_t(a)], c);
    double increment = 0;
    for (int j = 0; j < int(c); ++j) increment += 1 / (n - j);
    cw += win[std::size_t(a - from)] = increment * w / c;
    cl += loss[std::size_t(a - from)] = increment * l / c;
  }
  b.win = cw / weeks, b.loss = cl / weeks;
  b.win_se = b.wins > 0 ? b.win / std::sqrt(b.wins) : 0.0;
  b.loss_se = b.losses > 0 ? b.loss / std::sqrt(b.losses) : 0.0;
  // Each day's share of its band: mean 1 over the band's 7 x weeks days.
  for (int a = from; a <= to; ++a) {
    hz.day_win[std::size_t(a)] = cw > 0 ? win[std::size_t(a - from)] * 7 * weeks / cw : 1.0;
    hz.day_loss[std::size_t(a)] = cl > 0 ? loss[std::size_t(a - from)] * 7 * weeks / cl : 1.0;
  }
}

double kaplan_meier_open(const History& h, Day history_start, int age_days) {
  const DayRisk r = day_risk(h, history_start, age_days);
  double open = 1;
  for (int a = 0; a < age_days; ++a)
    if (r.at_risk[std::size_t(a)] > 0)
      open *= 1 - (r.wins[std::size_t(a)] + r.losses[std::size_t(a)]) / r.at_risk[std::size_t(a)];
  return open;
}

const HazardBand& Hazards::band_at(int age_days) const {
  const int w = std::max(0, age_days) / 7;
  if (w >= tail_from_week) return bands.back();
  for (const auto& b : bands)
    if (w <= b.to_week) return b;
  return bands.back();
}
double Hazards::win_rate(int age_days) const {
  const std::size_t a = std::size_t(std::max(0, age_days));
  return band_at(age_days).win * (a < day_win.size() ? day_win[a] : 1.0);
}
double Hazards::loss_rate(int age_days) const {
  const std::size_t a = std::size_t(std::max(0, age_days));
  return band_at(age_days).loss * (a < day_loss.size() ? day_loss[a] : 1.0);
}

EventualOutcome eventual(const Hazards& hz, int from_age_days, double win_factor,
                         double loss_factor, int limit_days) {
  if (limit_days <= 0) limit_days = 7 * hz.tail_from_week + 364;
  EventualOutcome r;
  double survive = 1, closed_days = 0;
  for (int a = from_age_days; a < limit_days; ++a) {
    const double hw = win_factor * hz.win_rate(a) / 7, hl = loss_factor * hz.loss_rate(a) / 7;
    const double total = hw + hl;
    if (total <= 0) continue;
    const double close = survive * (1 - std::exp(-total));
    r.p_win += close * hw / total;
    r.p_loss += close * hl / total;
    closed_days += close * (a - from_age_days + 0.5);
    survive -= close;
  }
  const double p = r.p_win + r.p_loss;
  r.mean_days_to_close = p > 0 ? closed_days / p : 0;
  return r;
}

}  // namespace salesim::crm
