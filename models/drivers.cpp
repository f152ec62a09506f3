#include "models/drivers.hpp"

#include <array>

#include "models/outputs.hpp"

namespace salesim {
namespace {

constexpr int kFactors = 4;
using Factors = std::array<double, kFactors>;

// A ratio that is 0 where nothing entered it (no rep-weeks, nothing resolved, no wins): the
// numerator is 0 there too, so the product still equals the bookings less the timing part.
double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

Factors factors(const double* S) {
  const double R = S[out::rep_weeks], C = S[out::created], W = S[out::won], L = S[out::lost],
               B = S[out::final_bookings];
  return {R, ratio(C, R), ratio(W, W + L), ratio(B, W)};
}

// The product with factor i taken from b where bit i of `from_b` is set, from a elsewhere,
// always multiplied in the same order, so equal factors give equal bits.
double product(const Factors& a, const Factors& b, unsigned from_b) {
  double p = 1;
  for (int i = 0; i < kFactors; ++i) p *= (from_b >> i & 1) ? b[i] : a[i];
  return p;
}

}  // namespace

void driver_effects(const double* a, const double* b, double* effects) {
  const Factors fa = factors(a), fb = factors(b);
  // Shapley value of factor i: over the sets S of the other factors taken from b, the weight
  // |S|! (n - |S| - 1)! / n! times what switching i from a to b adds. For n = 4 the weights by
  // |S| = 0..3 are 1/4, 1/12, 1/12, 1/4.
  constexpr double weight[kFactors] = {1.0 / 4, 1.0 / 12, 1.0 / 12, 1.0 / 4};
  for (int i = 0; i < kFactors; ++i) {
    double e = 0;
    for (unsigned S = 0; S < (1u << kFactors); ++S) {
      if (S >> i & 1) continue;
      const double gain = product(fa, fb, S | (1u << i)) - product(fa, fb, S);
      e += weight[__builtin_popcount(S)] * gain;
    }
    effects[i] = e;
  }
  const double timing_a = a[out::final_bookings] - product(fa, fb, 0);
  const double timing_b = b[out::final_bookings] - product(fa, fb, (1u << kFactors) - 1);
  effects[timing] = timing_b - timing_a;
}

}  // namespace salesim
