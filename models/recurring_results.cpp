#include "models/recurring_results.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "models/outputs.hpp"
#include "models/results.hpp"

namespace salesim {
namespace {

const auto kProbs = std::span<const double>(sim::kPercentiles);

// The figures of one plan from either source: `fig(s)` is the figure over the paths of
// recurring scalar s (arr_out::Scalar), `mean(s)` the mean of s (also the bridge's slots),
// `week(series, w)` the figure of the ARR or MRR series (arr_out::arr, arr_out::mrr) at week w.
template <class Fig, class Mean, class Week>
RecurringResult recurring(const Scenario& sc, Fig fig, Mean mean, Week week) {
  RecurringResult a;
  a.arr_start = fig(arr_out::arr_start);
  a.arr_final = fig(arr_out::arr_final);
  a.mrr_final = fig(arr_out::mrr_final);
  a.nrr = fig(arr_out::nrr);
  a.grr = fig(arr_out::grr);
  a.arr_final_slot = out::first_recurring(sc) + arr_out::arr_final;
  a.retention_from_week = std::max(0, sc.horizon() - 52) + 1;
  const int W = sc.horizon();
  for (int w = 0; w < W; ++w) {
    Figure arr = week(arr_out::arr, std::size_t(w)), mrr = week(arr_out::mrr, std::size_t(w));
    a.arr_mean.push_back(arr.est.mean);
    a.mrr_mean.push_back(mrr.est.mean);
    a.arr_q.push_back(std::move(arr.q));
    a.mrr_q.push_back(std::move(mrr.q));
  }
  for (std::size_t q = 0; q < arr_out::quarters(W); ++q) {
    ArrQuarter b;
    b.from_week = int(q) * 13 + 1;
    b.to_week = std::min(W, b.from_week + 12);
    b.opening = q == 0 ? a.arr_start.est.mean : a.arr_mean[std::size_t(b.from_week - 2)];
    b.closing = a.arr_mean[std::size_t(b.to_week - 1)];
    const std::size_t at = arr_out::first_bridge + arr_out::bridge_parts * q;
    b.added = mean(at + arr_out::b_new);
    b.expansion = mean(at + arr_out::b_expansion);
    b.churn = mean(at + arr_out::b_churn);
    a.bridge.push_back(b);
  }
  return a;
}

}  // namespace

ArrParts arr_parts(const double* S, std::size_t quarters) {
  ArrParts p{S[arr_out::arr_start], S[arr_out::arr_final], 0, 0, 0};
  for (std::size_t q = 0; q < quarters; ++q) {
    const double* b = S + arr_out::first_bridge + arr_out::bridge_parts * q;
    p.added += b[arr_out::b_new];
    p.expansion += b[arr_out::b_expansion];
    p.churn += b[arr_out::b_churn];
  }
  return p;
}

std::optional<RecurringResult> summarize_recurring(const Scenario& sc, const PlanResult& r) {
  if (!arr_out::on(sc) || r.streamed) return std::nullopt;
  const std::size_t first = out::first_recurring(sc);
  return recurring(
      sc, [&](std::size_t s) { return figure_of(r.column(first + s)); },
      [&](std::size_t s) { return sim::mean_se(r.column(first + s)); },
      [&](std::size_t series, std::size_t w) {
        const auto v = r.run.kept_week(out::kept_count + series, w);
        return figure_of({v.begin(), v.end()});
      });
}

std::optional<RecurringResult> summarize_recurring(const Scenario& sc, const sim::StreamOutput& so,
                                                   const streamed::Layout& L, std::size_t p) {
  if (!arr_out::on(sc)) return std::nullopt;
  auto at = [&](std::size_t s) { return L.scalar(p, L.first_recurring + s); };
  return recurring(
      sc, [&](std::size_t s) { return figure_of(so, at(s)); },
      [&](std::size_t s) { return so.scalars[at(s)].mean_se(); },
      [&](std::size_t series, std::size_t w) {
        const std::size_t k = L.kept(p, out::kept_count + series);
        return Figure{so.kept_moments(k, w).mean_se(), so.kept_sketch(k, w).quantiles(kProbs)};
      });
}

std::vector<double> arr_final_column(const PlanResult& r) {
  return r.column(r.recurring->arr_final_slot);
}

std::optional<ArrFinalDiff> arr_final_diff(const PlanResult& a, const PlanResult& b) {
  if (!a.recurring || !b.recurring) return std::nullopt;
  const std::size_t first = a.recurring->arr_final_slot - arr_out::arr_final;
  const std::size_t quarters = a.recurring->bridge.size();
  // Each part's column, per path (arr_parts, as the streamed run's differences take them).
  auto columns = [&](const PlanResult& r) {
    std::array<std::vector<double>, 5> c;
    for (std::size_t i = 0; i < r.run.paths; ++i) {
      const ArrParts x =
          arr_parts(r.run.scalars.data() + i * r.run.shape.scalars + first, quarters);
      for (auto [k, v] :
           {std::pair{0, x.final}, {1, x.start}, {2, x.added}, {3, x.expansion}, {4, x.churn}})
        c[std::size_t(k)].push_back(v);
    }
    return c;
  };
  const auto ca = columns(a), cb = columns(b);
  ArrFinalDiff d;
  static_cast<sim::MeanSe&>(d) = sim::paired_diff(ca[0], cb[0]);
  d.p_better = sim::share_above(ca[0], cb[0]);
  d.start = sim::paired_diff(ca[1], cb[1]);
  d.added = sim::paired_diff(ca[2], cb[2]);
  d.expansion = sim::paired_diff(ca[3], cb[3]);
  d.churn = sim::paired_diff(ca[4], cb[4]);
  return d;
}

void add_recurring_sketches(const streamed::Layout& L, std::size_t p, sim::StreamSpec& spec) {
  if (!L.recurring()) return;
  for (std::size_t s = 0; s < arr_out::first_bridge; ++s)
    spec.sketched_scalars.push_back(L.scalar(p, L.first_recurring + s));
}

void arr_diff_values(const double* a, const double* b, std::size_t quarters, double* d) {
  using namespace streamed;
  const ArrParts x = arr_parts(a, quarters), y = arr_parts(b, quarters);
  d[a_final] = y.final - x.final;
  d[a_better] = y.final > x.final;
  d[a_start] = y.start - x.start;
  d[a_added] = y.added - x.added;
  d[a_expansion] = y.expansion - x.expansion;
  d[a_churn] = y.churn - x.churn;
}

std::optional<ArrFinalDiff> arr_final_diff_streamed(const sim::StreamOutput& so,
                                                    const streamed::Layout& L, std::size_t c) {
  using namespace streamed;
  if (!L.recurring()) return std::nullopt;
  auto m = [&](std::size_t k) { return so.scalars[L.arr_diff(c, k)].mean_se(); };
  ArrFinalDiff d;
  static_cast<sim::MeanSe&>(d) = m(a_final);
  d.p_better = so.paths ? so.scalars[L.arr_diff(c, a_better)].sum / double(so.paths) : 0.0;
  d.start = m(a_start), d.added = m(a_added), d.expansion = m(a_expansion), d.churn = m(a_churn);
  return d;
}

}  // namespace salesim
