#include "samplers.hpp"

#include <immintrin.h>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/poisson.hpp>
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

std::int64_t binomial_inv_walk(std::int64_t n, double p, double u) {
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
  guide_.assign((std::size_t(max_n) + 1) * kGuide, 0);
  const bool direct = p <= 0.0 || p >= 1.0;  // binomial_inv answers these without a search
  const double q = 1.0 - p, odds = p / q;
  std::vector<double> row;
  for (std::int64_t n = 0; n <= max_n; ++n) {
    offset_[n] = std::uint32_t(cdf_.size());
    const double pmf0 = direct ? 0.0 : ipow(q, n);
    // The guide's counts are bytes with a flag bit: rows above 126 go to binomial_inv.
    if (n == 0 || n > 126 || direct || double(n) * p >= kSequentialMean || !(pmf0 > 0.0)) continue;
    // binomial_inv's walk from 0, recording the CDF at every k it can stop at.
    double pmf = pmf0, cdf = pmf0;
    row.assign(1, cdf);
    for (std::int64_t k = 0; k < n; ++k) {
      pmf *= double(n - k) / double(k + 1) * odds;
      if (pmf == 0.0) break;
      cdf += pmf;
      row.push_back(cdf);
    }
    // The walk stops at the row's last entry whatever u is, so only the entries before it are
    // compared with u; two pads that no u below 1 exceeds end the row for the guide's reads.
    const std::size_t counted = row.size() - 1;
    cdf_.insert(cdf_.end(), row.begin(), row.begin() + std::ptrdiff_t(counted));
    cdf_.insert(cdf_.end(), {2.0, 2.0});
    guide_buckets({row.data(), counted}, kGuide,
                  [&](unsigned b, std::size_t below_lo, std::size_t below_hi) {
                    guide_[std::size_t(n) * kGuide + b] =
                        std::uint8_t(below_lo | (below_hi - below_lo > 2 ? kCrowded : 0u));
                  });
  }
  offset_[std::size_t(max_n) + 1] = std::uint32_t(cdf_.size());
}

std::int64_t poisson_inv_walk(double lambda, double u) {
  if (!(lambda > 0.0)) return 0;
  auto ratio = [lambda](std::int64_t k) { return lambda / double(k + 1); };
  constexpr std::int64_t kmax = std::int64_t(1) << 40;
  if (lambda < kSequentialMean) {
    const double pmf0 = exp_poly(-lambda);  // as poisson_inv's blocks (sim/small_inversions.hpp)
    return walk(0, pmf0, pmf0, u, kmax, ratio);
  }
  boost::math::poisson_distribution<double> d(lambda);
  const auto k0 = std::int64_t(std::floor(lambda));
  return walk(k0, boost::math::cdf(d, double(k0)), boost::math::pdf(d, double(k0)), u, kmax, ratio);
}

namespace {

// Wichura's algorithm AS 241 (PPND16, Applied Statistics 37(3), 1988): rational approximations
// in three regions, accurate to about 1e-16. It replaces Boost's erfc_inv, whose iterations were
// a twentieth of the weekly step's profile; a test holds the two within 1e-14 (relative).
template <std::size_t N>
double horner(const double (&c)[N], double x) {
  double y = c[N - 1];
  for (std::size_t i = N - 1; i-- > 0;) y = y * x + c[i];
  return y;
}

constexpr double kCentralNum[] = {3.3871328727963666080e+00, 1.3314166789178437745e+02,
                                  1.9715909503065514427e+03, 1.3731693765509461125e+04,
                                  4.5921953931549871457e+04, 6.7265770927008700853e+04,
                                  3.3430575583588128105e+04, 2.5090809287301226727e+03};
constexpr double kCentralDen[] = {1.0,
                                  4.2313330701600911252e+01,
                                  6.8718700749205790830e+02,
                                  5.3941960214247511077e+03,
                                  2.1213794301586595867e+04,
                                  3.9307895800092710610e+04,
                                  2.8729085735721942674e+04,
                                  5.2264952788528545610e+03};
constexpr double kNearNum[] = {1.42343711074968357734e+00, 4.63033784615654529590e+00,
                               5.76949722146069140550e+00, 3.64784832476320460504e+00,
                               1.27045825245236838258e+00, 2.41780725177450611770e-01,
                               2.27238449892691845833e-02, 7.74545014278341407640e-04};
constexpr double kNearDen[] = {1.0,
                               2.05319162663775882187e+00,
                               1.67638483018380384940e+00,
                               6.89767334985100004550e-01,
                               1.48103976427480074590e-01,
                               1.51986665636164571966e-02,
                               5.47593808499534494600e-04,
                               1.05075007164441684324e-09};
constexpr double kFarNum[] = {6.65790464350110377720e+00, 5.46378491116411436990e+00,
                              1.78482653991729133580e+00, 2.96560571828504891230e-01,
                              2.65321895265761230930e-02, 1.24266094738807843860e-03,
                              2.71155556874348757815e-05, 2.01033439929228813265e-07};
constexpr double kFarDen[] = {1.0,
                              5.99832206555887937690e-01,
                              1.36929880922735805310e-01,
                              1.48753612908506148525e-02,
                              7.86869131145613259100e-04,
                              1.84631831751005468180e-05,
                              1.42151175831644588870e-07,
                              2.04426310338993978564e-15};

}  // namespace

double normal_inv(double u) {
  const double q = u - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q * horner(kCentralNum, r) / horner(kCentralDen, r);
  }
  const double tail = q < 0 ? u : 1.0 - u;
  if (!(tail > 0.0)) return q < 0 ? -HUGE_VAL : HUGE_VAL;
  double r = std::sqrt(-std::log(tail));
  double z;
  if (r <= 5.0) {
    r -= 1.6;
    z = horner(kNearNum, r) / horner(kNearDen, r);
  } else {
    r -= 5.0;
    z = horner(kFarNum, r) / horner(kFarDen, r);
  }
  return q < 0 ? -z : z;
}

namespace {

// horner() in lanes: the same operations in the same order per lane (no fused multiply-add).
template <std::size_t N>
__attribute__((target("avx2"), always_inline)) inline __m256d horner4(const double (&c)[N],
                                                                      __m256d x) {
  __m256d y = _mm256_set1_pd(c[N - 1]);
  for (std::size_t i = N - 1; i-- > 0;)
    y = _mm256_add_pd(_mm256_mul_pd(y, x), _mm256_set1_pd(c[i]));
  return y;
}

// normal_inv of four uniforms into z: the central branch in lanes, the tails' lanes by the
// scalar call.
__attribute__((target("avx2"))) void normal_inv4(const double* u, double* z) {
  const __m256d q = _mm256_sub_pd(_mm256_loadu_pd(u), _mm256_set1_pd(0.5));
  const __m256d abs_q = _mm256_andnot_pd(_mm256_set1_pd(-0.0), q);
  const int central = _mm256_movemask_pd(_mm256_cmp_pd(abs_q, _mm256_set1_pd(0.425), _CMP_LE_OQ));
  const __m256d r = _mm256_sub_pd(_mm256_set1_pd(0.180625), _mm256_mul_pd(q, q));
  _mm256_storeu_pd(
      z, _mm256_div_pd(_mm256_mul_pd(q, horner4(kCentralNum, r)), horner4(kCentralDen, r)));
  if (central != 0xF)
    for (int j = 0; j < 4; ++j)
      if (!(central >> j & 1)) z[j] = normal_inv(u[j]);
}

}  // namespace

void Lognormal::draw_many(const double* u, std::size_t n, double* out) const {
  std::size_t i = 0;
  if (sigma != 0.0 && lanes::lanes_supported())
    for (double z[4]; i + 4 <= n; i += 4) {
      normal_inv4(u + i, z);
      for (int j = 0; j < 4; ++j) out[i + j] = std::exp(mu + sigma * z[j]);
    }
  for (; i < n; ++i) out[i] = draw(u[i]);
}

Lognormal Lognormal::from_mean_cv(double mean, double cv) {
  Lognormal l;
  const double s2 = std::log1p(cv * cv);
  l.sigma = std::sqrt(s2);
  l.mu = std::log(mean) - s2 / 2.0;
  l.mean = mean;
  return l;
}

double Lognormal::draw(double u) const {
  // cv 0: exactly the mean (12000 drew 11999.999999999993, so a quota of ten such deals was
  // not met and an ARR target of a whole book was missed).
  if (sigma == 0.0) return mean;
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
