// `salesim sensitivity`: one-at-a-time perturbation of a plan's numeric levers, low and high,
// every run with the same seed and paths (common random numbers), ranked by the swing of the
// metric, with standard errors from the paired differences; a tornado table and chart.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "models/plan_edit.hpp"
#include "models/territory_keys.hpp"
#include "sim/atomic_file.hpp"
#include "sim/distributed.hpp"
#include "sim/progress.hpp"
#include "tools/charts.hpp"
#include "tools/cli.hpp"
#include "tools/lever_range.hpp"
#include "tools/one_at_a_time.hpp"
#include "tools/output_paths.hpp"
#include "tools/study.hpp"
#include "tools/table_file.hpp"
#include "tools/xlsx_workbook.hpp"

namespace salesim::tools {
namespace {

struct SensitivityArgs {
  std::string file, plan, metric, delta = "20%", svg, csv, json;
  std::vector<std::string> keys;
  std::size_t paths = 0;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  bool quiet = false;
  std::string xlsx;  // --xlsx: the ranked table as an Excel workbook
};

// "20%" -> 0.2; "0.2" -> 0.2.
double parse_delta(const std::string& text) {
  std::string t = text;
  const bool percent = !t.empty() && t.back() == '%';
  if (percent) t.pop_back();
  double v = 0;
  try {
    std::size_t used = 0;
    v = std::stod(t, &used);
    if (used != t.size()) throw std::invalid_argument(t);
  } catch (const std::exception&) {
    throw BadInput(fmt::format("--delta '{}': expected a percentage such as 20% (or 0.2)", text));
  }
  if (percent) v /= 100;
  if (!(v > 0 && v < 1))
    throw BadInput(fmt::format("--delta '{}': expected more than 0% and less than 100%", text));
  return v;
}

std::string metric_label(Metric m) {
  switch (m) {
    case Metric::p_goal:
      return "P(goal)";
    case Metric::final_bookings:
      return "Final bookings (mean)";
    case Metric::profit:
      return "Profit (mean)";
    case Metric::arr_final:
      return "Final ARR (mean)";
  }
  return "";
}

// Two keys of the plan that --keys could perturb, for the messages' examples: keys with a value
// that a percentage moves (not null, not 0), the first of a few a reader knows.
std::string keys_example(const Scenario& sc, const std::string& plan) {
  std::vector<std::string> found;
  for (const char* key :
       {"prospecting.target_hours", "org.coaching_hours_per_rep", "pipeline.deal_size.mean",
        "market.inbound_leads_per_week", "capacity.admin_hours", "people.attrition_annual",
        "compensation.commission_rate"}) {
    try {
      if (found.size() < 2 && find_lever(sc, plan, key).value != 0) found.push_back(key);
    } catch (const std::invalid_argument&) {
      // null in this plan: a percentage of nothing cannot be taken
    }
  }
  std::string out;
  for (const auto& k : found) out += (out.empty() ? "" : ",") + k;
  return "--keys " + out;
}

// The levers --keys names. A key given twice (or one item by index and by name) would be run
// and ranked twice; an empty --keys would rank nothing.
std::vector<Lever> keys_option(const Scenario& sc, const std::string& plan,
                               const std::vector<std::string>& keys) {
  std::vector<Lever> levers;
  for (const auto& list : keys)
    for (const auto& k : split_list(list)) {
      try {
        levers.push_back(find_lever(sc, plan, k));
      } catch (const std::invalid_argument& e) {
        throw BadInput(fmt::format("--keys {}: {}", k, e.what()));
      }
      for (std::size_t i = 0; i + 1 < levers.size(); ++i)
        if (lever_identity(sc, plan, levers[i].path) == lever_identity(sc, plan, k))
          throw BadInput(levers[i].path == k
                             ? fmt::format("--keys {}: given twice", k)
                             : fmt::format("--keys {}: given twice (as {}: the same item)", k,
                                           levers[i].path));
    }
  if (levers.empty())
    throw BadInput("--keys: no key given; expected comma-separated keys, e.g. " +
                   keys_example(sc, plan));
  return levers;
}

// A side of a lever held at its key's range instead of moved by the whole delta: said, since the
// table shows a value just below an open end (0.9999999999999999) as the end itself (1).
std::string held_note(const Lever& l, double delta, double low_value, double high_value) {
  std::string out;
  if (high_value < l.value * (1 + delta) && high_value == fit_to_lever(l, INFINITY))
    out =
        fmt::format("high held at the key's top, {}{}", l.hi, l.hi_open ? " (just below it)" : "");
  if (low_value > l.value * (1 - delta) && low_value == l.lo)
    out += fmt::format("{}low held at the key's bottom, {}", out.empty() ? "" : "; ", l.lo);
  return out;
}

// The table's note for one lever.
std::string swing_note(const Lever& l, double delta, bool moved, bool stuck,
                       const sim::MeanSe& swing, double base) {
  // A small whole number (a count of 2 at 20%) rounds back to itself, which is not "0".
  if (!moved && l.integer && l.value != 0)
    return fmt::format("cannot move: {:g}% of it rounds back to {} (a whole number)", delta * 100,
                       l.value);
  if (!moved) return "cannot move (0 or at its limits)";
  if (stuck) return fmt::format("P(goal) pinned at {:g}: use another metric", base);
  // One path gives no standard error: no test against noise can be made.
  if (!std::isfinite(swing.se)) return "no SE from one path";
  return std::abs(swing.mean) > 2 * swing.se ? "" : "within 2 SE of no effect";
}

int sensitivity(const SensitivityArgs& a) {
  const Scenario sc = load_on_every_rank(a.file, a.seed);
  announce(sc, false, {a.plan});  // the warnings of the plan it runs
  check_plan_names(sc, {a.plan}, "--plan");
  check_outputs({{"the scenario file", a.file}},
                {{"--svg", a.svg}, {"--csv", a.csv}, {"--json", a.json}, {"--xlsx", a.xlsx}});
  const Metric metric = metric_option(
      a.metric.empty() ? (sc.base.goal.revenue ? "p_goal" : "final_bookings") : a.metric, sc);
  const double delta = parse_delta(a.delta);

  std::vector<Lever> levers;
  if (a.keys.empty()) {
    levers = plan_levers(sc, a.plan);
    for (Lever& l : territory_levers(sc, a.plan)) levers.push_back(std::move(l));
    if (levers.empty())
      throw BadInput(fmt::format(
          "plan '{}' in {} sets no numeric keys and adds no hiring, training, programs or "
          "territories; name the levers to perturb with --keys, e.g. {}",
          a.plan, sc.file, keys_example(sc, a.plan)));
  } else {
    levers = keys_option(sc, a.plan, a.keys);
  }

  StudySettings st;
  st.run.paths = a.paths;
  st.run.threads = a.threads;
  st.metric = metric;
  const std::size_t per_run = a.paths ? a.paths : std::size_t(sc.base.simulation.paths);
  const std::size_t total = per_run * (1 + 2 * levers.size());
  // The plan as written and one lever's low and high runs are kept at a time.
  check_run_memory(sc, per_run, 3, "sensitivity", false);
  sim::Progress bar("sensitivity", total, !a.quiet);
  std::vector<Factor> factors;
  for (const Lever& l : levers) factors.push_back({l.path, {l}});
  const OneAtATime oat =
      one_at_a_time(sc, a.plan, factors, delta, st, [&](std::size_t run, std::size_t done) {
        bar.update(run * per_run + std::min(done, per_run), total);
      });
  bar.finish();
  if (!sim::dist::is_root()) return 0;  // under mpirun rank 0 has the swings, writes, reports
  const sim::MeanSe base_metric = oat.base;
  // P(goal) of 0 or 1 on every path: a small change cannot show, and no change can push it past
  // the bound, so the ranking says little.
  const bool pinned = metric == Metric::p_goal && (base_metric.mean == 0 || base_metric.mean == 1);
  const std::string pinned_note =
      pinned ? fmt::format(
                   "P(goal) is {:g} on every path of the plan as written (pinned at {}): the "
                   "levers can only show when they move it past the goal line; use another "
                   "metric (--metric final_bookings or --metric profit)",
                   base_metric.mean, base_metric.mean == 0 ? "0" : "1")
             : std::string();
  struct Swing {  // one lever's row
    Lever lever;
    double low_value, high_value;
    bool moved;
    sim::MeanSe low, high, low_effect, high_effect, swing;
  };
  std::vector<Swing> swings;
  for (const FactorSwing& f : oat.swings)
    swings.push_back({f.factor.levers.front(), f.low_values.front(), f.high_values.front(), f.moved,
                      f.low, f.high, f.low_effect, f.high_effect, f.swing});

  Table table;
  nlohmann::json js = {{"scenario", sc.name},
                       {"file", sc.file},
                       {"plan", a.plan},
                       {"metric", to_string(metric)},
                       {"delta", delta},
                       {"paths", per_run},
                       {"seed", sc.base.simulation.seed},
                       {"base", {{"mean", base_metric.mean}, {"se", base_metric.se}}},
                       {"levers", nlohmann::json::array()}};
  for (std::size_t i = 0; i < swings.size(); ++i) {
    const Swing& s = swings[i];
    const bool moved = s.moved;
    const bool clear = std::abs(s.swing.mean) > 2 * s.swing.se;
    const bool stuck = pinned && s.low.mean == base_metric.mean && s.high.mean == base_metric.mean;
    std::string note = swing_note(s.lever, delta, moved, stuck, s.swing, base_metric.mean);
    if (moved)
      if (const std::string held = held_note(s.lever, delta, s.low_value, s.high_value);
          !held.empty())
        note = note.empty() ? held : note + "; " + held;
    table.add({{"rank", double(i + 1)},
               {"key", s.lever.path},
               {"value", s.lever.value},
               {"low", s.low_value},
               {"high", s.high_value},
               {"at_low", s.low.mean},
               {"at_high", s.high.mean},
               {"swing", s.swing.mean},
               {"swing_se", s.swing.se},
               {"note", note}});
    js["levers"].push_back(
        {{"rank", i + 1},
         {"key", s.lever.path},
         {"value", s.lever.value},
         {"low", s.low_value},
         {"high", s.high_value},
         {"at_low", {{"mean", s.low.mean}, {"se", s.low.se}}},
         {"at_high", {{"mean", s.high.mean}, {"se", s.high.se}}},
         {"low_effect", {{"mean", s.low_effect.mean}, {"se", s.low_effect.se}}},
         {"high_effect", {{"mean", s.high_effect.mean}, {"se", s.high_effect.se}}},
         {"swing", {{"mean", s.swing.mean}, {"se", s.swing.se}}},
         {"distinguishable_from_noise", clear},
         {"note", note}});
  }
  js["pinned"] = pinned;
  if (pinned) js["note"] = pinned_note;

  if (!a.svg.empty()) {
    charts::TornadoChart t;
    const std::string label = metric_label(metric);
    std::string desc = fmt::format(
        "{} of plan '{}' when each lever is set {:g}% below and above its value, one at a time, "
        "on the same {} paths; base {}.",
        label, a.plan, delta * 100, per_run,
        metric == Metric::p_goal ? fmt::format("{:.1f}%", 100 * base_metric.mean)
                                 : charts::compact_number(base_metric.mean));
    if (!swings.empty())
      desc += fmt::format(
          " The largest swing is {} ({} to {}).", swings[0].lever.path,
          charts::format_value({"",
                                {},
                                {},
                                {},
                                metric == Metric::p_goal ? charts::Axis::Format::percent
                                                         : charts::Axis::Format::compact},
                               swings[0].low.mean),
          charts::format_value({"",
                                {},
                                {},
                                {},
                                metric == Metric::p_goal ? charts::Axis::Format::percent
                                                         : charts::Axis::Format::compact},
                               swings[0].high.mean));
    if (pinned) desc += " Note: " + pinned_note + ".";
    // A setting held at its key's range (a share at 1, a whole number rounded) moves less than
    // the legend says: the chart names it, and the bars' ends show the values used.
    std::vector<std::string> held;
    for (const Swing& s : swings) {
      const double want_low = s.lever.value * (1 - delta), want_high = s.lever.value * (1 + delta);
      auto off = [](double got, double want) {
        return std::fabs(got - want) > 1e-9 * std::max(1.0, std::fabs(want));
      };
      if (s.moved && (off(s.low_value, want_low) || off(s.high_value, want_high)))
        held.push_back(fmt::format("{} ({} to {})", s.lever.path, format_number(s.low_value),
                                   format_number(s.high_value)));
    }
    if (!held.empty()) {
      desc += " Held by the key's range or rounded to a whole number, so moved less than " +
              fmt::format("{:g}%: ", delta * 100);
      for (std::size_t i = 0; i < held.size(); ++i) desc += (i ? ", " : "") + held[i];
      desc += ".";
    }
    t.frame = {"tornado", fmt::format("What moves {} of '{}'", label, a.plan), desc};
    t.value.label = metric == Metric::p_goal ? label + " (%)" : label;
    t.value.format =
        metric == Metric::p_goal ? charts::Axis::Format::percent : charts::Axis::Format::compact;
    if (metric == Metric::p_goal) t.value.min = 0.0, t.value.max = 1.0;  // a probability
    t.base = base_metric.mean;
    t.base_label = fmt::format("plan as written");
    const char* limit = held.empty() ? "" : " (or to its limit)";
    t.low_name = fmt::format("lever {:g}% lower{}", delta * 100, limit);
    t.high_name = fmt::format("lever {:g}% higher{}", delta * 100, limit);
    for (const Swing& s : swings)
      t.bars.push_back({s.lever.path, s.low.mean, s.high.mean, format_number(s.low_value),
                        format_number(s.high_value), 1.96 * s.low_effect.se,
                        1.96 * s.high_effect.se});
    sim::write_text_atomically(a.svg, charts::tornado_svg(t));
  }
  if (!a.csv.empty()) sim::write_text_atomically(a.csv, table.csv());
  if (!a.json.empty()) sim::write_text_atomically(a.json, js.dump(2) + "\n");
  if (!a.xlsx.empty()) {
    // The metric's columns are a probability or money, as the metric is. The key's settings
    // stay as written: by its name alone `value` would be money, and a commission rate of
    // 0.08 would show as 0.
    const NumberFormat f = metric == Metric::p_goal ? NumberFormat::percent : NumberFormat::money;
    const NumberFormat key = NumberFormat::general;
    write_xlsx(a.xlsx, {table_sheet("Sensitivity", table,
                                    {{"value", key},
                                     {"low", key},
                                     {"high", key},
                                     {"at_low", f},
                                     {"at_high", f},
                                     {"swing", f},
                                     {"swing_se", f}})});
  }

  if (!a.quiet) {
    // Money as the table below writes it (9.46M, not 9.456e+06); a probability as it is.
    auto figure = [&](double v) {
      return metric == Metric::p_goal ? fmt::format("{:.4g}", v) : charts::compact_number(v);
    };
    std::cout << fmt::format(
        "Sensitivity of {} for plan '{}' in {}: each lever {:g}% down and up, {} path{} per "
        "run, seed {}\nPlan as written: {} = {} ({})\n\n",
        to_string(metric), a.plan, sc.file, delta * 100, per_run, per_run == 1 ? "" : "s",
        sc.base.simulation.seed, to_string(metric), figure(base_metric.mean),
        std::isfinite(base_metric.se) ? "SE " + figure(base_metric.se)
                                      : std::string("no SE from one path"));
    if (pinned) std::cout << "Note: " << pinned_note << ".\n\n";
    std::cout << table.text({{"rank", "key", "value", "low", "high", "at_low", "at_high", "swing",
                              "swing_se", "note"}});
    std::cout << "\nswing = metric at high - metric at low, paired path by path; its standard "
                 "error is that of the paired difference.\n";
    for (const auto& f : {a.svg, a.csv, a.json})
      if (!f.empty()) std::cout << "Wrote " << f << "\n";
    if (!a.xlsx.empty()) std::cout << "Wrote " << a.xlsx << "\n";
  }
  return 0;
}

}  // namespace

void add_sensitivity_command(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<SensitivityArgs>();
  auto* cmd = app.add_subcommand("sensitivity",
                                 "Rank a plan's levers by how much they move a metric (a tornado)");
  cmd->footer(
      "Each lever is set --delta below and above its value in the plan, one at a time, with the\n"
      "same seed and path indices (common random numbers). Without --keys the levers are the\n"
      "numeric keys the plan's own `set` changes, the value keys of its own hiring, training\n"
      "and programs items (hiring[0].count, training[NAME].efficacy, programs[NAME].awareness)\n"
      "and the reps of its own territory lines (territories[SEGMENT].reps).\n"
      "Examples:\n"
      "  salesim sensitivity scenarios/nexacorp.yaml --plan push-activity --svg tornado.svg\n"
      "  salesim sensitivity scenarios/nexacorp.yaml --plan baseline --metric profit \\\n"
      "      --keys prospecting.target_hours,capacity.max_hours --delta 10%");
  cmd->add_option("file", a->file, "Scenario file (YAML)")->required();
  cmd->add_option("--plan", a->plan, "The plan whose levers are perturbed")->required();
  cmd->add_option("--metric", a->metric, kMetricHelp);
  cmd->add_option("--delta", a->delta, "Relative change down and up (default 20%)");
  cmd->add_option("--keys", a->keys, "Comma-separated dotted keys to perturb");
  cmd->add_option("--svg", a->svg, "Write the tornado chart as SVG");
  cmd->add_option("--csv", a->csv, "Write the ranked table as CSV");
  cmd->add_option("--json", a->json, "Write the ranked table with standard errors as JSON");
  cmd->add_option("--xlsx", a->xlsx, "Write the ranked table as an Excel workbook");
  add_run_options(cmd, a->paths, a->seed, a->threads,
                  "Paths per run (default: the file's simulation.paths)");
  cmd->add_flag("--quiet", a->quiet, "Print nothing but errors");
  commands.push_back({cmd, [a] { return sensitivity(*a); }});
}

}  // namespace salesim::tools
