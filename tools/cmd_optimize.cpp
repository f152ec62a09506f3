// `salesim optimize`: which plan gets there at least cost. Levers of one plan chosen to maximise
// a figure subject to bounds on others, on a fixed block of paths (tools/optimize.hpp), then
// confirmed on fresh paths; writes the optimised plan ready to paste under `plans:`.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "models/plan_edit.hpp"
#include "models/recurring_layout.hpp"
#include "sim/atomic_file.hpp"
#include "sim/distributed.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"  // resolve_threads
#include "tools/cli.hpp"
#include "tools/goalseek.hpp"
#include "tools/lever_range.hpp"
#include "tools/lever_runs.hpp"
#include "tools/optimize.hpp"
#include "tools/optimize_report.hpp"
#include "tools/output_paths.hpp"
#include "tools/plan_yaml.hpp"
#include "tools/study.hpp"

namespace salesim::tools {
namespace {

namespace fs = std::filesystem;

// A search with no point meeting every bound writes no plan. A plan an earlier search wrote
// to the same -o would read as this one's answer beside this one's JSON: it is removed (it
// starts with the header optimize writes); any other file there is left and said not to be.
void remove_earlier_plan(const std::string& output, bool quiet) {
  std::error_code ec;
  if (!fs::is_regular_file(output, ec)) return;
  std::ifstream in(output);
  std::string first;
  std::getline(in, first);
  in.close();
  const bool removed = first.rfind("# salesim optimize:", 0) == 0 && fs::remove(output, ec);
  if (quiet) return;
  if (removed)
    std::cerr << fmt::format(
        "salesim: removed {}, the plan an earlier search wrote: this search has no plan\n", output);
  else
    std::cerr << fmt::format("salesim: {} is left as it was; it is not this search's answer\n",
                             output);
}

struct OptimizeArgs {
  std::string file, plan, maximize, output, name, json, csv;
  std::vector<std::string> levers, subject_to;
  std::size_t evaluations = 60, paths = 0, confirm_paths = 0;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  double max_hours = 24;
  bool quiet = false;
};

struct Problem {
  std::vector<LeverRange> levers;
  Outcome objective;
  std::vector<Condition> constraints;
  std::vector<Outcome> outcomes;  // objective, constraints, then the headline figures
};

Problem read_problem(const Scenario& sc, const OptimizeArgs& a) {
  Problem p;
  for (const auto& text : a.levers) {
    p.levers.push_back(parse_lever_range(sc, a.plan, text, "--lever"));
    // One item named by index and by name is one lever: the later value would win.
    const std::string& key = p.levers.back().lever.path;
    for (std::size_t i = 0; i + 1 < p.levers.size(); ++i)
      if (lever_identity(sc, a.plan, p.levers[i].lever.path) == lever_identity(sc, a.plan, key))
        throw BadInput(p.levers[i].lever.path == key
                           ? fmt::format("--lever {}: given twice", key)
                           : fmt::format("--lever {}: given twice (as {}: the same item)", key,
                                         p.levers[i].lever.path));
  }
  try {
    p.objective = parse_outcome(a.maximize, sc);
  } catch (const std::invalid_argument& e) {
    throw BadInput(fmt::format("--maximize {}", e.what()));
  }
  if (!p.objective.higher_is_better || p.objective.quantile)
    throw BadInput(fmt::format(
        "--maximize {}: expected {} (a figure that is better higher and a mean); bound the "
        "others with --subject-to, as in \"cost<=7.2M\"",
        a.maximize,
        arr_out::on(sc) ? "profit, p_goal, final_bookings_mean or arr_final"
                        : "profit, p_goal or final_bookings_mean"));
  for (const auto& text : a.subject_to) try {
      p.constraints.push_back(parse_condition(text, sc, false));
    } catch (const std::invalid_argument& e) {
      throw BadInput(fmt::format("--subject-to {}", e.what()));
    }
  p.outcomes.push_back(p.objective);
  for (const auto& c : p.constraints) p.outcomes.push_back(c.outcome);
  for (const char* extra : {"p_goal", "final_bookings_mean", "profit", "cost", "arr_final"}) {
    if (std::string(extra) == "p_goal" && !sc.base.goal.revenue) continue;
    if (std::string(extra) == "arr_final" && !arr_out::on(sc)) continue;
    bool have = false;
    for (const auto& o : p.outcomes) have = have || o.name == extra;
    if (!have) p.outcomes.push_back(parse_outcome(extra, sc));
  }
  return p;
}

int optimize(const OptimizeArgs& a) {
  const Scenario sc = load_on_every_rank(a.file, a.seed);
  announce(sc, false, {a.plan});  // the warnings of the plan it runs
  check_plan_names(sc, {a.plan}, "--plan");
  check_outputs({{"the scenario file", a.file}},
                {{"-o", a.output}, {"--json", a.json}, {"--csv", a.csv}});
  const Problem pr = read_problem(sc, a);
  const std::string name = a.name.empty() ? a.plan + "-optimised" : a.name;
  if (const std::string why = plan_name_problem(name); !why.empty())
    // Without --name the name is made from the plan's: say so rather than blame an option the
    // user did not give (a plan of 55 characters or more made "--name: ... found 74").
    throw BadInput(a.name.empty()
                       ? fmt::format("the optimised plan's default name '{}' (--plan with "
                                     "-optimised) cannot be used: {}; give one with --name",
                                     name, why)
                       : fmt::format("--name: {}", why));
  for (const auto& p : sc.plans)
    if (p.name == name)
      throw BadInput(
          fmt::format("{} {}: the file already has a plan of this name; give another with --name",
                      a.name.empty() ? "the optimised plan's default name" : "--name", name));

  check_lever_corners(sc, a.plan, pr.levers);
  std::vector<Lever> levers;
  OptProblem op;
  for (const LeverRange& l : pr.levers) {
    levers.push_back(l.lever);
    const double start =
        std::isnan(l.lever.value) ? (l.lo + l.hi) / 2 : std::clamp(l.lever.value, l.lo, l.hi);
    op.levers.push_back({l.lo, l.hi, l.integer(), start});
  }
  op.constraints = pr.constraints;
  op.budget = a.evaluations;

  RunSettings saa;
  saa.paths = a.paths;
  saa.threads = a.threads;
  LeverRuns runs(sc, a.plan, levers, pr.outcomes, saa);
  RunSettings fresh = saa;
  fresh.paths = a.confirm_paths ? a.confirm_paths : runs.paths();
  fresh.first_path = runs.paths();  // the next block of path indices: draws the search never saw
  LeverRuns confirm(sc, a.plan, levers, pr.outcomes, fresh);
  check_run_memory(sc, std::max(runs.paths(), confirm.paths()), 1, "optimize", false);
  // The evaluations, and the two confirmation runs (the optimum and the plan as written) in
  // runs of the search's paths.
  check_points_time(sc, a.plan, pr.levers, runs.paths(),
                    op.budget + (2 * confirm.paths() + runs.paths() - 1) / runs.paths(),
                    std::min(sim::resolve_threads(a.threads), sim::resolve_threads(0)), a.max_hours,
                    "optimize");

  const std::size_t total = op.budget * runs.paths() + 2 * confirm.paths();
  sim::Progress bar("optimize", total, !a.quiet);
  runs.progress = [&](std::size_t n, std::size_t done) {
    bar.update(std::min(n * runs.paths() + done, op.budget * runs.paths()), total);
  };
  confirm.progress = [&](std::size_t n, std::size_t done) {
    bar.update(op.budget * runs.paths() + n * confirm.paths() + done, total);
  };
  OptimizeReport r;
  r.file = sc.file, r.plan = a.plan, r.name = name, r.seed = sc.base.simulation.seed;
  r.levers = pr.levers, r.objective = pr.objective, r.constraints = pr.constraints;
  r.outcomes = pr.outcomes;
  r.result = maximize(
      [&](const std::vector<double>& x) {
        std::vector<sim::MeanSe> f = runs.at(x).figures;
        f.resize(1 + pr.constraints.size());
        return f;
      },
      op);
  r.in_sample = runs.at(r.result.best.x);
  r.confirmed = confirm.at(r.result.best.x);
  r.written = confirm.as_written();
  bar.finish();
  r.paths = runs.paths(), r.evaluations = runs.evaluations(), r.budget = op.budget;
  r.confirm_paths = confirm.paths(), r.confirm_first = fresh.first_path;
  finish_report(r);

  if (!sim::dist::is_root()) return 0;  // under mpirun rank 0 writes and reports
  // The answer first: a file that cannot be written must not lose a long search's result.
  // No point meets every bound: said first, before the nearest point's table.
  if (!r.result.best.feasible) std::cerr << "salesim: " << infeasible_message(r) << std::endl;
  if (!a.quiet) print_report(r, std::cout);
  std::vector<std::pair<fs::path, std::string>> files;
  std::vector<std::string> top_level_edits;
  if (r.result.best.feasible) {
    std::vector<std::pair<std::string, double>> values;
    for (std::size_t i = 0; i < levers.size(); ++i)
      values.emplace_back(levers[i].path, r.result.best.x[i]);
    // The description a client report prints: the bounds in words (cost at most 8M).
    std::string how = fmt::format("Optimised by salesim optimize (maximize {}", pr.objective.name);
    for (std::size_t i = 0; i < pr.constraints.size(); ++i)
      how += (i ? ", " : " subject to ") + condition_words(pr.constraints[i]);
    const PlanYaml y = plan_yaml(sc, a.plan, values, name, report_header(r), how + ")");
    files.emplace_back(a.output, y.text);
    top_level_edits = y.top_level_edits;
  }
  if (!a.json.empty()) files.emplace_back(a.json, report_json(r).dump(2) + "\n");
  if (!a.csv.empty()) files.emplace_back(a.csv, trace_table(r).csv());
  // The plan, its JSON and its trace are one set: all replaced or none (never a plan beside the
  // report of another search).
  sim::write_texts_atomically(files);
  if (!r.result.best.feasible) remove_earlier_plan(a.output, a.quiet);
  for (const auto& l : top_level_edits)
    std::cerr << fmt::format(
        "salesim: warning: the optimum changes the file's top-level `{}` list, which a plan "
        "under `plans:` cannot override; {} says what to edit by hand\n",
        l, a.output);
  if (!a.quiet)
    for (const auto& f : files) std::cout << "Wrote " << f.first.string() << "\n";
  return r.result.best.feasible ? 0 : 1;
}

}  // namespace

void add_optimize_command(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<OptimizeArgs>();
  auto* cmd = app.add_subcommand(
      "optimize", "Choose a plan's levers to maximise a figure subject to bounds on others");
  cmd->footer(
      "Sample average approximation: every point runs on the same block of paths (common random\n"
      "numbers), searched with NLopt's COBYLA (constraints included) over the levers' box;\n"
      "whole-number levers are rounded and their neighbours tried at the end (all whole-number\n"
      "levers with a grid within --evaluations: the whole grid). The optimum is then run on\n"
      "fresh paths (the next block of path indices) with the plan as written: the figures there,\n"
      "with standard errors, and the optimism (in-sample - confirmation) are reported.\n"
      "Writes the optimised plan (-o) as YAML ready to paste under `plans:`.\n"
      "Examples:\n"
      "  salesim optimize scenarios/nexacorp.yaml --plan push-activity "
      "--lever 'hiring[0].count=0:15' \\\n      --lever prospecting.target_hours=8:20 "
      "--maximize profit --subject-to 'p_goal>=0.5' -o best.yaml\n"
      "  salesim optimize scenarios/nexacorp.yaml --plan targeted-effectiveness --maximize p_goal "
      "\\\n      --lever org.coaching_hours_per_rep=0.5:2 --subject-to 'cost<=7.2M' "
      "--evaluations 40 -o coach.yaml --json trace.json --csv trace.csv");
  cmd->add_option("file", a->file, "Scenario file (YAML)")->required();
  cmd->add_option("--plan", a->plan, "The plan whose levers are chosen")->required();
  cmd->add_option("--lever", a->levers, "KEY=LO:HI, one per lever (as sweep takes keys)")
      ->required();
  cmd->add_option("--maximize", a->maximize,
                  "profit, p_goal, final_bookings_mean or arr_final (final ARR, with "
                  "revenue.model: recurring); with goal.metric: arr, p_goal counts ARR")
      ->required();
  cmd->add_option("--subject-to", a->subject_to,
                  "A bound METRIC>=VALUE or METRIC<=VALUE, as in \"p_goal>=0.8\", \"cost<=7.2M\", "
                  "\"burnt_out_share<=0.1\"");
  cmd->add_option("--evaluations", a->evaluations,
                  "Distinct points evaluated, at most (default 60; 5 to 100000)")
      ->transform(whole_count())
      ->check(CLI::Range(std::size_t(5), std::size_t(100000)));
  cmd->add_option("-o,--output", a->output, "The optimised plan (YAML) to write")->required();
  cmd->add_option("--name", a->name, "Name of the optimised plan (default: PLAN-optimised)");
  cmd->add_option("--json", a->json, "Write the result and the trace of evaluations as JSON");
  cmd->add_option("--csv", a->csv, "Write the trace of evaluations as CSV");
  add_run_options(cmd, a->paths, a->seed, a->threads,
                  "Paths of the search's block (default: the file's simulation.paths)");
  cmd->add_option("--confirm-paths", a->confirm_paths,
                  "Paths of the confirmation run (default: as --paths)")
      ->transform(whole_count())
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000000)));
  cmd->add_option("--max-hours", a->max_hours,
                  "Refuse a search estimated to take longer than this many hours (default 24)")
      ->check(finite_number())
      ->check(above_zero());
  cmd->add_flag("--quiet", a->quiet, "Print nothing but errors");
  commands.push_back({cmd, [a] { return optimize(*a); }});
}

}  // namespace salesim::tools
