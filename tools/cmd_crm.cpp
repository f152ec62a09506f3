// `salesim import | calibrate | forecast | backtest`: forecasting from a CRM opportunity export
// (docs/forecasting.md). The work is in models/crm; this file reads the options, turns bad
// input into exit code 2 and writes the outputs atomically.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <set>

#include "models/crm/backtest.hpp"
#include "models/crm/calibrate.hpp"
#include "models/crm/errors.hpp"
#include "models/crm/export.hpp"
#include "models/crm/forecast.hpp"
#include "models/crm/report.hpp"
#include "models/crm/scenario_writer.hpp"
#include "sim/atomic_file.hpp"
#include "sim/progress.hpp"
#include "tools/cli.hpp"
#include "tools/crm_report.hpp"
#include "tools/output_paths.hpp"

namespace salesim::tools {
namespace {

namespace fs = std::filesystem;

struct ExportArgs {
  std::string file, mapping, map, org_chart, price_list, date_format;
};

void add_export_options(CLI::App* cmd, ExportArgs& a) {
  cmd->add_option("export", a.file, "Opportunity export (CSV)")->required();
  cmd->add_option("--mapping", a.mapping,
                  "Column mapping (YAML; default: mapping.yaml beside the export, if any)");
  cmd->add_option("--map", a.map,
                  "Columns as field=column,... (fields: id, owner, stage, created, closed, "
                  "amount, product); overrides the mapping file");
  cmd->add_option("--org-chart", a.org_chart, "Org chart CSV (owner, manager)");
  cmd->add_option("--price-list", a.price_list, "Price list CSV (product, price)");
  cmd->add_option("--date-format", a.date_format, "YYYY-MM-DD (default), DD/MM/YYYY or MM/DD/YYYY");
}

// The mapping file an export is read with: --mapping, else mapping.yaml beside the export if
// there is one, else none ("").
std::string mapping_file(const ExportArgs& a) {
  if (!a.mapping.empty()) return a.mapping;
  const fs::path beside = fs::path(a.file).parent_path() / "mapping.yaml";
  return fs::exists(beside) ? beside.string() : "";
}

// The files an export command reads, for check_outputs: the export, its mapping, the org chart
// and the price list, given as options or named in the mapping (an output named like one of
// those overwrote it: `forecast --json products.csv`).
std::vector<NamedPath> export_inputs(const ExportArgs& a) {
  const std::string mapping = mapping_file(a);
  std::vector<NamedPath> in = {
      {"the export", a.file},
      {a.mapping.empty() ? "the mapping beside the export" : "--mapping", mapping},
      {"--org-chart", a.org_chart},
      {"--price-list", a.price_list}};
  if (!mapping.empty() && (a.org_chart.empty() || a.price_list.empty())) {
    const crm::ColumnMapping m = crm::load_mapping(mapping);
    if (a.org_chart.empty()) in.push_back({"org_chart in " + mapping, m.org_chart.file});
    if (a.price_list.empty()) in.push_back({"price_list in " + mapping, m.price_list.file});
  }
  return in;
}

crm::Export load_export(const ExportArgs& a, bool say_mapping = true) {
  crm::ColumnMapping m;
  const std::string mapping = mapping_file(a);
  if (a.mapping.empty() && !mapping.empty() && say_mapping)
    std::cerr << "salesim: mapping " << mapping << " (beside the export)\n";
  if (!mapping.empty()) m = crm::load_mapping(mapping);
  if (!a.map.empty()) crm::apply_map_option(m, a.map);
  if (!a.org_chart.empty()) m.org_chart.file = a.org_chart;
  if (!a.price_list.empty()) m.price_list.file = a.price_list;
  if (!a.date_format.empty()) {
    auto f = crm::parse_date_format(a.date_format);
    if (!f)
      throw BadInput(
          fmt::format("--date-format: expected YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY, "
                      "found '{}'",
                      a.date_format));
    m.date_format = *f;
  }
  return crm::import_export(a.file, m);
}

// A forecast keeps every path's weekly figures and its totals per owner: 10M paths of a
// 13-week forecast took 9.6 GB before anything said so. Refused up front, as `run` is.
void check_forecast_memory(const crm::Export& e, const crm::ForecastOptions& fo,
                           const std::string& what) {
  const auto available = available_memory_bytes();
  if (!available) return;
  std::set<std::string> owners;
  for (const crm::Opportunity& o : e.deals) owners.insert(o.owner);
  const double need = crm::forecast_memory_bytes(owners.size(), fo);
  if (need <= *available) return;
  throw BadInput(fmt::format(
      "{}: {} paths x {} weeks, with every path's totals for {} owners, would keep about {} in "
      "memory, more than the {} available (MemAvailable in /proc/meminfo); use fewer --paths "
      "or --weeks",
      what, fo.paths, fo.weeks, owners.size(), bytes_text(need), bytes_text(*available)));
}

crm::Day parse_day(const std::string& text, const std::string& option) {
  auto d = crm::parse_date(text);
  if (!d) throw BadInput(fmt::format("{}: expected a date YYYY-MM-DD, found '{}'", option, text));
  return *d;
}

// The days of a list option (--cutoffs, --backtest-cutoffs). A day given twice would be scored
// twice and weigh double in the means over the cutoffs: it is an error naming the option and
// the day.
std::vector<crm::Day> parse_cutoffs(const std::string& text, const std::string& option) {
  std::vector<crm::Day> days;
  std::vector<std::string> given;
  for (const auto& d : split_list(text)) {
    const crm::Day day = parse_day(d, option);
    const auto seen = std::find(days.begin(), days.end(), day);
    if (seen != days.end()) {
      const std::string& first = given[std::size_t(seen - days.begin())];
      throw BadInput(fmt::format(
          "{}: the cutoff {} is given twice{}; each cutoff is scored once, so list it once", option,
          crm::format_date(day), first == d ? "" : fmt::format(" (as '{}' and '{}')", first, d)));
    }
    days.push_back(day);
    given.push_back(d);
  }
  return days;
}

// The --as-of day (the export's last dated event without one). A day after that event is taken
// as the day the export was made, with a note: nothing happened in between (crm::known_on).
crm::Day as_of_day(const crm::Export& e, const std::string& text, bool quiet) {
  if (text.empty()) {
    // The default day rests on the latest date: a typo or two (2024-09-15 in a June export)
    // would move every figure. When the latest few rows (up to 5, at most one in a thousand)
    // are all more than two weeks after every other row, that is said, with their lines.
    std::vector<std::pair<crm::Day, const crm::Opportunity*>> latest;  // each row's last date
    for (const crm::Opportunity& o : e.deals)
      latest.emplace_back(std::max(o.created, o.closed.value_or(o.created)), &o);
    const std::size_t most = std::min<std::size_t>(5, 1 + e.deals.size() / 1000);
    std::partial_sort(latest.begin(),
                      latest.begin() + std::ptrdiff_t(std::min(most + 1, latest.size())),
                      latest.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    // The largest such group: with typos on 2017-12-01 and 2017-08-30, the date before them is
    // June's, not the August typo's.
    std::size_t group = 0;
    for (std::size_t k = 1; k <= most && k < latest.size(); ++k)
      if (latest[k - 1].first - latest[k].first > 14) group = k;
    if (const std::size_t k = group; k > 0) {
      const crm::Day before = latest[k].first;
      std::string rows;
      for (std::size_t i = 0; i < k; ++i)
        rows += fmt::format("{}line {}{}{}", i ? "; " : "", latest[i].second->line,
                            latest[i].second->id.empty() ? "" : ", id " + latest[i].second->id,
                            k > 1 ? ", " + crm::format_date(latest[i].first) : "");
      if (!quiet)
        std::cerr << fmt::format(
            "salesim: notice: the day the figures are as of, {} (the export's last date), rests "
            "on {} ({}), {} days or more after any other date of {}; if {} a typo, give "
            "--as-of (the last date before {} is {})\n",
            crm::format_date(e.export_date),
            k == 1 ? "one row's date" : fmt::format("{} rows' dates", k), rows,
            latest[k - 1].first - before, e.file, k == 1 ? "it is" : "they are",
            k == 1 ? "it" : "them", crm::format_date(before));
    }
    return e.export_date;
  }
  const crm::Day d = parse_day(text, "--as-of");
  // A longer gap is a warning of the calibration (crm::kQuietWeekDays), in every output.
  if (d > e.export_date && d <= e.export_date + crm::kQuietWeekDays && !quiet)
    std::cerr << fmt::format(
        "salesim: notice: --as-of {} is {} day{} after the last dated event of {} ({}); taken "
        "as the day the export was made, with nothing happening in between\n",
        text, d - e.export_date, d - e.export_date == 1 ? "" : "s", e.file,
        crm::format_date(e.export_date));
  return d;
}

// Runs f, the calibration or forecast on the --as-of day: when that day was given, an error of
// a day the export cannot be used on (nothing created or closed by then) names the option.
template <class F>
auto on_as_of(const std::string& text, F f) {
  try {
    return f();
  } catch (const crm::InputError& x) {
    const std::string what = x.what();
    if (text.empty() || what.starts_with("--as-of")) throw;
    throw crm::InputError(fmt::format("--as-of {}: {}", text, what));
  }
}

// JSON text of a report. Every string from the export is valid UTF-8 already (the CSV reader
// replaces bad bytes and the import counts them); a file name given on the command line may
// not be, so anything left is replaced rather than failing the command after the work is done.
std::string json_text(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// Runs f, turning the CRM code's bad-input errors into BadInput (exit code 2).
template <class F>
int guarded(F f) {
  try {
    return f();
  } catch (const crm::InputError& e) {
    throw BadInput(e.what());
  }
}

struct McArgs {
  int weeks = 13;
  std::size_t paths = 4000;
  std::uint64_t seed = 1;
  int threads = 0;
  bool quiet = false;
};

void add_mc_options(CLI::App* cmd, McArgs& a) {
  cmd->add_option("--weeks", a.weeks, "Weeks after the as-of day")
      ->transform(decimal_whole())
      ->check(CLI::Range(1, 520));
  cmd->add_option("--paths", a.paths, "Monte Carlo paths")
      ->transform(whole_count())
      ->check(CLI::Range(std::size_t(1), std::size_t(10000000)));
  cmd->add_option("--seed", a.seed, "Seed")->check(seed_number());
  cmd->add_option("--threads", a.threads, "Threads (default: all)")
      ->transform(decimal_whole())
      ->check(CLI::Range(0, 4096));
  cmd->add_flag("--quiet", a.quiet, "Print nothing");
}

// What calibrate, forecast and backtest share: the history used and the prior on the
// month-to-month variation of the win and loss rates (models/crm/drift.hpp).
struct CalibrationArgs {
  std::string history_start;
  int window_weeks = 26;
  crm::DriftPrior drift;
  // per-rep (the default since issue 14) or off (models/crm/cure.hpp)
  std::string never_close = "per-rep";
};

void add_calibration_options(CLI::App* cmd, CalibrationArgs& a) {
  cmd->add_option("--history-start", a.history_start,
                  "First day of the close history (default: the first close in the export)");
  cmd->add_option("--window-weeks", a.window_weeks, "Weeks of creation history used")
      ->transform(decimal_whole())
      ->check(CLI::Range(1, 520));
  cmd->add_option("--month-sd-prior", a.drift.sd,
                  "Prior log sd of a month's level of the win and loss rates (default 0.3)")
      ->check(finite_number())
      ->check(number_between(0.0, 3.0));
  cmd->add_option("--month-sd-prior-weight", a.drift.months,
                  "Weight of that prior, in months of close history (default 2)")
      ->check(finite_number())
      ->check(number_between(0.0, 1000.0));
  cmd->add_option(
         "--never-close", a.never_close,
         "A share of deals that never close, per rep: per-rep (default) or off (the hazards alone)")
      ->check(CLI::IsMember({"off", "per-rep"}));
}

crm::CalibrationOptions calibration_options(const CalibrationArgs& a) {
  crm::CalibrationOptions o;
  if (!a.history_start.empty()) o.history_start = parse_day(a.history_start, "--history-start");
  o.window_weeks = a.window_weeks;
  o.drift_prior = a.drift;
  o.never_close = a.never_close == "per-rep" ? crm::NeverClose::per_rep : crm::NeverClose::off;
  return o;
}

crm::ForecastOptions forecast_options(const McArgs& a) {
  crm::ForecastOptions o;
  o.weeks = a.weeks, o.paths = a.paths, o.seed = a.seed, o.threads = a.threads;
  return o;
}

std::string forecast_csv(const crm::ForecastResult& f) {
  std::string s =
      "week,ends,weekly_p10,weekly_p50,weekly_p90,cumulative_p10,cumulative_p50,cumulative_p90,"
      "cumulative_mean,open_pipeline_p50,new_pipeline_p50,won_deals_p50,"
      "cumulative_won_deals_p10,cumulative_won_deals_p50,cumulative_won_deals_p90\n";
  for (int w = 0; w < f.weeks; ++w)
    s += fmt::format(
        // Won deals: counts, or quantiles between two (118.9), without binary noise
        // (118.90000000000003).
        "{},{},{:.2f},{:.2f},{:.2f},{:.2f},{:.2f},{:.2f},{:.2f},{:.2f},{:.2f},{:.10g},{:.10g},"
        "{:.10g},{:.10g}\n",
        w + 1, crm::format_date(f.as_of + 7 * (w + 1)), f.weekly[w].p10, f.weekly[w].p50,
        f.weekly[w].p90, f.cumulative[w].p10, f.cumulative[w].p50, f.cumulative[w].p90,
        f.cumulative[w].mean, f.cumulative_open[w].p50, f.cumulative_new[w].p50,
        f.weekly_won[w].p50, f.cumulative_won[w].p10, f.cumulative_won[w].p50,
        f.cumulative_won[w].p90);
  return s;
}

}  // namespace

void add_crm_commands(CLI::App& app, Commands& commands) {
  {  // import
    struct Args {
      ExportArgs e;
      std::string text, json;
    };
    auto a = std::make_shared<Args>();
    auto* cmd =
        app.add_subcommand("import", "Read a CRM opportunity export and report its data quality");
    cmd->footer(
        "Every excluded row is counted with its reason. Examples:\n"
        "  salesim import data/crm-maven/sales_pipeline_asof_2017-06-30.csv\n"
        "  salesim import export.csv --map id=Id,owner=Owner,stage=Stage,created=Created,"
        "closed=CloseDate,amount=Amount --json quality.json");
    add_export_options(cmd, a->e);
    cmd->add_option("-o,--output", a->text, "Also write the report (text) to this file");
    cmd->add_option("--json", a->json, "Write the report as JSON to this file");
    commands.push_back(
        {cmd, [a] {
           return guarded([&] {
             check_outputs(export_inputs(a->e), {{"-o", a->text}, {"--json", a->json}});
             const crm::Export e = load_export(a->e);
             const std::string text = crm::format_quality(e.quality);
             std::cout << text;
             if (!a->text.empty()) sim::write_text_atomically(a->text, text);
             if (!a->json.empty())
               sim::write_text_atomically(a->json, json_text(crm::quality_json(e.quality)));
             return 0;
           });
         }});
  }
  {  // calibrate
    struct Args {
      ExportArgs e;
      CalibrationArgs cal;
      std::string as_of, output, report;
      int horizon = 13;
      std::uint64_t seed = 1;
      bool quiet = false;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand(
        "calibrate", "Estimate a baseline scenario from a CRM export, as known on a day");
    cmd->footer(
        "Writes a scenario file (MODEL.md keys) and a calibration report (JSON). Example:\n"
        "  salesim calibrate data/crm-maven/sales_pipeline_asof_2017-06-30.csv --as-of "
        "2017-06-30 -o baseline.yaml\n"
        "  salesim run baseline.yaml");
    add_export_options(cmd, a->e);
    cmd->add_option("--as-of", a->as_of,
                    "Use only what was known on this day (default: the "
                    "export's last date)");
    cmd->add_option("-o,--output", a->output, "Scenario file to write (YAML)")->required();
    cmd->add_option("--report", a->report,
                    "Calibration report (JSON; default: the scenario's name with "
                    ".calibration.json)");
    add_calibration_options(cmd, a->cal);
    cmd->add_option("--horizon-weeks", a->horizon, "The scenario's horizon")
        ->transform(decimal_whole())
        ->check(CLI::Range(1, 520));
    cmd->add_option("--seed", a->seed, "The scenario's seed")->check(seed_number());
    cmd->add_flag("--quiet", a->quiet, "Print nothing");
    commands.push_back(
        {cmd, [a] {
           return guarded([&] {
             std::string report = a->report;
             if (report.empty())
               report = (fs::path(a->output).parent_path() /
                         (fs::path(a->output).stem().string() + ".calibration.json"))
                            .string();
             check_outputs(export_inputs(a->e),
                           {{"-o", a->output},
                            {a->report.empty() ? "the calibration report (-o with "
                                                 ".calibration.json, as --report "
                                                 "is not given)"
                                               : "--report",
                             report}});
             const crm::Export e = load_export(a->e, !a->quiet);
             crm::CalibrationOptions o = calibration_options(a->cal);
             o.as_of = as_of_day(e, a->as_of, a->quiet);
             const crm::Calibration c = on_as_of(a->as_of, [&] { return crm::calibrate(e, o); });
             if (!a->quiet) std::cout << crm::format_calibration(c);
             // The report is written even when the scenario cannot be: it says why.
             sim::write_text_atomically(report, json_text(crm::calibration_json(c)));
             const std::string yaml =
                 on_as_of(a->as_of, [&] { return crm::scenario_yaml(c, a->horizon, a->seed); });
             sim::write_text_atomically(a->output, yaml);
             if (!a->quiet) std::cout << fmt::format("\nWrote {} and {}\n", a->output, report);
             return 0;
           });
         }});
  }
  {  // forecast
    struct Args {
      ExportArgs e;
      McArgs mc;
      CalibrationArgs cal;
      std::string as_of, output, json, html, backtest_cutoffs;
      int backtest_weeks = 0;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand(
        "forecast", "Monte Carlo forecast of bookings from the open and the new pipeline");
    cmd->footer(
        "Example:\n  salesim forecast data/crm-maven/sales_pipeline_asof_2017-06-30.csv "
        "--as-of 2017-06-30 --weeks 13 --json forecast.json -o forecast.csv");
    add_export_options(cmd, a->e);
    add_mc_options(cmd, a->mc);
    cmd->add_option("--as-of", a->as_of,
                    "Forecast from this day (default: the export's last date)");
    cmd->add_option("-o,--output", a->output, "Write the weekly P10/P50/P90 as CSV");
    cmd->add_option("--json", a->json, "Write the forecast as JSON");
    cmd->add_option("--html", a->html,
                    "Write the forecast as an HTML report (the look of salesim report)");
    cmd->add_option("--backtest-cutoffs", a->backtest_cutoffs,
                    "With --html: also backtest from these days (comma-separated) and show its "
                    "calibration and the naive baselines");
    cmd->add_option("--backtest-weeks", a->backtest_weeks,
                    "Weeks of that backtest (default: --weeks)")
        ->transform(decimal_whole())
        ->check(CLI::Range(1, 520));
    add_calibration_options(cmd, a->cal);
    commands.push_back(
        {cmd, [a] {
           return guarded([&] {
             check_outputs(export_inputs(a->e),
                           {{"-o", a->output}, {"--json", a->json}, {"--html", a->html}});
             const std::vector<crm::Day> cutoffs =
                 parse_cutoffs(a->backtest_cutoffs, "--backtest-cutoffs");
             if (!cutoffs.empty() && a->html.empty())
               throw BadInput("--backtest-cutoffs: goes with --html FILE");
             if (a->backtest_weeks > 0 && cutoffs.empty())
               throw BadInput("--backtest-weeks: goes with --backtest-cutoffs D1,D2,...");
             const crm::Export e = load_export(a->e, !a->mc.quiet);
             crm::CalibrationOptions co = calibration_options(a->cal);
             co.as_of = as_of_day(e, a->as_of, a->mc.quiet);
             const crm::Calibration c = on_as_of(a->as_of, [&] { return crm::calibrate(e, co); });
             crm::ForecastOptions fo = forecast_options(a->mc);
             check_forecast_memory(e, fo, "forecast");
             sim::Progress bar("forecasting", fo.paths, !a->mc.quiet);
             fo.progress = [&](std::size_t done) { bar.update(done, fo.paths); };
             const crm::ForecastResult f = on_as_of(a->as_of, [&] { return crm::forecast(c, fo); });
             bar.finish();
             // The backtest runs before any output is written: a cutoff it
             // refuses (exit 2) leaves no CSV or JSON of a half-done command.
             std::optional<crm::BacktestResult> b;
             if (!cutoffs.empty()) {
               crm::ForecastOptions bo = forecast_options(a->mc);
               if (a->backtest_weeks > 0) bo.weeks = a->backtest_weeks;
               check_forecast_memory(e, bo, "--backtest-cutoffs");
               b = crm::backtest(e, cutoffs, calibration_options(a->cal), bo, "--backtest-cutoffs",
                                 "--backtest-weeks", co.as_of);
             }
             if (!a->mc.quiet) std::cout << crm::format_forecast(f);
             if (!a->output.empty()) sim::write_text_atomically(a->output, forecast_csv(f));
             if (!a->json.empty()) {
               nlohmann::json j = crm::forecast_json(f);
               j["seed"] = fo.seed;
               j["calibration"] = crm::calibration_json(c);
               sim::write_text_atomically(a->json, json_text(j));
             }
             if (!a->html.empty())
               sim::write_text_atomically(a->html,
                                          tools::crm_forecast_html(c, f, b ? &*b : nullptr));
             return 0;
           });
         }});
  }
  {  // backtest
    struct Args {
      ExportArgs e;
      McArgs mc;
      CalibrationArgs cal;
      std::string cutoffs, output, json;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand(
        "backtest", "Forecast from past cutoffs and score the forecasts against what happened");
    cmd->footer(
        "Example:\n  salesim backtest data/crm-maven/sales_pipeline_asof_2017-06-30.csv "
        "--cutoffs 2017-03-31 --weeks 13\n"
        "  salesim backtest data/crm-maven/sales_pipeline_asof_2017-06-30.csv "
        "--cutoffs 2017-03-31,2017-04-14,2017-04-28,2017-05-12 --weeks 6");
    add_export_options(cmd, a->e);
    add_mc_options(cmd, a->mc);
    cmd->add_option("--cutoffs", a->cutoffs, "Comma-separated cutoff days (YYYY-MM-DD)")
        ->required();
    cmd->add_option("-o,--output", a->output, "Write one line per cutoff as CSV");
    cmd->add_option("--json", a->json, "Write the backtest as JSON");
    add_calibration_options(cmd, a->cal);
    commands.push_back(
        {cmd, [a] {
           return guarded([&] {
             check_outputs(export_inputs(a->e), {{"-o", a->output}, {"--json", a->json}});
             const std::vector<crm::Day> cutoffs = parse_cutoffs(a->cutoffs, "--cutoffs");
             if (cutoffs.empty()) throw BadInput("--cutoffs: give at least one day");
             const crm::Export e = load_export(a->e, !a->mc.quiet);
             const crm::CalibrationOptions co = calibration_options(a->cal);
             check_forecast_memory(e, forecast_options(a->mc), "backtest");
             const crm::BacktestResult b = crm::backtest(e, cutoffs, co, forecast_options(a->mc));
             if (!a->mc.quiet) std::cout << crm::format_backtest(b);
             if (!a->json.empty()) {
               nlohmann::json j = crm::backtest_json(b);
               j["paths"] = a->mc.paths;
               j["seed"] = a->mc.seed;
               sim::write_text_atomically(a->json, json_text(j));
             }
             if (!a->output.empty()) {
               std::string s =
                   "cutoff,weeks,actual,actual_open,actual_new,p10,p50,p90,"
                   "covered,ape,crps,pit,history_weeks\n";
               for (const auto& k : b.cases)
                 s += fmt::format(
                     "{},{},{:.2f},{:.2f},{:.2f},{:.2f},{:.2f},{:.2f},{},"
                     "{},{:.2f},{:.4f},{}\n",
                     crm::format_date(k.cutoff), k.weeks, k.actual, k.actual_open, k.actual_new,
                     k.forecast.p10, k.forecast.p50, k.forecast.p90, k.covered ? 1 : 0,
                     // no APE when nothing was won: an empty field, as every CSV writes a NaN
                     std::isfinite(k.ape) ? fmt::format("{:.4f}", k.ape) : std::string(), k.crps,
                     k.pit, k.history_weeks);
               sim::write_text_atomically(a->output, s);
             }
             return 0;
           });
         }});
  }
}

}  // namespace salesim::tools
