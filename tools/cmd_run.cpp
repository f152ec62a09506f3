// `salesim run`: run the plans of a scenario, print the comparison, write the outputs.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "models/plan_warnings.hpp"
#include "models/robustness.hpp"
#include "models/simulate.hpp"
#include "sim/atomic_file.hpp"
#include "sim/distributed.hpp"
#include "sim/precision.hpp"
#include "sim/progress.hpp"
#include "sim/runner.hpp"
#include "tools/cli.hpp"
#include "tools/debug_path.hpp"
#include "tools/output_paths.hpp"
#include "tools/report.hpp"
#include "tools/report_cli.hpp"
#include "tools/results_h5.hpp"
#include "tools/robustness_output.hpp"
#include "tools/streamed_results_file.hpp"
#include "tools/summary_arr.hpp"
#include "tools/summary_json.hpp"
#include "tools/table_file.hpp"
#include "tools/terminal.hpp"
#include "tools/territory_output.hpp"
#include "tools/xlsx_run.hpp"

namespace salesim::tools {
namespace {

struct RunArgs {
  std::string file, h5, json, csv_dir, plans, report;
  std::size_t paths = 0;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  bool quiet = false, explain = false, streaming = false, strict = false;
  bool detail = false;  // --detail: cost breakdown, checkpoint periods, state at the horizon
  bool explain_diff = false, conditional = false;  // why plans differ; after a missed checkpoint
  bool fixed_assumptions = false;                  // the assumptions at their central values
  bool trajectories = false;  // --trajectories: every path's weekly series in the results file
  std::string xlsx;           // --xlsx: the tables as an Excel workbook
  std::optional<double> target_se;
  std::optional<std::uint64_t> debug_path;  // --debug-path N: path N alone, week by week
  std::size_t max_paths = 1000000;
  double max_hours = 24;
  ReportCli report_options;  // --client, --currency, --pdf, ... as `salesim report` takes them
};

// The names of the plans that run, in run order.
std::vector<std::string> plan_names(const Scenario& sc, const std::vector<std::string>& only) {
  std::vector<std::string> names;
  for (const PlanSpec* p : chosen_plans(sc, only)) names.push_back(p->name);
  return names;
}

int cmd_run(const RunArgs& a) {
  Scenario sc = load_on_every_rank(a.file, a.seed);
  std::vector<std::string> only = split_list(a.plans);
  check_plan_names(sc, only, "--plans");
  // The warnings of the plans that run (--plans), on the terminal, for --strict and in the JSON.
  if (!only.empty()) sc.warnings = plan_warnings(sc, only);
  announce(sc, a.strict);
  // Uncertain assumptions (docs/model.md 12.4): at their central values, or drawn per path with
  // the central run beside it for the robustness block.
  const Scenario original = sc;
  if (a.fixed_assumptions) sc = at_central_values(sc);
  const std::vector<NamedPath> inputs = {{"the scenario file", a.file}},
                               files = {{"-o", a.h5}, {"--json", a.json}, {"--xlsx", a.xlsx}};
  check_report_outputs("--report", a.report, a.report_options, inputs, files);
  if (!a.csv_dir.empty()) {
    check_outputs({}, {}, {{"--csv", a.csv_dir}});
    // --csv DIR writes DIR/summary.csv, which would silently replace another output of that name.
    const std::string table = (std::filesystem::path(a.csv_dir) / "summary.csv").string();
    std::vector<NamedPath> named = inputs;
    named.insert(named.end(), files.begin(), files.end());
    named.push_back({"--report", a.report});
    named.push_back({"--pdf", a.report_options.pdf});
    for (const NamedPath& o : named)
      if (!o.path.empty() && sim::same_file(o.path, table))
        throw BadInput(fmt::format(
            "--csv {} writes {}, which {} also names: one would replace the other; give each "
            "output its own name",
            a.csv_dir, table, o.option));
  }
  const std::size_t n_plans = only.empty() ? sc.plans.size() : only.size();
  if (a.trajectories && a.h5.empty())
    throw BadInput(
        "--trajectories writes every path's weeks into the results file: give it "
        "with -o FILE");
  if (a.debug_path) {  // one path, so these have nothing to choose or add
    for (const auto& [given, option] : {std::pair{a.paths != 0, "--paths"},
                                        {a.target_se.has_value(), "--target-se"},
                                        {a.streaming, "--streaming"}})
      if (given)
        throw BadInput(fmt::format("--debug-path runs path {} alone; {} does not go with it",
                                   *a.debug_path, option));
  }
  const std::size_t paths = a.debug_path ? 1
                            : a.paths    ? a.paths
                                         : std::size_t(sc.base.simulation.paths);
  // Refused before anything runs: what would not fit in memory, or take longer than allowed.
  if (!a.streaming) check_run_memory(sc, paths, n_plans, "run");
  if (a.streaming) check_team_memory(sc, n_plans, "run");
  // Trajectories make the results file grow with paths x weeks: refused up front when it
  // would not fit where it goes (without them the file is small beside the run's memory).
  if (a.streaming && a.trajectories) check_streamed_output(a.h5);
  if (a.trajectories) check_results_disk(a.h5, sc, paths, n_plans, !a.streaming, true);
  check_run_time(
      sc, paths, n_plans,
      std::min(sim::resolve_threads(a.threads), sim::resolve_threads(0)) * sim::dist::size(),
      a.max_hours, "--max-hours");
  // Threads above the cores run as many as asked (and are reported so), streaming included.
  const sim::ThreadAllowance allowance(a.threads);
  RunSettings s;
  s.paths = a.debug_path ? 1 : a.paths;
  s.first_path = a.debug_path.value_or(0);
  s.threads = a.threads;
  s.streaming = a.streaming;
  // Under mpirun the paths are split over the ranks and rank 0 alone gathers and writes.
  s.split = sim::PathSplit::gather_to_root;
  sim::Progress bar("simulating", paths * n_plans, !a.quiet);
  // With uncertain assumptions the central values run too, as the second half of the bar.
  const std::size_t halves = sc.assumptions.empty() ? 1 : 2;
  s.progress = [&](std::size_t done, std::size_t total) { bar.update(done, halves * total); };
  if (a.target_se && !sc.base.goal.revenue)
    throw BadInput(
        fmt::format("--target-se: {} has no goal.revenue, so there is no P(goal) whose "
                    "standard error could be controlled",
                    a.file));
  // --streaming --trajectories: every path's weeks go into the results file as the run makes
  // them (rank 0 writes; every rank relays its paths' series to it).
  std::optional<StreamedResultsFile> streamed_h5;
  if (a.streaming && a.trajectories) {
    if (sim::dist::is_root()) streamed_h5.emplace(a.h5, sc, plan_names(sc, only));
    s.series_sink = [&streamed_h5](const SeriesChunk& c) {
      if (streamed_h5) streamed_h5->write(c);
    };
  }
  PrecisionResult precision;
  ScenarioResults res = a.target_se
                            ? run_to_precision(sc, s, only, *a.target_se, a.max_paths, precision)
                            : run_scenario(sc, s, only);
  std::optional<Robustness> robustness;
  if (!sc.assumptions.empty()) {
    RunSettings central_settings = s;
    central_settings.paths = res.paths;
    central_settings.series_sink = nullptr;  // the file has the paths as drawn
    central_settings.progress = [&](std::size_t done, std::size_t total) {
      bar.update(total + done, 2 * total);
    };
    const ScenarioResults central = run_scenario(at_central_values(sc), central_settings, only);
    robustness = analyse_robustness(sc, res, &central, s.first_path);
  }
  bar.finish();
  if (!sim::dist::is_root()) return 0;

  auto summary = summary_json(sc, res, sc.base.simulation.seed);
  if (robustness) summary["robustness"] = robustness_json(sc, *robustness);
  if (a.fixed_assumptions && !original.assumptions.empty())
    summary["fixed_assumptions"] = fixed_assumptions_json(original);
  if (a.target_se) summary["precision"] = precision_json(precision);
  if (a.debug_path) summary["path_index"] = *a.debug_path;  // which path the figures are of
  if (!a.quiet) {
    if (a.debug_path) std::cout << format_path_weeks(sc, res, *a.debug_path) << "\n";
    std::cout << format_table(sc, res);
    std::cout << format_arr(res);        // revenue.model: recurring only
    std::cout << format_territory(res);  // segments and quotas, when the scenario has them
    if (a.explain) std::cout << format_explain(sc, res);
    if (a.detail) std::cout << format_detail(sc, res);
    if (a.explain_diff) std::cout << format_drivers(res);
    if (a.conditional) std::cout << format_conditional(sc, res);
    if (robustness) std::cout << format_robustness(sc, *robustness);
    if (a.fixed_assumptions && !original.assumptions.empty())
      std::cout << fmt::format(
          "\n{} uncertain assumption{} fixed at {} central value{} (--fixed-assumptions).\n",
          original.assumptions.size(), original.assumptions.size() == 1 ? "" : "s",
          original.assumptions.size() == 1 ? "its" : "their",
          original.assumptions.size() == 1 ? "" : "s");
    if (a.target_se && precision.met)
      std::cout << fmt::format(
          "\nPrecision: P(goal) standard error {:.4f} <= target {:.4f} with "
          "{} paths per plan\n",
          precision.achieved_se, precision.target_se, precision.paths);
  }
  if (a.target_se && !precision.met) {
    std::cerr << fmt::format(
        "salesim: P(goal) standard error {:.4f} is still above the target {:.4f} at the path "
        "limit of {} paths per plan; raise --max-paths (about {} would do) or loosen "
        "--target-se. No output files were written.\n",
        precision.achieved_se, precision.target_se, precision.max_paths,
        sim::paths_for_target(precision.paths, precision.achieved_se, precision.target_se,
                              std::size_t(-1) / 2));
    return 1;
  }
  if (!a.json.empty()) sim::write_text_atomically(a.json, summary.dump(2) + "\n");
  if (streamed_h5)
    streamed_h5->finish(res, sc.base.simulation.seed, summary.dump());
  else if (!a.h5.empty())
    write_results_h5(a.h5, sc, res, sc.base.simulation.seed, summary.dump(), a.trajectories);
  int report_rc = 0;
  if (!a.report.empty()) {
    ReportOptions ro = a.report_options.resolved();
    ro.threads = a.threads, ro.progress = !a.quiet;
    const Report r =
        write_run_report(a.report, a.h5, sc, res, summary.dump(), ro, a.report_options.charts_dir);
    report_rc =
        finish_report(a.report, a.h5.empty() ? "this run" : a.h5, r, a.report_options, a.quiet);
  }
  if (!a.xlsx.empty()) {
    std::vector<Sheet> sheets = run_sheets(sc, res);
    for (Sheet& extra : extension_sheets(summary)) sheets.push_back(std::move(extra));
    write_xlsx(a.xlsx, sheets);
  }
  if (!a.csv_dir.empty()) {
    std::filesystem::create_directories(a.csv_dir);
    sim::write_text_atomically(std::filesystem::path(a.csv_dir) / "summary.csv",
                               format_csv(sc, res));
  }
  return report_rc;
}

}  // namespace

void add_run_command(CLI::App& app, Commands& commands) {
  auto ra = std::make_shared<RunArgs>();
  auto* run =
      app.add_subcommand("run", "Run every plan of a scenario and compare each with the first");
  run->footer(
      "Examples:\n"
      "  salesim run scenarios/nexacorp.yaml\n"
      "  salesim run scenarios/nexacorp.yaml --paths 2000 --threads 2 --json summary.json\n"
      "  salesim run scenarios/nexacorp.yaml --plans baseline,targeted-effectiveness -o "
      "results.h5\n"
      "  salesim run scenarios/nexacorp.yaml --debug-path 137   (path 137 alone, week by week)");
  run->add_option("file", ra->file, "Scenario file (YAML)")->required();
  add_run_options(run, ra->paths, ra->seed, ra->threads,
                  "Paths per plan (default: the file's simulation.paths)");
  run->add_option("--plans", ra->plans, "Comma-separated plans to run; the first is the baseline");
  run->add_option("-o,--output", ra->h5, "Write results to this HDF5 file");
  auto* report = run->add_option("--report", ra->report,
                                 "Also write the client report (HTML); takes every option of "
                                 "salesim report (--client, --currency, --pdf, --charts, ...)");
  add_report_options(run, ra->report_options, report);
  run->add_option("--json", ra->json, "Write the summary as JSON to this file");
  run->add_option("--csv", ra->csv_dir, "Write summary.csv into this folder");
  run->add_flag("--quiet", ra->quiet, "Print nothing (no table, no progress bar)");
  run->add_option("--target-se", ra->target_se,
                  "Add paths until the standard error of P(goal) is at most this for every plan")
      ->check(finite_number())
      ->check(number_between(1e-6, 0.5));
  auto* max_paths =
      run->add_option("--max-paths", ra->max_paths, "Path limit per plan for --target-se")
          ->transform(whole_count())
          ->check(CLI::Range(std::size_t(1), std::size_t(1000000000)));
  run->add_option("--max-hours", ra->max_hours,
                  "Refuse runs estimated to take longer than this many hours (default 24)")
      ->check(finite_number())
      ->check(above_zero());
  run->add_flag("--streaming", ra->streaming,
                "Keep no per-path data, so memory does not grow with --paths: same table and "
                "JSON keys, percentiles within 0.2%; results.h5 without per-path datasets");
  run->add_flag("--strict", ra->strict,
                "Treat warnings (plan elements that cannot act) as errors: exit 2, nothing run");
  run->add_flag("--explain", ra->explain,
                "Also print the pipeline's absorbing-chain figures beside the simulated ones");
  run->add_flag("--detail", ra->detail,
                "Also print the cost breakdown, the bookings per checkpoint period and the state "
                "at the horizon (exit run-rate, open pipeline value, ramped headcount)");
  run->add_flag("--explain-diff", ra->explain_diff,
                "Also print where each plan's difference in bookings from the first plan comes "
                "from: heads, activity, conversion, deal size and timing (they add up to it)");
  run->add_flag("--conditional", ra->conditional,
                "Also print P(goal) given each checkpoint met or missed, and after a miss the "
                "share that still reached the goal, the shortfall and each later checkpoint");
  run->add_flag("--fixed-assumptions", ra->fixed_assumptions,
                "Run with every uncertain assumption (the file's assumptions:) at its central "
                "value: the mean, the mode of a triangular, the heaviest value of a discrete");
  run->add_flag("--trajectories", ra->trajectories,
                "Also write every path's week-by-week bookings (and ARR, MRR with recurring "
                "revenue) into the -o results file, a row per path; with --streaming they are "
                "written as the run goes, so memory stays flat (the file grows with paths)");
  run->add_option("--debug-path", ra->debug_path,
                  "Run path N alone (its draws are those of path N in any run with this seed) and "
                  "print each plan's week-by-week figures on it, to see why that future went as it "
                  "did")
      ->transform(decimal_whole())
      ->check(CLI::Range(std::uint64_t(0), std::uint64_t(1) << 62));
  run->add_option("--xlsx", ra->xlsx,
                  "Write the tables as an Excel workbook (Plans, Comparison, Checkpoints, Weekly, "
                  "Costs, Periods, Horizon)");

  commands.push_back({run, [ra, max_paths] {
                        note_max_paths_alone(max_paths, ra->target_se.has_value(), ra->quiet);
                        return cmd_run(*ra);
                      }});
}

}  // namespace salesim::tools
