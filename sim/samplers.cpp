#include "samplers.hpp"

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <cmath>

namespace sim {
namespace {

// Below this mean the inverse CDF is searched from 0 with the pmf recurrence; above it the
// search starts at the mean from an exact CDF value (Boost.Math), so it stays short.
constexpr double kSequentialMean = 30.0;

// Walks from k0, whose cdf and pmf are given, to the smallest k with cdf(k) >= u.
// next_ratio(k) = pmf(k+1)/pmf(k).
template <class Ratio>
std::int64_t walk(std::int64_t k, double cdf, double pmf, double u, std::int64_t kmax,
                  Ratio next_ratio) {
  if (cdf >= u) {  // walk down while cdf(k-1) >= u
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
    if (pmf == 0.0) break;  // past the representable tail
    cdf += pmf;
    ++k;
  }
  return k;
}

// q^n for a whole n by squaring: a handful of multiplications instead of a libm pow call,
// which dominated the weekly step's profile.
double ipow(double q, std::int64_t n) {
  double r = 1.0;
  while (n > 0) {
    if (n & 1) r *= q;
    q *= q;
    n >>= 1;
  }
  return r;
}

}  // namespace

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

BinomialTable::BinomialTable(double p, int max_n) : p_(p), max_n_(max_n) {
  offset_.assign(std::size_t(max_n) + 2, 0);
  const bool direct = p <= 0.0 || p >= 1.0;  // binomial_inv answers these without a search
  const double q = 1.0 - p, odds = p / q;
  for (std::int64_t n = 0; n <= max_n; ++n) {
    offset_[n] = std::uint32_t(cdf_.size());
    const double pmf0 = direct ? 0.0 : ipow(q, n);
    if (n == 0 || direct || double(n) * p >= kSequentialMean || !(pmf0 > 0.0)) continue;
    // binomial_inv's walk from 0, recording the CDF at every k it can stop at.
    double pmf = pmf0, cdf = pmf0;
    cdf_.push_back(cdf);
    for (std::int64_t k = 0; k < n; ++k) {
      pmf *= double(n - k) / double(k + 1) * odds;
      if (pmf == 0.0) break;
      cdf += pmf;
      cdf_.push_back(cdf);
    }
  }
  offset_[std::size_t(max_n) + 1] = std::uint32_t(cdf_.size());
}

std::int64_t poisson_inv(double lambda, double u) {
  if (!(lambda > 0.0)) return 0;
  auto ratio = [lambda](std::int64_t k) { return lambda / double(k + 1); };
  constexpr std::int64_t kmax = std::int64_t(1) << 40;
  if (lambda < kSequentialMean) {
    const double pmf0 = std::exp(-lambda);
    return walk(0, pmf0, pmf0, u, kmax, ratio);
  }
  boost::math::poisson_distribution<double> d(lambda);
  const auto k0 = std::int64_t(std::floor(lambda));
  return walk(k0, boost::math::cdf(d, double(k0)), boost::math::pdf(d, double(k0)), u, kmax, ratio);
}

// Double precision throughout: Boost promotes to long double by default, which is slower and
// buys nothing for a sampler.
using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

double normal_inv(double u) { return -M_SQRT2 * boost::math::erfc_inv(2.0 * u, DoublePolicy()); }

Lognormal Lognormal::from_mean_cv(double mean, double cv) {
  Lognormal l;
  const double s2 = std::log1p(cv * cv);
  l.sigma = std::sqrt(s2);
  l.mu = std::log(mean) - s2 / 2.0;
  return l;
}

double Lognormal::draw(double u) const {
  if (sigma == 0.0) return std::exp(mu);
  return std::exp(mu + sigma * normal_inv(u));
}

double BetaMeanSd::alpha() const { return mean * (mean * (1 - mean) / (sd * sd) - 1); }
double BetaMeanSd::beta() const { return (1 - mean) * (mean * (1 - mean) / (sd * sd) - 1); }

namespace {

// Gamma(shape, 1) by Marsaglia and Tsang's method (ACM TOMS 26(3), 2000): a normal and a
// uniform per try, accepted about 97% of the time or more for shapes of at least 1, usually by
// the squeeze without a log; shapes below 1 take Gamma(shape + 1) times U^(1/shape). It
// replaced Boost.Random's gamma (a rejection method with a libm tan per try), which was about
// a tenth of a whole run through the Beta draws of every rep at the start and at hire.
double draw_gamma(double shape, Stream& s) {
  const double small_shape = shape < 1.0 ? std::pow(s.next_uniform(), 1.0 / shape) : 1.0;
  const double d = (shape < 1.0 ? shape + 1.0 : shape) - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double z = normal_inv(s.next_uniform());
    double v = 1.0 + c * z;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = s.next_uniform();
    const double z2 = z * z;
    if (u < 1.0 - 0.0331 * z2 * z2 || std::log(u) < 0.5 * z2 + d * (1.0 - v + std::log(v)))
      return d * v * small_shape;
  }
}

}  // namespace

double draw_beta(const BetaMeanSd& b, Stream& s) {
  if (b.sd == 0.0) return b.mean;
  const double x = draw_gamma(b.alpha(), s);
  const double y = draw_gamma(b.beta(), s);
  return x / (x + y);
}

}  // namespace sim
