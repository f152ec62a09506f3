// sim/exp_poly.hpp: exp_poly within 2 ulp of libm's exp over its whole range, and its lanes
// (exp_poly4) give exp_poly's bits in every lane, libm's answers outside the range included.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "sim/exp_poly.hpp"
#include "sim/samplers.hpp"

namespace {

// Distance in units in the last place between two positive finite doubles.
std::int64_t ulps(double a, double b) {
  const auto d = std::bit_cast<std::int64_t>(a) - std::bit_cast<std::int64_t>(b);
  return d < 0 ? -d : d;
}

// The arguments checked: a random sweep of [-700, 700], a dense one of the Poisson means'
// range (-30, 0), the reduction's half-way points k ln2 / 2, and the ends.
std::vector<double> arguments() {
  std::vector<double> x;
  std::mt19937_64 g(7);
  std::uniform_real_distribution<double> wide(-700.0, 700.0), means(-30.0, 0.0);
  for (int i = 0; i < 200000; ++i) x.push_back(wide(g)), x.push_back(means(g));
  for (int k = -2020; k <= 2020; ++k) {
    const double h = k * 0.5 * 0.6931471805599453;
    for (const double d : {std::nextafter(h, -1e9), h, std::nextafter(h, 1e9)})
      if (std::abs(d) <= 700.0) x.push_back(d);
  }
  for (const double d : {-700.0, 700.0, 0.0, -0.0, 1e-300, -1e-300, -1e-3, -30.0, 1.0, -1.0})
    x.push_back(d);
  return x;
}

TEST(ExpPoly, WithinTwoUlpOfLibm) {
  std::int64_t worst = 0;
  double at = 0;
  for (const double x : arguments()) {
    const std::int64_t e = ulps(sim::exp_poly(x), std::exp(x));
    if (e > worst) worst = e, at = x;
  }
  EXPECT_LE(worst, 2) << "at x = " << at;
}

TEST(ExpPoly, OutsideItsRangeLibmAnswers) {
  const double inf = std::numeric_limits<double>::infinity();
  for (const double x : {-700.5, 700.5, -745.0, -1e4, 709.9, 1e4, inf, -inf})
    EXPECT_EQ(std::bit_cast<std::uint64_t>(sim::exp_poly(x)),
              std::bit_cast<std::uint64_t>(std::exp(x)))
        << x;
  EXPECT_TRUE(std::isnan(sim::exp_poly(std::numeric_limits<double>::quiet_NaN())));
}

// exp_poly4 on x[0..3], outside the test so that only it needs AVX2.
__attribute__((target("avx2"))) void exp_poly4(const double* x, double* y) {
  _mm256_storeu_pd(y, sim::lanes::exp_poly4(_mm256_loadu_pd(x)));
}

TEST(ExpPoly, EveryLaneIsExpPoly) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  std::vector<double> x = arguments();
  for (const double d : {-700.5, 700.5, -1e4, 1e4, std::numeric_limits<double>::infinity(),
                         std::numeric_limits<double>::quiet_NaN()})
    x.push_back(d);
  while (x.size() % 4) x.push_back(1.0);
  for (std::size_t i = 0; i < x.size(); i += 4) {
    double y[4];
    exp_poly4(&x[i], y);
    for (int l = 0; l < 4; ++l) {
      const double want = sim::exp_poly(x[i + l]);
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(y[l])) << x[i + l];
      } else {
        ASSERT_EQ(std::bit_cast<std::uint64_t>(y[l]), std::bit_cast<std::uint64_t>(want))
            << "x = " << x[i + l] << ", lane " << l;
      }
    }
  }
}

}  // namespace
