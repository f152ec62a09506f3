#include "models/crm/cure.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace salesim::crm {
namespace {

// One deal at risk: seen open from age a0 (its entry) through age a1 (its close or the as-of
// day), both in days and inclusive, as tabulate() counts them.
struct AtRisk {
  std::size_t index = 0;  // into History::deals
  int owner = 0, a0 = 0, a1 = 0;
  bool closed = false;
};

// Cumulative total (win + loss) hazard by age in days: H[a] = sum_{j<a} h(j) / 7.
std::vector<double> cumulative(const Hazards& hz, int days) {
  std::vector<double> H(std::size_t(days) + 1, 0.0);
  for (int a = 0; a < days; ++a) H[a + 1] = H[a] + (hz.win_rate(a) + hz.loss_rate(a)) / 7;
  return H;
}

double live_given(double pi, double S) {
  const double d = pi + (1 - pi) * S;
  return d > 0 ? (1 - pi) * S / d : 1.0;
}

// One rep's deals as the share's likelihood sees them, the live survival fixed: the survival to
// the as-of day of its open deals, to their entry of its late entrants, and its closes.
struct Survivals {
  std::vector<double> open, entry;
  double closed = 0;
};
Survivals survivals(const std::vector<AtRisk>& deals, const std::vector<double>& H) {
  Survivals s;
  for (const AtRisk& d : deals) {
    if (d.a0 > 0) s.entry.push_back(std::exp(-H[d.a0]));
    if (d.closed)
      s.closed += 1;
    else
      s.open.push_back(std::exp(-H[d.a1 + 1]));
  }
  return s;
}

// Profile log-likelihood of a share pi for those deals: each from its entry.
double loglik(double pi, const Survivals& s) {
  double l = s.closed * std::log1p(-pi);
  for (double S : s.open) l += std::log(pi + (1 - pi) * S);
  for (double S : s.entry) l -= std::log(pi + (1 - pi) * S);
  return l;
}

// The reps' shares as draws from a Beta(m k, (1 - m) k): m and k maximize the marginal
// likelihood of the reps' deals (each rep's profile likelihood integrated over the Beta on a
// grid of shares), each rep's share is its posterior mean and sd.
struct RepPrior {
  double mean = 0, strength = 0, log_marginal = 0;
  std::vector<double> posterior, sd, own;
};
RepPrior rep_prior(const std::vector<std::vector<AtRisk>>& by_owner, const std::vector<double>& H) {
  constexpr int G = 100;  // shares (g + 0.5) / G
  std::vector<double> x(G), lx(G), l1x(G);
  for (int g = 0; g < G; ++g)
    x[g] = (g + 0.5) / G, lx[g] = std::log(x[g]), l1x[g] = std::log1p(-x[g]);
  // Each rep's likelihood on the grid, scaled to a maximum of 1.
  std::vector<std::vector<double>> L;
  RepPrior p;
  for (const auto& mine : by_owner) {
    std::vector<double> l(G, 0.0);
    if (mine.empty()) {
      L.push_back(std::vector<double>(G, 1.0));
      p.own.push_back(0);
      continue;
    }
    const Survivals sv = survivals(mine, H);
    for (int g = 0; g < G; ++g) l[g] = loglik(x[g], sv);
    const auto top = std::max_element(l.begin(), l.end());
    p.own.push_back(x[top - l.begin()]);
    const double m = *top;
    for (double& v : l) v = std::exp(v - m);
    L.push_back(std::move(l));
  }
  // The Beta priors on the grid: means from 0.5% to 60%, strengths from 0.5 to 8192 deals (the
  // last: reps alike), prior q = i * 15 + j, each normalized on the grid; stored grid point by
  // grid point (P[g * Q + q]) so that the sums below run over the priors in lanes.
  constexpr int I = 61, J = 15, Q = I * J;
  std::vector<double> P(std::size_t(G) * Q), ms(Q), ks(Q);
  std::vector<double> prior(G);
  for (int i = 0; i < I; ++i)
    for (int j = 0; j < J; ++j) {
      const int q = i * J + j;
      const double m = ms[q] = 0.005 * std::pow(120.0, i / 60.0);
      const double k = ks[q] = 0.5 * std::pow(2.0, j);
      double top = -INFINITY;
      for (int g = 0; g < G; ++g) {
        prior[g] = (m * k - 1) * lx[g] + ((1 - m) * k - 1) * l1x[g];
        top = std::max(top, prior[g]);
      }
      double z = 0;
      for (int g = 0; g < G; ++g) z += prior[g] = std::exp(prior[g] - top);
      for (int g = 0; g < G; ++g) P[std::size_t(g) * Q + q] = prior[g] / z;
    }
  // Each prior's log marginal likelihood: per rep, the sum over the grid of its likelihood times
  // the prior (every sum in grid order, as one prior at a time summed it: the same bits; 2,000
  // reps' calibration took 41.5 s, now 26.2 s), then the logs summed in rep order.
  std::vector<double> ll(Q, 0.0), acc(Q);
  for (const auto& l : L) {
    std::fill(acc.begin(), acc.end(), 0.0);
    for (int g = 0; g < G; ++g) {
      const double lg = l[g];
      const double* row = &P[std::size_t(g) * Q];
      for (int q = 0; q < Q; ++q) acc[q] += lg * row[q];
    }
    for (int q = 0; q < Q; ++q) ll[q] += std::log(std::max(acc[q], 1e-300));
  }
  double best = -INFINITY;
  int best_q = 0;
  for (int q = 0; q < Q; ++q)
    if (ll[q] > best) best = ll[q], best_q = q;
  p.mean = ms[best_q], p.strength = ks[best_q], p.log_marginal = best;
  std::vector<double> best_prior(G);
  for (int g = 0; g < G; ++g) best_prior[g] = P[std::size_t(g) * Q + best_q];
  for (const auto& l : L) {
    double s = 0, s1 = 0, s2 = 0;
    for (int g = 0; g < G; ++g) {
      const double q = l[g] * best_prior[g];
      s += q, s1 += q * x[g], s2 += q * x[g] * x[g];
    }
    p.posterior.push_back(s > 0 ? s1 / s : p.mean);
    p.sd.push_back(s > 0 ? std::sqrt(std::max(0.0, s2 / s - (s1 / s) * (s1 / s))) : 0.0);
  }
  return p;
}

// Moves `next` back toward `from`, to from + step (next - from): each day's win and loss hazard
// (its band's rate times the day's share) and the stale tail's rates.
void partly(const Hazards& from, Hazards& next, double step) {
  const auto blend = [step](double a, double b) { return a + step * (b - a); };
  for (std::size_t b = 0; b + 1 < next.bands.size(); ++b) {
    HazardBand& band = next.bands[b];
    const HazardBand& old = from.bands[b];
    const int d0 = 7 * band.from_week,
              d1 = std::min(7 * band.to_week + 6, int(next.day_win.size()) - 1);
    double sw = 0, sl = 0;
    for (int a = d0; a <= d1; ++a) {
      next.day_win[a] = blend(old.win * from.day_win[a], band.win * next.day_win[a]);
      next.day_loss[a] = blend(old.loss * from.day_loss[a], band.loss * next.day_loss[a]);
      sw += next.day_win[a], sl += next.day_loss[a];
    }
    const double days = double(7 * (band.to_week - band.from_week + 1));
    const double win = blend(old.win, band.win), loss = blend(old.loss, band.loss);
    band.win_se *= band.win > 0 ? win / band.win : 1.0;
    band.loss_se *= band.loss > 0 ? loss / band.loss : 1.0;
    band.win = win, band.loss = loss;
    // The days' shares of the blended band (mean 1 over its days, as fit_band_rates leaves them).
    for (int a = d0; a <= d1; ++a) {
      next.day_win[a] = sw > 0 ? next.day_win[a] * days / sw : 1.0;
      next.day_loss[a] = sl > 0 ? next.day_loss[a] * days / sl : 1.0;
    }
  }
  HazardBand& tail = next.bands.back();
  tail.win = blend(from.bands.back().win, tail.win);
  tail.loss = blend(from.bands.back().loss, tail.loss);
}

}  // namespace

double CureFit::live_at(int owner, int age_days) const {
  const double pi = share_of(owner);
  if (pi <= 0) return 1.0;
  double H = 0;
  for (int a = 0; a < age_days; ++a) H += (live.win_rate(a) + live.loss_rate(a)) / 7;
  return live_given(pi, std::exp(-H));
}

std::optional<CureFit> fit_cure(const History& h, const Hazards& pooled, NeverClose mode,
                                int max_iterations) {
  if (mode == NeverClose::off) return std::nullopt;
  CureFit f;
  f.mode = mode;
  f.live = pooled;
  const Day start = pooled.history_start;
  std::vector<AtRisk> deals;
  int max_age = 0;
  for (std::size_t i = 0; i < h.deals.size(); ++i) {
    const KnownDeal& d = h.deals[i];
    const Day last = d.closed ? *d.closed : h.as_of;
    if (last < start) continue;
    const Day entry = std::max(d.created, start);
    deals.push_back({i, d.owner, entry - d.created, last - d.created, d.outcome != Outcome::open});
    max_age = std::max(max_age, last - d.created);
  }
  const int weeks = max_age / 7 + 1, days = 7 * weeks;
  // Closes by age day (not weighted: a deal that closed was live).
  DayRisk risk;
  risk.wins.assign(std::size_t(days), 0.0);
  risk.losses.assign(std::size_t(days), 0.0);
  for (const AtRisk& d : deals)
    if (d.closed)
      (h.deals[d.index].outcome == Outcome::won ? risk.wins : risk.losses)[std::size_t(d.a1)] += 1;
  const std::size_t owners = h.owners.size();
  f.rep.assign(owners, 0.0);
  std::vector<std::vector<AtRisk>> by_owner(owners);
  for (const AtRisk& d : deals) by_owner[d.owner].push_back(d);

  // The alternation can overshoot and cycle (two states far apart, the change stuck at 22 on an
  // export of 20,000 deals with a short history and many late entrants): once the change grows,
  // each step goes only part of the way to the next state, halving while the change grows and
  // lengthening again while it falls.
  double step = 1, last_change = INFINITY;
  for (f.iterations = 1; f.iterations <= max_iterations; ++f.iterations) {
    const std::vector<double> H = cumulative(f.live, max_age + 2);
    // The reps' shares given the live hazards (their Beta's mean: the team's share).
    const RepPrior p = rep_prior(by_owner, H);
    const double team = p.mean;
    const std::vector<double>& rep = p.posterior;
    f.prior_strength = p.strength;
    // The live hazards given the shares: the closes by age day over the live-weighted risk set
    // (as the pooled hazards are over the whole risk set), day by day within each band.
    std::vector<double> R(std::size_t(days) + 1, 0.0);  // differences, then the risk by day
    for (const AtRisk& d : deals) {
      const double pi = rep[d.owner];
      const double w = d.closed ? 1.0 : live_given(pi, std::exp(-H[d.a1 + 1]));
      const double v = live_given(pi, std::exp(-H[d.a0]));
      R[0] += w - v, R[std::size_t(d.a1) + 1] -= w;  // w_i on days 0..c_i
      R[std::size_t(d.a0)] += v;  // - v_i on days 0..e_i - 1: nothing unless it entered late
    }
    std::partial_sum(R.begin(), R.end(), R.begin());
    R.pop_back();
    std::vector<double> D(weeks, 0.0);
    for (int a = 0; a < days; ++a) D[a / 7] += R[std::size_t(a)];
    risk.at_risk = std::move(R);
    Hazards next = f.live;
    double change = std::abs(team - f.team);
    for (std::size_t r = 0; r < owners; ++r) change = std::max(change, std::abs(rep[r] - f.rep[r]));
    for (std::size_t b = 0; b + 1 < next.bands.size(); ++b) {
      HazardBand& band = next.bands[b];
      double e = 0;
      for (int wk = band.from_week; wk <= band.to_week && wk < weeks; ++wk) e += D[wk] / 7;
      if (e <= 0) continue;  // cannot happen with closes in the band; keep the pooled rate
      band.exposure_weeks = e;
      fit_band_rates(band, risk, next);
      const double old = f.live.bands[b].win + f.live.bands[b].loss;
      change = std::max(change, std::abs(band.win + band.loss - old) / std::max(old, 1e-300));
    }
    // The stale tail: Jeffreys 0.5 / (its live exposure plus the last band's), as pooled.
    HazardBand& tail = next.bands.back();
    double te = 0;
    for (int wk = next.tail_from_week; wk < weeks; ++wk) te += D[wk] / 7;
    tail.exposure_weeks = std::max(0.0, te);
    const double e = tail.exposure_weeks + next.bands[next.bands.size() - 2].exposure_weeks;
    if (e > 0) {
      tail.win = tail.loss = 0.5 / e;
      tail.win_se = tail.loss_se = std::sqrt(0.5) / e;
    }
    step = change > last_change ? std::max(step / 2, 1.0 / 64) : std::min(1.0, step * 1.5);
    last_change = change;
    if (step < 1) partly(f.live, next, step);
    f.live = next;
    f.team = team;
    f.rep = rep;
    if (change < 1e-7) {
      f.converged = true;
      break;
    }
  }
  f.iterations = std::min(f.iterations, max_iterations);

  // What the fit leaves: each deal's chance to be live and the reps' shares.
  const std::vector<double> H = cumulative(f.live, max_age + 2);
  f.live_prob.assign(h.deals.size(), 1.0);
  for (const AtRisk& d : deals)
    if (!d.closed) f.live_prob[d.index] = live_given(f.rep[d.owner], std::exp(-H[d.a1 + 1]));
  const RepPrior p = rep_prior(by_owner, H);
  for (std::size_t r = 0; r < owners; ++r) {
    RepShare rs;
    rs.owner = h.owners[r];
    rs.deals = by_owner[r].size();
    for (const AtRisk& d : by_owner[r]) rs.open += !d.closed;
    rs.own = p.own[r], rs.share = f.rep[r], rs.sd = p.sd[r];
    f.reps.push_back(rs);
  }
  f.log_likelihood = p.log_marginal;
  return f;
}

}  // namespace salesim::crm
