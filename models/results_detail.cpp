#include "models/results_detail.hpp"

#include <cmath>

#include "models/outputs.hpp"
#include "models/results.hpp"

namespace salesim {
namespace {

const auto kProbs = std::span<const double>(sim::kPercentiles);

// The scalars behind the detail figures of one plan, in a fixed order.
std::vector<std::size_t> detail_scalars() {
  std::vector<std::size_t> v;
  for (std::size_t k = 0; k < cost::part_count; ++k) v.push_back(out::first_cost_part + k);
  v.insert(v.end(), {out::exit_run_rate, out::open_pipeline_value, out::ramped_headcount});
  return v;
}

// The periods' weeks and labels; `get(slot)` gives the figure of a period's scalar.
template <class Get>
PlanDetail detail(const Scenario& sc, Get get) {
  PlanDetail d;
  for (std::size_t k = 0; k < cost::part_count; ++k)
    d.cost_parts.push_back(get(out::first_cost_part + k));
  const auto& cps = sc.base.goal.checkpoints;
  int from = 1;
  for (std::size_t i = 0; i < out::period_count(sc); ++i) {
    const int to = i < cps.size() ? cps[i].week : sc.horizon();
    if (to >= from)
      d.periods.push_back({from, to, i < cps.size() ? cps[i].label : std::string(),
                           get(out::first_period(sc) + i)});
    from = to + 1;
  }
  d.run_rate_weeks = out::run_rate_weeks(sc.horizon());
  d.exit_run_rate = get(out::exit_run_rate);
  d.open_pipeline_value = get(out::open_pipeline_value);
  d.ramped_headcount = get(out::ramped_headcount);
  return d;
}

}  // namespace

Figure figure_of(std::vector<double> column) {
  std::erase_if(column, [](double x) { return std::isnan(x); });
  return {sim::mean_se(column), sim::quantiles(column, kProbs)};
}

Figure figure_of(const sim::StreamOutput& so, std::size_t scalar) {
  return {so.scalars[scalar].mean_se(), so.scalar_sketch(scalar).quantiles(kProbs)};
}

PlanDetail summarize_detail(const Scenario& sc, const PlanResult& r) {
  return detail(sc, [&](std::size_t scalar) { return figure_of(r.column(scalar)); });
}

DetailDiff compare_detail(const PlanResult& a, const PlanResult& b) {
  DetailDiff d;
  auto diff = [&](std::size_t s) { return sim::paired_diff(a.column(s), b.column(s)); };
  for (std::size_t k = 0; k < cost::part_count; ++k)
    d.cost_parts.push_back(diff(out::first_cost_part + k));
  d.exit_run_rate = diff(out::exit_run_rate);
  d.open_pipeline_value = diff(out::open_pipeline_value);
  d.ramped_headcount = diff(out::ramped_headcount);
  return d;
}

void add_detail_sketches(const streamed::Layout& L, std::size_t p, sim::StreamSpec& spec) {
  for (std::size_t s : detail_scalars()) spec.sketched_scalars.push_back(L.scalar(p, s));
  for (std::size_t i = 0; i <= L.checkpoints; ++i)
    spec.sketched_scalars.push_back(L.scalar(p, out::first_checkpoint + L.checkpoints + i));
}

PlanDetail summarize_detail_streamed(const Scenario& sc, const sim::StreamOutput& so,
                                     const streamed::Layout& L, std::size_t p) {
  return detail(sc, [&](std::size_t scalar) { return figure_of(so, L.scalar(p, scalar)); });
}

DetailDiff compare_detail_streamed(const sim::StreamOutput& so, const streamed::Layout& L,
                                   std::size_t c) {
  using namespace streamed;
  DetailDiff d;
  auto diff = [&](std::size_t field) { return so.scalars[L.diff(c, field)].mean_se(); };
  for (std::size_t k = 0; k < cost::part_count; ++k)
    d.cost_parts.push_back(diff(d_first_cost_part + k));
  d.exit_run_rate = diff(d_exit_run_rate);
  d.open_pipeline_value = diff(d_open_pipeline_value);
  d.ramped_headcount = diff(d_ramped_headcount);
  return d;
}

void detail_diffs(const double* a, const double* b, double* d) {
  using namespace streamed;
  for (std::size_t k = 0; k < cost::part_count; ++k)
    d[d_first_cost_part + k] = b[out::first_cost_part + k] - a[out::first_cost_part + k];
  d[d_exit_run_rate] = b[out::exit_run_rate] - a[out::exit_run_rate];
  d[d_open_pipeline_value] = b[out::open_pipeline_value] - a[out::open_pipeline_value];
  d[d_ramped_headcount] = b[out::ramped_headcount] - a[out::ramped_headcount];
}

}  // namespace salesim
