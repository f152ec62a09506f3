// `salesim sweep`: run one plan at many values of its levers (a grid or a Latin hypercube),
// every point with the same seed and paths (common random numbers), into an HDF5 table and a
// CSV with a row per point.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>

#include "models/plan_edit.hpp"
#include "salesim/version.hpp"
#include "sim/atomic_file.hpp"
#include "sim/design.hpp"
#include "sim/distributed.hpp"
#include "sim/h5.hpp"
#include "sim/progress.hpp"
#include "tools/cli.hpp"
#include "tools/output_paths.hpp"
#include "tools/rank_items.hpp"
#include "tools/study.hpp"
#include "tools/table_file.hpp"
#include "tools/xlsx_workbook.hpp"

namespace salesim::tools {
namespace {

struct SweepArgs {
  std::string file, plan, design = "grid", h5, csv, metric;
  std::vector<std::string> vary;
  std::size_t samples = 20, paths = 0, max_paths = 1000000;
  std::optional<std::uint64_t> seed;
  std::optional<double> target_se;
  int threads = 0;
  bool quiet = false;
  std::string xlsx;  // --xlsx: the table as an Excel workbook
};

std::string level_text(double v) { return fmt::format("{}", v); }

int sweep(const SweepArgs& a) {
  const Scenario sc = load_with_seed(a.file, a.seed);
  announce(sc);
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

  // The factors: each --vary KEY=VALUES, checked against the plan's keys and their ranges.
  std::vector<sim::Factor> factors;
  std::vector<Lever> levers;
  for (const auto& v : a.vary) {
    const auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0)
      throw BadInput(
          fmt::format("--vary '{}': expected KEY=VALUES, e.g. "
                      "prospecting.target_hours=10,15,20 or =10:20:5",
                      v));
    sim::Factor f{v.substr(0, eq), {}};
    try {
      // Explicit values can set a key the plan leaves null.
      levers.push_back(find_lever(sc, a.plan, f.name, true));
      f.levels = sim::parse_levels(v.substr(eq + 1));
    } catch (const std::invalid_argument& e) {
      throw BadInput(fmt::format("--vary {}: {}", f.name, e.what()));
    }
    for (double x : f.levels)
      if (fit_to_lever(levers.back(), x) != x && !(levers.back().integer && a.design == "lhs"))
        throw BadInput(fmt::format("--vary {}: {} is outside the key's range {}{}", f.name,
                                   level_text(x), levers.back().integer ? "(a whole number) " : "",
                                   fmt::format("[{}, {}{}", levers.back().lo, levers.back().hi,
                                               levers.back().hi_open ? ")" : "]")));
    // The key names a dataset of the HDF5 table, where '/' would mean a group.
    if (f.name.find('/') != std::string::npos)
      throw BadInput(fmt::format(
          "--vary {}: a key with '/' cannot name a column of the table; name the item by its "
          "index instead, as in training[0].efficacy",
          f.name));
    for (const auto& g : factors)
      if (g.name == f.name) throw BadInput(fmt::format("--vary {}: given twice", f.name));
    factors.push_back(std::move(f));
  }
  if (factors.empty()) throw BadInput("sweep: give at least one --vary KEY=VALUES");
  std::vector<std::vector<double>> points;
  if (a.design == "grid") {
    points = sim::grid_design(factors);
  } else {
    for (const auto& f : factors)
      if (f.levels.size() < 2)
        throw BadInput(fmt::format(
            "--vary {}: a Latin hypercube needs a range FROM:TO (or at least two values)", f.name));
    points = sim::latin_hypercube(factors, a.samples, sc.base.simulation.seed);
    for (auto& p : points)
      for (std::size_t j = 0; j < p.size(); ++j) p[j] = fit_to_lever(levers[j], p[j]);
  }
  if (points.size() > 100000)
    throw BadInput(
        fmt::format("sweep: {} points is more than 100000; use --design lhs", points.size()));

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
    std::vector<std::pair<std::string, double>> values;
    for (std::size_t j = 0; j < factors.size(); ++j)
      values.emplace_back(factors[j].name, points[i][j]);
    Scenario variant;
    try {
      variant = plan_variant(sc, a.plan, values);
    } catch (const ScenarioError& e) {
      std::string at;
      for (const auto& [k, v] : values) at += fmt::format(" {}={}", k, level_text(v));
      throw BadInput(fmt::format("sweep point {} ({}): {}", i + 1, at.substr(1), e.what()));
    }
    const VariantResult r = run_variant(variant, st);
    ++runs_done;
    Row row{{"point", double(i + 1)}};
    row.insert(row.end(), values.begin(), values.end());
    for (auto& c : headline_columns(sc, r.result)) row.push_back(std::move(c));
    const auto d = paired_metric_diff(base.result, r.result, metric);
    row.emplace_back(std::string(to_string(metric)) + "_diff_vs_plan", d.mean);
    row.emplace_back(std::string(to_string(metric)) + "_diff_vs_plan_se", d.se);
    if (a.target_se) row.emplace_back("precision_met", r.precision.met ? 1.0 : 0.0);
    return row_bytes(row);
  });
  bar.finish();
  if (!sim::dist::is_root()) return 0;
  Table table;
  std::vector<std::size_t> unmet;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Row row = row_from_bytes(rows[i]);
    if (a.target_se && std::get<double>(row.back().second) == 0) unmet.push_back(i + 1);
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
  std::vector<std::string> keys;
  for (const auto& f : factors) keys.push_back(f.name);
  write_table_h5(a.h5, table, attrs, keys, sc.text);
  sim::write_text_atomically(csv, table.csv());
  if (!a.xlsx.empty()) write_xlsx(a.xlsx, {table_sheet("Sweep", table)});

  if (!a.quiet) {
    std::cout << fmt::format("Sweep of plan '{}' in {}: {} points, {} paths each, seed {}\n",
                             a.plan, sc.file, points.size(), per_run, sc.base.simulation.seed);
    std::cout << table.text({"point"}, keys,
                            {"p_goal", "final_bookings_p50", "profit_mean",
                             std::string(to_string(metric)) + "_diff_vs_plan"});
    std::cout << fmt::format("Wrote {} and {}\n", a.h5, csv);
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
      "\\\n      --vary hiring[0].week=5,20 -o hires.h5");
  cmd->add_option("file", a->file, "Scenario file (YAML)")->required();
  cmd->add_option("--plan", a->plan, "The plan whose keys are varied")->required();
  cmd->add_option("--vary", a->vary,
                  "KEY=VALUES, KEY a dotted path as in a plan's set or a list item's field: "
                  "hiring[0].count, training[NAME].cost_per_person, programs[1].start_week")
      ->required();
  cmd->add_option("--design", a->design, "grid (every combination) or lhs (Latin hypercube)")
      ->check(CLI::IsMember({"grid", "lhs"}));
  auto* samples = cmd->add_option("--samples", a->samples, "Points of a Latin hypercube")
                      ->check(CLI::Range(std::size_t(1), std::size_t(100000)));
  cmd->add_option("-o,--output", a->h5, "The HDF5 table to write")->required();
  cmd->add_option("--csv", a->csv, "The CSV to write (default: the output's name with .csv)");
  cmd->add_option("--xlsx", a->xlsx, "Also write the table as an Excel workbook");
  cmd->add_option("--metric", a->metric,
                  "p_goal, final_bookings or profit: compared with the plan as written and used "
                  "by --target-se (default: p_goal when there is a goal)");
  add_run_options(cmd, a->paths, a->seed, a->threads,
                  "Paths per point (default: the file's simulation.paths)");
  cmd->add_option("--target-se", a->target_se,
                  "Add paths at each point until the metric's standard error is at most this")
      ->check(finite_number())
      ->check(CLI::Range(1e-12, 1e12));
  cmd->add_option("--max-paths", a->max_paths, "Path limit per point for --target-se")
      ->transform(whole_count())
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000000)));
  cmd->add_flag("--quiet", a->quiet, "Print nothing but errors");
  commands.push_back({cmd, [a, samples] {
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
