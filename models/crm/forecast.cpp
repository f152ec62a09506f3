#include "models/crm/forecast.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/random/gamma_distribution.hpp>
#include <cmath>

#include "models/crm/errors.hpp"
#include "sim/random.hpp"
#include "sim/samplers.hpp"
#include "sim/stats.hpp"

namespace salesim::crm {
namespace {

// Stream processes of the forecast (the entity is the deal or rep index, the week the
// forecast week).
enum Process : std::uint32_t { p_params = 100, p_open, p_count, p_new, p_noise, p_unassigned };
// Whether a deal is one that never closes (cure.hpp), drawn only when the calibration has the
// never-close shares: entity the open deal, the rep (week w, slot j: the week's j-th new deal)
// or the unassigned lead.
enum LiveProcess : std::uint32_t { p_live_open = 106, p_live_new, p_live_unassigned };

// Each owner's manager in the org chart; owners without one share "(no manager)".
struct ManagerIndex {
  std::vector<std::string> names;
  std::vector<int> of_owner;
};
ManagerIndex managers_of(const Calibration& c) {
  ManagerIndex mi;
  for (const std::string& o : c.history.owners) {
    auto it = c.source->manager_of.find(o);
    const std::string name = it == c.source->manager_of.end() ? "(no manager)" : it->second;
    auto at = std::find(mi.names.begin(), mi.names.end(), name);
    if (at == mi.names.end()) at = mi.names.insert(mi.names.end(), name);
    mi.of_owner.push_back(int(at - mi.names.begin()));
  }
  // The unassigned pool, last, is its own line; without unassigned leads it books nothing.
  if (c.history.unassigned.empty()) {
    mi.of_owner.push_back(0);
  } else {
    mi.of_owner.push_back(int(mi.names.size()));
    mi.names.push_back(kUnassigned);
  }
  return mi;
}

struct Product {
  double cum_share = 0;
  sim::Lognormal size;
};

struct OpenDeal {
  int age0 = 0;  // age in days on the first forecast day
  int owner = 0;
  double win_factor = 1, loss_factor = 1;
  double live = 1;  // probability it is not a deal that never closes
  std::optional<double> amount;
  sim::Lognormal size;
};

struct Rep {
  double rate = 0, win_factor = 1, loss_factor = 1;
  double never = 0;  // share of the rep's new deals that never close
  int owner = 0;
};

// Everything a path needs, precomputed once.
struct Model {
  int weeks = 0, days = 0;
  Day first_day = 0;
  std::vector<double> Hw, Hl;  // cumulative hazards by age in days, Hw[a] = sum_{j<a} h(j)/7
  std::vector<OpenDeal> open;
  std::vector<OpenDeal> unassigned;  // worked from the day they are assigned (team rates)
  double assign_per_day = 0;
  std::vector<Rep> reps;
  std::vector<Product> products;
  std::vector<double> season;  // creation factor per forecast week
  // Calendar months of the horizon: month k holds forecast days seg[k]..seg[k + 1] - 1.
  std::vector<int> seg, month_at;
  double se_log_win = 0, se_log_loss = 0, se_log_create = 0, noise_var = 0;
  double sd_month_win = 0, sd_month_loss = 0;  // month-to-month variation (Drift)
  bool amounts_known = true;                   // false: sizes are 0, only counts are forecast

  // Extra per-path scalars after fc::n_scalars: bookings per calendar month of the horizon, per
  // owner (History::owners) and per manager (index into managers).
  std::vector<int> manager_of;  // per owner
  std::size_t owners = 0, managers = 0;
  std::size_t month_slot(int k) const { return fc::n_scalars + std::size_t(k); }
  std::size_t owner_slot(int o) const { return fc::n_scalars + seg.size() - 1 + std::size_t(o); }
  std::size_t manager_slot(int o) const { return owner_slot(int(owners)) + manager_of[o]; }
  std::size_t scalars() const { return owner_slot(int(owners)) + managers; }
  void book(double* S, int owner, int day, double v) const {
    S[month_slot(month_at[day])] += v;
    S[owner_slot(owner)] += v;
    S[manager_slot(owner)] += v;
  }

  double hw(int a) const { return Hw[a + 1] - Hw[a]; }
  double hl(int a) const { return Hl[a + 1] - Hl[a]; }
  int months() const { return int(seg.size()) - 1; }

  // A deal of age a0 on forecast day s0, its rates times mw and ml and, in month k, times the
  // path's level factors fw[k] and fl[k]: the day (0-based from s0) it closes within the
  // horizon, or -1; and whether it is won.
  int close_day(int a0, int s0, double mw, double ml, const double* fw, const double* fl,
                double u_close, double u_win, bool& won) const {
    const double target = -std::log(u_close);
    auto H = [&](int t) {  // cumulative hazard over forecast days s0..s0 + t - 1
      double sum = 0;
      const int end = s0 + t;
      for (int k = month_at[s0]; k < months() && seg[k] < end; ++k) {
        const int lo = std::max(seg[k], s0) - s0 + a0, hi = std::min(seg[k + 1], end) - s0 + a0;
        sum += mw * fw[k] * (Hw[hi] - Hw[lo]) + ml * fl[k] * (Hl[hi] - Hl[lo]);
      }
      return sum;
    };
    const int span = days - s0;
    if (span <= 0 || H(span) < target) return -1;
    int lo = 1, hi = span;  // smallest t with H(t) >= target; the close is on day t - 1
    while (lo < hi) {
      const int mid = (lo + hi) / 2;
      if (H(mid) >= target)
        hi = mid;
      else
        lo = mid + 1;
    }
    const int a = a0 + lo - 1, k = month_at[s0 + lo - 1];
    const double w = mw * fw[k] * hw(a), l = ml * fl[k] * hl(a);
    won = u_win * (w + l) < w;
    return lo - 1;
  }
};

Model build(const Calibration& c, const ForecastOptions& o) {
  Model m;
  const History& h = c.history;
  const Hazards& hz = *c.hazards;
  const Hazards& live = c.live_hazards();  // the pooled hazards without the never-close shares
  m.weeks = o.weeks;
  m.days = 7 * o.weeks;
  m.first_day = h.as_of + 1;
  int max_age = 0;
  for (const KnownDeal& d : h.deals) max_age = std::max(max_age, m.first_day - d.created);
  for (const KnownDeal& d : h.unassigned) max_age = std::max(max_age, m.first_day - d.created);
  const int A = max_age + m.days + 2;
  m.Hw.assign(A + 1, 0.0);
  m.Hl.assign(A + 1, 0.0);
  for (int a = 0; a < A; ++a) {
    m.Hw[a + 1] = m.Hw[a] + live.win_rate(a) / 7;
    m.Hl[a + 1] = m.Hl[a] + live.loss_rate(a) / 7;
  }
  auto factor = [](const Shrinkage& s, int owner) {
    return owner < int(s.reps.size()) ? s.reps[owner].shrunk : 1.0;
  };
  // An open deal's age, and its size: its own amount, else its product's; without any amount
  // the forecast is in won deals only and every size is 0.
  auto open_deal = [&](const KnownDeal& d, int owner) {
    OpenDeal od;
    od.age0 = m.first_day - d.created;
    od.owner = owner;
    if (!c.sizes)
      od.amount = 0.0;
    else if (d.amount && *d.amount > 0)
      od.amount = d.amount;
    if (c.sizes) {
      const SizeEstimate& s = c.sizes->of(d.source->product);
      od.size = sim::Lognormal::from_mean_cv(s.mean, s.cv);
    }
    return od;
  };
  for (std::size_t i = 0; i < h.deals.size(); ++i) {
    const KnownDeal& d = h.deals[i];
    if (d.outcome != Outcome::open) continue;
    OpenDeal od = open_deal(d, d.owner);
    od.win_factor = factor(c.win_reps, d.owner);
    od.loss_factor = factor(c.loss_reps, d.owner);
    od.live = c.live_prob(i);
    m.open.push_back(od);
  }
  if (c.assignment) {
    m.assign_per_day = c.assignment->per_day;
    // The pool's own line in the split by owner comes after the owners.
    for (const KnownDeal& d : h.unassigned) {
      m.unassigned.push_back(open_deal(d, int(h.owners.size())));
      // Nobody's deal: the team's share, given the lead's age.
      if (c.cure) m.unassigned.back().live = c.cure->live_at(-1, m.unassigned.back().age0);
    }
  }
  const DealSizes no_sizes;
  const DealSizes& sizes = c.sizes ? *c.sizes : no_sizes;
  const CreationRates& cr = *c.creation;
  for (int r : cr.reps)
    m.reps.push_back({cr.rate_of(r), factor(c.win_reps, r), factor(c.loss_reps, r),
                      c.cure ? c.cure->share_of(r) : 0.0, r});
  double cum = 0;
  for (const auto& p : sizes.products)
    if (p.mix > 0) {
      cum += p.mix;
      m.products.push_back({cum, sim::Lognormal::from_mean_cv(p.mean, p.cv)});
    }
  if (m.products.empty())
    m.products.push_back(
        {1.0, c.sizes ? sim::Lognormal::from_mean_cv(sizes.overall.mean, sizes.overall.cv)
                      : sim::Lognormal{}});
  m.amounts_known = c.sizes.has_value();
  for (auto& p : m.products) p.cum_share /= m.products.back().cum_share;
  for (int w = 0; w < o.weeks; ++w)
    m.season.push_back(cr.season.factor[month_of_quarter(m.first_day + 7 * w + 3) - 1]);
  for (int t = 0; t < m.days; ++t) {
    if (t == 0 || month_number(m.first_day + t) != month_number(m.first_day + t - 1))
      m.seg.push_back(t);
    m.month_at.push_back(int(m.seg.size()) - 1);
  }
  m.seg.push_back(m.days);
  const ManagerIndex mi = managers_of(c);
  m.owners = h.owners.size() + 1;  // and the unassigned pool
  m.manager_of = mi.of_owner;
  m.managers = mi.names.size();
  if (o.parameter_uncertainty) {
    double wins = 0, losses = 0;
    for (const auto& b : hz.bands) wins += b.wins, losses += b.losses;
    // The level's estimation error: Poisson, plus the history months' own level factors.
    double v_win = wins > 0 ? 1 / wins : 0, v_loss = losses > 0 ? 1 / losses : 0;
    if (c.drift) {
      const Drift& d = *c.drift;
      if (d.win.effective_months > 0) v_win += d.win.tau2 / d.win.effective_months;
      if (d.loss.effective_months > 0) v_loss += d.loss.tau2 / d.loss.effective_months;
      m.sd_month_win = std::sqrt(d.win.tau2);
      m.sd_month_loss = std::sqrt(d.loss.tau2);
    }
    m.se_log_win = std::sqrt(v_win);
    m.se_log_loss = std::sqrt(v_loss);
    m.se_log_create = cr.per_rep_week > 0 ? cr.per_rep_week_se / cr.per_rep_week : 0;
    const double team_week = cr.per_rep_week * double(cr.reps.size());
    m.noise_var = team_week > 0 ? (cr.dispersion - 1) / team_week : 0;
  }
  return m;
}

struct NoScratch : sim::Scratch {};

void run_one(const Model& m, std::uint64_t seed, std::uint64_t path, sim::PathSlots& out) {
  const int W = m.weeks;
  double* S = out.scalars.data();
  std::fill(out.scalars.begin(), out.scalars.end(), 0.0);
  std::vector<double> open_week(W, 0.0), new_week(W, 0.0), won_week(W, 0.0);

  // Level factors with mean 1: the estimates' errors (slots 0-2), and per calendar month of
  // the horizon the month's own level of the win and loss rates (slots 3 + 2k, 4 + 2k).
  sim::Stream params(sim::Address{seed, path, p_params, 0, 0});
  auto level = [&](double sd, std::uint64_t slot) {
    return sd > 0 ? std::exp(sd * sim::normal_inv(params.uniform_at(slot)) - sd * sd / 2) : 1.0;
  };
  const double lw = level(m.se_log_win, 0), ll = level(m.se_log_loss, 1);
  const double lc = level(m.se_log_create, 2);
  std::vector<double> fw(m.months()), fl(m.months());
  for (int k = 0; k < m.months(); ++k) {
    fw[k] = lw * level(m.sd_month_win, 3 + 2 * std::uint64_t(k));
    fl[k] = ll * level(m.sd_month_loss, 4 + 2 * std::uint64_t(k));
  }

  for (std::size_t i = 0; i < m.open.size(); ++i) {
    const OpenDeal& d = m.open[i];
    if (d.live < 1 &&
        !(sim::Stream(sim::Address{seed, path, p_live_open, std::uint32_t(i), 0}).uniform_at(0) <
          d.live))
      continue;  // a deal that never closes
    sim::Stream s(sim::Address{seed, path, p_open, std::uint32_t(i), 0});
    bool won = false;
    const int t = m.close_day(d.age0, 0, d.win_factor, d.loss_factor, fw.data(), fl.data(),
                              s.uniform_at(0), s.uniform_at(1), won);
    if (t < 0 || !won) continue;
    const double v = d.amount ? *d.amount : d.size.draw(s.uniform_at(2));
    open_week[t / 7] += v, won_week[t / 7] += 1;
    m.book(S, d.owner, t, v);
    S[fc::won_open] += 1;
  }

  // Unassigned leads: an exponential wait for an owner, then the team's hazards from the age
  // the lead has on that day.
  for (std::size_t i = 0; i < m.unassigned.size(); ++i) {
    const OpenDeal& d = m.unassigned[i];
    if (d.live < 1 &&
        !(sim::Stream(sim::Address{seed, path, p_live_unassigned, std::uint32_t(i), 0})
              .uniform_at(0) < d.live))
      continue;
    sim::Stream s(sim::Address{seed, path, p_unassigned, std::uint32_t(i), 0});
    const double wait = -std::log(s.uniform_at(0)) / m.assign_per_day;
    if (!(wait < m.days)) continue;
    const int start = int(wait);
    bool won = false;
    const int t = m.close_day(d.age0 + start, start, 1, 1, fw.data(), fl.data(), s.uniform_at(1),
                              s.uniform_at(2), won);
    if (t < 0 || !won) continue;
    const double v = d.amount ? *d.amount : d.size.draw(s.uniform_at(3));
    open_week[(start + t) / 7] += v, won_week[(start + t) / 7] += 1;
    m.book(S, d.owner, start + t, v);
    S[fc::won_open] += 1;
  }

  for (int w = 0; w < W; ++w) {
    double noise = 1;
    if (m.noise_var > 0) {
      sim::Stream ns(sim::Address{seed, path, p_noise, 0, std::uint32_t(w)});
      boost::random::gamma_distribution<double> g(1 / m.noise_var, m.noise_var);
      noise = g(ns);
    }
    for (std::size_t r = 0; r < m.reps.size(); ++r) {
      const Rep& rep = m.reps[r];
      const double lambda = rep.rate * m.season[w] * lc * noise;
      const auto n = sim::poisson_inv(
          lambda, sim::Stream(sim::Address{seed, path, p_count, std::uint32_t(r), std::uint32_t(w)})
                      .uniform_at(0));
      if (n == 0) continue;
      sim::Stream s(sim::Address{seed, path, p_new, std::uint32_t(r), std::uint32_t(w)});
      sim::Stream never(sim::Address{seed, path, p_live_new, std::uint32_t(r), std::uint32_t(w)});
      for (std::int64_t j = 0; j < n; ++j) {
        if (rep.never > 0 && never.uniform_at(std::uint64_t(j)) < rep.never) continue;
        const std::uint64_t base = 5 * std::uint64_t(j);
        const int day = 7 * w + std::min(6, int(7 * s.uniform_at(base)));
        bool won = false;
        const int t = m.close_day(0, day, rep.win_factor, rep.loss_factor, fw.data(), fl.data(),
                                  s.uniform_at(base + 1), s.uniform_at(base + 2), won);
        if (t < 0 || !won) continue;
        const double u = s.uniform_at(base + 3);
        const Product* p = &m.products.back();
        for (const auto& q : m.products)
          if (u <= q.cum_share) {
            p = &q;
            break;
          }
        const double v = m.amounts_known ? p->size.draw(s.uniform_at(base + 4)) : 0.0;
        new_week[(day + t) / 7] += v, won_week[(day + t) / 7] += 1;
        m.book(S, rep.owner, day + t, v);
        S[fc::won_new] += 1;
      }
    }
  }

  double co = 0, cn = 0, cw = 0;
  for (int w = 0; w < W; ++w) {
    co += open_week[w], cn += new_week[w], cw += won_week[w];
    out.kept[fc::cum_won * W + w] = cw;
    out.kept[fc::weekly_won * W + w] = won_week[w];
    out.kept[fc::cum_total * W + w] = co + cn;
    out.kept[fc::cum_open * W + w] = co;
    out.kept[fc::cum_new * W + w] = cn;
    out.kept[fc::weekly_total * W + w] = open_week[w] + new_week[w];
  }
  S[fc::total] = co + cn, S[fc::open] = co, S[fc::fresh] = cn;
}

Band band_of(std::span<const double> x) {
  static constexpr double probs[] = {0.1, 0.5, 0.9};
  const auto q = sim::quantiles(x, probs);
  return Band{sim::mean_se(x).mean, q[0].value_or(0), q[1].value_or(0), q[2].value_or(0)};
}

}  // namespace

double forecast_memory_bytes(std::size_t owners, const ForecastOptions& o) {
  const double months = 7.0 * o.weeks / 28 + 2;  // part months at both ends
  const double per_path = double(o.weeks) * double(fc::n_series) + double(fc::n_scalars) + months +
                          2 * (double(owners) + 1);
  return 8 * per_path * double(o.paths);
}

ForecastResult forecast(const Calibration& c, const ForecastOptions& o) {
  // Deal sizes may be missing (an export without amounts): the forecast is then in won deals.
  if (auto missing = c.missing_for_forecast(); missing && (!c.hazards || !c.creation))
    throw InputError(fmt::format("{}: cannot forecast from {}: {}", c.source->file,
                                 format_date(c.history.as_of), *missing));
  if (o.weeks < 1 || o.weeks > 520) throw InputError("--weeks: expected 1..520");
  const Model m = build(c, o);
  sim::OutputShape shape{std::size_t(o.weeks), m.scalars(), fc::n_series, 0};
  sim::RunOptions ro;
  ro.paths = o.paths;
  ro.threads = o.threads;
  ro.progress = o.progress;
  ForecastResult r;
  r.run = sim::run_paths(
      shape, ro,
      [&](std::uint64_t path, sim::Scratch&, sim::PathSlots& out) {
        run_one(m, o.seed, path, out);
      },
      [] { return std::make_unique<NoScratch>(); });
  r.as_of = c.history.as_of;
  r.weeks = o.weeks;
  r.paths = o.paths;
  r.open_deals = m.open.size();
  r.stale_deals = c.open.stale;
  r.creating_reps = m.reps.size();
  r.history_weeks = c.drift ? c.drift->history_weeks : 0;
  r.month_sd_win = m.sd_month_win, r.month_sd_loss = m.sd_month_loss;
  r.warnings = c.warnings;
  for (int w = 0; w < o.weeks; ++w) {
    r.cumulative.push_back(band_of(r.run.kept_week(fc::cum_total, w)));
    r.cumulative_open.push_back(band_of(r.run.kept_week(fc::cum_open, w)));
    r.cumulative_new.push_back(band_of(r.run.kept_week(fc::cum_new, w)));
    r.weekly.push_back(band_of(r.run.kept_week(fc::weekly_total, w)));
    r.weekly_won.push_back(band_of(r.run.kept_week(fc::weekly_won, w)));
    r.cumulative_won.push_back(band_of(r.run.kept_week(fc::cum_won, w)));
  }
  auto scalar = [&](int i) {
    std::vector<double> v(o.paths);
    for (std::size_t p = 0; p < o.paths; ++p) v[p] = r.run.scalar(p, i);
    return v;
  };
  r.total_samples = scalar(fc::total);
  r.total = band_of(r.total_samples);
  r.from_open = band_of(scalar(fc::open));
  r.from_new = band_of(scalar(fc::fresh));
  r.won_open_count = band_of(scalar(fc::won_open));
  r.won_new_count = band_of(scalar(fc::won_new));
  std::vector<double> won(o.paths);
  for (std::size_t p = 0; p < o.paths; ++p)
    won[p] = r.run.scalar(p, fc::won_open) + r.run.scalar(p, fc::won_new);
  r.won_count = band_of(won);
  for (int k = 0; k < m.months(); ++k)
    r.by_month.push_back({month_number(m.first_day + m.seg[k]), m.first_day + m.seg[k],
                          m.first_day + m.seg[k + 1] - 1, band_of(scalar(int(m.month_slot(k))))});
  const ManagerIndex mi = managers_of(c);
  for (std::size_t i = 0; i < m.owners; ++i)
    if (i < c.history.owners.size() || !m.unassigned.empty())
      r.by_owner.push_back(
          {i < c.history.owners.size() ? c.history.owners[i] : std::string(kUnassigned),
           mi.names[std::size_t(mi.of_owner[i])], band_of(scalar(int(m.owner_slot(int(i)))))});
  r.unassigned_leads = m.unassigned.size();
  if (c.cure) {
    r.never_close_share = c.cure->team;
    r.open_deals_live = c.live_open_deals().live;
  }
  for (std::size_t g = 0; g < m.managers; ++g)
    r.by_manager.push_back(
        {mi.names[g], "", band_of(scalar(int(m.owner_slot(int(m.owners)) + g)))});
  r.amounts_known = m.amounts_known;
  if (!m.amounts_known)
    r.warnings.push_back(
        "no won deal has an amount and there is no price list: the forecast is in won deals "
        "(period.won_deals); its currency figures are 0");
  return r;
}

}  // namespace salesim::crm
