#include "models/crm/drift.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

namespace salesim::crm {

LevelVariation level_variation(const std::vector<double>& observed,
                               const std::vector<double>& expected, const DriftPrior& prior) {
  LevelVariation v;
  double so = 0, se = 0, se2 = 0;
  int used = 0;
  for (std::size_t m = 0; m < expected.size(); ++m) {
    if (expected[m] <= 0) continue;
    ++used;
    so += observed[m], se += expected[m], se2 += expected[m] * expected[m];
  }
  v.effective_months = se2 > 0 ? se * se / se2 : 0;
  v.df = std::max(0, used - 1);
  if (v.df > 0 && so > 0) {
    const double k = so / se;
    for (std::size_t m = 0; m < expected.size(); ++m)
      if (expected[m] > 0) {
        const double mu = k * expected[m];
        v.x2 += (observed[m] - mu) * (observed[m] - mu) / mu;
      }
    v.p_value = boost::math::cdf(boost::math::complement(boost::math::chi_squared(v.df), v.x2));
    const double denom = k * (se - se2 / se);
    v.tau2_data = denom > 0 ? std::max(0.0, (v.x2 - v.df) / denom) : 0.0;
  }
  const double nu0 = std::max(0.0, prior.months);
  const double w = nu0 + v.df;
  v.tau2 = w > 0 ? (nu0 * prior.sd * prior.sd + v.df * v.tau2_data) / w : 0.0;
  return v;
}

Drift fit_drift(const History& h, const Hazards& hz, const DriftPrior& prior) {
  Drift d;
  d.prior = prior;
  const Day start = hz.history_start;
  d.history_weeks = std::max(0, (h.as_of - start + 1) / 7);
  const int m0 = month_number(start);
  const int months = month_number(h.as_of) - m0 + 1;
  if (months <= 0) return d;
  d.months.resize(months);
  Day first = month_start(start);
  for (int m = 0; m < months; ++m, first = month_start(first + 31))  // +31: the next month
    d.months[m].from = std::max(start, first);
  for (int m = 0; m < months; ++m)
    d.months[m].to = m + 1 < months ? d.months[m + 1].from - 1 : h.as_of;
  for (const KnownDeal& k : h.deals) {
    const Day last = k.closed ? *k.closed : h.as_of;
    if (last < start) continue;
    // Days at risk entry..last, as in tabulate(); each adds its hazard to its month.
    for (Day t = std::max(k.created, start); t <= last; ++t) {
      MonthCounts& c = d.months[month_number(t) - m0];
      c.expected_wins += hz.win_rate(t - k.created) / 7;
      c.expected_losses += hz.loss_rate(t - k.created) / 7;
    }
    if (k.outcome == Outcome::won) d.months[month_number(last) - m0].wins += 1;
    if (k.outcome == Outcome::lost) d.months[month_number(last) - m0].losses += 1;
  }
  // The expected closes add up to the observed ones (as events / exposure made them): the ties
  // of a day on which most deals at risk closed weigh more than one close each in the cumulative
  // hazard, and the months' level is relative (the test and tau below do not depend on it).
  double o_w = 0, e_w = 0, o_l = 0, e_l = 0;
  for (const auto& c : d.months)
    o_w += c.wins, e_w += c.expected_wins, o_l += c.losses, e_l += c.expected_losses;
  for (auto& c : d.months) {
    if (o_w > 0 && e_w > 0) c.expected_wins *= o_w / e_w;
    if (o_l > 0 && e_l > 0) c.expected_losses *= o_l / e_l;
  }
  std::vector<double> ow, ew, ol, el;
  for (const auto& c : d.months) {
    ow.push_back(c.wins), ew.push_back(c.expected_wins);
    ol.push_back(c.losses), el.push_back(c.expected_losses);
  }
  d.win = level_variation(ow, ew, prior);
  d.loss = level_variation(ol, el, prior);
  return d;
}

}  // namespace salesim::crm
