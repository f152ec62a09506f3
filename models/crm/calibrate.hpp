#pragma once
// Calibration of a sales team from its CRM export, using only what was known on the as-of
// day: hazards by deal age (censoring the open deals), deal sizes, creation rates with their
// seasonality, and rep differences shrunk toward the team. The result feeds the forecast and
// the scenario writer; it points into the Export, which must outlive it.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/crm/assignment.hpp"
#include "models/crm/creation.hpp"
#include "models/crm/cure.hpp"
#include "models/crm/drift.hpp"
#include "models/crm/hazards.hpp"
#include "models/crm/history.hpp"
#include "models/crm/shrinkage.hpp"
#include "models/crm/sizes.hpp"

namespace salesim::crm {

// Days after the export's last event that are a quiet weekend or holiday week, not a gap to warn
// of; and the number of closes under which the hazards are too rough to trust.
inline constexpr int kQuietWeekDays = 7;
inline constexpr std::size_t kFewCloses = 30;

struct CalibrationOptions {
  Day as_of = 0;
  std::optional<Day> history_start;  // default: the first close known on the as-of day
  int window_weeks = 26;             // creation rates: at most this many weeks before as_of
  double min_events = 10;            // closes per hazard band
  std::uint64_t seed = 1;            // for the standard error of the win probability
  DriftPrior drift_prior;            // month-to-month variation of the rates before data
  int short_history_weeks = 13;      // warn when the close history is shorter than this
  // A share of deals that never close, per rep (cure.hpp); off: the model as before. The
  // command line defaults to per_rep (issue 14); the library keeps off, and its callers choose.
  NeverClose never_close = NeverClose::off;
};

struct OpenPipeline {
  std::size_t deals = 0, stale = 0;  // stale: older than the oldest close ever seen
  double median_age_days = 0, max_age_days = 0;
  std::map<std::string, std::size_t> by_stage;
};

struct Calibration {
  const Export* source = nullptr;
  History history;
  std::optional<Day> history_start;
  std::optional<Hazards> hazards;           // nullopt: nothing closed yet
  std::optional<CureFit> cure;              // the never-close shares, when asked for
  std::optional<EventualOutcome> new_deal;  // a new deal's eventual outcome
  std::optional<Drift> drift;               // month-to-month variation of the hazards' level
  double p_win_se = 0, p_win_naive = 0;     // naive: won / (won + lost) of closed deals
  std::optional<DealSizes> sizes;
  std::optional<CreationRates> creation;
  int creation_window_weeks = 0;  // whole weeks of the creation window (0: not one week of it)
  Shrinkage win_reps, loss_reps;  // per owner of the history (owners order)
  OpenPipeline open;
  std::optional<Assignment> assignment;  // of the unassigned open leads, when there are any
  std::size_t managers = 1;              // of the creating reps, from the org chart
  std::vector<std::string> notes;        // what could not be estimated, and why
  std::vector<std::string> warnings;     // what makes the forecast less reliable than it looks

  // The hazards a live deal closes by: the cure fit's when there is one, else the pooled ones.
  const Hazards& live_hazards() const { return cure ? cure->live : *hazards; }
  // P(live) of a known deal (History::deals index): 1 without the cure fit.
  double live_prob(std::size_t deal) const { return cure ? cure->live_prob[deal] : 1.0; }
  // The open deals of the history, and how many of them are live in expectation.
  struct LiveOpen {
    std::size_t open = 0;
    double live = 0;
  };
  LiveOpen live_open_deals() const;
  // The forecast needs hazards, sizes and creation rates; this says which is missing.
  std::optional<std::string> missing_for_forecast() const;
};

Calibration calibrate(const Export& e, const CalibrationOptions& o);

}  // namespace salesim::crm
