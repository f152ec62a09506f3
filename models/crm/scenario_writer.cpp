#include "models/crm/scenario_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "models/crm/errors.hpp"
#include "models/params.hpp"

namespace salesim::crm {

ScenarioFigures scenario_figures(const Calibration& c) {
  if (auto missing = c.missing_for_forecast())
    throw InputError(fmt::format("{}: cannot calibrate a scenario from {}: {}", c.source->file,
                                 format_date(c.history.as_of), *missing));
  ScenarioFigures f;
  const EventualOutcome& o = *c.new_deal;
  const double weeks_to_close = std::max(1.0, o.mean_days_to_close / 7);
  f.exit_rate = std::min(1.0, 1 / weeks_to_close);
  f.conversion = std::clamp(o.p_win, 0.0, 1.0);
  f.reps = long(c.creation->reps.size());
  f.managers = long(std::min<std::size_t>(c.managers, std::size_t(f.reps)));
  f.initial_per_rep = std::lround(double(c.open.deals - c.open.stale) / double(f.reps));
  // MODEL.md 3.4.5: with target_hours null and no hours on the pipeline, a rep prospects
  // sustainable_hours - admin_hours (1 + control_overhead (1 - alignment)) - coaching hours.
  const Params p;
  f.prospecting_hours =
      p.capacity.sustainable_hours -
      p.capacity.admin_hours * (1 + p.capacity.control_overhead * (1 - p.org.alignment));
  f.yield = c.creation->per_rep_week / f.prospecting_hours;
  f.deal_mean = c.sizes->overall.mean;
  f.deal_cv = c.sizes->overall.cv;
  return f;
}

std::string scenario_yaml(const Calibration& c, int horizon_weeks, std::uint64_t seed) {
  const ScenarioFigures f = scenario_figures(c);
  const std::string file = std::filesystem::path(c.source->file).filename().string();
  const std::string as_of = format_date(c.history.as_of);
  std::string s;
  s += fmt::format(
      "# Calibrated by `salesim calibrate` from {} as of {}, using only what was known that day.\n"
      "# Every figure below is in MODEL.md's own keys (docs/forecasting.md, \"The calibrated\n"
      "# scenario\"); hazards by age, per-rep figures and seasonality are in the report.\n",
      file, as_of);
  s += "salesim: 1\n";
  s += fmt::format("name: \"{} as of {}\"\n", file, as_of);
  s += fmt::format(
      "description: \"Baseline calibrated from the CRM export: {} reps, {:.1f} new opportunities "
      "per rep per week, {:.1f}% eventually won, {:.0f} days to close on average\"\n",
      f.reps, c.creation->per_rep_week, 100 * f.conversion, c.new_deal->mean_days_to_close);
  s +=
      fmt::format("simulation:\n  horizon_weeks: {}\n  paths: 2000\n  seed: {}\n  start_date: {}\n",
                  horizon_weeks, seed, format_date(c.history.as_of + 1));
  s += fmt::format(
      "pipeline:\n"
      "  deal_size: {{mean: {:.2f}, cv: {:.4f}}}   # won deals known on {}: {} with an amount\n"
      "  stages:\n"
      "  # One stage: every open deal is worked (hours 0); it closes at exit_rate per week (1 / "
      "the\n"
      "  # mean weeks to close) and is won with the eventual win probability estimated with\n"
      "  # censoring (standard error {:.4f}). initial_per_rep: the {} open deals younger than the\n"
      "  # oldest close seen, per rep ({} stale deals left out).\n"
      "    - {{name: engaged, skill: discovery, hours: 0, exit_rate: {:.5f}, conversion: "
      "{{floor: {:.5f}, top: {:.5f}}}, stale_loss: 0, initial_per_rep: {}}}\n",
      f.deal_mean, f.deal_cv, as_of, c.sizes->overall.wins, c.p_win_se, c.open.deals - c.open.stale,
      c.open.stale, f.exit_rate, f.conversion, f.conversion, f.initial_per_rep);
  s += fmt::format(
      "team:\n  reps: {}                    # reps who created opportunities in the last {} "
      "weeks\n  managers: {}\n",
      f.reps, c.creation->weeks, f.managers);
  s += fmt::format(
      "prospecting:\n"
      "  # {:.3f} new opportunities per rep per week over the {:.1f} hours a rep has free for\n"
      "  # prospecting under the defaults (40 sustainable - 8 admin x 1.35).\n"
      "  yield: {{floor: {:.6f}, top: {:.6f}}}\n  icp_lift: 0\n",
      c.creation->per_rep_week, f.prospecting_hours, f.yield, f.yield);
  s += "# The export shows no burnout, attrition or skills: neutral values, so the baseline\n"
       "# reproduces the observed flows. Set them (and spread conversion floor/top around the\n"
       "# calibrated value) before layering plans that act through them.\n"
       "burnout:\n  discomfort: 0\npeople:\n  attrition_annual: 0\n";
  s += "plans:\n  - name: baseline\n    description: \"As calibrated.\"\n";
  return s;
}

}  // namespace salesim::crm
