#include "models/crm/calibrate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "models/crm/errors.hpp"
#include "sim/random.hpp"
#include "sim/samplers.hpp"

namespace salesim::crm {
namespace {

// Standard error of the eventual win probability: the hazards redrawn from their sampling
// distributions (normal on each band's rate, kept positive), the outcome recomputed.
double p_win_se(const Hazards& hz, std::uint64_t seed) {
  constexpr int kDraws = 200;
  std::vector<double> p(kDraws);
  for (int i = 0; i < kDraws; ++i) {
    Hazards d = hz;
    sim::Stream s(sim::Address{seed, std::uint64_t(i), 0x5e, 0, 0});
    std::uint64_t slot = 0;
    for (auto& b : d.bands) {
      b.win = std::max(0.0, b.win + b.win_se * sim::normal_inv(s.uniform_at(slot++)));
      b.loss = std::max(0.0, b.loss + b.loss_se * sim::normal_inv(s.uniform_at(slot++)));
    }
    p[i] = eventual(d).p_win;
  }
  double m = 0, v = 0;
  for (double x : p) m += x;
  m /= kDraws;
  for (double x : p) v += (x - m) * (x - m);
  return std::sqrt(v / (kDraws - 1));
}

// Observed and expected closes per owner under the team's hazards.
void rep_effects(Calibration& c) {
  const History& h = c.history;
  std::vector<double> ow(h.owners.size()), ew(h.owners.size()), ol(h.owners.size()),
      el(h.owners.size());
  // Each deal's expected closes are the hazard summed over the days it was at risk, day by day
  // as the forecast uses it (each day's share of its band: a rep whose deals are young where
  // closes bunch at day 12 expects none yet). With the never-close shares they are on the live
  // exposure: w_i on days 0..c_i less v_i on days 0..e_i - 1 (cure.hpp).
  const Hazards& hz = c.live_hazards();
  int oldest = 0;
  for (const KnownDeal& d : h.deals)
    oldest = std::max(oldest, (d.closed ? *d.closed : h.as_of) - d.created);
  std::vector<double> Hw(std::size_t(oldest) + 2, 0.0), Hl(Hw.size(), 0.0);
  for (std::size_t a = 0; a + 1 < Hw.size(); ++a) {
    Hw[a + 1] = Hw[a] + hz.win_rate(int(a)) / 7;
    Hl[a + 1] = Hl[a] + hz.loss_rate(int(a)) / 7;
  }
  for (std::size_t i = 0; i < h.deals.size(); ++i) {
    const KnownDeal& d = h.deals[i];
    const Day last = d.closed ? *d.closed : h.as_of;
    if (last < *c.history_start || d.owner < 0) continue;
    const std::size_t r = std::size_t(d.owner);
    const std::size_t a0 = std::size_t(std::max(d.created, *c.history_start) - d.created),
                      a1 = std::size_t(last - d.created);
    const double w = c.live_prob(i), v = c.cure ? c.cure->live_at(d.owner, int(a0)) : 1.0;
    ew[r] += w * Hw[a1 + 1] - v * Hw[a0];
    el[r] += w * Hl[a1 + 1] - v * Hl[a0];
    if (d.outcome == Outcome::won) ow[r] += 1;
    if (d.outcome == Outcome::lost) ol[r] += 1;
  }
  // The factors say how the reps differ from the team; the team's level is the hazards'. The
  // cumulative hazard counts a day's ties as more than one close each where most deals at risk
  // close, so the expected closes are scaled to add up to the team's, as events / exposure made
  // them.
  const auto to_team = [](const std::vector<double>& o, std::vector<double>& e) {
    const double so = std::accumulate(o.begin(), o.end(), 0.0);
    const double se = std::accumulate(e.begin(), e.end(), 0.0);
    if (so > 0 && se > 0)
      for (double& x : e) x *= so / se;
  };
  to_team(ow, ew);
  to_team(ol, el);
  c.win_reps = shrink(h.owners, ow, ew);
  c.loss_reps = shrink(h.owners, ol, el);
}

// "; the first deal was created on D", to say which days a forecast can start from.
std::string first_created_text(const Export& e) {
  if (e.deals.empty()) return "";
  Day first = e.deals.front().created;
  for (const Opportunity& o : e.deals) first = std::min(first, o.created);
  return fmt::format(" (the export's first deal was created on {})", format_date(first));
}

}  // namespace

Calibration::LiveOpen Calibration::live_open_deals() const {
  LiveOpen r;
  for (std::size_t i = 0; i < history.deals.size(); ++i)
    if (history.deals[i].outcome == Outcome::open) r.live += live_prob(i), ++r.open;
  return r;
}

std::optional<std::string> Calibration::missing_for_forecast() const {
  if (!hazards)
    return fmt::format(
        "no deal known on {} has closed since the history start{}, so win and loss "
        "rates cannot be estimated ({} open deals are censored, not lost)",
        format_date(history.as_of),
        history_start ? fmt::format(" ({}; --history-start sets it)", format_date(*history_start))
                      : "",
        history.open());
  if (!sizes) return "no won deal has an amount and there is no price list: deal sizes unknown";
  if (!creation && creation_window_weeks < 1)
    return fmt::format(
        "less than one whole week between the history start {} and {}: no "
        "creation rate",
        format_date(history_start.value_or(history.as_of)), format_date(history.as_of));
  // The window has whole weeks, but nobody created a deal in them (every deal older).
  if (!creation)
    return fmt::format(
        "no deal was created in the creation window {} to {} ({} whole weeks ending on {}, from "
        "the history start {} on): no creation rate; an earlier --history-start or a longer "
        "--window-weeks takes in older deals",
        format_date(history.as_of - 7 * creation_window_weeks + 1), format_date(history.as_of),
        creation_window_weeks, format_date(history.as_of),
        format_date(history_start.value_or(history.as_of)));
  return std::nullopt;
}

namespace {

// What the day and the history given make of the export, said where the forecast is read
// (JSON, terminal, report), not only on stderr: each lowers or sharpens a forecast silently.
void input_warnings(const Export& e, const CalibrationOptions& o, const History& h,
                    std::optional<Day> first_close, std::vector<std::string>& out) {
  // A quiet weekend or a holiday week after the last event is normal; months are not.
  if (const int gap = o.as_of - e.export_date; gap > kQuietWeekDays)
    out.push_back(fmt::format(
        "the figures are as of {}, {} days after the last dated event of {} ({}): those days are "
        "read as days in which nothing was created, won or lost, which lowers the creation rate "
        "and ages every open deal; if the export was made earlier, give --as-of {}",
        format_date(o.as_of), gap, e.file, format_date(e.export_date), format_date(e.export_date)));
  if (o.history_start && first_close && *first_close - *o.history_start > kQuietWeekDays)
    out.push_back(fmt::format(
        "--history-start {} is {} week{} before the first close {} holds ({}): the weeks between "
        "are read as weeks in which nothing was won or lost, which lowers the rates; an export "
        "whose close history starts on {} is read best from that day (the default)",
        format_date(*o.history_start), (*first_close - *o.history_start) / 7,
        (*first_close - *o.history_start) / 7 == 1 ? "" : "s", e.file, format_date(*first_close),
        format_date(*first_close)));
  // The closes the hazards rest on: those from the history start on (a later --history-start
  // leaves the earlier ones out of the fit).
  const Day from = o.history_start ? *o.history_start : first_close.value_or(h.as_of + 1);
  std::size_t won = 0, lost = 0;
  for (const KnownDeal& d : h.deals)
    if (d.closed && *d.closed >= from) {
      won += d.outcome == Outcome::won;
      lost += d.outcome == Outcome::lost;
    }
  if (won + lost > 0 && won + lost < kFewCloses)
    out.push_back(fmt::format(
        "only {} closes ({} won, {} lost) from {} to {}: the hazards by age rest on so few that a "
        "deal can close only near the ages already seen, and the interval does not show how "
        "rough that is",
        won + lost, won, lost, format_date(from), format_date(h.as_of)));
}

}  // namespace

Calibration calibrate(const Export& e, const CalibrationOptions& o) {
  Calibration c;
  c.source = &e;
  // Rows the import excluded are said here too: calibrate, forecast and backtest are often run
  // without `salesim import` (a wrong --date-format excluded 84% of an export unseen).
  if (const QualityReport& q = e.quality; q.rows_excluded > 0) {
    const QualityCheck* top = nullptr;
    for (const QualityCheck& k : q.checks)
      if (k.excluded && (!top || k.rows > top->rows)) top = &k;
    c.warnings.push_back(fmt::format(
        "{} of the {} rows of {} were excluded by the import{}; `salesim import` lists them",
        q.rows_excluded, q.rows_read, e.file,
        top ? fmt::format(" ({} of them: {})", top->rows, top->reason) : std::string()));
  }
  // The kept rows' checks that change figures silently: said too, for the same reason.
  for (const QualityCheck& k : e.quality.checks)
    if (k.warn && k.rows > 0)
      c.warnings.push_back(fmt::format("{} {} of {}: {}{}", k.rows, k.rows == 1 ? "row" : "rows",
                                       e.file, k.reason,
                                       k.examples.empty() ? "" : "; e.g. " + k.examples.front()));
  if (o.history_start && *o.history_start > o.as_of)
    throw InputError(fmt::format(
        "--history-start {} is after {}, the day the figures are as of: nothing closed in the "
        "history it would start",
        format_date(*o.history_start), format_date(o.as_of)));
  c.history = known_on(e, o.as_of);
  const History& h = c.history;
  if (h.deals.empty())
    throw InputError(fmt::format("{}: no deal was created on or before {}{}", e.file,
                                 format_date(o.as_of), first_created_text(e)));
  Day first_created = h.deals.front().created;
  for (const KnownDeal& d : h.deals) first_created = std::min(first_created, d.created);
  std::optional<Day> first_close;  // the default history start
  for (const KnownDeal& d : h.deals)
    if (d.closed && (!first_close || *d.closed < *first_close)) first_close = d.closed;
  c.history_start = o.history_start ? o.history_start : first_close;
  const double won = double(h.won()), lost = double(h.lost());
  c.p_win_naive = won + lost > 0 ? won / (won + lost) : 0;
  input_warnings(e, o, h, first_close, c.warnings);

  if (c.history_start) {
    c.hazards = fit_hazards(h, *c.history_start, o.min_events);
    if (*c.history_start > first_created)
      c.notes.push_back(fmt::format(
          "the close history starts on {}, after the first deal was created ({}); deals enter "
          "the risk set on that day (delayed entry), and creation rates are counted from it",
          format_date(*c.history_start), format_date(first_created)));
  } else {
    c.notes.push_back("nothing has closed yet: no hazards, no win rate (every deal is censored)");
  }
  if (c.hazards) {
    c.new_deal = eventual(*c.hazards);
    c.p_win_se = p_win_se(*c.hazards, o.seed);
    c.cure = fit_cure(h, *c.hazards, o.never_close);
    if (c.cure) {  // a new deal is live with probability 1 - the team's share
      c.new_deal = eventual(c.cure->live);
      c.new_deal->p_win *= 1 - c.cure->team, c.new_deal->p_loss *= 1 - c.cure->team;
      // The error of the probability reported: the live hazards' (the team's share taken as
      // known), not the pooled ones', which can be 100 of their errors away from it.
      c.p_win_se = p_win_se(c.cure->live, o.seed) * (1 - c.cure->team);
      if (!c.cure->converged)
        c.warnings.push_back(fmt::format(
            "the never-close share did not converge in {} iterations (team share {:.3f})",
            c.cure->iterations, c.cure->team));
    }
    rep_effects(c);
    // Losses alone estimate a win rate of 0: right for the data, but a forecast of nothing
    // should say why rather than look like a failure.
    if (h.won() == 0)
      c.warnings.push_back(fmt::format(
          "no deal known on {} has been won: a deal's win probability is only what the prior "
          "gives ({:.1f}%) and the forecast books next to nothing; is the won status mapped "
          "(status: won: in the mapping)?",
          format_date(h.as_of), 100 * c.new_deal->p_win));
    c.drift = fit_drift(h, *c.hazards, o.drift_prior);
    if (c.drift->history_weeks < o.short_history_weeks)
      c.warnings.push_back(fmt::format(
          "only {} week{} of closes before {} (from {}): swings of the win and loss rates over a "
          "quarter cannot be seen in so short a history; their month-to-month variation leans "
          "on the prior (sd {:.2f}), which widens the interval",
          c.drift->history_weeks, c.drift->history_weeks == 1 ? "" : "s", format_date(h.as_of),
          format_date(*c.history_start), o.drift_prior.sd));
  }
  const Day window_from = c.history_start.value_or(h.as_of + 1);
  c.creation = c.history_start ? fit_creation(h, window_from, o.window_weeks) : std::nullopt;
  if (c.history_start)
    c.creation_window_weeks = std::min(o.window_weeks, (h.as_of - window_from + 1) / 7);
  c.sizes = fit_sizes(h, e.list_price, c.creation ? c.creation->window_start : window_from);

  c.assignment = fit_assignment(h);
  if (!h.unassigned.empty() && !c.assignment)
    c.notes.push_back(fmt::format(
        "{} open leads have no owner and no deal known on {} has one: no assignment rate, the "
        "unassigned leads are left out of the forecast",
        h.unassigned.size(), format_date(h.as_of)));
  std::vector<double> ages;
  for (const KnownDeal& d : h.deals) {
    if (d.outcome != Outcome::open) continue;
    ++c.open.deals;
    const int age = h.as_of - d.created;
    ages.push_back(age);
    if (c.hazards && age >= 7 * c.hazards->tail_from_week) ++c.open.stale;
    // A deal that closed after the day was open then, at a stage the export no longer shows.
    ++c.open.by_stage[d.source->closed ? std::string("(closed later; stage then unknown)")
                                       : d.source->stage];
  }
  if (!ages.empty()) {
    std::sort(ages.begin(), ages.end());
    c.open.median_age_days = ages[ages.size() / 2];
    c.open.max_age_days = ages.back();
  }
  if (c.creation) {
    std::set<std::string> managers;
    for (int r : c.creation->reps) {
      auto it = e.manager_of.find(h.owners[r]);
      if (it != e.manager_of.end()) managers.insert(it->second);
    }
    c.managers = std::max<std::size_t>(1, managers.size());
  }
  return c;
}

}  // namespace salesim::crm
