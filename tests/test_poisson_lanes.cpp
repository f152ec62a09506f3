// sim/poisson_lanes.hpp: every lane gives poisson_inv's value bit for bit, with the lanes'
// means mixed so that a lane cannot borrow another's answer, and with the inputs the scalar
// draw sends to its walk (means at and outside (1e-3, 30), u past the 64th entry) and u at the
// ends of (0, 1).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "sim/binomial_lanes.hpp"
#include "sim/poisson_lanes.hpp"
#include "sim/random.hpp"

namespace {

TEST(PoissonLanes, EveryLaneIsPoissonInv) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  std::mt19937_64 rng(21);
  const double means[] = {1e-4, 1e-3, 0.0011, 0.05, 0.5,  1.0,  2.7, 3.3,
                          8.0,  12.5, 17.0,   29.9, 30.0, 31.0, 60.0};
  // u as the engine makes it, in (0, 1); and its extremes.
  std::vector<double> us = {0x1.0p-33, 1.0 - 0x1.0p-33, 0.5, 1e-300, 0x1.0p-32 * 0.5};
  for (int i = 0; i < 400; ++i) us.push_back(sim::Stream::to_open01_32(std::uint32_t(rng())));
  std::size_t checked = 0;
  for (double mean : means) {
    // The CDF's own entries and their neighbours: where the count changes.
    double pmf = std::exp(-mean), cdf = pmf;
    for (int j = 0; j < 70; ++j) {
      us.insert(us.end(), {cdf, std::nextafter(cdf, 0.0), std::nextafter(cdf, 2.0)});
      pmf *= mean / double(j + 1);
      cdf += pmf;
    }
    for (double u0 : us) {
      double lambda[4] = {mean}, u[4] = {u0};
      for (int l = 1; l < 4; ++l) {
        lambda[l] = means[rng() % std::size(means)];
        u[l] = sim::Stream::to_open01_32(std::uint32_t(rng()));
      }
      std::int64_t got[4];
      sim::lanes::poisson_inv4(lambda, u, got);
      for (int l = 0; l < 4; ++l) {
        ASSERT_EQ(got[l], sim::poisson_inv(lambda[l], u[l]))
            << "mean " << lambda[l] << " u " << u[l] << " lane " << l;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 10000u);
}

}  // namespace
