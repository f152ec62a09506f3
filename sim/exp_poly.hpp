#pragma once
// exp(x) by range reduction and a polynomial, in a scalar and a four-lane AVX2 form that give
// the same bits as each other: one template (exp_parts) states the arithmetic for both, with no
// fused multiply-add. libm's exp cannot run in lanes, and a lane must equal the scalar draw it
// stands for (the samplers' lanes are tested bit for bit against their scalar twins).
//
// x = k ln2 + r with k = round(x / ln2) and |r| <= ln2 / 2 (Cody and Waite's two-part ln2, the
// high part with 21 trailing zero bits, so k * ln2_hi is exact); e^r by its Taylor series to
// r^13 (the truncation is below 1e-17), evaluated by Estrin's scheme; 2^k added to the exponent
// bits. Within 2 ulp of libm's exp, equal to it on about 60% of arguments
// (tests/test_exp_poly.cpp). Arguments outside [-700, 700], where 2^k e^r could leave the
// normal doubles, and NaN are answered by libm.
#include <immintrin.h>

#include <bit>
#include <cmath>
#include <cstdint>

namespace sim {

namespace detail {
inline constexpr double kExpLog2e = 1.4426950408889634074;
inline constexpr double kExpLn2Hi = 6.93147180369123816490e-01;  // 0x3fe62e42fee00000
inline constexpr double kExpLn2Lo = 1.90821492927058770002e-10;
// Adding it rounds to an integer, which is then kept in the sum's low bits.
inline constexpr double kExpShifter = 0x1.8p52;
inline constexpr double kExpLimit = 700.0;
// 1/n! for n = 0 .. 13.
inline constexpr double kExpC[] = {1.0,
                                   1.0,
                                   0.5,
                                   1.0 / 6.0,
                                   1.0 / 24.0,
                                   1.0 / 120.0,
                                   1.0 / 720.0,
                                   1.0 / 5040.0,
                                   1.0 / 40320.0,
                                   1.0 / 362880.0,
                                   1.0 / 3628800.0,
                                   1.0 / 39916800.0,
                                   1.0 / 479001600.0,
                                   1.0 / 6227020800.0};

// The reduction and the series, for one double or for four in AVX2 lanes (GCC's vector
// arithmetic, the same operations per lane; a scalar operand is broadcast): t = x log2e plus
// the shifter, whose low bits then hold k, and p = e^r. By reference, so that a __m256d never
// crosses a call boundary of a function built without AVX (always inlined in any case).
template <class V>
[[gnu::always_inline]] inline void exp_parts(const V& x, V& t, V& p) {
  t = x * kExpLog2e + kExpShifter;
  const V k = t - kExpShifter;
  const V r = (x - k * kExpLn2Hi) - k * kExpLn2Lo;
  // Estrin's scheme: pairs, then pairs of pairs, a shorter chain than Horner's.
  const V r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const V q0 = 1.0 + r, q1 = kExpC[2] + kExpC[3] * r, q2 = kExpC[4] + kExpC[5] * r,
          q3 = kExpC[6] + kExpC[7] * r, q4 = kExpC[8] + kExpC[9] * r,
          q5 = kExpC[10] + kExpC[11] * r, q6 = kExpC[12] + kExpC[13] * r;
  const V s0 = q0 + q1 * r2, s1 = q2 + q3 * r2, s2 = q4 + q5 * r2;
  p = (s0 + s1 * r4) + (s2 + q6 * r4) * r8;
}
}  // namespace detail

inline double exp_poly(double x) {
  using namespace detail;
  if (!(x >= -kExpLimit && x <= kExpLimit)) return std::exp(x);
  double t, p;
  exp_parts(x, t, p);
  const std::int64_t shift =
      std::bit_cast<std::int64_t>(t) - std::bit_cast<std::int64_t>(kExpShifter);
  return std::bit_cast<double>(std::bit_cast<std::int64_t>(p) + (shift << 52));
}

namespace lanes {

// exp_poly of each lane. The caller checks lanes_supported() (sim/samplers.hpp).
__attribute__((target("avx2"), always_inline)) inline __m256d exp_poly4(__m256d x) {
  using namespace sim::detail;
  const __m256d inside = _mm256_and_pd(_mm256_cmp_pd(x, _mm256_set1_pd(-kExpLimit), _CMP_GE_OQ),
                                       _mm256_cmp_pd(x, _mm256_set1_pd(kExpLimit), _CMP_LE_OQ));
  const __m256d xc = _mm256_and_pd(x, inside);  // 0 where libm answers
  __m256d t, p;
  exp_parts(xc, t, p);
  const __m256i shift =
      _mm256_sub_epi64(_mm256_castpd_si256(t), _mm256_castpd_si256(_mm256_set1_pd(kExpShifter)));
  __m256d y =
      _mm256_castsi256_pd(_mm256_add_epi64(_mm256_castpd_si256(p), _mm256_slli_epi64(shift, 52)));
  if (__builtin_expect(_mm256_movemask_pd(inside) != 0xF, 0)) {
    alignas(32) double xs[4], ys[4];
    _mm256_store_pd(xs, x);
    _mm256_store_pd(ys, y);
    for (int i = 0; i < 4; ++i)
      if (!(xs[i] >= -kExpLimit && xs[i] <= kExpLimit)) ys[i] = std::exp(xs[i]);
    y = _mm256_load_pd(ys);
  }
  return y;
}

}  // namespace lanes
}  // namespace sim
