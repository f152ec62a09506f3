#pragma once
// Summary statistics of Monte Carlo samples. Every estimate comes with its standard error.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace sim {

struct MeanSe {
  double mean = 0, se = 0;
  std::size_t n = 0;  // samples that entered (NaN samples are skipped)
};

// Mean and standard error of the mean, skipping NaN samples. From fewer than two samples the
// standard error does not exist: NaN, which every output writes as missing (not 0, which
// reads as certainty); with none the mean is NaN too.
MeanSe mean_se(std::span<const double> x);
// Mean and standard error of a proportion (x in {0,1}).
MeanSe proportion(std::span<const double> x);
// b - a, sample by sample (the shorter length).
std::vector<double> paired_values(std::span<const double> a, std::span<const double> b);
// The share of samples where b > a (0 when there are none).
double share_above(std::span<const double> a, std::span<const double> b);
// Paired difference b - a, sample by sample.
// Standard error 0 when every difference lies within kRoundingSpread times its own figures of
// the mean: floating-point rounding of one and the same difference.
MeanSe paired_diff(std::span<const double> a, std::span<const double> b);
inline constexpr double kRoundingSpread = 1e-12;

// Quantiles (linear interpolation between order statistics, "type 7"); x may hold +inf, and a
// quantile that falls on +inf is returned as nullopt. NaN samples are skipped.
std::vector<std::optional<double>> quantiles(std::span<const double> x,
                                             std::span<const double> probs);

// The type-7 quantile at p of n sorted values, value_at(i) giving the i-th (0-based); nullopt
// when n is 0 or the quantile falls on +inf. Shared by exact quantiles and the streaming sketch.
template <class ValueAt>
std::optional<double> quantile_type7(std::uint64_t n, double p, ValueAt value_at) {
  if (n == 0) return std::nullopt;
  const double h = (double(n) - 1) * p;
  const auto lo = std::uint64_t(std::floor(h));
  const std::uint64_t hi = std::min<std::uint64_t>(n - 1, lo + 1);
  const double a = value_at(lo), b = value_at(hi);
  double q = a;
  const double frac = h - double(lo);
  if (hi != lo && frac > 0 && b != a) q = a + frac * (b - a);
  if (std::isinf(q)) return std::nullopt;
  return q;
}

// The standard percentiles reported everywhere: 5, 10, 25, 50, 75, 90, 95.
inline constexpr double kPercentiles[] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
inline constexpr const char* kPercentileNames[] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};

}  // namespace sim
