#pragma once
// Samplers that turn one uniform into a draw by inversion, so that each draw uses exactly one
// slot of its stream and a larger parameter never gives a smaller draw on the same uniform.
#include <cstdint>
#include <span>
#include <vector>

#include "random.hpp"
#include "small_inversions.hpp"

namespace sim {

// binomial_inv for the counts the small path does not take (out of line).
std::int64_t binomial_inv_walk(std::int64_t n, double p, double u);
// Binomial(n, p) by inversion of u in (0,1). Inline for the small counts of the weekly step.
inline std::int64_t binomial_inv(std::int64_t n, double p, double u) {
  if (n > 0 && n <= detail::kSmallCount && p > 1e-18 && p < 1.0)
    return detail::binomial_small(n, p, u);
  return binomial_inv_walk(n, p, u);
}
// poisson_inv by the walk alone (the path poisson_inv takes outside its blocks).
std::int64_t poisson_inv_walk(double lambda, double u);
// Poisson(lambda) by inversion of u in (0,1). Inline for the weekly step's small means.
inline std::int64_t poisson_inv(double lambda, double u) {
  if (lambda > 1e-3 && lambda < detail::kPoissonBlockedBelow) {
    const std::int64_t k = detail::poisson_blocks(lambda, u);
    if (k >= 0) return k;
  }
  return poisson_inv_walk(lambda, u);
}
// For each of `buckets` equal buckets of (0, 1), f(b, below_lo, below_hi): how many entries of
// a CDF row lie below the bucket's lower and upper ends. One sweep, as a CDF never decreases;
// the guide tables of BinomialTable and sim/binomial_lanes.hpp are built from it.
template <class F>
void guide_buckets(std::span<const double> row, unsigned buckets, F&& f) {
  std::size_t below_hi = 0;
  for (unsigned b = 0; b < buckets; ++b) {
    const double hi = double(b + 1) / buckets;
    const std::size_t below_lo = below_hi;
    while (below_hi < row.size() && row[below_hi] < hi) ++below_hi;
    f(b, below_lo, below_hi);
  }
}

// Binomial(n, p) for one fixed p and every n up to max_n, by inversion against tabulated CDFs.
// Each row is the CDF that binomial_inv accumulates, built by the same operations in the same
// order, so a draw equals binomial_inv(n, p, u) bit for bit; it only skips the pmf recurrence
// (a multiplication and a division per step) that binomial_inv repeats on every call. Counts
// above max_n, and rows binomial_inv would not search from 0, go to binomial_inv.
class BinomialTable {
 public:
  BinomialTable() = default;
  BinomialTable(double p, int max_n);
  // The answer is the number of a row's entries below u. A guide table (Chen and Asau) splits
  // (0, 1) into kGuide buckets and gives, per row and bucket, the count of entries below the
  // bucket's lower end; when at most two entries fall inside the bucket, two comparisons finish
  // the count without a branch on u (a search's exit, which the uniform makes unpredictable,
  // was the cost). Crowded buckets (the tails of long rows) walk from the guide's count; a u
  // outside (0, 1) goes to binomial_inv.
  std::int64_t draw(std::int64_t n, double u) const {
    if (n <= 0) return 0;
    if (n > max_n_ || offset_[n] == offset_[n + 1] || !(u > 0.0 && u < 1.0))
      return binomial_inv(n, p_, u);
    const double* cdf = &cdf_[offset_[n]];  // entries below u are counted; two pads (2.0) end it
    const unsigned g = guide_[std::size_t(n) * kGuide + unsigned(u * kGuide)];
    if (g & kCrowded) {
      std::int64_t k = g & ~kCrowded;
      while (cdf[k] < u) ++k;
      return k;
    }
    return std::int64_t(g) + (cdf[g] < u) + (cdf[g + 1] < u);
  }
  int max_n() const { return max_n_; }
  // The CDF entries a draw of count n compares with u (without the two pads); empty when n is
  // not tabulated (binomial_inv answers it).
  std::span<const double> row(std::int64_t n) const {
    if (n <= 0 || n > max_n_ || offset_[n] == offset_[n + 1]) return {};
    return {&cdf_[offset_[n]], std::size_t(offset_[n + 1] - offset_[n]) - 2};
  }

 private:
  // Buckets of u per row: a power of 2, so u * kGuide is exact and the bucket is floor(u * 32).
  static constexpr unsigned kGuide = 32;
  static constexpr unsigned kCrowded = 0x80;  // flag: more than two entries in the bucket
  double p_ = 0;
  int max_n_ = -1;
  std::vector<std::uint32_t> offset_;  // row n is cdf_[offset_[n] .. offset_[n + 1]); empty: direct
  std::vector<double> cdf_;
  std::vector<std::uint8_t> guide_;  // [n * kGuide + bucket]: entries below the bucket (| kCrowded)
};

namespace lanes {
// Whether this CPU runs the AVX2 lanes (sim/binomial_lanes.hpp, sim/poisson_lanes.hpp,
// sim/exp_poly.hpp, Lognormal::draw_many): the build is baseline x86-64, so callers choose at
// run time.
inline bool lanes_supported() { return __builtin_cpu_supports("avx2"); }
}  // namespace lanes

// Standard normal quantile of u in (0,1).
double normal_inv(double u);

// Lognormal given its mean and coefficient of variation: sigma^2 = ln(1 + cv^2),
// mu = ln(mean) - sigma^2 / 2. Precomputed once; draw() takes one uniform.
struct Lognormal {
  double mu = 0, sigma = 0;
  double mean = 1;  // what a draw is when sigma is 0: the mean itself (exp(log(m)) is not m)
  static Lognormal from_mean_cv(double mean, double cv);
  double draw(double u) const;
  // out[i] = draw(u[i]) for i < n, the same bits; on a CPU with AVX2 the normal quantiles of
  // the central 85% (the quantile's rational part) four at a time.
  void draw_many(const double* u, std::size_t n, double* out) const;
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
