// Unit tests of the generic samplers and the addressed random streams (sim/).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

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
}

TEST(Beta, MeanAndSd) {
  sim::Stream s({5, 0, 0, 0, 0});
  std::vector<double> x(50000);
  const sim::BetaMeanSd b{0.4, 0.15};
  for (auto& v : x) v = sim::draw_beta(b, s);
  check_moments(x, 0.4, 0.15 * 0.15);
  EXPECT_EQ(sim::draw_beta({0.3, 0.0}, s), 0.3);
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

TEST(Stats, PairedDifferenceOfIdenticalIsZero) {
  std::vector<double> a{1, 5, 7}, b{1, 5, 7};
  auto d = sim::paired_diff(a, b);
  EXPECT_EQ(d.mean, 0.0);
  EXPECT_EQ(d.se, 0.0);
}

}  // namespace
