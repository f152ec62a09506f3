// salesim: the command line. Exit codes: 0 ok, 1 failure, 2 bad input.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "models/keys.hpp"
#include "models/simulate.hpp"
#include "salesim/version.hpp"
#include "sim/atomic_file.hpp"
#include "sim/precision.hpp"
#include "sim/progress.hpp"
#include "tools/bench.hpp"
#include "tools/results_h5.hpp"
#include "tools/summary_json.hpp"
#include "tools/terminal.hpp"

namespace {

using namespace salesim;

struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunArgs {
  std::string file, h5, json, csv_dir, plans;
  std::size_t paths = 0;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  bool quiet = false, explain = false;
  std::optional<double> target_se;
  std::size_t max_paths = 1000000;
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else
      cur += c;
  }
  return out;
}

Scenario load(const std::string& file, std::optional<std::uint64_t> seed) {
  Scenario sc = load_scenario_file(file);
  if (seed) {
    sc.base.simulation.seed = *seed;
    for (auto& p : sc.plans) p.params.simulation.seed = *seed;
  }
  return sc;
}

int cmd_run(const RunArgs& a) {
  Scenario sc = load(a.file, a.seed);
  std::vector<std::string> only = split(a.plans);
  for (const auto& name : only) {
    bool found = false;
    std::vector<std::string> names;
    for (const auto& p : sc.plans) found |= p.name == name, names.push_back(p.name);
    if (!found)
      throw BadInput(fmt::format("--plans: {} has no plan '{}' (did you mean '{}'?)", a.file, name,
                                 nearest(name, names)));
  }
  for (const auto& out : {a.h5, a.json})
    if (!out.empty()) {
      auto parent = std::filesystem::absolute(out).parent_path();
      if (!std::filesystem::is_directory(parent))
        throw BadInput(
            fmt::format("cannot write {}: folder {} does not exist", out, parent.string()));
    }
  RunSettings s;
  s.paths = a.paths;
  s.threads = a.threads;
  const std::size_t n_plans = only.empty() ? sc.plans.size() : only.size();
  sim::Progress bar("simulating", (a.paths ? a.paths : sc.base.simulation.paths) * n_plans,
                    !a.quiet);
  s.progress = [&](std::size_t done, std::size_t total) { bar.update(done, total); };
  if (a.target_se && !sc.base.goal.revenue)
    throw BadInput(
        fmt::format("--target-se: {} has no goal.revenue, so there is no P(goal) whose "
                    "standard error could be controlled",
                    a.file));
  PrecisionResult precision;
  const ScenarioResults res =
      a.target_se ? run_to_precision(sc, s, only, *a.target_se, a.max_paths, precision)
                  : run_scenario(sc, s, only);
  bar.finish();

  auto summary = tools::summary_json(sc, res, sc.base.simulation.seed);
  if (a.target_se)
    summary["precision"] = {{"metric", "p_goal"},
                            {"target_se", precision.target_se},
                            {"achieved_se", precision.achieved_se},
                            {"paths", precision.paths},
                            {"max_paths", precision.max_paths},
                            {"met", precision.met}};
  if (!a.quiet) {
    std::cout << tools::format_table(sc, res);
    if (a.explain) std::cout << tools::format_explain(sc, res);
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
  if (!a.h5.empty())
    tools::write_results_h5(a.h5, sc, res, sc.base.simulation.seed, summary.dump());
  if (!a.csv_dir.empty()) {
    std::filesystem::create_directories(a.csv_dir);
    sim::write_text_atomically(std::filesystem::path(a.csv_dir) / "summary.csv",
                               tools::format_csv(sc, res));
  }
  return 0;
}

int cmd_validate(const std::string& file) {
  const Scenario sc = load_scenario_file(file);
  std::cout << fmt::format("{}: ok: '{}', {} plans, {} stages, {} skills, {} weeks\n", file,
                           sc.name, sc.plans.size(), sc.base.pipeline.stages.size(),
                           sc.skills.size(), sc.horizon());
  return 0;
}

int cmd_reference() {
  Params p;
  p.pipeline.stages.push_back(Stage{});
  p.pipeline.stages[0].name = "<stage>";
  std::cout << "| key | default | type | unit | range | plan may set | meaning |\n"
               "|---|---|---|---|---|---|---|\n";
  for (const KeyInfo& k : scalar_keys(p)) {
    std::string def = k.value_text();
    if (k.path.find("<stage>.name") != std::string::npos) def = "qualify";
    std::cout << fmt::format("| `{}` | `{}` | {} | {} | {} | {} | {} |\n", k.path, def,
                             k.type_name(), k.unit, k.range_text(), k.plan_settable ? "yes" : "no",
                             k.meaning);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "salesim: sales-plan simulation and forecasting.\n"
      "Runs each plan of a scenario file as Monte Carlo paths and compares them against "
      "the revenue goal and its checkpoints."};
  app.set_version_flag(
      "--version", fmt::format("salesim {} ({})", sim::build::version, sim::build::git_revision));
  app.require_subcommand(1);

  RunArgs ra;
  auto* run =
      app.add_subcommand("run", "Run every plan of a scenario and compare each with the first");
  run->footer(
      "Examples:\n"
      "  salesim run scenarios/nexacorp.yaml\n"
      "  salesim run scenarios/nexacorp.yaml --paths 2000 --threads 2 --json summary.json\n"
      "  salesim run scenarios/nexacorp.yaml --plans baseline,targeted-effectiveness -o "
      "results.h5");
  run->add_option("file", ra.file, "Scenario file (YAML)")->required();
  run->add_option("--paths", ra.paths, "Paths per plan (default: the file's simulation.paths)")
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000000)));
  run->add_option("--seed", ra.seed, "Seed (default: the file's simulation.seed)");
  run->add_option("--threads", ra.threads, "Threads (default: all)")->check(CLI::Range(0, 4096));
  run->add_option("--plans", ra.plans, "Comma-separated plans to run; the first is the baseline");
  run->add_option("-o,--output", ra.h5, "Write results to this HDF5 file");
  run->add_option("--json", ra.json, "Write the summary as JSON to this file");
  run->add_option("--csv", ra.csv_dir, "Write summary.csv into this folder");
  run->add_flag("--quiet", ra.quiet, "Print nothing (no table, no progress bar)");
  run->add_option("--target-se", ra.target_se,
                  "Add paths until the standard error of P(goal) is at most this for every plan")
      ->check(CLI::Range(1e-6, 0.5));
  run->add_option("--max-paths", ra.max_paths, "Path limit per plan for --target-se")
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000000)));
  run->add_flag("--explain", ra.explain,
                "Also print the pipeline's absorbing-chain figures beside the simulated ones");

  std::string vfile;
  bool reference = false;
  auto* validate = app.add_subcommand("validate", "Check a scenario file and report every problem");
  validate->footer(
      "Examples:\n  salesim validate scenarios/nexacorp.yaml\n"
      "  salesim validate --reference > docs/scenario-keys.md");
  validate->add_option("file", vfile, "Scenario file (YAML)");
  validate->add_flag("--reference", reference, "Print the table of every scalar key (markdown)");

  tools::BenchArgs ba;
  auto* bench = app.add_subcommand(
      "bench", "Measure rep-weeks and paths per second, 1 thread and all threads");
  bench->footer("Example:\n  salesim bench scenarios/nexacorp.yaml --paths 4000");
  bench->add_option("file", ba.file, "Scenario file (YAML)")->required();
  bench->add_option("--paths", ba.paths, "Paths per measurement")->check(CLI::Range(1, 100000000));
  bench->add_option("--repeats", ba.repeats, "Measurements per thread count (median reported)")
      ->check(CLI::Range(1, 100));
  bench->add_option("--json", ba.json, "Also write the figures as JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (run->parsed()) return cmd_run(ra);
    if (validate->parsed()) {
      if (reference) return cmd_reference();
      if (vfile.empty()) throw BadInput("validate: give a scenario file (or --reference)");
      return cmd_validate(vfile);
    }
    if (bench->parsed()) return tools::run_bench(ba);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    std::cerr << fmt::format("{} problem{} found\n", e.problems.size(),
                             e.problems.size() == 1 ? "" : "s");
    return 2;
  } catch (const BadInput& e) {
    std::cerr << "salesim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "salesim: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
