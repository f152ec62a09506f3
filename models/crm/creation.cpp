#include "models/crm/creation.hpp"

#include <boost/math/distributions/fisher_f.hpp>
#include <cmath>

namespace salesim::crm {
namespace {

double poisson_deviance(double n, double mu) {
  if (mu <= 0) return 0;
  return 2 * ((n > 0 ? n * std::log(n / mu) : 0.0) - (n - mu));
}

}  // namespace

double CreationRates::rate_of(int owner) const {
  for (std::size_t i = 0; i < reps.size(); ++i)
    if (reps[i] == owner) return per_rep_week * rep_rates.reps[i].shrunk;
  return 0;
}

std::optional<CreationRates> fit_creation(const History& h, Day history_start, int window_weeks) {
  CreationRates c;
  const int available = (h.as_of - history_start + 1) / 7;
  c.weeks = std::min(window_weeks, available);
  if (c.weeks < 1) return std::nullopt;
  c.window_end = h.as_of;
  c.window_start = h.as_of - 7 * c.weeks + 1;
  c.weekly.assign(c.weeks, 0.0);
  std::vector<double> per_owner(h.owners.size(), 0.0);
  for (const KnownDeal& d : h.deals) {
    if (d.created < c.window_start) continue;
    c.weekly[(d.created - c.window_start) / 7] += 1;
    per_owner[d.owner] += 1;
    c.created += 1;
  }
  std::vector<std::string> names;
  std::vector<double> observed, expected;
  for (std::size_t r = 0; r < per_owner.size(); ++r)
    if (per_owner[r] > 0) {
      c.reps.push_back(int(r));
      names.push_back(h.owners[r]);
      observed.push_back(per_owner[r]);
    }
  if (c.reps.empty()) return std::nullopt;
  const double rep_weeks = double(c.reps.size()) * c.weeks;
  c.per_rep_week = c.created / rep_weeks;
  const double team = c.created / c.weeks;
  if (c.weeks >= 2) {
    double x2 = 0;
    for (double n : c.weekly) x2 += (n - team) * (n - team) / team;
    c.dispersion = std::max(1.0, x2 / (c.weeks - 1));
  }
  c.per_rep_week_se = std::sqrt(c.dispersion * c.created) / rep_weeks;
  for (std::size_t i = 0; i < c.reps.size(); ++i) expected.push_back(c.per_rep_week * c.weeks);
  c.rep_rates = shrink(names, observed, expected);

  // Seasonality: one rate per month of the quarter (a week belongs to the month of its middle).
  Seasonality& s = c.season;
  std::array<double, 3> count{0, 0, 0};
  std::vector<int> month(c.weeks);
  for (int w = 0; w < c.weeks; ++w) {
    month[w] = month_of_quarter(c.window_start + 7 * w + 3) - 1;
    ++s.weeks[month[w]];
    count[month[w]] += c.weekly[w];
  }
  s.estimable = s.weeks[0] >= 2 && s.weeks[1] >= 2 && s.weeks[2] >= 2 && c.weeks > 4;
  if (!s.estimable) return c;
  std::array<double, 3> rate{};
  for (int m = 0; m < 3; ++m) rate[m] = count[m] / s.weeks[m];
  double d0 = 0, d1 = 0, x2 = 0;
  for (int w = 0; w < c.weeks; ++w) {
    const double mu = rate[month[w]];
    d0 += poisson_deviance(c.weekly[w], team);
    d1 += poisson_deviance(c.weekly[w], mu);
    if (mu > 0) x2 += (c.weekly[w] - mu) * (c.weekly[w] - mu) / mu;
  }
  const double phi = std::max(1.0, x2 / (c.weeks - 3));
  s.f = std::max(0.0, (d0 - d1) / 2 / phi);
  boost::math::fisher_f dist(2, c.weeks - 3);
  s.p_value = boost::math::cdf(boost::math::complement(dist, s.f));
  const double mean_rate = (rate[0] + rate[1] + rate[2]) / 3;
  for (int m = 0; m < 3; ++m) {
    s.factor[m] = mean_rate > 0 ? rate[m] / mean_rate : 1;
    s.factor_se[m] = mean_rate > 0 ? std::sqrt(phi * count[m]) / s.weeks[m] / mean_rate : 0;
  }
  s.used = s.p_value < 0.05;
  if (!s.used)
    s.factor = {1, 1, 1};
  else  // the base rate is the mean over the months, so the factors average to 1 over a quarter
    c.per_rep_week = mean_rate / double(c.reps.size());
  return c;
}

}  // namespace salesim::crm
