#include "models/crm/scenario_writer.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "models/crm/csv.hpp"
#include "models/crm/errors.hpp"
#include "models/params.hpp"
#include "models/scenario.hpp"

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

namespace {

// A figure rounded as the scenario shows it (`digits` after the point), so the file reads
// 0.12345 rather than 0.12345000000000001; written with 15 significant digits.
double rounded(double v, int digits) { return std::stod(fmt::format("{:.{}f}", v, digits)); }
// A money figure to 6 significant digits, whatever its unit: amounts in millions (2.3646e-3)
// were written 0 with two decimals, a deal size the scenario refuses.
double significant(double v) { return std::stod(fmt::format("{:.6g}", v)); }

}  // namespace

std::string scenario_yaml(const Calibration& c, int horizon_weeks, std::uint64_t seed) {
  const ScenarioFigures f = scenario_figures(c);
  // Every figure written is finite: an infinite or undefined one is bad input (an export whose
  // amounts or dates make no sense), never a scenario with `inf` or `nan` in it.
  const std::pair<const char*, double> figures[] = {
      {"pipeline.stages[0].exit_rate", f.exit_rate},
      {"pipeline.stages[0].conversion", f.conversion},
      {"prospecting.yield", f.yield},
      {"pipeline.deal_size.mean", f.deal_mean},
      {"pipeline.deal_size.cv", f.deal_cv},
      {"new opportunities per rep per week", c.creation->per_rep_week},
      {"mean days to close", c.new_deal->mean_days_to_close}};
  for (const auto& [what, v] : figures)
    if (!std::isfinite(v))
      throw InputError(fmt::format(
          "{}: the calibration as of {} gives {} = {}, which no scenario can hold; see the "
          "data-quality report (salesim import) for the amounts and dates behind it",
          c.source->file, format_date(c.history.as_of), what, v));

  // The export's name is text from outside (it may hold quotes, colons, line breaks): it goes
  // into the file only through the emitter, which quotes and escapes it.
  const std::string file = std::filesystem::path(c.source->file).filename().string();
  const std::string as_of = format_date(c.history.as_of);
  YAML::Emitter y;
  y.SetDoublePrecision(15);
  y.SetIndent(2);
  // The explanations go in the opening comment; the emitter puts a comment given between
  // keys at the end of the line before, where a long one reads badly. The file name is on one
  // line: the emitter continues a comment over '\n', but a carriage return or another control
  // character would end it in some readers.
  y << YAML::Comment(fmt::format(
      "Calibrated by `salesim calibrate` from {}\n"
      "as of {}, using only what was known that day. Every figure below is in MODEL.md's own\n"
      "keys (docs/forecasting.md, \"The calibrated scenario\"); hazards by age, per-rep figures\n"
      "and seasonality are in the report.\n"
      "\n"
      "pipeline.stages: one stage; every open deal is worked (hours 0); it closes at exit_rate\n"
      "per week (1 / the mean weeks to close) and is won with the eventual win probability\n"
      "estimated with censoring (standard error {:.4f}). initial_per_rep: the {} open deals\n"
      "younger than the oldest close seen, per rep ({} stale deals left out).\n"
      "prospecting.yield: {:.3f} new opportunities per rep per week over the {:.1f} hours a rep\n"
      "has free for prospecting under the defaults (40 sustainable - 8 admin x 1.35).\n"
      "burnout, people: the export shows no burnout, attrition or skills: neutral values, so the\n"
      "baseline reproduces the observed flows. Set them (and spread conversion floor/top around\n"
      "the calibrated value) before layering plans that act through them.",
      one_line(file), as_of, c.p_win_se, c.open.deals - c.open.stale, c.open.stale,
      c.creation->per_rep_week, f.prospecting_hours));
  y << YAML::BeginMap;
  // Format 2 (MODEL.md 1.1), the format this build writes, so a run of the file prints no
  // notice. The file holds no event weeks (hiring, training or program start_week, a plan's
  // from_week), the one thing formats 1 and 2 read differently: it is the same model in either.
  static_assert(kFormatVersion == 2,
                "scenario_yaml writes format 2: review its keys against the new format");
  y << YAML::Key << "salesim" << YAML::Value << kFormatVersion;
  y << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << (file + " as of " + as_of);
  y << YAML::Key << "description" << YAML::Value << YAML::DoubleQuoted
    << fmt::format(
           "Baseline calibrated from the CRM export: {} reps, {:.1f} new opportunities per rep "
           "per week, {:.1f}% eventually won, {:.0f} days to close on average",
           f.reps, c.creation->per_rep_week, 100 * f.conversion, c.new_deal->mean_days_to_close);

  y << YAML::Key << "simulation" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "horizon_weeks" << YAML::Value << horizon_weeks;
  y << YAML::Key << "paths" << YAML::Value << 2000;
  y << YAML::Key << "seed" << YAML::Value << seed;
  y << YAML::Key << "start_date" << YAML::Value << format_date(c.history.as_of + 1);
  y << YAML::EndMap;

  y << YAML::Key << "pipeline" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "deal_size" << YAML::Value << YAML::Flow << YAML::BeginMap;
  y << YAML::Key << "mean" << YAML::Value << significant(f.deal_mean);
  y << YAML::Key << "cv" << YAML::Value << rounded(f.deal_cv, 4);
  y << YAML::EndMap;
  y << YAML::Comment(
      fmt::format("won deals known on {}: {} with an amount", as_of, c.sizes->overall.wins));
  y << YAML::Key << "stages" << YAML::Value;
  y << YAML::BeginSeq << YAML::Flow << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << "engaged";
  y << YAML::Key << "skill" << YAML::Value << "discovery";
  y << YAML::Key << "hours" << YAML::Value << 0;
  y << YAML::Key << "exit_rate" << YAML::Value << rounded(f.exit_rate, 5);
  y << YAML::Key << "conversion" << YAML::Value << YAML::Flow << YAML::BeginMap;
  y << YAML::Key << "floor" << YAML::Value << rounded(f.conversion, 5);
  y << YAML::Key << "top" << YAML::Value << rounded(f.conversion, 5);
  y << YAML::EndMap;
  y << YAML::Key << "stale_loss" << YAML::Value << 0;
  y << YAML::Key << "initial_per_rep" << YAML::Value << f.initial_per_rep;
  y << YAML::EndMap << YAML::EndSeq;
  y << YAML::EndMap;  // pipeline

  y << YAML::Key << "team" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "reps" << YAML::Value << f.reps;
  y << YAML::Comment(
      fmt::format("reps who created opportunities in the last {} weeks", c.creation->weeks));
  y << YAML::Key << "managers" << YAML::Value << f.managers;
  y << YAML::EndMap;

  y << YAML::Key << "prospecting" << YAML::Value;
  y << YAML::BeginMap;
  y << YAML::Key << "yield" << YAML::Value << YAML::Flow << YAML::BeginMap;
  y << YAML::Key << "floor" << YAML::Value << rounded(f.yield, 6);
  y << YAML::Key << "top" << YAML::Value << rounded(f.yield, 6);
  y << YAML::EndMap;
  y << YAML::Key << "icp_lift" << YAML::Value << 0;
  y << YAML::EndMap;

  y << YAML::Key << "burnout" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "discomfort" << YAML::Value << 0;
  y << YAML::EndMap;
  y << YAML::Key << "people" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "attrition_annual" << YAML::Value << 0;
  y << YAML::EndMap;

  y << YAML::Key << "plans" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << "baseline";
  y << YAML::Key << "description" << YAML::Value << YAML::DoubleQuoted << "As calibrated.";
  y << YAML::EndMap << YAML::EndSeq;
  y << YAML::EndMap;
  if (!y.good())
    throw std::logic_error("scenario_yaml: the YAML emitter failed: " + y.GetLastError());
  return std::string(y.c_str()) + "\n";
}

}  // namespace salesim::crm
