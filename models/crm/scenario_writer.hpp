#pragma once
// Writes a calibration as a scenario file in MODEL.md's own keys, so `salesim validate` and
// `salesim run` take it as it is and plans can be layered on it. The mapping (docs/forecasting.md):
// one stage `engaged` with no capacity limit (hours 0) whose exit rate is 1 / the mean weeks to
// close and whose conversion is the eventual win probability; the open, non-stale deals as
// initial_per_rep; the creation rate as a prospecting yield on the hours reps have free under
// the file's defaults; deal sizes as the lognormal's mean and cv. What the CRM cannot show
// (burnout, attrition, skills) is neutral, so the baseline reproduces the observed flows.
// The richer estimates (hazards by age, per-rep figures, seasonality) are in the report.
#include <string>

#include "models/crm/calibrate.hpp"

namespace salesim::crm {

struct ScenarioFigures {
  double exit_rate = 0, conversion = 0, yield = 0, prospecting_hours = 0;
  long initial_per_rep = 0, reps = 0, managers = 1;
  double deal_mean = 0, deal_cv = 0;
};

// Throws InputError when the calibration lacks what a scenario needs.
ScenarioFigures scenario_figures(const Calibration& c);
std::string scenario_yaml(const Calibration& c, int horizon_weeks, std::uint64_t seed);

}  // namespace salesim::crm
