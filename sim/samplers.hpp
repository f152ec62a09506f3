#pragma once
// Samplers that turn one uniform into a draw by inversion, so that each draw uses exactly one
// slot of its stream and a larger parameter never gives a smaller draw on the same uniform.
#include <cstdint>
#include <vector>

#include "random.hpp"

namespace sim {

// Binomial(n, p) by inversion of u in (0,1).
std::int64_t binomial_inv(std::int64_t n, double p, double u);
// Poisson(lambda) by inversion of u in (0,1).
std::int64_t poisson_inv(double lambda, double u);
// Binomial(n, p) for one fixed p and every n up to max_n, by inversion against tabulated CDFs.
// Each row is the CDF that binomial_inv accumulates, built by the same operations in the same
// order, so a draw equals binomial_inv(n, p, u) bit for bit; it only skips the pmf recurrence
// (a multiplication and a division per step) that binomial_inv repeats on every call. Counts
// above max_n, and rows binomial_inv would not search from 0, go to binomial_inv.
class BinomialTable {
 public:
  BinomialTable() = default;
  BinomialTable(double p, int max_n);
  std::int64_t draw(std::int64_t n, double u) const {
    if (n <= 0) return 0;
    if (n > max_n_ || offset_[n] == offset_[n + 1]) return binomial_inv(n, p_, u);
    const double* cdf = &cdf_[offset_[n]];
    const std::int64_t last = std::int64_t(offset_[n + 1] - offset_[n]) - 1;
    // The first k with cdf[k] >= u (at most `last`) is the number of entries below u, as a
    // row never decreases: a count without data-dependent branches, which the uniform would
    // make unpredictable.
    std::int64_t k = 0;
    for (std::int64_t j = 0; j < last; ++j) k += cdf[j] < u;
    return k;
  }

 private:
  double p_ = 0;
  int max_n_ = -1;
  std::vector<std::uint32_t> offset_;  // row n is cdf_[offset_[n] .. offset_[n + 1]); empty: direct
  std::vector<double> cdf_;
};

// Standard normal quantile of u in (0,1).
double normal_inv(double u);

// Lognormal given its mean and coefficient of variation: sigma^2 = ln(1 + cv^2),
// mu = ln(mean) - sigma^2 / 2. Precomputed once; draw() takes one uniform.
struct Lognormal {
  double mu = 0, sigma = 0;
  static Lognormal from_mean_cv(double mean, double cv);
  double draw(double u) const;
};

// Beta given its mean and standard deviation; sd == 0 is the constant mean.
struct BetaMeanSd {
  double mean = 0.5, sd = 0;
  double alpha() const;
  double beta() const;
};
// A Beta draw from the stream's next slots (the ratio of two gamma draws, each by rejection, so
// the number of slots used varies; use a stream of its own for each entity so the next entity
// is unaffected).
double draw_beta(const BetaMeanSd& b, Stream& s);

}  // namespace sim
