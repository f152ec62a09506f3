#include "models/results.hpp"

#include <array>
#include <cmath>
#include <iterator>
#include <stdexcept>

#include "models/outputs.hpp"
#include "sim/parallel.hpp"

namespace salesim {
namespace {

// A path's scalars (out::Scalar).
const double* path_scalars(const sim::RunOutput& run, std::size_t i) {
  return run.scalars.data() + i * run.shape.scalars;
}

// Means over `paths` paths of `count` values that `values(path, out)` derives per path (NaN
// skipped, so a value that is NaN off its condition gives a conditional mean).
template <class Values>
std::vector<sim::MeanSe> per_path_means(std::size_t paths, std::size_t count, Values values) {
  std::vector<std::vector<double>> cols(count, std::vector<double>(paths));
  std::vector<double> v(count);
  for (std::size_t i = 0; i < paths; ++i) {
    values(i, v.data());
    for (std::size_t k = 0; k < count; ++k) cols[k][i] = v[k];
  }
  std::vector<sim::MeanSe> means;
  for (const auto& c : cols) means.push_back(sim::mean_se(c));
  return means;
}

}  // namespace

std::vector<double> PlanResult::column(std::size_t scalar) const {
  if (streamed) throw std::logic_error("PlanResult::column: a streamed result keeps no paths");
  std::vector<double> v(run.paths);
  for (std::size_t i = 0; i < run.paths; ++i) v[i] = run.scalar(i, scalar);
  return v;
}

std::optional<Metric> parse_metric(const std::string& name) {
  for (std::size_t i = 0; i < std::size(kMetricNames); ++i)
    if (name == kMetricNames[i]) return Metric(i);
  return std::nullopt;
}

const char* to_string(Metric m) { return kMetricNames[int(m)]; }

std::vector<double> metric_column(const PlanResult& r, Metric m) {
  switch (m) {
    case Metric::p_goal:
      return r.column(out::goal_met);
    case Metric::final_bookings:
      return r.column(out::final_bookings);
    case Metric::profit: {
      auto v = r.column(out::final_bookings);
      const auto cost = r.column(out::cost);
      for (std::size_t i = 0; i < v.size(); ++i) v[i] -= cost[i];
      return v;
    }
    case Metric::arr_final:
      if (!r.recurring)
        throw std::logic_error("metric arr_final: the run has no recurring revenue");
      return arr_final_column(r);
  }
  return {};
}

std::optional<sim::MeanSe> metric_estimate(const PlanResult& r, Metric m) {
  switch (m) {
    case Metric::p_goal:
      return r.goal;
    case Metric::final_bookings:
      return r.final_bookings;
    case Metric::profit:
      return r.profit;
    case Metric::arr_final:
      if (!r.recurring) return std::nullopt;
      return r.recurring->arr_final.est;
  }
  return std::nullopt;
}

PlanResult summarize(const Scenario& sc, const std::string& plan_name, sim::RunOutput run) {
  PlanResult r;
  r.name = plan_name;
  r.run = std::move(run);
  const GoalParams& goal = sc.base.goal;
  const auto probs = std::span<const double>(sim::kPercentiles);

  const auto fb = r.column(out::final_bookings);
  r.final_bookings = sim::mean_se(fb);
  r.final_q = sim::quantiles(fb, probs);
  r.cost = sim::mean_se(r.column(out::cost));
  r.profit = sim::mean_se(metric_column(r, Metric::profit));
  r.leavers = sim::mean_se(r.column(out::leavers));
  r.hires = sim::mean_se(r.column(out::hires));
  r.headcount_final = sim::mean_se(r.column(out::headcount_final));
  r.burnout_final = sim::mean_se(r.column(out::burnout_final));
  r.burnt_out_final = sim::mean_se(r.column(out::burnt_out_share_final));
  r.hours_per_rep_week = sim::mean_se(r.column(out::hours_per_rep_week));
  r.created = sim::mean_se(r.column(out::created));
  r.won = sim::mean_se(r.column(out::won));
  r.lost = sim::mean_se(r.column(out::lost));
  for (double v : r.column(out::rep_weeks)) r.rep_weeks += v;

  if (goal.revenue) {
    r.goal = sim::proportion(r.column(out::goal_met));
    const auto weeks = r.column(out::goal_week);
    const auto reached = r.column(out::goal_scalar(sc));  // final bookings, or ARR
    const std::array<double, 2> p5090{0.5, 0.9};
    const auto q = sim::quantiles(weeks, p5090);
    r.time_to_goal_p50 = q[0], r.time_to_goal_p90 = q[1];
    double never = 0, shortfall = 0;
    for (std::size_t i = 0; i < weeks.size(); ++i) {
      never += std::isinf(weeks[i]);
      shortfall += std::max(0.0, *goal.revenue - reached[i]);
    }
    r.never_share = never / double(weeks.size());
    r.shortfall_mean = shortfall / double(weeks.size());
  }
  const std::size_t W = r.run.shape.weeks;
  for (std::size_t i = 0; i < goal.checkpoints.size(); ++i) {
    const Checkpoint& cp = goal.checkpoints[i];
    CheckpointResult c{cp.label, cp.week, cp.revenue, {}, {}};
    c.met = sim::proportion(r.column(out::first_checkpoint + i));
    c.bookings = sim::mean_se(r.run.kept_week(out::goal_kept(sc), cp.week - 1));
    r.checkpoints.push_back(c);
  }
  if (!goal.checkpoints.empty())
    r.all_checkpoints = sim::proportion(r.column(out::all_checkpoints));

  WeeklySeries& ws = r.weekly;
  ws.cum_mean.resize(W), ws.weekly_mean.resize(W), ws.cum_q.resize(W), ws.weekly_q.resize(W);
  // The weeks' percentiles are most of a summary's time: each week on its own thread.
  sim::parallel_each(W, [&](std::size_t w) {
    const auto cum = r.run.kept_week(out::cum_bookings, w);
    const auto wk = r.run.kept_week(out::weekly_bookings, w);
    ws.cum_mean[w] = sim::mean_se(cum).mean;
    ws.weekly_mean[w] = sim::mean_se(wk).mean;
    ws.cum_q[w] = sim::quantiles(cum, probs);
    ws.weekly_q[w] = sim::quantiles(wk, probs);
  });
  ws.means = summed_means(r.run);
  r.detail = summarize_detail(sc, r);
  r.recurring = summarize_recurring(sc, r);
  std::vector<sim::MeanSe> p_met;
  for (const auto& c : r.checkpoints) p_met.push_back(c.met);
  const std::size_t count = ConditionalLayout(goal.checkpoints.size()).count();
  r.conditional = conditional_figures(
      sc, p_met, per_path_means(r.run.paths, count, [&](std::size_t i, double* v) {
        conditional_values(sc, path_scalars(r.run, i), v);
      }));
  if (out::territory_layout(sc).count() > 0)
    r.territory = territory_figures(
        sc, {[&](std::size_t i) { return sim::mean_se(r.column(i)); },
             [&](std::size_t i) { return std::optional<std::vector<double>>(r.column(i)); },
             r.run.paths});
  return r;
}

std::vector<std::vector<double>> summed_means(const sim::RunOutput& run) {
  const std::size_t W = run.shape.weeks;
  const double n = double(run.paths);
  std::vector<std::vector<double>> means(out::summed_count, std::vector<double>(W));
  for (std::size_t s = 0; s < out::summed_count; ++s)
    for (std::size_t w = 0; w < W; ++w) {
      double denom = n;
      if (s == out::s_burnout_mean) denom = run.sum(out::s_has_reps, w);
      if (s == out::s_hours_per_rep) denom = run.sum(out::s_has_stepped, w);
      // A week in which no path has a rep has no mean burnout or hours (NaN, not 0: a chart
      // showed reps working 0 hours before anyone was hired).
      means[s][w] = denom > 0 ? run.sum(s, w) / denom : std::nan("");
    }
  return means;
}

Comparison compare(const PlanResult& a, const PlanResult& b) {
  Comparison c;
  c.plan = b.name;
  c.baseline = a.name;
  const auto fa = a.column(out::final_bookings), fb = b.column(out::final_bookings);
  const auto ca = a.column(out::cost), cb = b.column(out::cost);
  c.bookings_diff = sim::paired_diff(fa, fb);
  c.cost_diff = sim::paired_diff(ca, cb);
  c.p_better = sim::share_above(fa, fb);
  c.profit_diff =
      sim::paired_diff(metric_column(a, Metric::profit), metric_column(b, Metric::profit));
  c.leavers_diff = sim::paired_diff(a.column(out::leavers), b.column(out::leavers));
  c.burnout_diff = sim::paired_diff(a.column(out::burnout_final), b.column(out::burnout_final));
  if (a.goal) c.goal_diff = sim::paired_diff(a.column(out::goal_met), b.column(out::goal_met));
  for (std::size_t i = 0; i < a.checkpoints.size(); ++i)
    c.checkpoint_diffs.push_back(
        sim::paired_diff(a.column(out::first_checkpoint + i), b.column(out::first_checkpoint + i)));
  if (c.cost_diff.mean > 0) c.roi = c.profit_diff.mean / c.cost_diff.mean;
  c.detail = compare_detail(a, b);
  c.arr_final_diff = arr_final_diff(a, b);
  c.drivers = per_path_means(a.run.paths, driver_count, [&](std::size_t i, double* v) {
    driver_effects(path_scalars(a.run, i), path_scalars(b.run, i), v);
  });
  return c;
}

}  // namespace salesim
