#include "models/simulate.hpp"

#include <chrono>

#include "models/all_plans.hpp"
#include "models/assumed_model.hpp"
#include "models/outputs.hpp"
#include "models/plan_model.hpp"
#include "models/simulate_streamed.hpp"
#include "models/week.hpp"
#include "sim/parallel.hpp"
#include "sim/precision.hpp"

namespace salesim {

sim::RunOutput run_plan(const Scenario& sc, const PlanSpec& plan, const RunSettings& s) {
  const PlanModel model(sc, plan);
  sim::RunOptions opt;
  opt.paths = s.paths ? s.paths : std::size_t(sc.base.simulation.paths);
  opt.first_path = s.first_path;
  opt.threads = s.threads;
  if (s.progress) opt.progress = [&](std::size_t done) { s.progress(done, opt.paths); };
  if (!sc.assumptions.empty())  // each path with its own values (docs/model.md 12.4)
    return sim::run_paths_split(
        out::shape(sc), opt,
        [](std::uint64_t path, sim::Scratch& scratch, sim::PathSlots& slots) {
          auto& own = static_cast<AssumedScratch&>(scratch);
          run_path(own.model->at_path(path), own, path, slots);
        },
        [&] {
          auto scratch = std::make_unique<AssumedScratch>();
          scratch->model = std::make_unique<AssumedModel>(sc, plan);
          return scratch;
        },
        s.split);
  return sim::run_paths_split(
      out::shape(sc), opt,
      [&model](std::uint64_t path, sim::Scratch& scratch, sim::PathSlots& slots) {
        run_path(model, static_cast<PathScratch&>(scratch), path, slots);
      },
      [] { return std::make_unique<PathScratch>(); }, s.split);
}

std::vector<const PlanSpec*> chosen_plans(const Scenario& sc,
                                          const std::vector<std::string>& only_plans) {
  std::vector<const PlanSpec*> chosen;
  if (only_plans.empty())
    for (const auto& p : sc.plans) chosen.push_back(&p);
  else
    for (const auto& name : only_plans)
      for (const auto& p : sc.plans)
        if (p.name == name) chosen.push_back(&p);
  return chosen;
}

ScenarioResults run_scenario(const Scenario& sc, const RunSettings& s,
                             const std::vector<std::string>& only_plans) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<const PlanSpec*> chosen = chosen_plans(sc, only_plans);
  if (s.streaming) {
    ScenarioResults res = run_scenario_streamed(sc, s, chosen);
    res.elapsed_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return res;
  }

  ScenarioResults res;
  res.paths = s.paths ? s.paths : std::size_t(sc.base.simulation.paths);
  res.threads = sim::resolve_threads(s.threads);
  res.ranks = sim::ranks_of(s.split);
  // Every plan on a path before the next path (each into its own output), so the draws the
  // plans share are made once per path (models/all_plans.hpp).
  const std::vector<std::unique_ptr<PlanModel>> models = plan_models(sc, chosen);
  const sim::OutputShape one = out::shape(sc);
  sim::RunOptions opt;
  opt.paths = res.paths;
  opt.first_path = s.first_path;
  opt.threads = s.threads;
  const std::size_t total = res.paths * chosen.size();
  if (s.progress) opt.progress = [&](std::size_t done) { s.progress(done * chosen.size(), total); };
  std::vector<sim::RunOutput> runs = sim::run_path_groups_split(
      std::vector<sim::OutputShape>(chosen.size(), one), opt,
      [&](std::uint64_t path, sim::Scratch& scratch, sim::PathSlots& slots) {
        auto& all = static_cast<AllPlansScratch&>(scratch);
        const std::size_t W = one.weeks;
        for (std::size_t p = 0; p < models.size(); ++p) {
          sim::PathSlots own{
              slots.scalars.subspan(p * one.scalars, one.scalars),
              slots.kept.subspan(p * one.kept_series * W, one.kept_series * W),
              slots.summed.subspan(p * one.summed_series * W, one.summed_series * W)};
          run_path(all.model(models, p, path), all.plans[p], path, own);
        }
      },
      [&] { return std::make_unique<AllPlansScratch>(sc, chosen); }, s.split);
  // Under mpirun with PathSplit::gather_to_root, only rank 0 has paths to summarise.
  // The summaries on the run's threads: each plan and comparison writes only its own result.
  sim::with_threads(s.threads, [&] {
    if (sim::holds_results(s.split)) {
      res.plans.resize(chosen.size());
      sim::parallel_each(chosen.size(), [&](std::size_t p) {
        res.plans[p] = summarize(sc, chosen[p]->name, std::move(runs[p]));
      });
    }
    if (res.plans.size() > 1) {
      res.comparisons.resize(res.plans.size() - 1);
      sim::parallel_each(res.comparisons.size(), [&](std::size_t i) {
        res.comparisons[i] = compare(res.plans[0], res.plans[i + 1]);
      });
    }
  });
  res.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return res;
}

ScenarioResults run_to_precision(const Scenario& sc, const RunSettings& s,
                                 const std::vector<std::string>& only_plans, double target_se,
                                 std::size_t max_paths, PrecisionResult& precision, Metric metric) {
  // Every round reruns from path 0 with more paths: the first paths give the same bits, so the
  // result equals a single run with the final path count.
  RunSettings round = s;
  // Every rank decides whether to go on, so under mpirun every rank needs the figures.
  if (round.split == sim::PathSplit::gather_to_root) round.split = sim::PathSplit::gather_to_all;
  round.paths = std::min(s.paths ? s.paths : std::size_t(sc.base.simulation.paths), max_paths);
  precision = {metric, target_se, 0, 0, max_paths, false};
  double elapsed = 0;
  for (;;) {
    ScenarioResults res = run_scenario(sc, round, only_plans);
    elapsed += res.elapsed_seconds;
    double worst = 0;
    for (const auto& p : res.plans) worst = std::max(worst, metric_estimate(p, metric)->se);
    precision.achieved_se = worst;
    precision.paths = round.paths;
    precision.met = worst <= target_se;
    if (precision.met || round.paths >= max_paths) {
      res.elapsed_seconds = elapsed;
      return res;
    }
    round.paths = sim::paths_for_target(round.paths, worst, target_se, max_paths);
  }
}

}  // namespace salesim
