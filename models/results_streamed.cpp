#include "models/results_streamed.hpp"

#include <array>

#include "models/recurring_results.hpp"

namespace salesim {

sim::StreamSpec stream_spec(const streamed::Layout& L) {
  sim::StreamSpec spec;
  for (std::size_t p = 0; p < L.plans; ++p) {
    spec.sketched_scalars.push_back(L.scalar(p, out::final_bookings));
    spec.sketched_scalars.push_back(L.scalar(p, out::goal_week));
    add_detail_sketches(L, p, spec);
    add_recurring_sketches(L, p, spec);
  }
  spec.sketch_kept = true;  // weekly percentiles of bookings (and of ARR and MRR)
  return spec;
}

PlanResult summarize_streamed(const Scenario& sc, const std::string& plan_name,
                              const sim::StreamOutput& so, const streamed::Layout& L,
                              std::size_t p) {
  PlanResult r;
  r.name = plan_name;
  r.streamed = true;
  r.run.shape = out::shape(sc);
  r.run.paths = so.paths;
  r.run.first_path = so.first_path;
  const std::size_t W = L.weeks;
  const auto sums = so.sums.begin() + std::ptrdiff_t(L.summed(p, 0) * W);
  r.run.sums.assign(sums, sums + std::ptrdiff_t(out::summed_count * W));

  const GoalParams& goal = sc.base.goal;
  const auto probs = std::span<const double>(sim::kPercentiles);
  auto m = [&](std::size_t i) -> const sim::Moments& { return so.scalars[L.scalar(p, i)]; };
  r.final_bookings = m(out::final_bookings).mean_se();
  r.final_q = so.scalar_sketch(L.scalar(p, out::final_bookings)).quantiles(probs);
  r.cost = m(out::cost).mean_se();
  r.profit = so.scalars[L.profit(p)].mean_se();
  r.leavers = m(out::leavers).mean_se();
  r.hires = m(out::hires).mean_se();
  r.headcount_final = m(out::headcount_final).mean_se();
  r.burnout_final = m(out::burnout_final).mean_se();
  r.burnt_out_final = m(out::burnt_out_share_final).mean_se();
  r.hours_per_rep_week = m(out::hours_per_rep_week).mean_se();
  r.created = m(out::created).mean_se();
  r.won = m(out::won).mean_se();
  r.lost = m(out::lost).mean_se();
  r.rep_weeks = m(out::rep_weeks).sum;

  const double n = double(so.paths);
  if (goal.revenue) {
    r.goal = m(out::goal_met).proportion();
    const sim::QuantileSketch& weeks = so.scalar_sketch(L.scalar(p, out::goal_week));
    const std::array<double, 2> p5090{0.5, 0.9};
    const auto q = weeks.quantiles(p5090);
    r.time_to_goal_p50 = q[0], r.time_to_goal_p90 = q[1];
    r.never_share = double(weeks.count_of_inf()) / n;
    r.shortfall_mean = so.scalars[L.shortfall(p)].sum / n;
  }
  for (std::size_t i = 0; i < goal.checkpoints.size(); ++i) {
    const Checkpoint& cp = goal.checkpoints[i];
    CheckpointResult c{cp.label, cp.week, cp.revenue, {}, {}};
    c.met = m(out::first_checkpoint + i).proportion();
    c.bookings = so.kept_moments(L.kept(p, out::goal_kept(sc)), std::size_t(cp.week - 1)).mean_se();
    r.checkpoints.push_back(c);
  }
  if (!goal.checkpoints.empty()) r.all_checkpoints = m(out::all_checkpoints).proportion();

  WeeklySeries& ws = r.weekly;
  const std::size_t cum = L.kept(p, out::cum_bookings), wk = L.kept(p, out::weekly_bookings);
  for (std::size_t w = 0; w < W; ++w) {
    ws.cum_mean.push_back(so.kept_moments(cum, w).mean_se().mean);
    ws.weekly_mean.push_back(so.kept_moments(wk, w).mean_se().mean);
    ws.cum_q.push_back(so.kept_sketch(cum, w).quantiles(probs));
    ws.weekly_q.push_back(so.kept_sketch(wk, w).quantiles(probs));
  }
  ws.means = summed_means(r.run);
  r.detail = summarize_detail_streamed(sc, so, L, p);
  r.recurring = summarize_recurring(sc, so, L, p);
  std::vector<sim::MeanSe> p_met, values;
  for (const auto& c : r.checkpoints) p_met.push_back(c.met);
  for (std::size_t i = 0; i < L.conditional; ++i)
    values.push_back(so.scalars[L.conditional_value(p, i)].mean_se());
  r.conditional = conditional_figures(sc, p_met, values);
  if (out::territory_layout(sc).count() > 0)  // docs/model.md 12.7-12.8; no per-path columns
    r.territory = territory_figures(
        sc, {[&](std::size_t i) { return m(i).mean_se(); },
             [](std::size_t) { return std::optional<std::vector<double>>(); }, so.paths});
  return r;
}

Comparison compare_streamed(const PlanResult& a, const PlanResult& b, const sim::StreamOutput& so,
                            const streamed::Layout& L, std::size_t c) {
  using namespace streamed;
  Comparison r;
  r.plan = b.name;
  r.baseline = a.name;
  auto d = [&](std::size_t field) { return so.scalars[L.diff(c, field)].mean_se(); };
  r.bookings_diff = d(d_bookings);
  r.cost_diff = d(d_cost);
  r.profit_diff = d(d_profit);
  r.leavers_diff = d(d_leavers);
  r.burnout_diff = d(d_burnout);
  r.p_better = so.paths ? so.scalars[L.diff(c, d_better)].sum / double(so.paths) : 0.0;
  if (a.goal) r.goal_diff = d(d_goal);
  for (std::size_t i = 0; i < a.checkpoints.size(); ++i)
    r.checkpoint_diffs.push_back(d(d_first_checkpoint + i));
  if (r.cost_diff.mean > 0) r.roi = r.profit_diff.mean / r.cost_diff.mean;
  r.detail = compare_detail_streamed(so, L, c);
  r.arr_final_diff = arr_final_diff_streamed(so, L, c);
  for (std::size_t k = 0; k < driver_count; ++k)
    r.drivers.push_back(so.scalars[L.driver(c, k)].mean_se());
  return r;
}

}  // namespace salesim
