// The inversion samplers' fast paths (issue 15) against the straightforward inversion they
// replaced, kept here as the reference: binomial_inv's branch-free row for n <= 16,
// poisson_inv's blocks of eight, and BinomialTable's guide table must return the reference's
// value bit for bit on every uniform, and every value must be the inversion of u under Boost's
// exact CDF (up to 1e-12 of rounding), a check that an off-by-one answer fails.
#include <gtest/gtest.h>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/exp_poly.hpp"
#include "sim/random.hpp"
#include "sim/samplers.hpp"

namespace {

// ---- The reference: the walk binomial_inv and poisson_inv used before their fast paths. ----
namespace ref {

constexpr double kSequentialMean = 30.0;

template <class Ratio>
std::int64_t walk(std::int64_t k, double cdf, double pmf, double u, std::int64_t kmax,
                  Ratio next_ratio) {
  if (cdf >= u) {
    while (k > 0) {
      const double prev_cdf = cdf - pmf;
      if (prev_cdf < u) break;
      pmf = pmf / next_ratio(k - 1);
      cdf = prev_cdf;
      --k;
    }
    return k;
  }
  while (cdf < u && k < kmax) {
    pmf *= next_ratio(k);
    if (pmf == 0.0) break;
    cdf += pmf;
    ++k;
  }
  return k;
}

double ipow(double q, std::int64_t n) {
  double r = 1.0;
  while (n > 0) {
    if (n & 1) r *= q;
    q *= q;
    n >>= 1;
  }
  return r;
}

std::int64_t binomial_inv(std::int64_t n, double p, double u) {
  if (n <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  const double q = 1.0 - p;
  const double odds = p / q;
  auto ratio = [n, odds](std::int64_t k) { return double(n - k) / double(k + 1) * odds; };
  const double mean = double(n) * p;
  if (mean < kSequentialMean) {
    const double pmf0 = ipow(q, n);
    if (pmf0 > 0.0) return walk(0, pmf0, pmf0, u, n, ratio);
  }
  boost::math::binomial_distribution<double> d(double(n), p);
  const auto k0 = std::int64_t(std::floor(mean));
  return walk(k0, boost::math::cdf(d, double(k0)), boost::math::pdf(d, double(k0)), u, n, ratio);
}

std::int64_t poisson_inv(double lambda, double u) {
  if (!(lambda > 0.0)) return 0;
  auto ratio = [lambda](std::int64_t k) { return lambda / double(k + 1); };
  constexpr std::int64_t kmax = std::int64_t(1) << 40;
  if (lambda < kSequentialMean) {
    const double pmf0 = sim::exp_poly(-lambda);  // the samplers' exp (sim/exp_poly.hpp)
    return walk(0, pmf0, pmf0, u, kmax, ratio);
  }
  boost::math::poisson_distribution<double> d(lambda);
  const auto k0 = std::int64_t(std::floor(lambda));
  return walk(k0, boost::math::cdf(d, double(k0)), boost::math::pdf(d, double(k0)), u, kmax, ratio);
}

// The CDF row the reference walk from 0 accumulates (its exact values are the uniforms where
// the answer changes, so they and their neighbours are the sharpest test points).
std::vector<double> binomial_row(std::int64_t n, double p) {
  std::vector<double> row;
  const double q = 1.0 - p, odds = p / q;
  double pmf = ipow(q, n), cdf = pmf;
  if (!(pmf > 0.0)) return row;
  row.push_back(cdf);
  for (std::int64_t k = 0; k < n; ++k) {
    pmf *= double(n - k) / double(k + 1) * odds;
    if (pmf == 0.0) break;
    cdf += pmf;
    row.push_back(cdf);
  }
  return row;
}

std::vector<double> poisson_row(double lambda, int entries) {
  std::vector<double> row;
  double pmf = sim::exp_poly(-lambda), cdf = pmf;
  row.push_back(cdf);
  for (int k = 0; k + 1 < entries; ++k) {
    pmf *= lambda / double(k + 1);
    cdf += pmf;
    row.push_back(cdf);
  }
  return row;
}

}  // namespace ref

// Uniforms: a dense grid, both 32-bit extremes, far tails near 0 and 1, 64-bit draws, and the
// given CDF values with their floating-point neighbours (where an off-by-one would show).
std::vector<double> uniforms(const std::vector<double>& cdf_values) {
  std::vector<double> us;
  for (int i = 0; i < 400; ++i) us.push_back((i + 0.5) / 400.0);
  for (std::uint32_t w : {0u, 1u, 2u, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu})
    us.push_back(sim::Stream::to_open01_32(w));
  for (double t : {1e-300, 1e-200, 1e-100, 1e-30, 1e-16, 1e-12, 1e-9, 0x1.0p-33, 1e-6, 1e-3}) {
    us.push_back(t);
    us.push_back(1.0 - t);
  }
  us.push_back(std::nextafter(1.0, 0.0));
  for (int b = 1; b < 32; ++b) {  // the guide table's bucket edges and their neighbours
    us.push_back(b / 32.0);
    us.push_back(std::nextafter(b / 32.0, 0.0));
    us.push_back(std::nextafter(b / 32.0, 1.0));
  }
  sim::Stream s({11, 12, 13, 14, 15});
  for (int i = 0; i < 100; ++i) us.push_back(s.next_uniform());
  for (int i = 0; i < 40; ++i) us.push_back(std::pow(s.next_uniform(), 10.0));
  for (double c : cdf_values) {
    if (!(c > 0.0 && c < 1.0)) continue;
    us.push_back(c);
    us.push_back(std::nextafter(c, 0.0));
    us.push_back(std::nextafter(c, 1.0));
  }
  return us;
}

// k is the inversion of u under an exact CDF: CDF(k - 1) < u <= CDF(k), each side allowed
// 1e-12 of rounding (the samplers accumulate the CDF in double precision).
bool is_inversion(std::int64_t k, double u, std::int64_t kmax,
                  const std::function<double(std::int64_t)>& cdf) {
  if (k < 0 || k > kmax) return false;
  const double below = k == 0 ? 0.0 : cdf(k - 1);
  const double at = k == kmax ? 1.0 : cdf(k);
  return below < u + 1e-12 && u <= at + 1e-12;
}

// Counts how often the answer plus or minus one would fail the inversion check, so the check is
// shown able to catch an off-by-one in a fast path.
struct OffByOneTally {
  long checked = 0, plus_one_rejected = 0, minus_one_rejected = 0;
  template <class Cdf>
  void add(std::int64_t k, double u, std::int64_t kmax, const Cdf& cdf) {
    ++checked;
    plus_one_rejected += !is_inversion(k + 1, u, kmax, cdf);
    minus_one_rejected += !is_inversion(k - 1, u, kmax, cdf);
  }
  // An off-by-one passes only where u is within 1e-12 of a CDF value or beyond the last one.
  // The test points include those on purpose: each exact CDF value and its two neighbours, at
  // which the answer and one of its neighbours both invert u (which one depends on the last bit
  // of the sampler's accumulated CDF), about a tenth of the points.
  void expect_off_by_one_rejected() const {
    EXPECT_GT(checked, 0);
    EXPECT_GT(plus_one_rejected, checked * 85 / 100);
    EXPECT_GT(minus_one_rejected, checked * 85 / 100);
  }
};

std::vector<double> probabilities() {
  std::vector<double> ps = {2e-18, 1e-12, 1e-9,  0.001, 0.03, 0.1,   0.25,      0.3,
                            0.35,  0.5,   0.55,  0.7,   0.77, 0.9,   0.999,     1 - 1e-9,
                            1e-18, 5e-19, 1e-30, 0.0,   1.0,  -0.25, 1 - 1e-15, 0.45};
  sim::Stream s({21, 22, 23, 24, 25});
  for (int i = 0; i < 12; ++i) ps.push_back(0.2 + 0.6 * s.next_uniform());
  return ps;
}

// binomial_inv equals the reference bit for bit for n up to 40 (the branch-free rows up to 16
// and the walk above), on every probability and uniform above.
TEST(BinomialInversion, EqualsTheReferenceWalk) {
  for (double p : probabilities()) {
    for (std::int64_t n = 0; n <= 40; ++n) {
      for (double u : uniforms(ref::binomial_row(n, p)))
        ASSERT_EQ(sim::binomial_inv(n, p, u), ref::binomial_inv(n, p, u))
            << "n " << n << " p " << p << " u " << u;
    }
  }
}

// The answers are the inversion of u under Boost's exact binomial CDF, and the check rejects
// the answer plus or minus one (so it could catch an off-by-one in the fast path).
TEST(BinomialInversion, IsTheInversionOfTheExactCdf) {
  OffByOneTally tally;
  for (double p : {1e-9, 0.03, 0.3, 0.5, 0.62, 0.9, 0.999}) {
    for (std::int64_t n = 1; n <= 24; ++n) {
      const boost::math::binomial_distribution<double> d(double(n), p);
      std::vector<double> exact(std::size_t(n) + 1);
      for (std::int64_t k = 0; k <= n; ++k) exact[k] = boost::math::cdf(d, double(k));
      const auto cdf = [&](std::int64_t k) { return exact[k]; };
      for (double u : uniforms(exact)) {
        const std::int64_t k = sim::binomial_inv(n, p, u);
        ASSERT_TRUE(is_inversion(k, u, n, cdf)) << "n " << n << " p " << p << " u " << u;
        tally.add(k, u, n, cdf);
      }
    }
  }
  tally.expect_off_by_one_rejected();
}

TEST(PoissonInversion, EqualsTheReferenceWalk) {
  std::vector<double> lambdas = {0.0,    -1.0, 1e-9, 1e-4, 0.001, std::nextafter(0.001, 1.0),
                                 0.0011, 0.01, 0.3,  0.5,  1.0,   2.5,
                                 4.4,    7.9,  8.0,  12.0, 20.0,  29.9,
                                 30.0,   45.0, 60.0};
  sim::Stream s({31, 32, 33, 34, 35});
  for (int i = 0; i < 40; ++i) lambdas.push_back(0.3 + 12 * s.next_uniform());
  for (double lambda : lambdas) {
    for (double u : uniforms(lambda > 0 ? ref::poisson_row(lambda, 80) : std::vector<double>{}))
      ASSERT_EQ(sim::poisson_inv(lambda, u), ref::poisson_inv(lambda, u))
          << "lambda " << lambda << " u " << u;
  }
}

TEST(PoissonInversion, IsTheInversionOfTheExactCdf) {
  OffByOneTally tally;
  constexpr std::int64_t kmax = std::int64_t(1) << 40;
  for (double lambda : {0.002, 0.3, 1.0, 4.4, 8.0, 15.0, 29.0}) {
    const boost::math::poisson_distribution<double> d(lambda);
    std::vector<double> exact;
    for (int k = 0; k < 120; ++k) exact.push_back(boost::math::cdf(d, double(k)));
    const auto cdf = [&](std::int64_t k) {
      return k < std::int64_t(exact.size()) ? exact[k] : boost::math::cdf(d, double(k));
    };
    for (double u : uniforms(exact)) {
      const std::int64_t k = sim::poisson_inv(lambda, u);
      ASSERT_TRUE(is_inversion(k, u, kmax, cdf)) << "lambda " << lambda << " u " << u;
      tally.add(k, u, kmax, cdf);
    }
  }
  tally.expect_off_by_one_rejected();
}

// The guide table gives binomial_inv's (and so the reference's) value for every count up to a
// max_n above the guide's byte limit (126), at the bucket edges, at the rows' own entries and
// in the crowded tail buckets of long rows.
TEST(BinomialTableGuide, EqualsTheReferenceOnEveryBucketAndEntry) {
  for (double p : {1e-9, 0.03, 0.08, 0.3, 0.35, 0.5, 0.77, 0.999}) {
    const sim::BinomialTable table(p, 140);
    for (std::int64_t n = 0; n <= 150; n += n < 70 ? 1 : 7) {
      for (double u : uniforms(ref::binomial_row(n, p))) {
        ASSERT_EQ(table.draw(n, u), ref::binomial_inv(n, p, u))
            << "n " << n << " p " << p << " u " << u;
      }
    }
  }
}

}  // namespace
