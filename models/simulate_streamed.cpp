#include "models/simulate_streamed.hpp"

#include <cmath>
#include <limits>
#include <memory>

#include "models/all_plans.hpp"
#include "models/plan_model.hpp"
#include "models/recurring_results.hpp"
#include "models/results_detail.hpp"
#include "models/results_streamed.hpp"
#include "models/week.hpp"
#include "sim/stream_runner.hpp"

namespace salesim {
namespace {

// Runs every plan on `path`, then writes the derived per-plan figures and the differences from
// the first plan (the same arithmetic as summarize and compare apply to stored columns).
void run_all_plans(const std::vector<std::unique_ptr<PlanModel>>& models, const streamed::Layout& L,
                   const Scenario& sc, AllPlansScratch& scratch, std::uint64_t path,
                   sim::PathSlots& slots) {
  using namespace streamed;
  const GoalParams& goal = sc.base.goal;
  const std::size_t W = L.weeks;
  const std::size_t reached = out::goal_scalar(sc);  // final bookings, or ARR
  for (std::size_t p = 0; p < L.plans; ++p) {
    sim::PathSlots own{slots.scalars.subspan(L.scalar(p, 0), L.own),
                       slots.kept.subspan(L.kept(p, 0) * W, L.kept_per_plan * W),
                       slots.summed.subspan(L.summed(p, 0) * W, out::summed_count * W)};
    run_path(scratch.model(models, p, path), scratch.plans[p], path, own);
    double* S = slots.scalars.data() + L.scalar(p, 0);
    S[L.own] = S[out::final_bookings] - S[out::cost];
    S[L.own + 1] = goal.revenue ? std::max(0.0, *goal.revenue - S[reached])
                                : std::numeric_limits<double>::quiet_NaN();
    conditional_values(sc, S, slots.scalars.data() + L.conditional_value(p, 0));
  }
  const double* a = slots.scalars.data() + L.scalar(0, 0);
  for (std::size_t c = 1; c < L.plans; ++c) {
    const double* b = slots.scalars.data() + L.scalar(c, 0);
    double* d = slots.scalars.data() + L.diff(c, 0);
    d[d_bookings] = b[out::final_bookings] - a[out::final_bookings];
    d[d_cost] = b[out::cost] - a[out::cost];
    d[d_profit] = b[L.own] - a[L.own];
    d[d_leavers] = b[out::leavers] - a[out::leavers];
    d[d_burnout] = b[out::burnout_final] - a[out::burnout_final];
    d[d_better] = b[out::final_bookings] > a[out::final_bookings];
    d[d_goal] = b[out::goal_met] - a[out::goal_met];
    detail_diffs(a, b, d);
    for (std::size_t i = 0; i < L.checkpoints; ++i)
      d[d_first_checkpoint + i] = b[out::first_checkpoint + i] - a[out::first_checkpoint + i];
    driver_effects(a, b, slots.scalars.data() + L.driver(c, 0));
    if (L.recurring())
      arr_diff_values(a + L.first_recurring, b + L.first_recurring, L.arr_quarters,
                      slots.scalars.data() + L.arr_diff(c, 0));
  }
}

// The runner's chunks of kept series as the plans' weekly series, for the settings' sink.
sim::KeptSink series_sink(const RunSettings& s, const streamed::Layout& L, std::size_t paths) {
  if (!s.series_sink) return {};
  return [&sink = s.series_sink, &L, paths](const sim::KeptChunk& c) {
    sink({paths, c.first_row, c.rows, L.plans, L.kept_per_plan, L.weeks, c.values});
  };
}

}  // namespace

ScenarioResults run_scenario_streamed(const Scenario& sc, const RunSettings& s,
                                      const std::vector<const PlanSpec*>& plans) {
  const std::vector<std::unique_ptr<PlanModel>> models = plan_models(sc, plans);
  const streamed::Layout L(sc, plans.size());

  ScenarioResults res;
  res.paths = s.paths ? s.paths : std::size_t(sc.base.simulation.paths);
  res.threads = sim::resolve_threads(s.threads);
  res.streamed = true;
  res.ranks = sim::ranks_of(s.split);
  sim::RunOptions opt;
  opt.paths = res.paths;
  opt.first_path = s.first_path;
  opt.threads = s.threads;
  const std::size_t total = res.paths * plans.size();
  if (s.progress) opt.progress = [&](std::size_t done) { s.progress(done * plans.size(), total); };
  const sim::StreamOutput so = sim::stream_paths_split(
      L.shape(), stream_spec(L), opt,
      [&](std::uint64_t path, sim::Scratch& scratch, sim::PathSlots& slots) {
        run_all_plans(models, L, sc, static_cast<AllPlansScratch&>(scratch), path, slots);
      },
      [&] { return std::make_unique<AllPlansScratch>(sc, plans); }, s.split,
      series_sink(s, L, res.paths));
  if (!sim::holds_results(s.split)) return res;  // rank 0 has the figures

  for (std::size_t p = 0; p < plans.size(); ++p)
    res.plans.push_back(summarize_streamed(sc, plans[p]->name, so, L, p));
  for (std::size_t c = 1; c < plans.size(); ++c)
    res.comparisons.push_back(compare_streamed(res.plans[0], res.plans[c], so, L, c));
  return res;
}

}  // namespace salesim
