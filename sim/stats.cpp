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
  if (r.n == 0) {
    r.mean = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  r.mean = sum / double(r.n);
  double ss = 0;
  for (double v : x)
    if (!std::isnan(v)) ss += (v - r.mean) * (v - r.mean);
  r.se = r.n > 1 ? std::sqrt(ss / double(r.n - 1) / double(r.n)) : 0.0;
  return r;
}

MeanSe proportion(std::span<const double> x) {
  MeanSe r = mean_se(x);
  if (r.n > 0) r.se = std::sqrt(r.mean * (1 - r.mean) / double(r.n));
  return r;
}

MeanSe paired_diff(std::span<const double> a, std::span<const double> b) {
  std::vector<double> d(std::min(a.size(), b.size()));
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = b[i] - a[i];
  return mean_se(d);
}

std::vector<std::optional<double>> quantiles(std::span<const double> x,
                                             std::span<const double> probs) {
  std::vector<double> v;
  v.reserve(x.size());
  for (double e : x)
    if (!std::isnan(e)) v.push_back(e);
  std::sort(v.begin(), v.end());
  std::vector<std::optional<double>> out;
  for (double p : probs)
    out.push_back(quantile_type7(v.size(), p, [&](std::uint64_t i) { return v[i]; }));
  return out;
}

}  // namespace sim
