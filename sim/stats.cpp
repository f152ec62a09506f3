#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sim {

MeanSe mean_se(std::span<const double> x) {
  MeanSe r;
  double sum = 0;
  for (double v : x)
    if (!std::isnan(v)) sum += v, ++r.n;
  r.se = std::numeric_limits<double>::quiet_NaN();
  if (r.n == 0) {
    r.mean = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  r.mean = sum / double(r.n);
  double ss = 0;
  for (double v : x)
    if (!std::isnan(v)) ss += (v - r.mean) * (v - r.mean);
  if (r.n > 1) r.se = std::sqrt(ss / double(r.n - 1) / double(r.n));
  return r;
}

MeanSe proportion(std::span<const double> x) {
  MeanSe r = mean_se(x);
  if (r.n > 1) r.se = std::sqrt(r.mean * (1 - r.mean) / double(r.n));
  return r;
}

std::vector<double> paired_values(std::span<const double> a, std::span<const double> b) {
  std::vector<double> d(std::min(a.size(), b.size()));
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = b[i] - a[i];
  return d;
}

double share_above(std::span<const double> a, std::span<const double> b) {
  const std::size_t n = std::min(a.size(), b.size());
  double above = 0;
  for (std::size_t i = 0; i < n; ++i) above += b[i] > a[i];
  return n ? above / double(n) : 0;
}

MeanSe paired_diff(std::span<const double> a, std::span<const double> b) {
  const std::vector<double> d = paired_values(a, b);
  MeanSe r = mean_se(d);
  // Differences that each lie within their own figures' rounding of the mean are one
  // difference, rounded differently in each sample (a constant added to sums of many terms:
  // 520,000 give or take 1e-9): their standard error is 0, not the 4e-11 rounding makes of it.
  // Each sample against its own figures, so that one huge sample hides no real spread.
  if (r.n > 1 && r.se > 0) {
    bool rounding = true;
    for (std::size_t i = 0; i < d.size() && rounding; ++i)
      if (!std::isnan(d[i]))
        rounding = std::fabs(d[i] - r.mean) <=
                   kRoundingSpread * std::max(std::fabs(a[i]), std::fabs(b[i]));
    if (rounding) r.se = 0;
  }
  return r;
}

namespace {

// Puts the order statistics at `ranks` (ascending and distinct, offsets from base into
// [first, last)) where a full sort would put them, by selection: the rest of the range is only
// partitioned around them. A few ranks of a long column cost a few passes instead of a sort.
void select_ranks(double* base, double* first, double* last, const std::uint64_t* r0,
                  const std::uint64_t* r1) {
  if (r0 == r1) return;
  const std::uint64_t* mid = r0 + (r1 - r0) / 2;
  double* at = base + *mid;
  std::nth_element(first, at, last);
  select_ranks(base, first, at, r0, mid);
  select_ranks(base, at + 1, last, mid + 1, r1);
}

}  // namespace

std::vector<std::optional<double>> quantiles(std::span<const double> x,
                                             std::span<const double> probs) {
  std::vector<double> v;
  v.reserve(x.size());
  for (double e : x)
    if (!std::isnan(e)) v.push_back(e);
  // The order statistics the quantiles read, named by quantile_type7 itself, then selected:
  // the same values a sort gives them, at a third of its cost for the seven percentiles.
  std::vector<std::uint64_t> ranks;
  for (double p : probs)
    quantile_type7(v.size(), p, [&](std::uint64_t i) {
      ranks.push_back(i);
      return 0.0;
    });
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  select_ranks(v.data(), v.data(), v.data() + v.size(), ranks.data(), ranks.data() + ranks.size());
  std::vector<std::optional<double>> out;
  for (double p : probs)
    out.push_back(quantile_type7(v.size(), p, [&](std::uint64_t i) { return v[i]; }));
  return out;
}

}  // namespace sim
