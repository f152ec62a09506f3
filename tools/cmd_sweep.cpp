// `salesim sweep`: run one plan at many values of its levers (a grid or a Latin hypercube),
// every point with the same seed and paths (common random numbers), into an HDF5 table and a
// CSV with a row per point.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "models/keys.hpp"
#include "models/plan_edit.hpp"
#include "salesim/version.hpp"
#include "sim/atomic_file.hpp"
#include "sim/design.hpp"
#include "sim/distributed.hpp"
#include "sim/h5.hpp"
#include "sim/progress.hpp"
#include "tools/cli.hpp"
#include "tools/lever_range.hpp"
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

// VALUES with the file's friendly numbers written out (10k -> 10000, 5% -> 0.05), as goal-seek
// and optimize read them. Throws std::invalid_argument naming a part that is no number.
std::string plain_values(const std::string& text) {
  std::string out, part;
  auto flush = [&] {
    char* end = nullptr;
    std::strtod(part.c_str(), &end);
    std::string why;
    if (part.empty() || end == part.c_str() + part.size()) {
      out += part;  // plain, or empty (parse_levels says what it expected)
    } else if (const auto v = parse_number(part, true, why); v && std::isfinite(*v)) {
      out += fmt::format("{}", *v);
    } else {
      throw std::invalid_argument(fmt::format("'{}': '{}' is not a number{}", text, part,
                                              why.empty() ? "" : " (" + why + ")"));
    }
    part.clear();
  };
  for (char c : text) {
    if (c == ',' || c == ':') {
      flush();
      out += c;
    } else if (c != ' ') {
      part += c;
    }
  }
  flush();
  return out;
}

// Throws BadInput when x is outside the key's range, or not whole for a whole-number key on a
// grid (a Latin hypercube rounds its points; its ends may lie between whole numbers).
void check_level(const Lever& l, const std::string& key, double x, bool lhs) {
  const std::string range = fmt::format("[{}, {}{}", l.lo, l.hi, l.hi_open ? ")" : "]");
  Lever any = l;
  any.integer = false;  // the range alone
  if (fit_to_lever(any, x) != x)
    throw BadInput(fmt::format("--vary {}: {} is outside the key's range {}{}", key, level_text(x),
                               l.integer ? "(a whole number) " : "", range));
  if (l.integer && !lhs && x != std::round(x))
    throw BadInput(
        fmt::format("--vary {}: {} is not a whole number; the key takes whole numbers in {}", key,
                    level_text(x), range));
}

// A value given twice in one --vary would run the same point twice: a range FROM:TO with
// FROM = TO is its one value; a list naming a value twice is refused.
void drop_repeated_levels(sim::Factor& f, const std::string& values) {
  std::vector<double> kept;
  std::set<double> seen;
  for (double x : f.levels) {
    if (seen.insert(x).second) {
      kept.push_back(x);
    } else if (values.find(':') == std::string::npos) {
      throw BadInput(fmt::format("--vary {}: {} is given twice", f.name, level_text(x)));
    }
  }
  f.levels = std::move(kept);
}

// The grid's size, counted before it is built: a grid of millions of points would otherwise
// fill the memory before it could be refused.
void check_grid_size(const std::vector<sim::Factor>& factors) {
  double n = 1;
  for (const auto& f : factors) n *= double(f.levels.size());
  if (n > 100000)
    throw BadInput(fmt::format("sweep: {:.0f} points is more than 100000; use --design lhs", n));
}

// Point i's keys and values.
std::vector<std::pair<std::string, double>> point_values(const std::vector<sim::Factor>& factors,
                                                         const std::vector<double>& point) {
  std::vector<std::pair<std::string, double>> values;
  for (std::size_t j = 0; j < factors.size(); ++j) values.emplace_back(factors[j].name, point[j]);
  return values;
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
void check_points(const Scenario& sc, const std::string& plan,
                  const std::vector<sim::Factor>& factors,
                  const std::vector<std::vector<double>>& points, const std::vector<int>& owner) {
  gather_items(owner, [&](std::size_t i) {
    point_variant(sc, plan, point_values(factors, points[i]), i);
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
      f.levels = sim::parse_levels(plain_values(v.substr(eq + 1)));
    } catch (const std::invalid_argument& e) {
      throw BadInput(fmt::format("--vary {}: {}", f.name, e.what()));
    }
    for (double x : f.levels) check_level(levers.back(), f.name, x, a.design == "lhs");
    if (a.design == "grid") drop_repeated_levels(f, v.substr(eq + 1));
    // The key names a dataset of the HDF5 table, where '/' would mean a group.
    if (f.name.find('/') != std::string::npos)
      throw BadInput(fmt::format(
          "--vary {}: a key with '/' cannot name a column of the table; name the item by its "
          "index instead, as in training[0].efficacy",
          f.name));
    // One item named by index and by name is one key: the later value would win.
    for (const auto& g : factors)
      if (lever_identity(sc, a.plan, g.name) == lever_identity(sc, a.plan, f.name))
        throw BadInput(g.name == f.name ? fmt::format("--vary {}: given twice", f.name)
                                        : fmt::format("--vary {}: given twice (as {}: the same "
                                                      "item)",
                                                      f.name, g.name));
    factors.push_back(std::move(f));
  }
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
      for (std::size_t j = 0; j < p.size(); ++j) p[j] = fit_to_lever(levers[j], p[j]);
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
  check_points(sc, a.plan, factors, points, owner);
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
    const auto values = point_values(factors, points[i]);
    const VariantResult r = run_variant(point_variant(sc, a.plan, values, i), st);
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
    std::cout << fmt::format("Sweep of plan '{}' in {}: {} points, {}, seed {}\n", a.plan, sc.file,
                             points.size(), paths_text(a, per_run, metric),
                             sc.base.simulation.seed);
    std::cout << table.text({"point"}, keys,
                            {"p_goal", "final_bookings_p50", "profit_mean",
                             std::string(to_string(metric)) + "_diff_vs_plan"});
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
