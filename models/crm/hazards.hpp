#pragma once
// Win and loss hazards by deal age, estimated with censoring: every deal contributes the days
// it was seen open (exposure) and at most one event, its close. A deal still open is censored,
// not lost and not won, so a history where nothing has closed yet gives no estimate rather
// than a win rate of 0. Deals enter the risk set at the start of the close history (delayed
// entry): an export that only holds closes from some day on cannot show what closed before.
//
// The hazards follow the data day by day up to the oldest close: the cumulative hazard is the
// Nelson-Aalen sum of closes / deals at risk on each day of age (delayed entry; the closes of
// one day taken one after another), won and lost apart (each close counts toward its own
// outcome). Bands of whole age weeks, merged from week 0 upward until each holds enough closes,
// carry the rates reported (a band's cumulative win or loss hazard over its weeks) and their
// standard errors (the rate's Poisson relative error, rate / sqrt(closes)); within a band each
// day keeps its share of the band's hazard. So a funnel whose leads all close 12 days after
// they are created closes them on day 12, not spread over weeks 0-1 (events / exposure, the
// maximum-likelihood rate of a hazard constant over the band, left a third of them open at day
// 14, where past the oldest close nothing closes). Ages past the oldest close ever seen form the
// stale tail: no close was seen there, so its rate is the Jeffreys estimate 0.5 / exposure
// (tail exposure plus the last band's), constant.
#include <cstddef>
#include <optional>
#include <vector>

#include "models/crm/history.hpp"

namespace salesim::crm {

// Exposure (deal-days) and closes by age week, for one owner or the whole team.
struct AgeTable {
  std::vector<double> exposure_days;
  std::vector<double> wins, losses;
  void grow(std::size_t weeks);
};

struct HazardBand {
  int from_week = 0, to_week = 0;  // inclusive; to_week = -1 in the tail means "and older"
  double exposure_weeks = 0, wins = 0, losses = 0;
  double win = 0, loss = 0, win_se = 0, loss_se = 0;  // per week
};

struct Hazards {
  Day history_start = 0;
  std::vector<HazardBand> bands;  // contiguous from age week 0; the last one is the tail
  int tail_from_week = 0;         // first age week past the oldest close seen
  std::size_t deals_at_risk = 0, entered_late = 0, closed_before_history = 0;
  // Per age day before the tail: the day's win (loss) hazard over its band's mean daily one
  // (mean 1 over a band's days; 0 on a day nothing closed).
  std::vector<double> day_win, day_loss;
  // Rates per week at an age in days: the band's rate times the day's share.
  double win_rate(int age_days) const;
  double loss_rate(int age_days) const;
  const HazardBand& band_at(int age_days) const;
};

// Deals at risk (the Kaplan-Meier risk set; may be weighted, not whole deals) and closes by age
// day, entering at their age on the history start as tabulate counts them.
struct DayRisk {
  std::vector<double> at_risk, wins, losses;
};
DayRisk day_risk(const History& h, Day history_start, int days);

// A band's win and loss rates, its days' shares (hz.day_win, hz.day_loss) and standard errors
// from the risk set by day: c closes among n at risk add 1/n + 1/(n - 1) + ... + 1/(n - c + 1)
// to the cumulative hazard (c / n where closes are sparse; about ln n where every deal at risk
// closes on one day, which leaves about half a deal open, as the product-limit survival says,
// with a finite rate), shared between wins and losses as the day's closes are.
void fit_band_rates(HazardBand& b, const DayRisk& r, Hazards& hz);

// Tabulates a history from history_start on, every owner's deals together.
AgeTable tabulate(const History& h, Day history_start, std::size_t* at_risk = nullptr,
                  std::size_t* entered_late = nullptr, std::size_t* before = nullptr);
// nullopt when nothing has closed: hazards cannot be estimated from censored deals alone.
std::optional<Hazards> fit_hazards(const History& h, Day history_start, double min_events = 10);

// The Kaplan-Meier share of deals still open at age `age_days`, from the days each deal was at
// risk (with delayed entry, as tabulate): the data's own survival, without bands.
double kaplan_meier_open(const History& h, Day history_start, int age_days);

// What the hazards imply for a deal of age `from_age_days` (0: a new one), with the win and
// loss rates multiplied by the given factors: probability to be won and lost eventually (by
// `limit_days` of age), and the mean days to close of those that close.
struct EventualOutcome {
  double p_win = 0, p_loss = 0, mean_days_to_close = 0;
};
EventualOutcome eventual(const Hazards& hz, int from_age_days = 0, double win_factor = 1,
                         double loss_factor = 1, int limit_days = 0);

}  // namespace salesim::crm
