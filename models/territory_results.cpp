#include "models/territory_results.hpp"

#include <cmath>

#include "models/outputs.hpp"

namespace salesim {
namespace {

using namespace out::territory;

// Sum over paths of a per-path figure, from its mean.
double total(const ScalarSource& src, std::size_t i) {
  return src.mean(i).mean * double(src.paths);
}
// The same for a count of reps: a whole number, so that the mean's rounding cannot make a
// share of two counts exceed 1 (tenured reps are a difference of two totals).
double count_total(const ScalarSource& src, std::size_t i) { return std::round(total(src, i)); }

AttainmentGroup group(double reps, double at_or_above, double attainment, double paths) {
  AttainmentGroup g;
  g.reps = paths > 0 ? reps / paths : 0;
  if (reps > 0) g.share_at_or_above = at_or_above / reps, g.mean = attainment / reps;
  return g;
}

// The q-quantile of the pooled histogram, linear within a bin; null in the open top bin. The
// first bin's `zeros` (reps who booked nothing, often a tenth of a team with new hires) are a
// point mass at 0, not spread over the bin: a quantile among them is 0.
std::optional<double> quantile(const std::vector<double>& counts, double zeros, double q) {
  double all = 0;
  for (double c : counts) all += c;
  if (!(all > 0)) return std::nullopt;
  if (zeros > 0 && q <= zeros / all) return 0.0;
  double before = zeros / all;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    // Bin 0 ends where all of it does (its zeros were counted in `before` already).
    const double after = i == 0 ? counts[0] / all : before + counts[i] / all;
    if (after > before && after >= q) {
      if (i == kBins) return std::nullopt;
      return (double(i) + (q - before) / (after - before)) * kBinWidth;
    }
    before = after;
  }
  return std::nullopt;
}

}  // namespace

TerritoryFigures territory_figures(const Scenario& sc, const ScalarSource& src) {
  TerritoryFigures f;
  const Layout L = out::territory_layout(sc);
  const double paths = double(src.paths);
  for (std::size_t s = 0; s < L.segments; ++s) {
    SegmentFigure g;
    g.name = sc.base.segments.segments[s].name;
    g.accounts = sc.base.segments.segments[s].accounts;
    g.bookings = src.mean(L.segment(s, seg_bookings));
    g.created = src.mean(L.segment(s, seg_created));
    g.won = src.mean(L.segment(s, seg_won));
    g.lost = src.mean(L.segment(s, seg_lost));
    g.fresh = src.mean(L.segment(s, seg_fresh));
    g.customers = src.mean(L.segment(s, seg_customers));
    g.cooling = src.mean(L.segment(s, seg_cooling));
    g.reps = src.mean(L.segment(s, seg_reps));
    const double resolved = g.won.mean + g.lost.mean;
    if (resolved > 0) g.win_rate = g.won.mean / resolved;
    g.coverage_left = g.fresh.mean / double(g.accounts);
    f.segments.push_back(g);
  }
  if (!L.quota) return f;
  QuotaFigure q;
  const double reps = count_total(src, L.quota_field(q_reps)),
               above = count_total(src, L.quota_field(q_at_or_above)),
               sum = total(src, L.quota_field(q_attainment_sum)),
               new_reps = count_total(src, L.quota_field(q_new_reps)),
               new_above = count_total(src, L.quota_field(q_new_at_or_above)),
               new_sum = total(src, L.quota_field(q_new_attainment_sum));
  q.all = group(reps, above, sum, paths);
  q.new_hires = group(new_reps, new_above, new_sum, paths);
  q.tenured = group(reps - new_reps, above - new_above, sum - new_sum, paths);
  // The share is a ratio of two per-path sums: its standard error by the delta method, with
  // the paths as independent clusters of reps.
  const auto n = src.column(L.quota_field(q_reps)), a = src.column(L.quota_field(q_at_or_above));
  if (n && a && q.all.share_at_or_above && paths > 1) {
    const double r = *q.all.share_at_or_above, nbar = reps / paths;
    double ss = 0;
    for (std::size_t i = 0; i < n->size(); ++i) {
      const double d = (*a)[i] - r * (*n)[i];
      ss += d * d;
    }
    q.share_se = std::sqrt(ss / (paths - 1) / paths) / nbar;
  }
  std::vector<double> counts(kBins + 1);
  for (std::size_t i = 0; i <= kBins; ++i) counts[i] = count_total(src, L.bin(i));
  const double zeros = count_total(src, L.quota_field(q_at_zero));
  q.p10 = quantile(counts, zeros, 0.1), q.p50 = quantile(counts, zeros, 0.5),
  q.p90 = quantile(counts, zeros, 0.9);
  for (double c : counts) q.histogram.push_back(reps > 0 ? c / reps : 0.0);
  q.accelerators = src.mean(L.quota_field(q_accelerators));
  f.quota = q;
  return f;
}

}  // namespace salesim
