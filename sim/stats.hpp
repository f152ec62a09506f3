#pragma once
// Summary statistics of Monte Carlo samples. Every estimate comes with its standard error.
#include <optional>
#include <span>
#include <vector>

namespace sim {

struct MeanSe {
  double mean = 0, se = 0;
  std::size_t n = 0;  // samples that entered (NaN samples are skipped)
};

// Mean and standard error of the mean, skipping NaN samples.
MeanSe mean_se(std::span<const double> x);
// Mean and standard error of a proportion (x in {0,1}).
MeanSe proportion(std::span<const double> x);
// Paired difference b - a, sample by sample.
MeanSe paired_diff(std::span<const double> a, std::span<const double> b);

// Quantiles (linear interpolation between order statistics, "type 7"); x may hold +inf, and a
// quantile that falls on +inf is returned as nullopt. NaN samples are skipped.
std::vector<std::optional<double>> quantiles(std::span<const double> x,
                                             std::span<const double> probs);

// The standard percentiles reported everywhere: 5, 10, 25, 50, 75, 90, 95.
inline constexpr double kPercentiles[] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
inline constexpr const char* kPercentileNames[] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};

}  // namespace sim
