#include "models/recurring_results.hpp"

#include <algorithm>
#include <cmath>

#include "models/outputs.hpp"
#include "models/results.hpp"

namespace salesim {
namespace {

const auto kProbs = std::span<const double>(sim::kPercentiles);

// A figure over the paths where the value exists (NaN: no cohort on that path).
Figure figure(std::vector<double> v) {
  std::erase_if(v, [](double x) { return std::isnan(x); });
  return {sim::mean_se(v), sim::quantiles(v, kProbs)};
}

}  // namespace

std::optional<RecurringResult> summarize_recurring(const Scenario& sc, const PlanResult& r) {
  if (!arr_out::on(sc) || r.streamed) return std::nullopt;
  const std::size_t first = out::first_recurring(sc);
  auto col = [&](std::size_t s) { return r.column(first + s); };
  RecurringResult a;
  a.arr_start = figure(col(arr_out::arr_start));
  a.arr_final = figure(col(arr_out::arr_final));
  a.mrr_final = figure(col(arr_out::mrr_final));
  a.nrr = figure(col(arr_out::nrr));
  a.grr = figure(col(arr_out::grr));
  a.arr_final_slot = first + arr_out::arr_final;
  a.retention_from_week = std::max(0, sc.horizon() - 52) + 1;
  const int W = sc.horizon();
  for (int w = 0; w < W; ++w) {
    const auto arr = r.run.kept_week(out::kept_count + arr_out::arr, std::size_t(w));
    const auto mrr = r.run.kept_week(out::kept_count + arr_out::mrr, std::size_t(w));
    a.arr_mean.push_back(sim::mean_se(arr).mean);
    a.mrr_mean.push_back(sim::mean_se(mrr).mean);
    a.arr_q.push_back(sim::quantiles(arr, kProbs));
    a.mrr_q.push_back(sim::quantiles(mrr, kProbs));
  }
  for (std::size_t q = 0; q < arr_out::quarters(W); ++q) {
    ArrQuarter b;
    b.from_week = int(q) * 13 + 1;
    b.to_week = std::min(W, b.from_week + 12);
    b.opening = q == 0 ? a.arr_start.est.mean : a.arr_mean[std::size_t(b.from_week - 2)];
    b.closing = a.arr_mean[std::size_t(b.to_week - 1)];
    const std::size_t at = arr_out::first_bridge + arr_out::bridge_parts * q;
    b.added = sim::mean_se(col(at + arr_out::b_new));
    b.expansion = sim::mean_se(col(at + arr_out::b_expansion));
    b.churn = sim::mean_se(col(at + arr_out::b_churn));
    a.bridge.push_back(b);
  }
  return a;
}

std::vector<double> arr_final_column(const PlanResult& r) {
  return r.column(r.recurring->arr_final_slot);
}

std::optional<ArrFinalDiff> arr_final_diff(const PlanResult& a, const PlanResult& b) {
  if (!a.recurring || !b.recurring) return std::nullopt;
  const auto fa = arr_final_column(a), fb = arr_final_column(b);
  ArrFinalDiff d;
  static_cast<sim::MeanSe&>(d) = sim::paired_diff(fa, fb);
  d.p_better = sim::share_above(fa, fb);
  // The bridge's parts over the whole horizon, per path: the quarters' slots summed.
  const std::size_t first = a.recurring->arr_final_slot - arr_out::arr_final;
  auto total = [&](const PlanResult& r, std::size_t part) {
    std::vector<double> v(fa.size(), 0.0);
    for (std::size_t q = 0; q < a.recurring->bridge.size(); ++q) {
      const auto col = r.column(first + arr_out::first_bridge + arr_out::bridge_parts * q + part);
      for (std::size_t i = 0; i < v.size(); ++i) v[i] += col[i];
    }
    return v;
  };
  d.start =
      sim::paired_diff(a.column(first + arr_out::arr_start), b.column(first + arr_out::arr_start));
  d.added = sim::paired_diff(total(a, arr_out::b_new), total(b, arr_out::b_new));
  d.expansion = sim::paired_diff(total(a, arr_out::b_expansion), total(b, arr_out::b_expansion));
  d.churn = sim::paired_diff(total(a, arr_out::b_churn), total(b, arr_out::b_churn));
  return d;
}

}  // namespace salesim
