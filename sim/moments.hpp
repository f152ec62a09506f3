#pragma once
// Running count, sum and sum of squared deviations of samples: what a mean and its standard
// error need, without the samples. Two accumulators merge exactly as if their samples had been
// added one after the other, up to floating-point rounding; merging in a fixed order gives
// fixed bits.
#include <cmath>
#include <cstddef>
#include <limits>

#include "sim/stats.hpp"

namespace sim {

struct Moments {
  std::size_t n = 0;
  double sum = 0;  // kept as a sum (not a running mean) so that 0/1 samples give exact shares
  double m2 = 0;   // sum of squared deviations from the mean

  void add(double x) {
    if (std::isnan(x)) return;  // skipped, as mean_se does
    if (n == 0) {
      n = 1, sum = x, m2 = 0;
      return;
    }
    const double before = sum / double(n);
    ++n;
    sum += x;
    m2 += (x - before) * (x - sum / double(n));  // Welford's update
  }

  void merge(const Moments& o) {  // Chan et al.'s pairwise update
    if (o.n == 0) return;
    if (n == 0) {
      *this = o;
      return;
    }
    const double delta = o.sum / double(o.n) - sum / double(n);
    const double na = double(n), nb = double(o.n);
    n += o.n;
    sum += o.sum;
    m2 += o.m2 + delta * delta * na * nb / double(n);
  }

  // Mean and standard error of the mean, as sim::mean_se gives for the same samples.
  MeanSe mean_se() const {
    MeanSe r;
    r.n = n;
    r.se = std::numeric_limits<double>::quiet_NaN();  // none from fewer than two samples
    if (n == 0) {
      r.mean = std::numeric_limits<double>::quiet_NaN();
      return r;
    }
    r.mean = sum / double(n);
    if (n > 1) r.se = std::sqrt(std::max(0.0, m2) / double(n - 1) / double(n));
    return r;
  }
  // Mean and standard error of a proportion, as sim::proportion gives.
  MeanSe proportion() const {
    MeanSe r = mean_se();
    if (r.n > 1) r.se = std::sqrt(r.mean * (1 - r.mean) / double(r.n));
    return r;
  }
};

}  // namespace sim
