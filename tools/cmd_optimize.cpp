// `salesim optimize`: which plan gets there at least cost. Levers of one plan chosen to maximise
// a figure subject to bounds on others, on a fixed block of paths (tools/optimize.hpp), then
// confirmed on fresh paths; writes the optimised plan ready to paste under `plans:`.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "sim/atomic_file.hpp"
#include "sim/progress.hpp"
#include "tools/cli.hpp"
#include "tools/lever_range.hpp"
#include "tools/lever_runs.hpp"
#include "tools/optimize.hpp"
#include "tools/plan_yaml.hpp"
#include "tools/table_file.hpp"

namespace salesim::tools {
namespace {

struct OptimizeArgs {
  std::string file, plan, maximize, output, name, json, csv;
  std::vector<std::string> levers, subject_to;
  std::size_t evaluations = 60, paths = 0, confirm_paths = 0;
  std::optional<std::uint64_t> seed;
  int threads = 0;
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
    for (std::size_t i = 0; i + 1 < p.levers.size(); ++i)
      if (p.levers[i].lever.path == p.levers.back().lever.path)
        throw BadInput(fmt::format("--lever {}: given twice", p.levers.back().lever.path));
  }
  try {
    p.objective = parse_outcome(a.maximize, sc);
  } catch (const std::invalid_argument& e) {
    throw BadInput(fmt::format("--maximize {}", e.what()));
  }
  if (!p.objective.higher_is_better || p.objective.quantile)
    throw BadInput(fmt::format(
        "--maximize {}: expected profit, p_goal or final_bookings_mean (a figure that is better "
        "higher and a mean); bound the others with --subject-to, as in \"cost<=7.2M\"",
        a.maximize));
  for (const auto& text : a.subject_to) try {
      p.constraints.push_back(parse_condition(text, sc, false));
    } catch (const std::invalid_argument& e) {
      throw BadInput(fmt::format("--subject-to {}", e.what()));
    }
  p.outcomes.push_back(p.objective);
  for (const auto& c : p.constraints) p.outcomes.push_back(c.outcome);
  for (const char* extra : {"p_goal", "final_bookings_mean", "profit", "cost"}) {
    if (std::string(extra) == "p_goal" && !sc.base.goal.revenue) continue;
    bool have = false;
    for (const auto& o : p.outcomes) have = have || o.name == extra;
    if (!have) p.outcomes.push_back(parse_outcome(extra, sc));
  }
  return p;
}

int optimize(const OptimizeArgs& a) {
  const Scenario sc = load_with_seed(a.file, a.seed);
  announce(sc);
  check_plan_names(sc, {a.plan}, "--plan");
  for (const auto& f : {a.output, a.json, a.csv}) require_parent_folder(f);
  const Problem pr = read_problem(sc, a);
  const std::string name = a.name.empty() ? a.plan + "-optimised" : a.name;
  for (const auto& p : sc.plans)
    if (p.name == name)
      throw BadInput(fmt::format("--name {}: the file already has a plan of this name; give "
                                 "another with --name",
                                 name));

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

  const std::size_t total = op.budget * runs.paths() + 2 * confirm.paths();
  sim::Progress bar("optimize", total, !a.quiet);
  runs.progress = [&](std::size_t n, std::size_t done) {
    bar.update(std::min(n * runs.paths() + done, op.budget * runs.paths()), total);
  };
  confirm.progress = [&](std::size_t n, std::size_t done) {
    bar.update(op.budget * runs.paths() + n * confirm.paths() + done, total);
  };
  const OptResult res = maximize(
      [&](const std::vector<double>& x) {
        std::vector<sim::MeanSe> f = runs.at(x).figures;
        f.resize(1 + pr.constraints.size());
        return f;
      },
      op);
  const Point in_sample = runs.at(res.best.x);
  const Point confirmed = confirm.at(res.best.x);
  const Point written = confirm.as_written();
  bar.finish();

  // Optimism: how much the search's own paths flatter the optimum (blocks are independent).
  const sim::MeanSe obj_in = in_sample.figures[0], obj_out = confirmed.figures[0];
  const sim::MeanSe optimism{obj_in.mean - obj_out.mean,
                             std::hypot(obj_in.se, obj_out.se), obj_out.n};
  const sim::MeanSe gain = sim::paired_diff(written.first_column, confirmed.first_column);

  std::vector<std::pair<std::string, double>> values;
  for (std::size_t i = 0; i < levers.size(); ++i) values.emplace_back(levers[i].path, res.best.x[i]);

  nlohmann::json js = {{"plan", a.plan},
                       {"name", name},
                       {"file", sc.file},
                       {"seed", sc.base.simulation.seed},
                       {"maximize", pr.objective.name},
                       {"subject_to", nlohmann::json::array()},
                       {"method", res.method},
                       {"stop", res.stop},
                       {"evaluations", runs.evaluations()},
                       {"budget", op.budget},
                       {"paths", runs.paths()},
                       {"confirmation_paths", confirm.paths()},
                       {"confirmation_first_path", fresh.first_path},
                       {"feasible", res.best.feasible},
                       {"levers", nlohmann::json::array()},
                       {"in_sample", nlohmann::json::object()},
                       {"confirmation", nlohmann::json::object()},
                       {"as_written_confirmation", nlohmann::json::object()},
                       {"optimism", {{"mean", optimism.mean}, {"se", optimism.se}}},
                       {"gain_vs_as_written", {{"mean", gain.mean}, {"se", gain.se}}},
                       {"constraints_met_on_confirmation", true},
                       {"trace", nlohmann::json::array()}};
  for (const auto& c : pr.constraints) js["subject_to"].push_back(c.text());
  // A lever at an end of its interval: the optimum may lie beyond it.
  std::vector<std::string> at_end(levers.size());
  for (std::size_t i = 0; i < levers.size(); ++i) {
    if (res.best.x[i] == pr.levers[i].lo) at_end[i] = "lower";
    if (res.best.x[i] == pr.levers[i].hi) at_end[i] = "upper";
    js["levers"].push_back({{"key", levers[i].path},
                            {"lo", pr.levers[i].lo},
                            {"hi", pr.levers[i].hi},
                            {"as_written", levers[i].value},
                            {"value", res.best.x[i]},
                            {"at_end", at_end[i].empty() ? nlohmann::json() : nlohmann::json(at_end[i])}});
  }
  for (std::size_t k = 0; k < pr.outcomes.size(); ++k) {
    const std::string& n = pr.outcomes[k].name;
    js["in_sample"][n] = {{"mean", in_sample.figures[k].mean}, {"se", in_sample.figures[k].se}};
    js["confirmation"][n] = {{"mean", confirmed.figures[k].mean}, {"se", confirmed.figures[k].se}};
    js["as_written_confirmation"][n] = {{"mean", written.figures[k].mean},
                                        {"se", written.figures[k].se}};
  }
  std::vector<std::string> unmet;
  for (std::size_t i = 0; i < pr.constraints.size(); ++i)
    if (!pr.constraints[i].met(confirmed.figures[1 + i].mean))
      unmet.push_back(pr.constraints[i].text());
  js["constraints_met_on_confirmation"] = unmet.empty();

  Table trace;
  for (std::size_t e = 0; e < res.trace.size(); ++e) {
    const OptPoint& pt = res.trace[e];
    nlohmann::json row = {{"evaluation", e + 1}, {"stage", pt.stage}, {"feasible", pt.feasible}};
    Row cells{{"evaluation", double(e + 1)}, {"stage", pt.stage}};
    for (std::size_t i = 0; i < levers.size(); ++i) {
      row[levers[i].path] = pt.x[i];
      cells.emplace_back(levers[i].path, pt.x[i]);
    }
    for (std::size_t k = 0; k < pt.figures.size(); ++k) {
      const std::string& n = pr.outcomes[k].name;
      row[n] = {{"mean", pt.figures[k].mean}, {"se", pt.figures[k].se}};
      cells.emplace_back(n, pt.figures[k].mean);
      cells.emplace_back(n + "_se", pt.figures[k].se);
    }
    cells.emplace_back("feasible", pt.feasible ? 1.0 : 0.0);
    js["trace"].push_back(row);
    trace.add(std::move(cells));
  }

  std::vector<std::string> header = {
      fmt::format("salesim optimize: plan '{}' of {}, maximize {}{}", a.plan, sc.file,
                  pr.objective.name, pr.constraints.empty() ? "" : " subject to"),
  };
  for (const auto& c : pr.constraints) header.back() += " " + c.text();
  header.push_back(fmt::format("{} on {} paths (seed {}), {} evaluations; confirmation on paths "
                               "{}..{}: {} = {}",
                               res.method, runs.paths(), sc.base.simulation.seed,
                               runs.evaluations(), fresh.first_path,
                               fresh.first_path + confirm.paths() - 1, pr.objective.name,
                               outcome_text(pr.objective, obj_out)));
  header.push_back("Paste under `plans:` of the scenario file.");
  if (res.best.feasible) {
    std::string note = fmt::format("Optimised by salesim optimize: maximize {}", pr.objective.name);
    for (std::size_t i = 0; i < pr.constraints.size(); ++i)
      note += (i ? ", " : " subject to ") + pr.constraints[i].text();
    const PlanYaml y = plan_yaml(sc, a.plan, values, name, header, note + ".");
    sim::write_text_atomically(a.output, y.text);
    for (const auto& l : y.top_level_edits)
      std::cerr << fmt::format(
          "salesim: warning: the optimum changes the file's top-level `{}` list, which a plan "
          "under `plans:` cannot override; {} says what to edit by hand\n",
          l, a.output);
  }
  if (!a.json.empty()) sim::write_text_atomically(a.json, js.dump(2) + "\n");
  if (!a.csv.empty()) sim::write_text_atomically(a.csv, trace.csv());

  if (!a.quiet) {
    std::cout << header[0] << "\n" << header[1] << "\n";
    std::cout << fmt::format("Stopped: {}\n\n", res.stop);
    for (std::size_t i = 0; i < levers.size(); ++i)
      std::cout << fmt::format("  {} = {}   (as written {}; searched [{}, {}])\n", levers[i].path,
                               lever_text(res.best.x[i]), lever_text(levers[i].value),
                               lever_text(pr.levers[i].lo), lever_text(pr.levers[i].hi));
    std::cout << fmt::format("\n  {:<22} {:>24} {:>24} {:>24}\n", "figure", "in-sample",
                             "confirmation", "as written (confirm.)");
    for (std::size_t k = 0; k < pr.outcomes.size(); ++k) {
      const Outcome& o = pr.outcomes[k];
      std::cout << fmt::format("  {:<22} {:>24} {:>24} {:>24}\n", o.name,
                               outcome_text(o, in_sample.figures[k]),
                               outcome_text(o, confirmed.figures[k]),
                               outcome_text(o, written.figures[k]));
    }
    std::cout << fmt::format(
        "\nOptimism of {} (in-sample - confirmation): {}\nGain over the plan as written on the "
        "confirmation paths (paired): {}\n",
        pr.objective.name, outcome_text(pr.objective, optimism), outcome_text(pr.objective, gain));
    for (std::size_t i = 0; i < levers.size(); ++i)
      if (!at_end[i].empty())
        std::cout << fmt::format(
            "Note: {} is at the {} end of its interval; the optimum may lie beyond it (widen "
            "the interval, if the key allows).\n",
            levers[i].path, at_end[i]);
    if (!unmet.empty()) {
      std::string list;
      for (const auto& u : unmet) list += " " + u;
      std::cout << fmt::format(
          "Warning: on the confirmation paths the optimum misses{}: the bound binds, and on "
          "other paths the figure falls on its other side (raise --paths, or tighten the bound "
          "by a standard error or two)\n",
          list);
    }
    if (res.best.feasible) std::cout << "Wrote " << a.output << "\n";
    for (const auto& f : {a.json, a.csv})
      if (!f.empty()) std::cout << "Wrote " << f << "\n";
  }
  if (!res.best.feasible) {
    std::string list;
    for (std::size_t i = 0; i < pr.constraints.size(); ++i)
      list += fmt::format(" {} (there {:.6g});", pr.constraints[i].text(),
                          res.best.figures[1 + i].mean);
    std::cerr << fmt::format(
        "salesim: no point evaluated meets every --subject-to bound; the nearest is at{}:{} no "
        "plan written (widen the levers' intervals or loosen the bounds)\n",
        [&] {
          std::string s;
          for (std::size_t i = 0; i < levers.size(); ++i)
            s += fmt::format(" {}={}", levers[i].path, lever_text(res.best.x[i]));
          return s;
        }(),
        list);
    return 1;
  }
  return 0;
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
  cmd->add_option("--maximize", a->maximize, "profit, p_goal or final_bookings_mean")->required();
  cmd->add_option("--subject-to", a->subject_to,
                  "A bound METRIC>=VALUE or METRIC<=VALUE, as in \"p_goal>=0.8\", \"cost<=7.2M\", "
                  "\"burnt_out_share<=0.1\"");
  cmd->add_option("--evaluations", a->evaluations,
                  "Distinct points evaluated, at most (default 60)")
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
  cmd->add_flag("--quiet", a->quiet, "Print nothing but errors");
  commands.push_back({cmd, [a] { return optimize(*a); }});
}

}  // namespace salesim::tools
