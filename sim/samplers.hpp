#pragma once
// Samplers that turn one uniform into a draw by inversion, so that each draw uses exactly one
// slot of its stream and a larger parameter never gives a smaller draw on the same uniform.
#include <cstdint>

#include "random.hpp"

namespace sim {

// Binomial(n, p) by inversion of u in (0,1).
std::int64_t binomial_inv(std::int64_t n, double p, double u);
// Poisson(lambda) by inversion of u in (0,1).
std::int64_t poisson_inv(double lambda, double u);
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
// A Beta draw from the stream's next slots (Boost.Random's gamma-ratio method, so the number of
// slots used varies; use a stream of its own for each entity so the next entity is unaffected).
double draw_beta(const BetaMeanSd& b, Stream& s);

}  // namespace sim
