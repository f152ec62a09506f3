#pragma once
// The branch-free paths of binomial_inv (small counts) and poisson_inv (small means), in a
// header so that the weekly step inlines them: a rep-week's draws are independent of one
// another, and inlined they overlap instead of waiting on each call.
#include <cmath>
#include <cstdint>

#include "sim/exp_poly.hpp"

namespace sim::detail {

// Counts up to which binomial_inv builds the whole CDF row without a branch on u: the search's
// exit, at a point the uniform makes random, cost more than the few extra steps of a full row.
inline constexpr std::int64_t kSmallCount = 16;

// (n - k) / (k + 1) for n <= kSmallCount (0 for k >= n): the walk's ratio without its
// division, the same bits.
struct CountRatios {
  double r[kSmallCount + 1][kSmallCount] = {};
  constexpr CountRatios() {
    for (int n = 0; n <= kSmallCount; ++n)
      for (int k = 0; k < n; ++k) r[n][k] = double(n - k) / double(k + 1);
  }
};
inline constexpr CountRatios kRatios;

// ipow(q, n) for n <= kMax, the same bits, with a shorter chain of multiplications: ipow
// multiplies 1 by q^(2^i) for each set bit i of n in increasing order, so q^m is q^(m - h) times
// q^h for the highest power of two h in m (times 1.0, exact, when m = h). All the powers up to
// kMax are formed as a tree (depth log2 kMax) and the one wanted is read back by index.
template <int kMax>
double ipow_upto(double q, std::int64_t n) {
  double pw[kMax + 1];
  pw[0] = 1.0;
  pw[1] = q;
#pragma GCC unroll 16
  for (int m = 2; m <= kMax; ++m) {
    const int h = 1 << (31 - __builtin_clz(unsigned(m)));
    pw[m] = m == h ? pw[h / 2] * pw[h / 2] : pw[m - h] * pw[h];
  }
  return pw[n];
}

// The number of entries below u among the first kSteps of a CDF row (cdf_0 = pmf), built by
// the walk's recurrence; ratio[j] = 0 past the row's end repeats its last entry.
template <int kSteps>
std::int64_t count_row(const double* ratio, double odds, double pmf, double u) {
  double cdf = pmf;
  std::int64_t k = 0;
#pragma GCC unroll 16
  for (int j = 0; j < kSteps; ++j) {
    k += cdf < u;
    pmf *= ratio[j] * odds;
    cdf += pmf;
  }
  return k;
}

// binomial_inv's walk from 0 for n <= kSmallCount, as a count of the row's entries below u
// (the row never decreases). Same operations in the same order, so the same bits; the caller
// keeps p inside (1e-18, 1), where no pmf of such a row underflows (the walk's only other
// exit). The row is counted to 4, 8 or 16 entries (a fixed length per branch, unrolled): a loop
// of exactly n steps mispredicted its exit as the counts varied. Entries past n repeat the
// last one, so the count is capped at n.
inline std::int64_t binomial_small(std::int64_t n, double p, double u) {
  const double q = 1.0 - p;
  const double odds = p / q;
  const double* ratio = kRatios.r[n];
  std::int64_t k;
  if (n <= 4) {
    k = count_row<4>(ratio, odds, ipow_upto<4>(q, n), u);
  } else if (n <= 8) {
    k = count_row<8>(ratio, odds, ipow_upto<8>(q, n), u);
  } else {
    k = count_row<kSmallCount>(ratio, odds, ipow_upto<kSmallCount>(q, n), u);
  }
  return k < n ? k : n;
}

// poisson_inv's walk from 0 in blocks of eight steps without a branch on u inside a block:
// counting a block's entries below u is cheaper than a search whose exit the uniform makes
// random, and the usual means (up to about 8) end in the first block. Same operations in the
// same order as the walk (sim/samplers.cpp), so the same bits; for means in (1e-3, 30) no pmf of
// the first 64 underflows (the walk's other exit). -1 when u lies beyond the 64th entry: the
// caller walks.
inline constexpr double kPoissonBlockedBelow = 30.0;
inline std::int64_t poisson_blocks(double lambda, double u) {
  double pmf = exp_poly(-lambda), cdf = pmf;
  std::int64_t k = 0;
  for (int block = 0; block < 64; block += 8) {
    double block_last = 0;
#pragma GCC unroll 8
    for (int j = block; j < block + 8; ++j) {
      k += cdf < u;
      block_last = cdf;
      pmf *= lambda / double(j + 1);
      cdf += pmf;
    }
    if (block_last >= u) return k;
  }
  return -1;
}

}  // namespace sim::detail
