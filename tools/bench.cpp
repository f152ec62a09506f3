#include "tools/bench.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "models/outputs.hpp"
#include "models/simulate.hpp"
#include "sim/atomic_file.hpp"
#include "sim/random.hpp"
#include "sim/runner.hpp"
#include "tools/cli.hpp"
#include "tools/output_paths.hpp"

namespace salesim::tools {

double median_seconds(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  // Of an even count, the mean of the two middle values (the upper one alone was the slowest
  // of --repeats 2).
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int run_bench(const BenchArgs& a) {
  const Scenario sc = load_scenario_file(a.file);
  announce(sc);  // its notices (a format 1 file) and warnings, as wherever a scenario is read
  check_outputs({{"the scenario file", a.file}}, {{"--json", a.json}});
  const PlanSpec& plan = sc.plans.front();
  // Refused up front, as run refuses it: --paths 1e8 printed the header and then failed for
  // want of memory (exit 1), or was killed.
  check_run_memory(sc, std::size_t(a.paths), 1, "bench", false);
  const int all = sim::resolve_threads(0);
  nlohmann::json out = {{"scenario", sc.name},
                        {"plan", plan.name},
                        {"paths", a.paths},
                        {"weeks", sc.horizon()},
                        {"results", nlohmann::json::array()}};
  fmt::print("{}: plan '{}', {} paths x {} weeks, median of {}\n", sc.name, plan.name, a.paths,
             sc.horizon(), a.repeats);
  fmt::print("{:>8}{:>14}{:>18}{:>16}\n", "threads", "seconds", "rep-weeks/s", "paths/s");
  double base_seconds = 0;
  for (int threads : {1, all}) {
    if (threads == 1 && all == 1 && base_seconds > 0) break;
    std::vector<double> secs;
    double rep_weeks = 0;
#ifdef SALESIM_COUNT_PHILOX
    sim::philox_blocks = 0;
#endif
    for (int i = 0; i < a.repeats; ++i) {
      RunSettings s;
      s.paths = std::size_t(a.paths);
      s.threads = threads;
      const auto t0 = std::chrono::steady_clock::now();
      const sim::RunOutput run = run_plan(sc, plan, s);
      secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      rep_weeks = 0;
      for (std::size_t p = 0; p < run.paths; ++p) rep_weeks += run.scalar(p, out::rep_weeks);
    }
#ifdef SALESIM_COUNT_PHILOX
    fmt::print("Philox blocks per rep-week: {:.2f}\n",
               double(sim::philox_blocks) / (rep_weeks * a.repeats));
#endif
    const double med = median_seconds(secs);
    if (threads == 1) base_seconds = med;
    fmt::print("{:>8}{:>14.3f}{:>18.3e}{:>16.0f}{}\n", threads, med, rep_weeks / med, a.paths / med,
               threads > 1 ? fmt::format("   speed-up {:.2f}x", base_seconds / med) : "");
    out["results"].push_back({{"threads", threads},
                              {"seconds_median", med},
                              {"rep_weeks_per_second", rep_weeks / med},
                              {"paths_per_second", a.paths / med}});
  }
  if (!a.json.empty()) sim::write_text_atomically(a.json, out.dump(2) + "\n");
  return 0;
}

void add_bench_command(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand(
      "bench", "Measure rep-weeks and paths per second, 1 thread and all threads");
  cmd->footer("Example:\n  salesim bench scenarios/nexacorp.yaml --paths 4000");
  cmd->add_option("file", a->file, "Scenario file (YAML)")->required();
  cmd->add_option("--paths", a->paths, "Paths per measurement")
      ->transform(whole_count())
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--repeats", a->repeats, "Measurements per thread count (median reported)")
      ->transform(decimal_whole())
      ->check(CLI::Range(1, 100));
  cmd->add_option("--json", a->json, "Also write the figures as JSON");
  commands.push_back({cmd, [a] { return run_bench(*a); }});
}

}  // namespace salesim::tools
