#pragma once
// Win and loss hazards by deal age, estimated with censoring: every deal contributes the days
// it was seen open (exposure) and at most one event, its close. A deal still open is censored,
// not lost and not won, so a history where nothing has closed yet gives no estimate rather
// than a win rate of 0. Deals enter the risk set at the start of the close history (delayed
// entry): an export that only holds closes from some day on cannot show what closed before.
//
// The hazard is piecewise constant over bands of whole age weeks, merged from week 0 upward
// until each band holds enough closes. Each band's total rate is the cumulative hazard across
// it by age day (Nelson-Aalen with delayed entry, ties one after another), split between wins
// and losses by their counts in the band. Events / exposure, the maximum likelihood rate of a
// constant hazard, is about the same where closes are spread over the band, but where they
// bunch (every lead closed at 12 days, a trial's end) it spreads them over the band and leaves
// a third of the leads open at its end, which then never close. The standard error
// is the rate's Poisson relative error, rate / sqrt(closes). Ages past the oldest close ever
// seen form the stale tail: no close was seen there, so its rate is the Jeffreys estimate
// 0.5 / exposure (tail exposure plus the last band's).
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
  // Rates per week at an age in days.
  double win_rate(int age_days) const;
  double loss_rate(int age_days) const;
  const HazardBand& band_at(int age_days) const;
};

// Deals at risk (the Kaplan-Meier risk set) and closes by age day, entering at their age on the
// history start as tabulate counts them.
struct DayRisk {
  std::vector<double> at_risk, closes;
};
DayRisk day_risk(const History& h, Day history_start, int days);

// A band's win and loss rates set so that (win + loss) * weeks is the cumulative hazard over
// its days, the sum of closes / at risk with ties taken one after another (close to the
// product-limit survival; a day on which every deal at risk closes leaves about half a deal
// open), and win / loss = its wins / losses. at_risk may be weighted (not whole deals).
void match_survival(HazardBand& b, const std::vector<double>& at_risk,
                    const std::vector<double>& closes);

// Tabulates a history from history_start on (owner < 0: every owner).
AgeTable tabulate(const History& h, Day history_start, int owner = -1,
                  std::size_t* at_risk = nullptr, std::size_t* entered_late = nullptr,
                  std::size_t* before = nullptr);
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
