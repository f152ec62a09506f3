// `salesim sweep`: run one plan at many values of its levers (a grid or a Latin hypercube),
// every point with the same seed and paths (common random numbers), into an HDF5 table and a
// CSV with a row per point.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "models/plan_edit.hpp"
#include "salesim/version.hpp"
#include "sim/atomic_file.hpp"
#include "sim/design.hpp"
#include "sim/distributed.hpp"
#include "sim/h5.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"  // resolve_threads
#include "tools/cli.hpp"
#include "tools/lever_range.hpp"
#include "tools/lever_runs.hpp"
#include "tools/output_paths.hpp"
#include "tools/rank_items.hpp"
#include "tools/report_format.hpp"
#include "tools/study.hpp"
#include "tools/sweep_keys.hpp"
#include "tools/table_file.hpp"
#include "tools/xlsx_workbook.hpp"

namespace salesim::tools {
namespace {

struct SweepArgs {
  std::string file, plan, design = "grid", h5, csv, metric;
  SweepKeyArgs keys;  // --vary, and --with: moved in step with a --vary
  std::size_t samples = 20, paths = 0, max_paths = 1000000;
  std::optional<std::uint64_t> seed;
  std::optional<double> target_se;
  int threads = 0;
  double max_hours = 24;
  bool quiet = false;
  std::string xlsx;  // --xlsx: the table as an Excel workbook
};

// The grid's size, counted before it is built: a grid of millions of points would otherwise
// fill the memory before it could be refused.
void check_grid_size(const std::vector<sim::Factor>& factors) {
  double n = 1;
  for (const auto& f : factors) n *= double(f.levels.size());
  if (n > 100000)
    throw BadInput(fmt::format("sweep: {:.0f} points is more than 100000; use --design lhs", n));
}

// The plan at point i (counted from 0); BadInput naming the point when it is not valid.
Scenario point_variant(const Scenario& sc, const std::string& plan,
                       const std::vector<std::pair<std::string, double>>& values, std::size_t i) {
  try {
    return plan_variant(sc, plan, values);
  } catch (const ScenarioError& e) {
    std::string at;
    for (const auto& [k, v] : values) at += fmt::format(" {}={}", k, level_text(v));
    throw BadInput(fmt::format("sweep point {} ({}): {}", i + 1, at.substr(1), e.what()));
  }
}

// Every point's scenario, checked before anything runs, so that a point that breaks a
// cross-check fails the sweep at once, not after the points before it have run. Under mpirun
// each rank checks its own points and all fail alike on the first bad one (gather_items).
void check_points(const Scenario& sc, const std::string& plan, const std::vector<SweepKey>& keys,
                  const std::vector<std::vector<double>>& points, const std::vector<int>& owner) {
  gather_items(owner, [&](std::size_t i) {
    point_variant(sc, plan, point_values(keys, points[i]), i);
    return std::string();
  });
}

// The paths per point for the header: with --target-se they start at --paths (at most
// --max-paths) and grow point by point, so "N paths each" would be wrong.
std::string paths_text(const SweepArgs& a, std::size_t per_run, Metric metric) {
  if (!a.target_se) return fmt::format("{} paths each", per_run);
  return fmt::format(
      "{} paths each to start, more (at most {}) until the standard error of {} is at most {} "
      "(the paths column)",
      std::min(per_run, a.max_paths), a.max_paths, to_string(metric), *a.target_se);
}

int sweep(const SweepArgs& a) {
  const Scenario sc = load_on_every_rank(a.file, a.seed);
  announce(sc, false, {a.plan});  // the warnings of the plan it runs
  check_plan_names(sc, {a.plan}, "--plan");
  const std::string csv =
      a.csv.empty() ? std::filesystem::path(a.h5).replace_extension(".csv").string() : a.csv;
  check_outputs(
      {{"the scenario file", a.file}},
      {{"-o", a.h5},
       {a.csv.empty() ? "the CSV table (-o with .csv, as --csv is not given)" : "--csv", csv},
       {"--xlsx", a.xlsx}});
  const Metric metric = metric_option(
      a.metric.empty() ? (sc.base.goal.revenue ? "p_goal" : "final_bookings") : a.metric, sc);

  // The factors: each --vary KEY=VALUES (with its --with keys), checked against the plan's
  // keys and their ranges.
  SweepKeyArgs keys_args = a.keys;
  keys_args.quiet = a.quiet;
  keys_args.lhs = a.design == "lhs";
  const std::vector<SweepKey> sweep_keys = read_sweep_keys(sc, a.plan, keys_args);
  const std::vector<sim::Factor> factors = factors_of(sweep_keys);
  if (factors.empty()) throw BadInput("sweep: give at least one --vary KEY=VALUES");
  std::vector<std::vector<double>> points;
  if (a.design == "grid") {
    check_grid_size(factors);
    points = sim::grid_design(factors);
  } else {
    for (const auto& f : factors)
      if (f.levels.size() < 2)
        throw BadInput(fmt::format(
            "--vary {}: a Latin hypercube needs a range FROM:TO (or at least two values)", f.name));
    points = sim::latin_hypercube(factors, a.samples, sc.base.simulation.seed);
    for (auto& p : points)
      for (std::size_t j = 0; j < p.size(); ++j) p[j] = fit_to_lever(sweep_keys[j].lever, p[j]);
  }

  StudySettings st;
  st.run.paths = a.paths;
  st.run.threads = a.threads;
  st.target_se = a.target_se;
  st.max_paths = a.max_paths;
  st.metric = metric;
  const std::size_t per_run = a.paths ? a.paths : std::size_t(sc.base.simulation.paths);
  // The plan as written and one point are kept at a time.
  check_run_memory(sc, per_run, 2, "sweep", false);
  // Under mpirun the points are dealt to the ranks in turn (each runs its points whole, and the
  // plan as written for the paired differences); rank 0 gathers the rows in point order.
  st.run.split = sim::PathSplit::none;
  const std::vector<int> owner = sim::dist::deal(points.size(), sim::dist::size());
  check_points(sc, a.plan, sweep_keys, points, owner);
  // The points and the plan as written, each at the plan's most rep-weeks at the corners of the
  // --vary keys' values (a grid of 100,000 points ran for hours without a word); every rank
  // estimates the same, from the same points.
  {
    std::vector<LeverRange> ranges;
    for (const SweepKey& k : sweep_keys) {
      const auto [lo, hi] = std::minmax_element(k.factor.levels.begin(), k.factor.levels.end());
      ranges.push_back({k.lever, *lo, *hi});
    }
    check_points_time(
        sc, a.plan, ranges, per_run, points.size() + 1,
        std::min(sim::resolve_threads(a.threads), sim::resolve_threads(0)) * sim::dist::size(),
        a.max_hours, "sweep");
  }
  const std::size_t mine =
      1 + std::size_t(std::count(owner.begin(), owner.end(), sim::dist::rank()));
  sim::Progress bar("sweep", per_run * (points.size() + 1), !a.quiet);
  std::size_t runs_done = 0;
  st.run.progress = [&](std::size_t done, std::size_t) {
    bar.update((runs_done * per_run + std::min(done, per_run)) * (points.size() + 1) / mine,
               per_run * (points.size() + 1));
  };

  // The plan as written: every point is compared with it, path by path.
  const VariantResult base = run_variant(plan_variant(sc, a.plan, {}), st);
  ++runs_done;
  const std::vector<std::string> rows = gather_items(owner, [&](std::size_t i) {
    const auto values = point_values(sweep_keys, points[i]);
    const VariantResult r = run_variant(point_variant(sc, a.plan, values, i), st);
    ++runs_done;
    Row row{{"point", double(i + 1)}};
    row.insert(row.end(), values.begin(), values.end());
    for (auto& c : headline_columns(sc, r.result)) row.push_back(std::move(c));
    const auto d = paired_metric_diff(base.result, r.result, metric);
    row.emplace_back(std::string(to_string(metric)) + "_diff_vs_plan", d.mean);
    row.emplace_back(std::string(to_string(metric)) + "_diff_vs_plan_se", d.se);
    if (a.target_se) row.emplace_back("precision_met", r.precision.met ? 1.0 : 0.0);
    for (auto& c : arr_columns(r.result)) row.push_back(std::move(c));  // after the contract's
    return row_bytes(row);
  });
  bar.finish();
  if (!sim::dist::is_root()) return 0;
  Table table;
  std::vector<std::size_t> unmet;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Row row = row_from_bytes(rows[i]);
    const auto met = std::find_if(row.begin(), row.end(),
                                  [](const auto& c) { return c.first == "precision_met"; });
    if (met != row.end() && std::get<double>(met->second) == 0) unmet.push_back(i + 1);
    table.add(std::move(row));
  }

  const auto attrs = std::vector<std::pair<std::string, std::string>>{
      {"file_type", "salesim-sweep"},
      {"scenario_file", sc.file},
      {"scenario_name", sc.name},
      {"plan", a.plan},
      {"design", a.design},
      {"metric", to_string(metric)},
      {"seed", fmt::format("{}", sc.base.simulation.seed)},
      {"paths", fmt::format("{}", per_run)},
      {"target_se", a.target_se ? fmt::format("{}", *a.target_se) : ""}};
  const std::vector<std::string> keys = key_names(sweep_keys);
  // The table is printed before the files are written: a file that cannot be written must
  // not lose the sweep.
  if (!a.quiet) {
    std::cout << fmt::format("Sweep of plan '{}' in {}: {} {}, {}, seed {}\n", a.plan, sc.file,
                             points.size(), report::noun(double(points.size()), "point"),
                             paths_text(a, per_run, metric), sc.base.simulation.seed);
    std::cout << table.text({"point"}, keys,
                            {"p_goal", "final_bookings_p50", "profit_mean",
                             std::string(to_string(metric)) + "_diff_vs_plan"});
  }
  write_table_h5(a.h5, table, attrs, keys, sc.text);
  sim::write_text_atomically(csv, table.csv());
  if (!a.xlsx.empty()) {
    // Formats by what a column holds, not by its name alone: a checkpoint labelled `Fin.` or
    // `launch_week` made p_Fin. General and p_launch_week a whole number (0.8 shown as 1).
    std::map<std::string, NumberFormat> formats;
    for (const auto& k : keys) formats[k] = NumberFormat::general;
    for (const auto& cp : base.result.checkpoints)
      formats["p_" + cp.label] = formats["p_" + cp.label + "_se"] = NumberFormat::percent;
    write_xlsx(a.xlsx, {table_sheet("Sweep", table, formats)});
  }

  if (!a.quiet) {
    std::cout << (a.xlsx.empty() ? fmt::format("Wrote {} and {}\n", a.h5, csv)
                                 : fmt::format("Wrote {}, {} and {}\n", a.h5, csv, a.xlsx));
  }
  if (!unmet.empty()) {
    std::string list;
    for (auto i : unmet) list += fmt::format(" {}", i);
    std::cerr << fmt::format(
        "salesim: the standard error of {} is above --target-se {} at the path limit {} for "
        "point(s){} (see the precision_met column); raise --max-paths\n",
        to_string(metric), *a.target_se, a.max_paths, list);
    return 1;
  }
  return 0;
}

// The --vary each --with follows, from the order the options were given (CLI11 records each
// value as it reads it).
std::vector<std::size_t> tied_to(const CLI::App& cmd, const CLI::Option* vary,
                                 const CLI::Option* with) {
  std::vector<std::size_t> out;
  std::size_t varies = 0;
  for (const CLI::Option* o : cmd.parse_order()) {
    if (o == vary) ++varies;
    if (o != with) continue;
    if (varies == 0)
      throw BadInput(fmt::format(
          "--with {}: give it after the --vary it moves with, as in --vary "
          "market.inbound_leads_per_week=30:150:30 --with costs.marketing_per_week=12k:60k:12k",
          with->results().at(out.size())));
    out.push_back(varies - 1);
  }
  return out;
}

}  // namespace

void add_sweep_command(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<SweepArgs>();
  auto* cmd = app.add_subcommand(
      "sweep", "Run one plan over a grid or Latin hypercube of values of its keys");
  cmd->footer(
      "VALUES is a list (10,15,20) or a range FROM:TO:STEP (10:20:5); for --design lhs a range "
      "FROM:TO.\n"
      "Every point runs with the same seed and path indices (common random numbers) and is\n"
      "compared path by path with the plan as written. A list item is named by its index\n"
      "(from 0) or name in the plan's own list (the first plan's includes the file's top-level\n"
      "lists); a week field takes file weeks, as written in the file.\n"
      "Examples:\n"
      "  salesim sweep scenarios/nexacorp.yaml --plan push-activity "
      "--vary prospecting.target_hours=8:20:4 -o sweep.h5\n"
      "  salesim sweep scenarios/nexacorp.yaml --plan targeted-effectiveness --design lhs "
      "--samples 30 \\\n      --vary org.coaching_hours_per_rep=0.5:2 "
      "--vary capacity.max_hours=45:60 -o lhs.h5\n"
      "  salesim sweep scenarios/nexacorp.yaml --plan push-activity --vary hiring[0].count=0:10:5 "
      "\\\n      --vary hiring[0].week=5,20 -o hires.h5\n"
      "  salesim sweep scenarios/nexacorp.yaml --plan baseline "
      "--vary market.inbound_leads_per_week=30:150:30 \\\n"
      "      --with costs.marketing_per_week=12k:60k:12k -o inbound.h5   # 5 points, in step");
  cmd->add_option("file", a->file, "Scenario file (YAML)")->required();
  cmd->add_option("--plan", a->plan, "The plan whose keys are varied")->required();
  auto* vary = cmd->add_option("--vary", a->keys.vary,
                               "KEY=VALUES, KEY a dotted path as in a plan's set, a list item's "
                               "field (hiring[0].count, training[NAME].cost_per_person, "
                               "programs[1].start_week) or a territory line's reps "
                               "(territories[SEGMENT].reps)")
                   ->required();
  auto* with = cmd->add_option(
      "--with", a->keys.with,
      "KEY=VALUES moved in step with the --vary before it: one value for each of its values "
      "(a range may run down, 20:13:1); adds columns, not points");
  cmd->add_option("--design", a->design, "grid (every combination) or lhs (Latin hypercube)")
      ->check(CLI::IsMember({"grid", "lhs"}));
  auto* samples = cmd->add_option("--samples", a->samples, "Points of a Latin hypercube")
                      ->transform(whole_count())
                      ->check(CLI::Range(std::size_t(1), std::size_t(100000)));
  cmd->add_option("-o,--output", a->h5, "The HDF5 table to write")->required();
  cmd->add_option("--csv", a->csv, "The CSV to write (default: the output's name with .csv)");
  cmd->add_option("--xlsx", a->xlsx, "Also write the table as an Excel workbook");
  cmd->add_option("--max-hours", a->max_hours,
                  "Refuse a sweep estimated to take longer than this many hours (default 24)")
      ->check(finite_number())
      ->check(above_zero());
  cmd->add_option("--metric", a->metric,
                  std::string(kMetricHelp) + "; also what --target-se controls");
  add_run_options(cmd, a->paths, a->seed, a->threads,
                  "Paths per point (default: the file's simulation.paths)");
  cmd->add_option("--target-se", a->target_se,
                  "Add paths at each point until the metric's standard error is at most this")
      ->check(finite_number())
      ->check(number_between(1e-12, 1e12));
  auto* max_paths =
      cmd->add_option("--max-paths", a->max_paths, "Path limit per point for --target-se")
          ->transform(whole_count())
          ->check(CLI::Range(std::size_t(1), std::size_t(1000000000)));
  cmd->add_flag("--quiet", a->quiet, "Print nothing but errors");
  commands.push_back({cmd, [a, samples, cmd, vary, with, max_paths] {
                        note_max_paths_alone(max_paths, a->target_se.has_value(), a->quiet);
                        a->keys.with_vary = tied_to(*cmd, vary, with);
                        // A grid runs every combination: a --samples there would be ignored.
                        if (samples->count() > 0 && a->design != "lhs")
                          throw BadInput(fmt::format(
                              "--samples {} is for --design lhs; --design {} runs every "
                              "combination of the --vary values",
                              a->samples, a->design));
                        return sweep(*a);
                      }});
}

}  // namespace salesim::tools
