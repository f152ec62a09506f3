// Unit tests of the generic samplers and the addressed random streams (sim/).
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>

#include "sim/random.hpp"
#include "sim/samplers.hpp"
#include "sim/stats.hpp"

namespace {

TEST(Stream, SameAddressSameBits) {
  sim::Stream a({7, 3, 2, 5, 11}), b({7, 3, 2, 5, 11});
  for (int slot : {0, 1, 5, 2, 9, 0}) EXPECT_EQ(a.word_at(slot), b.word_at(slot));
}

TEST(Stream, EveryAddressPartMatters) {
  const std::uint64_t ref = sim::Stream({7, 3, 2, 5, 11}).word_at(0);
  EXPECT_NE(ref, sim::Stream({8, 3, 2, 5, 11}).word_at(0));
  EXPECT_NE(ref, sim::Stream({7, 4, 2, 5, 11}).word_at(0));
  EXPECT_NE(ref, sim::Stream({7, 3, 3, 5, 11}).word_at(0));
  EXPECT_NE(ref, sim::Stream({7, 3, 2, 6, 11}).word_at(0));
  EXPECT_NE(ref, sim::Stream({7, 3, 2, 5, 12}).word_at(0));
  EXPECT_NE(ref, sim::Stream({7, 3, 2, 5, 11}).word_at(1));
}

TEST(Stream, SequentialEqualsAddressed) {
  sim::Stream a({1, 2, 3, 4, 5}), b({1, 2, 3, 4, 5});
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a(), b.word_at(9 - (9 - i)));
}

TEST(Stream, UniformsInOpenInterval) {
  EXPECT_GT(sim::Stream::to_open01(0), 0.0);
  EXPECT_LT(sim::Stream::to_open01(~std::uint64_t(0)), 1.0);
}

TEST(Stream, ThirtyTwoBitSlotsAreTheHalvesOfSixtyFourBitSlots) {
  sim::Stream a({7, 3, 2, 5, 11}), b({7, 3, 2, 5, 11});
  for (std::uint64_t slot = 0; slot < 40; ++slot) {
    const std::uint64_t w = b.word_at(slot / 2);
    EXPECT_EQ(a.word32_at(slot), std::uint32_t(slot % 2 ? w >> 32 : w)) << slot;
    const double u = a.uniform32_at(slot);
    EXPECT_GT(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
  // The extremes of a 32-bit word stay inside (0, 1).
  EXPECT_GT(sim::Stream::to_open01_32(0), 0.0);
  EXPECT_LT(sim::Stream::to_open01_32(~std::uint32_t(0)), 1.0);
}

// The normal quantile (AS 241) agrees with Boost's erfc_inv in the centre, in both tails and at
// the region boundaries (|u - 0.5| = 0.425, and r = 5, i.e. u = exp(-25)), and is odd.
TEST(NormalInv, AgreesWithBoostErfcInv) {
  auto boost_inv = [](long double u) {
    return double(-std::sqrt(2.0L) * boost::math::erfc_inv(2.0L * u));
  };
  std::vector<double> us = {
      0.5,    0.075, 0.925,     0.0749999,    0.0750001, std::exp(-25.0), std::exp(-25.0) * 1.0001,
      1e-300, 1e-20, 0x1.0p-33, 1 - 0x1.0p-33};
  sim::Stream s({1, 2, 3, 4, 5});
  for (int i = 0; i < 20000; ++i) us.push_back(s.uniform_at(i));
  for (int i = 0; i < 2000; ++i) us.push_back(std::pow(s.uniform_at(100000 + i), 12.0));
  for (double u : us) {
    const double want = boost_inv(u);
    const double got = sim::normal_inv(u);
    EXPECT_NEAR(got, want, 1e-14 * std::max(1.0, std::fabs(want))) << "u = " << u;
    // Odd about 1/2 where 1 - u is exact enough to tell.
    if (u > 1e-6 && u < 0.5) {
      EXPECT_NEAR(sim::normal_inv(1 - u), -got, 1e-9) << "u = " << u;
    }
  }
  EXPECT_EQ(sim::normal_inv(0.5), 0.0);
  EXPECT_LT(sim::normal_inv(0.2), 0.0);
  EXPECT_NEAR(sim::normal_inv(0.975), 1.959963984540054, 1e-15);
}

// The tabulated binomial gives binomial_inv's value for every count (tabulated or not), every
// probability and every uniform, 64-bit ones included.
TEST(BinomialTable, EqualsBinomialInvBitForBit) {
  sim::Stream s({9, 9, 9, 9, 9});
  for (double p : {0.0, 1e-9, 0.03, 0.3, 0.5, 0.77, 0.999, 1.0}) {
    const sim::BinomialTable table(p, 64);
    for (std::int64_t n = 0; n <= 90; ++n) {
      for (int i = 0; i < 200; ++i) {
        const double u = i % 2 ? s.next_uniform() : (i + 0.5) / 200.0;
        ASSERT_EQ(table.draw(n, u), sim::binomial_inv(n, p, u))
            << "n " << n << " p " << p << " u " << u;
      }
      for (double u : {1e-300, 0x1.0p-33, 1 - 0x1.0p-33, 1 - 0x1.0p-53})
        ASSERT_EQ(table.draw(n, u), sim::binomial_inv(n, p, u))
            << "n " << n << " p " << p << " u " << u;
    }
  }
}

// Inversion is monotone: a higher probability never gives fewer successes on the same uniform.
TEST(Binomial, MonotoneInProbability) {
  sim::Stream s({1, 1, 1, 1, 1});
  for (int i = 0; i < 2000; ++i) {
    const double u = s.next_uniform();
    std::int64_t prev = 0;
    for (double p = 0; p <= 1.0001; p += 0.05) {
      const auto k = sim::binomial_inv(40, std::min(p, 1.0), u);
      EXPECT_GE(k, prev);
      prev = k;
    }
  }
}

TEST(Binomial, EdgeCases) {
  EXPECT_EQ(sim::binomial_inv(0, 0.5, 0.3), 0);
  EXPECT_EQ(sim::binomial_inv(10, 0.0, 0.999), 0);
  EXPECT_EQ(sim::binomial_inv(10, 1.0, 0.001), 10);
}

// Mean and variance of the samplers within a few standard errors, small and large means.
void check_moments(std::vector<double> x, double mean, double var) {
  const sim::MeanSe m = sim::mean_se(x);
  EXPECT_NEAR(m.mean, mean, 4 * m.se) << "mean";
  double ss = 0;
  for (double v : x) ss += (v - m.mean) * (v - m.mean);
  const double sample_var = ss / double(x.size() - 1);
  // sd of the sample variance is about var*sqrt(2/n) for near-normal data; allow 5 of them.
  EXPECT_NEAR(sample_var, var, 5 * var * std::sqrt(2.0 / double(x.size())) + 1e-12) << "variance";
}

TEST(Binomial, Moments) {
  for (auto [n, p] : {std::pair{12, 0.3}, std::pair{500, 0.4}, std::pair{3, 0.9}}) {
    sim::Stream s({2, 0, 0, 0, std::uint32_t(n)});
    std::vector<double> x(40000);
    for (auto& v : x) v = double(sim::binomial_inv(n, p, s.next_uniform()));
    check_moments(x, n * p, n * p * (1 - p));
  }
}

TEST(Poisson, Moments) {
  for (double lambda : {0.3, 4.0, 25.0, 80.0}) {
    sim::Stream s({3, 0, 0, 0, std::uint32_t(lambda * 10)});
    std::vector<double> x(40000);
    for (auto& v : x) v = double(sim::poisson_inv(lambda, s.next_uniform()));
    check_moments(x, lambda, lambda);
  }
}

TEST(Lognormal, MeanAndCv) {
  const auto l = sim::Lognormal::from_mean_cv(25000, 0.8);
  sim::Stream s({4, 0, 0, 0, 0});
  std::vector<double> x(200000);
  for (auto& v : x) v = l.draw(s.next_uniform());
  const sim::MeanSe m = sim::mean_se(x);
  EXPECT_NEAR(m.mean, 25000, 4 * m.se);
  // The spread, which the mean alone does not pin down (from_mean_cv sets mu from any sigma so
  // that the mean comes out right): log x is normal with variance log(1 + cv^2) = 0.4947 (cv^2
  // would be 0.64) and mean log(25000) - 0.4947 / 2; the sample variance's standard error is
  // about var * sqrt(2 / n).
  const double s2 = std::log1p(0.8 * 0.8);
  std::vector<double> logs(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) logs[i] = std::log(x[i]);
  check_moments(logs, std::log(25000.0) - s2 / 2, s2);
}

TEST(Beta, MeanAndSd) {
  sim::Stream s({5, 0, 0, 0, 0});
  std::vector<double> x(50000);
  const sim::BetaMeanSd b{0.4, 0.15};
  for (auto& v : x) v = sim::draw_beta(b, s);
  check_moments(x, 0.4, 0.15 * 0.15);
  EXPECT_EQ(sim::draw_beta({0.3, 0.0}, s), 0.3);
}

// The gamma sampler behind the Beta draws, for shapes below 1 (the U^(1/shape) step), near 1
// and large: the distribution against Boost.Math's Beta CDF (Kolmogorov-Smirnov at the 0.1%
// level), not only the first two moments.
TEST(Beta, DistributionMatchesTheBetaCdf) {
  for (auto [mean, sd] :
       {std::pair{0.1, 0.2}, std::pair{0.5, 0.28}, std::pair{0.45, 0.18}, std::pair{0.8, 0.05}}) {
    sim::Stream s({6, 0, 0, 0, std::uint32_t(mean * 100 + sd * 1000)});
    const sim::BetaMeanSd b{mean, sd};
    std::vector<double> x(20000);
    for (auto& v : x) v = sim::draw_beta(b, s);
    std::sort(x.begin(), x.end());
    const boost::math::beta_distribution<double> d(b.alpha(), b.beta());
    double ks = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double F = boost::math::cdf(d, x[i]);
      ks = std::max({ks, F - double(i) / double(x.size()), double(i + 1) / double(x.size()) - F});
    }
    // 1.95 / sqrt(n): the 0.1% critical value of the one-sample Kolmogorov-Smirnov statistic.
    EXPECT_LT(ks, 1.95 / std::sqrt(double(x.size()))) << "mean " << mean << " sd " << sd;
  }
}

TEST(Stats, QuantilesWithInfinity) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> x{1, 2, 3, inf, inf};
  const double probs[] = {0.0, 0.5, 0.9};
  auto q = sim::quantiles(x, probs);
  EXPECT_EQ(*q[0], 1.0);
  EXPECT_EQ(*q[1], 3.0);
  EXPECT_FALSE(q[2].has_value());
}

// quantiles selects the order statistics it reads instead of sorting: the same values as a
// sort, bit for bit, for columns short and long, with ties, +inf and NaN, and for any set of
// probabilities (unsorted, repeated, 0 and 1).
TEST(Stats, QuantilesBySelectionEqualTheSortedOnes) {
  std::mt19937_64 gen(7);
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> probs{0.95, 0.05, 0.5, 0.5, 0.0, 1.0, 0.25, 0.1, 0.9, 0.75, 0.333};
  for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 64u, 1000u, 20001u}) {
    for (int kind = 0; kind < 4; ++kind) {
      std::vector<double> x(n);
      for (double& v : x) {
        const double u = std::uniform_real_distribution<double>(0, 1)(gen);
        v = kind == 1 ? std::floor(u * 5)  // many ties
                      : std::exp(4 * u);
        if (kind == 2 && u < 0.2) v = inf;  // never-reached weeks
        if (kind == 3 && u < 0.1) v = nan;  // skipped samples
      }
      std::vector<double> sorted;
      for (double v : x)
        if (!std::isnan(v)) sorted.push_back(v);
      std::sort(sorted.begin(), sorted.end());
      const auto got = sim::quantiles(x, probs);
      ASSERT_EQ(got.size(), probs.size());
      for (std::size_t i = 0; i < probs.size(); ++i) {
        const auto want = sim::quantile_type7(sorted.size(), probs[i],
                                              [&](std::uint64_t j) { return sorted[j]; });
        ASSERT_EQ(got[i].has_value(), want.has_value()) << "n " << n << " kind " << kind;
        if (want) {
          EXPECT_EQ(std::bit_cast<std::uint64_t>(*got[i]), std::bit_cast<std::uint64_t>(*want))
              << "n " << n << " kind " << kind << " p " << probs[i];
        }
      }
    }
  }
}

TEST(Stats, PairedDifferenceOfIdenticalIsZero) {
  std::vector<double> a{1, 5, 7}, b{1, 5, 7};
  auto d = sim::paired_diff(a, b);
  EXPECT_EQ(d.mean, 0.0);
  EXPECT_EQ(d.se, 0.0);
}

// A fixed extra cost is one difference on every path, rounded differently in each path's sum:
// its standard error is 0 (it was 3.8e-11 in the JSON), while a real spread, however small
// beside the figures, keeps its standard error.
TEST(Stats, PairedDifferenceOfRoundingAloneHasNoStandardError) {
  std::vector<double> a, b, c;
  for (int i = 0; i < 200; ++i) {
    double x = 0, y = 0;
    for (int w = 0; w < 52; ++w) x += 123456.789 * (1 + 0.01 * ((i * 7 + w) % 13));
    for (int w = 0; w < 52; ++w) y += 123456.789 * (1 + 0.01 * ((i * 7 + w) % 13)) + 10000.0;
    a.push_back(x), b.push_back(y), c.push_back(y + 1e-3 * (i % 3));
  }
  const auto fixed = sim::paired_diff(a, b);
  EXPECT_NEAR(fixed.mean, 520000, 1e-6);
  EXPECT_EQ(fixed.se, 0.0);
  EXPECT_GT(sim::paired_diff(a, c).se, 0.0);  // a spread of 1e-3 on figures of 7M is real
  // Each sample against its own figures: one huge sample hides no real spread in the others.
  std::vector<double> x{1e20}, y{1e20 + 1};
  for (int i = 1; i < 50; ++i) x.push_back(1e6), y.push_back(1e6 + 1 + 0.5 * (i % 2));
  EXPECT_GT(sim::paired_diff(x, y).se, 0.0);
}

}  // namespace

namespace sim {
namespace {

// draw_many gives draw's bits for every uniform: the central branch in lanes (on AVX2), the
// tails and a count that is not a multiple of four by the scalar code; a sigma of 0 too.
TEST(Lognormal, DrawManyGivesDrawsBits) {
  std::vector<double> u;
  Stream s(Address{5, 1, 2, 3, 4});
  for (int i = 0; i < 20000; ++i) u.push_back(s.uniform_at(std::uint64_t(i)));
  for (double edge : {0.075, 0.925, 0.5, 1e-300, 1 - 1e-16, 0.0749999999, 0.9250000001})
    for (int i = 0; i < 5; ++i) u.push_back(edge);
  for (const Lognormal d : {Lognormal::from_mean_cv(25000, 0.8), Lognormal::from_mean_cv(3, 0.05),
                            Lognormal::from_mean_cv(100, 0.0)})
    for (std::size_t n : {u.size(), u.size() - 1, std::size_t(3), std::size_t(0)}) {
      std::vector<double> got(n + 1, -1.0);
      d.draw_many(u.data(), n, got.data());
      for (std::size_t i = 0; i < n; ++i) {
        const double want = d.draw(u[i]);
        ASSERT_EQ(std::memcmp(&got[i], &want, sizeof want), 0)
            << "u " << u[i] << " sigma " << d.sigma << " n " << n;
      }
      EXPECT_EQ(got[n], -1.0);  // nothing written past n
    }
}

// cv 0 drew exp(log(m)), not m: 12000 drew 11999.999999999993, and ten deals of 12000 missed a
// quota of 120000. Every draw of a cv of 0 is the mean itself, one at a time and in lanes.
TEST(Lognormal, ACvOfZeroDrawsExactlyTheMean) {
  for (double m : {12000.0, 0.1, 3.0, 1e9, 7777.77}) {
    const Lognormal d = Lognormal::from_mean_cv(m, 0.0);
    const std::vector<double> u = {1e-300, 0.3, 0.5, 0.9, 1 - 1e-16, 0.2, 0.7, 0.4};
    std::vector<double> got(u.size());
    d.draw_many(u.data(), u.size(), got.data());
    for (std::size_t i = 0; i < u.size(); ++i) {
      EXPECT_EQ(d.draw(u[i]), m) << m;
      EXPECT_EQ(got[i], m) << m;
    }
  }
}

}  // namespace
}  // namespace sim
