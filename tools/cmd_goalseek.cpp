// `salesim goalseek`: what would it take. The smallest (or largest) value of one lever at which
// a plan reaches a target figure, by bisection on common random numbers (tools/goalseek.hpp).
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "sim/atomic_file.hpp"
#include "sim/distributed.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"  // resolve_threads
#include "tools/cli.hpp"
#include "tools/goalseek.hpp"
#include "tools/lever_range.hpp"
#include "tools/lever_runs.hpp"
#include "tools/output_paths.hpp"

namespace salesim::tools {
namespace {

struct GoalSeekArgs {
  std::string file, plan, lever, target, json;
  bool largest = false, quiet = false;
  std::size_t paths = 0;
  std::optional<std::uint64_t> seed;
  std::optional<double> tolerance;
  int threads = 0;
  double max_hours = 24;
};

// The target reached at the interval's end: the crossing lies beyond it, unless that end is
// the key's own limit (no hires, an efficacy of 1), where there is no beyond to widen into.
std::string at_end_text(const LeverRange& range, bool largest, double value) {
  const char* end = largest ? "upper" : "lower";
  if (at_key_limit(range.lever, value, largest))
    return fmt::format(
        "The target is already reached at the {} end of the interval, {}: there is no {} value "
        "to find.",
        end, key_limit_words(value, largest), largest ? "larger" : "smaller");
  return fmt::format(
      "The target is already reached at the {} end of the interval: where the figure crosses "
      "it, if anywhere, lies beyond {}; widen the interval to find it.",
      end, lever_text(value));
}

int goalseek(const GoalSeekArgs& a) {
  const Scenario sc = load_on_every_rank(a.file, a.seed);
  announce(sc, false, {a.plan});  // the warnings of the plan it runs
  check_plan_names(sc, {a.plan}, "--plan");
  check_outputs({{"the scenario file", a.file}}, {{"--json", a.json}});
  const LeverRange range = parse_lever_range(sc, a.plan, a.lever, "--lever");
  Condition target;
  try {
    target = parse_condition(a.target, sc, true);
  } catch (const std::invalid_argument& e) {
    throw BadInput(fmt::format("--target {}", e.what()));
  }
  if (a.tolerance && range.integer())  // said, not silently dropped: the user asked for it
    std::cerr << fmt::format(
        "salesim: note: --tolerance {} is not used: {} takes whole numbers, and the answer is "
        "the exact whole number\n",
        *a.tolerance, range.lever.path);
  if (a.tolerance && !range.integer() && *a.tolerance >= range.hi - range.lo)
    throw BadInput(fmt::format("--tolerance {}: expected less than the lever's interval, {}",
                               *a.tolerance, range.hi - range.lo));

  RunSettings run;
  run.paths = a.paths;
  run.threads = a.threads;
  check_lever_corners(sc, a.plan, {range});  // both ends valid before any point runs
  LeverRuns runs(sc, a.plan, {range.lever}, {target.outcome}, run);
  check_run_memory(sc, runs.paths(), 1, "goal-seek", false);
  GoalSeekSettings gs;
  gs.lo = range.lo, gs.hi = range.hi, gs.integer = range.integer(), gs.largest = a.largest;
  gs.tolerance = a.tolerance.value_or(0);
  // About the scan plus the halvings of one scan interval: the bar's total grows if need be.
  const double width = (range.hi - range.lo) / (gs.scan - 1);
  const double step = range.integer()    ? 1
                      : gs.tolerance > 0 ? gs.tolerance
                                         : (range.hi - range.lo) / 1000;
  std::size_t expected = gs.scan + std::size_t(std::ceil(std::log2(std::max(1.0, width / step))));
  // (And the 16 a search between scan points may take.)
  check_points_time(sc, a.plan, {range}, runs.paths(), expected + 16,
                    std::min(sim::resolve_threads(a.threads), sim::resolve_threads(0)), a.max_hours,
                    "goal-seek");
  sim::Progress bar("goal-seek", expected * runs.paths(), !a.quiet);
  runs.progress = [&](std::size_t done_runs, std::size_t done) {
    expected = std::max(expected, done_runs + 1);
    bar.update(done_runs * runs.paths() + std::min(done, runs.paths()), expected * runs.paths());
  };
  const GoalSeekResult r =
      goal_seek([&](double x) { return runs.at({x}).figures.front(); }, target, gs);
  bar.finish();

  const std::string key = range.lever.path;
  const std::string interval = fmt::format("[{}, {}]", lever_text(range.lo), lever_text(range.hi));
  // The answer's own noise, when it is more than its step: other paths would move it.
  const bool noisy = r.reachable && r.value_se > r.step;
  nlohmann::json js = {
      {"value", r.value},
      {"metric", target.outcome.name},
      {"target", target.value},
      {"achieved", r.achieved.mean},
      {"achieved_se", r.achieved.se},
      {"reachable", r.reachable},
      {"evaluations", runs.evaluations()},
      {"condition", target.text()},
      {"lever", key},
      {"lo", range.lo},
      {"hi", range.hi},
      {"whole_numbers", range.integer()},
      {"seek", a.largest ? "largest" : "smallest"},
      {"step", r.step},
      {"plan", a.plan},
      {"file", sc.file},
      {"paths", runs.paths()},
      {"seed", sc.base.simulation.seed},
      {"monotone", r.monotone_note.empty()},
      {"value_se", std::isnan(r.value_se) ? nlohmann::json() : nlohmann::json(r.value_se)},
      {"at_end", r.reachable && !r.neighbour},
      {"points", nlohmann::json::array()}};
  if (!r.monotone_note.empty()) js["note"] = r.monotone_note;
  if (r.neighbour) {
    for (const auto& s : r.steps)
      if (s.x == *r.neighbour)
        js["neighbour"] = {{"value", s.x}, {"achieved", s.y.mean}, {"achieved_se", s.y.se}};
  }
  for (const auto& s : r.steps)
    js["points"].push_back({{"value", s.x}, {"achieved", s.y.mean}, {"achieved_se", s.y.se}});
  if (!sim::dist::is_root()) return 0;  // under mpirun rank 0 writes and reports

  // The answer is printed before the file is written: a file that cannot be written must not
  // lose it.
  if (!a.quiet) {
    std::cout << fmt::format(
        "Goal-seek on plan '{}' in {}: the {} {} in {} with {}\n{} paths per point (the same "
        "paths at every value), seed {}, {} evaluations\n",
        a.plan, sc.file, a.largest ? "largest" : "smallest", key, interval, condition_words(target),
        runs.paths(), sc.base.simulation.seed, runs.evaluations());
    const Outcome& o = target.outcome;
    if (r.reachable) {
      std::cout << fmt::format("Answer: {} = {} gives {} = {}", key, lever_text(r.value),
                               figure_name(o), figure_text(o, r.achieved));
      if (js.contains("neighbour"))
        std::cout << fmt::format("; at {} it is {}", lever_text(*r.neighbour),
                                 figure_text(o, js["neighbour"]["achieved"].get<double>(), target));
      std::cout << "\n";
      if (!r.neighbour) std::cout << at_end_text(range, a.largest, r.value) << "\n";
      if (noisy)
        std::cout << fmt::format(
            "With other paths the answer would move by about {} (the figure's standard error over "
            "its slope), more than its step; raise --paths to narrow it.\n",
            lever_text(std::stod(fmt::format("{:.2g}", r.value_se))));
    } else {
      // A figure that turns back may meet the target between the points probed: said so.
      std::cout << fmt::format(
          "{} {}: the best {} is {}, at {} = {}\n",
          r.monotone_note.empty() ? "Not reachable in" : "Not reached at the values probed in",
          interval, figure_name(o), figure_text(o, r.achieved), key, lever_text(r.value));
    }
    if (!r.monotone_note.empty()) std::cout << "Note: " << r.monotone_note << ".\n";
  }
  if (!a.json.empty()) {
    sim::write_text_atomically(a.json, js.dump(2) + "\n");
    if (!a.quiet) std::cout << "Wrote " << a.json << "\n";
  }
  return 0;
}

}  // namespace

void add_goalseek_command(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<GoalSeekArgs>();
  auto* cmd = app.add_subcommand(
      "goalseek", "What would it take: the lever value at which a plan reaches a target");
  cmd->footer(
      "Finds the smallest (with --largest, the largest) value of one lever in [LO, HI] at which\n"
      "the plan reaches the target: a scan of 5 points, then bisection, every value on the same\n"
      "paths (common random numbers). Whole-number keys take whole numbers. METRIC=VALUE means\n"
      "at least VALUE (at most, for cost, leavers, burnout and burnt_out_share); write >= or <=\n"
      "to say it. The lever is any key sweep takes: a plan's dotted keys and list items by index\n"
      "or name.\n"
      "Metrics: p_goal, p_checkpoint:LABEL, p_all_checkpoints, final_bookings_mean,\n"
      "final_bookings_p5 .. _p95, profit, cost, burnt_out_share, burnout, leavers,\n"
      "headcount_final, exit_run_rate; with revenue.model: recurring also arr_final (final ARR,\n"
      "mean) and arr_final_p5 .. _p95. With goal.metric: arr, p_goal and the checkpoints count\n"
      "ARR at their week. Values take 16M, 250k, 80%.\n"
      "Examples:\n"
      "  salesim goalseek scenarios/nexacorp.yaml --plan push-activity "
      "--lever prospecting.target_hours=4:18 --target p_goal=0.9\n"
      "  salesim goalseek scenarios/nexacorp.yaml --plan baseline "
      "--lever prospecting.yield.top=0.3:1.2 \\\n      --target final_bookings_p50=10.8M --json "
      "fit.json\n"
      "  salesim goalseek scenarios/nexacorp.yaml --plan push-activity --largest "
      "--lever 'hiring[0].count=0:30' --target 'cost<=8M'");
  cmd->add_option("file", a->file, "Scenario file (YAML)")->required();
  cmd->add_option("--plan", a->plan, "The plan whose lever is moved")->required();
  cmd->add_option("--lever", a->lever, "KEY=LO:HI, the key and the interval to search")->required();
  cmd->add_option("--target", a->target, "METRIC=VALUE (or METRIC>=VALUE, METRIC<=VALUE)")
      ->required();
  cmd->add_flag("--largest", a->largest, "The largest value that reaches the target");
  cmd->add_option("--tolerance", a->tolerance,
                  "Resolution of the answer for a key that is not a whole number (default: the "
                  "interval / 1000)")
      ->check(finite_number())
      ->check(number_between(1e-12, 1e15));
  cmd->add_option("--json", a->json, "Write the answer and every point probed as JSON");
  add_run_options(cmd, a->paths, a->seed, a->threads,
                  "Paths per point (default: the file's simulation.paths)");
  cmd->add_option("--max-hours", a->max_hours,
                  "Refuse a search estimated to take longer than this many hours (default 24)")
      ->check(finite_number())
      ->check(above_zero());
  cmd->add_flag("--quiet", a->quiet, "Print nothing but errors");
  commands.push_back({cmd, [a] { return goalseek(*a); }});
}

}  // namespace salesim::tools
