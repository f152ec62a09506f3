#pragma once
// poisson_inv (sim/samplers.hpp) for four independent draws at once, in AVX2 lanes: each lane
// gives the scalar draw's value bit for bit. The blocks of poisson_blocks
// (sim/small_inversions.hpp) run in every lane together, with the same operations in the same
// order per lane; a lane that has found its count adds nothing more (its CDF only grows), and
// the loop ends when every lane's has. exp(-lambda) is exp_poly's, in lanes, as in the scalar
// draw (sim/exp_poly.hpp).
// Lanes the scalar draw would send to its walk (a mean outside (1e-3, 30), a u past the 64th
// entry) are finished by the scalar call. The caller checks sim::lanes::lanes_supported().
#include <immintrin.h>

#include <cmath>
#include <cstdint>

#include "sim/exp_poly.hpp"
#include "sim/samplers.hpp"

namespace sim::lanes {

// poisson_inv(lambda[i], u[i]) for each lane i.
__attribute__((target("avx2"))) inline void poisson_inv4(const double* lambda, const double* u,
                                                         std::int64_t* out) {
  const __m256d given = _mm256_loadu_pd(lambda), uu = _mm256_loadu_pd(u);
  const __m256d blocked =
      _mm256_and_pd(_mm256_cmp_pd(given, _mm256_set1_pd(1e-3), _CMP_GT_OQ),
                    _mm256_cmp_pd(given, _mm256_set1_pd(detail::kPoissonBlockedBelow), _CMP_LT_OQ));
  int walk = ~_mm256_movemask_pd(blocked) & 0xF;  // lanes for the scalar call
  // Any mean the blocks can run where the lane is redone.
  const __m256d lam = _mm256_blendv_pd(_mm256_set1_pd(1.0), given, blocked);
  __m256d pmf = exp_poly4(_mm256_sub_pd(_mm256_setzero_pd(), lam)), cdf = pmf;
  __m256i k = _mm256_setzero_si256();
  int found = 0;
  for (int block = 0; block < 64 && found != 0xF; block += 8) {
    __m256d block_last = cdf;
#pragma GCC unroll 8
    for (int j = block; j < block + 8; ++j) {
      k = _mm256_sub_epi64(k, _mm256_castpd_si256(_mm256_cmp_pd(cdf, uu, _CMP_LT_OQ)));
      block_last = cdf;
      pmf = _mm256_mul_pd(pmf, _mm256_div_pd(lam, _mm256_set1_pd(double(j + 1))));
      cdf = _mm256_add_pd(cdf, pmf);
    }
    found = _mm256_movemask_pd(_mm256_cmp_pd(block_last, uu, _CMP_GE_OQ));
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), k);
  walk |= ~found & 0xF;  // past the 64th entry (or u not in (0, 1)): the walk decides
  if (__builtin_expect(walk != 0, 0))
    for (int i = 0; i < 4; ++i)
      if (walk >> i & 1) out[i] = poisson_inv(lambda[i], u[i]);
}

}  // namespace sim::lanes
