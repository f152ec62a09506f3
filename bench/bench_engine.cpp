// The engine: one week of the example's 40-rep team, and whole paths of the example scaled in
// reps (10 to 1,000) and in weeks (13 to 520), single-threaded; and large teams (10,000 and
// 100,000 reps over 13 weeks, where the hand-over receiver search used to be quadratic in
// reps). Items/s is rep-weeks per second, so a flat rate across sizes means cost linear in
// reps and weeks.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "models/outputs.hpp"
#include "models/rep_week.hpp"
#include "models/simulate.hpp"
#include "models/week.hpp"

namespace {

using namespace salesim;

std::string example_text() {
  std::ifstream f(std::string(SALESIM_SOURCE_DIR) + "/scenarios/nexacorp.yaml");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The example's baseline with `reps` reps (8 per manager) over `weeks` weeks; no goal, so the
// checkpoints cannot fall outside a short horizon.
Scenario scaled(int reps, int weeks, int managers = 0) {
  YAML::Node root = YAML::Load(example_text());
  root["team"]["reps"] = reps;
  root["team"]["managers"] = managers > 0 ? managers : std::max(1, reps / 8);
  root["simulation"]["horizon_weeks"] = weeks;
  root.remove("goal");
  YAML::Node plans(YAML::NodeType::Sequence);
  plans.push_back(root["plans"][0]);
  root["plans"] = plans;
  YAML::Emitter out;
  out << root;
  return load_scenario_text(out.c_str(), "nexacorp (scaled)");
}

void BM_WeekStep(benchmark::State& state) {
  const Scenario sc = scaled(40, 520);
  const PlanModel model(sc, sc.plans[0]);
  PathScratch scratch;
  std::uint64_t path = 0;
  int t = 0;
  init_path(model, scratch, path);
  double rep_weeks = 0;
  for (auto _ : state) {
    if (t == sc.horizon()) {
      state.PauseTiming();
      init_path(model, scratch, ++path);
      t = 0;
      state.ResumeTiming();
    }
    rep_weeks += double(scratch.state.active_list.size());
    step_week(model, scratch, t++);
  }
  state.SetItemsProcessed(std::int64_t(rep_weeks));
  state.counters["reps"] = double(rep_weeks) / double(state.iterations());
}
BENCHMARK(BM_WeekStep);

// The random-number bound: only the draws of a rep-week (its two Philox blocks, every slot
// turned into a uniform), for successive reps and weeks. Items/s is the rep-weeks per second an
// engine that did nothing but draw its numbers would reach on one core (docs/performance.md).
void BM_RepWeekDrawsOnly(benchmark::State& state) {
  sim::Address a{20250101, 7, 0, 0, 0};
  double sum = 0;
  std::int64_t rep_weeks = 0;
  for (auto _ : state) {
    a.entity = std::uint32_t(rep_weeks % 40), a.week = std::uint32_t(rep_weeks / 40);
    rep_week::Draws d(a);
    for (int slot = 0; slot < rep_week::Draws::eager_slots; ++slot) sum += d.uniform32_at(slot);
    ++rep_weeks;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(rep_weeks);
}
BENCHMARK(BM_RepWeekDrawsOnly);

// Whole paths through the runner (1 thread): init, every week, the outputs.
void run_scaled(benchmark::State& state, int reps, int weeks) {
  const Scenario sc = scaled(reps, weeks);
  RunSettings s;
  s.threads = 1;
  s.paths = std::max<std::size_t>(64, std::size_t(64 * 40 * 52 / (reps * weeks)) / 64 * 64);
  double rep_weeks = 0;
  for (auto _ : state) {
    const sim::RunOutput run = run_plan(sc, sc.plans[0], s);
    for (std::size_t p = 0; p < run.paths; ++p) rep_weeks += run.scalar(p, out::rep_weeks);
  }
  state.SetItemsProcessed(std::int64_t(rep_weeks));
  state.counters["paths"] = double(s.paths);
  state.counters["ns_per_rep_week"] =
      benchmark::Counter(rep_weeks, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_PathsByReps(benchmark::State& state) { run_scaled(state, int(state.range(0)), 52); }
BENCHMARK(BM_PathsByReps)
    ->Arg(10)
    ->Arg(40)
    ->Arg(100)
    ->Arg(300)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond);

void BM_PathsByWeeks(benchmark::State& state) { run_scaled(state, 40, int(state.range(0))); }
BENCHMARK(BM_PathsByWeeks)->Arg(13)->Arg(52)->Arg(156)->Arg(520)->Unit(benchmark::kMillisecond);

// Large teams: {reps, managers}, 13 weeks, 2 paths per iteration (1 thread). 10 reps per
// manager, and 100,000 reps under the example's 5 managers (20,000 per team), where each
// leaver's receiver is chosen among 20,000 teammates. The example's attrition (18% a year)
// gives about 350 leavers a week at 100,000 reps.
void BM_LargeTeam(benchmark::State& state) {
  const Scenario sc = scaled(int(state.range(0)), 13, int(state.range(1)));
  RunSettings s;
  s.threads = 1;
  s.paths = 2;
  double rep_weeks = 0;
  for (auto _ : state) {
    const sim::RunOutput run = run_plan(sc, sc.plans[0], s);
    for (std::size_t p = 0; p < run.paths; ++p) rep_weeks += run.scalar(p, out::rep_weeks);
  }
  state.SetItemsProcessed(std::int64_t(rep_weeks));
  state.counters["ns_per_rep_week"] =
      benchmark::Counter(rep_weeks, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_LargeTeam)
    ->Args({10000, 1000})
    ->Args({100000, 10000})
    ->Args({100000, 5})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
