#pragma once
// Binomial draws by inversion for four independent draws at once, in AVX2 lanes (four doubles):
// BinomialTable::draw and binomial_inv's small-count path (sim/small_inversions.hpp), each lane
// giving the same value bit for bit as the scalar call on the same (n, p, u). An experiment for
// the weekly step's flows of four reps at once (models/pipeline_flow_lanes.cpp).
//
// The build is baseline x86-64, so the lane functions carry target("avx2") and the caller
// checks lanes_supported() at run time. They are compiled without "fma": GCC contracts the
// vector mul and add of intrinsics into FMAs when FMA is enabled, which would change the bits.
// Lanes whose draw the scalar code would not answer by the same search (counts past the table
// or above kSmallCount, a crowded guide bucket, p or u outside the range) are finished by the
// scalar call itself, so every lane is exact whatever its input.
#include <immintrin.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "sim/samplers.hpp"

namespace sim::lanes {

// Several BinomialTables flattened for gathers. Per row (n of one table) and guide bucket of u
// (floor(u * 32)) one 32-bit entry: the index in cdf() of the first CDF entry the bucket may
// hold, the count g of entries below the bucket (bits 24-30), and bit 31 when the scalar draw
// must answer (no row, or more than two entries in the bucket). The answer is g plus the number
// of the two entries at the index that lie below u (pads of 2.0 end each row). Row 0 answers 0.
// The rows are read from each BinomialTable (BinomialTable::row); tests/test_binomial_lanes.cpp
// checks every lane's draw against BinomialTable::draw.
class TableSet {
 public:
  static constexpr unsigned kGuide = 32;
  static constexpr std::uint32_t kScalar = 0x80000000u;

  TableSet() { cdf_ = {2.0, 2.0}; }  // the pad that row 0 of every table points at

  // Adds `table` (its rows, read from it); returns its id.
  int add(const BinomialTable* table) {
    const int max_n = table->max_n();
    Table t{std::int32_t(guide_.size()), max_n};
    guide_.resize(guide_.size() + std::size_t(max_n + 1) * kGuide, 0u);  // row 0: pad, g = 0
    for (std::int64_t n = 1; n <= max_n; ++n) {
      std::uint32_t* g = &guide_[std::size_t(t.row0) + std::size_t(n) * kGuide];
      const std::span<const double> row = table->row(n);
      if (row.empty()) {  // binomial_inv answers this count: so does the scalar draw
        for (unsigned b = 0; b < kGuide; ++b) g[b] = kScalar;
        continue;
      }
      const std::size_t off = cdf_.size();
      cdf_.insert(cdf_.end(), row.begin(), row.end());
      cdf_.insert(cdf_.end(), {2.0, 2.0});
      if (cdf_.size() >= (1u << 24)) throw std::length_error("TableSet: too many CDF entries");
      guide_buckets(row, kGuide, [&](unsigned b, std::size_t below_lo, std::size_t below_hi) {
        g[b] = below_hi - below_lo > 2
                   ? kScalar
                   : std::uint32_t(off + below_lo) | std::uint32_t(below_lo << 24);
      });
    }
    tables_.push_back(t);
    return int(tables_.size()) - 1;
  }

  // No pointer to the BinomialTable: a TableSet may be copied or moved with the tables it was
  // built from, so the caller names the table that answers a lane flagged kScalar.
  struct Table {
    std::int32_t row0;  // the guide index of row n = 0
    int max_n;
  };
  const Table& table(int id) const { return tables_[std::size_t(id)]; }
  const std::uint32_t* guide() const { return guide_.data(); }
  const double* cdf() const { return cdf_.data(); }
  std::size_t cdf_size() const { return cdf_.size(); }

 private:
  std::vector<Table> tables_;
  std::vector<std::uint32_t> guide_;
  std::vector<double> cdf_;
};

#define SIM_LANES __attribute__((target("avx2"), always_inline)) inline

// The lane functions' namespace names the gather variant, so that two files built with either
// variant do not define the same function twice.
#ifndef SIM_LANES_GATHER_BY_LOADS
inline namespace by_gathers {
#else
inline namespace by_loads {
// Each lane's two entries by one 16-byte load, then transposed.
SIM_LANES void gather_pair(const double* base, __m128i idx, __m256d& c0, __m256d& c1) {
  const __m256d a = _mm256_setr_m128d(_mm_loadu_pd(base + _mm_cvtsi128_si32(idx)),
                                      _mm_loadu_pd(base + _mm_extract_epi32(idx, 2)));
  const __m256d b = _mm256_setr_m128d(_mm_loadu_pd(base + _mm_extract_epi32(idx, 1)),
                                      _mm_loadu_pd(base + _mm_extract_epi32(idx, 3)));
  c0 = _mm256_unpacklo_pd(a, b);  // lanes 0, 1, 2, 3: a0 b0 | a2 b2 -> entries of 0, 1, 2, 3
  c1 = _mm256_unpackhi_pd(a, b);
}
#endif

// Gathers. By the gather instructions (with an explicit source and a full mask, which avoids
// GCC 12's false "used uninitialized" warning about the plain intrinsics' source), or, with
// SIM_LANES_GATHER_BY_LOADS defined, by four scalar loads each (the indices moved out of the
// register): Zen cores run gathers as many micro-ops, so the loads may be cheaper.
#ifndef SIM_LANES_GATHER_BY_LOADS
SIM_LANES __m128i gather32(const int* base, __m128i idx) {
  return _mm_mask_i32gather_epi32(_mm_setzero_si128(), base, idx, _mm_set1_epi32(-1), 4);
}
SIM_LANES __m256d gather_pd(const double* base, __m128i idx) {
  return _mm256_mask_i32gather_pd(_mm256_setzero_pd(), base, idx,
                                  _mm256_castsi256_pd(_mm256_set1_epi64x(-1)), 8);
}
SIM_LANES __m256i gather64(const long long* base, __m128i idx) {
  return _mm256_mask_i32gather_epi64(_mm256_setzero_si256(), base, idx, _mm256_set1_epi64x(-1), 8);
}
// The entries at idx[i] and idx[i] + 1 of each lane.
SIM_LANES void gather_pair(const double* base, __m128i idx, __m256d& c0, __m256d& c1) {
  c0 = gather_pd(base, idx);
  c1 = gather_pd(base + 1, idx);
}
#else
SIM_LANES __m128i gather32(const int* base, __m128i idx) {
  return _mm_setr_epi32(base[_mm_cvtsi128_si32(idx)], base[_mm_extract_epi32(idx, 1)],
                        base[_mm_extract_epi32(idx, 2)], base[_mm_extract_epi32(idx, 3)]);
}
SIM_LANES __m256d gather_pd(const double* base, __m128i idx) {
  return _mm256_setr_pd(base[_mm_cvtsi128_si32(idx)], base[_mm_extract_epi32(idx, 1)],
                        base[_mm_extract_epi32(idx, 2)], base[_mm_extract_epi32(idx, 3)]);
}
SIM_LANES __m256i gather64(const long long* base, __m128i idx) {
  return _mm256_setr_epi64x(base[_mm_cvtsi128_si32(idx)], base[_mm_extract_epi32(idx, 1)],
                            base[_mm_extract_epi32(idx, 2)], base[_mm_extract_epi32(idx, 3)]);
}
#endif

// Four 64-bit counts (each in [0, 2^31)) as 32-bit lanes.
SIM_LANES __m128i narrow(__m256i v) {
  return _mm256_castsi256_si128(
      _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0)));
}

// u in (0, 1) from 32-bit words as Stream::to_open01_32 makes it: (double(w) + 0.5) * 2^-32,
// double(w) formed exactly from the signed conversion of w - 2^31.
SIM_LANES __m256d open01_32(__m128i w) {
  const __m256d x =
      _mm256_add_pd(_mm256_cvtepi32_pd(_mm_xor_si128(w, _mm_set1_epi32(int(0x80000000u)))),
                    _mm256_set1_pd(2147483648.0));
  return _mm256_mul_pd(_mm256_add_pd(x, _mm256_set1_pd(0.5)), _mm256_set1_pd(0x1.0p-32));
}

// fallback[i]->draw(n[i], u[i]) for each lane i, the table added to ts as id[i]; row0 and max_n
// are that table's (TableSet::table(id[i])), given as vectors so that a caller with the same
// tables every time builds them once.
SIM_LANES __m256i table_draw(const TableSet& ts, const BinomialTable* const* fallback, __m128i row0,
                             __m256i max_n, __m256i n, __m256d u) {
  const __m256i none = _mm256_cmpgt_epi64(_mm256_set1_epi64x(1), n);  // n <= 0: row 0, answer 0
  // Masks for counts of zero: when no lane has a count (stale losses, when every opportunity
  // is worked) the answer is 0 everywhere, and the scalar code's branch is as cheap.
  if (_mm256_movemask_pd(_mm256_castsi256_pd(none)) == 0xF) return _mm256_setzero_si256();
  const __m256i over = _mm256_cmpgt_epi64(n, max_n);
  const __m256i nc = _mm256_andnot_si256(_mm256_or_si256(over, none), n);
  const __m256d ok = _mm256_and_pd(_mm256_cmp_pd(u, _mm256_setzero_pd(), _CMP_GT_OQ),
                                   _mm256_cmp_pd(u, _mm256_set1_pd(1.0), _CMP_LT_OQ));
  const __m128i bucket =
      _mm256_cvttpd_epi32(_mm256_mul_pd(_mm256_and_pd(u, ok), _mm256_set1_pd(TableSet::kGuide)));
  const __m128i at = _mm_add_epi32(_mm_add_epi32(row0, _mm_slli_epi32(narrow(nc), 5)), bucket);
  const __m128i v = gather32(reinterpret_cast<const int*>(ts.guide()), at);
  const __m128i idx = _mm_and_si128(v, _mm_set1_epi32(0x00FFFFFF));
  const __m128i g = _mm_and_si128(_mm_srli_epi32(v, 24), _mm_set1_epi32(0x7F));
  __m256d c0, c1;
  gather_pair(ts.cdf(), idx, c0, c1);
  __m256i k = _mm256_sub_epi64(_mm256_cvtepi32_epi64(g),
                               _mm256_castpd_si256(_mm256_cmp_pd(c0, u, _CMP_LT_OQ)));
  k = _mm256_sub_epi64(k, _mm256_castpd_si256(_mm256_cmp_pd(c1, u, _CMP_LT_OQ)));
  const __m256i scalar =
      _mm256_or_si256(_mm256_or_si256(_mm256_cvtepi32_epi64(v), over),
                      _mm256_andnot_si256(_mm256_castpd_si256(ok), _mm256_set1_epi64x(-1)));
  const int fix = _mm256_movemask_pd(_mm256_castsi256_pd(scalar));
  if (__builtin_expect(fix != 0, 0)) {
    alignas(32) std::int64_t kk[4], nn[4];
    alignas(32) double uu[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(kk), k);
    _mm256_store_si256(reinterpret_cast<__m256i*>(nn), n);
    _mm256_store_pd(uu, u);
    for (int i = 0; i < 4; ++i)
      if (fix >> i & 1) kk[i] = fallback[i]->draw(nn[i], uu[i]);
    k = _mm256_load_si256(reinterpret_cast<const __m256i*>(kk));
  }
  return k;
}

// How binomial_small4 forms the walk's ratio (n - j) / (j + 1): read from kRatios (a gather
// per step), divided (the same correctly rounded quotient), or four steps of each lane's row of
// kRatios loaded at once and transposed.
enum class Ratio { gather, divide, rows };

// One entry of binomial_small's count_row in each lane: k += cdf < u; pmf *= ratio[j] * odds;
// cdf += pmf.
template <Ratio kRatio>
SIM_LANES void count_step(int j, __m128i row, __m128i n32, __m256d odds, __m256d u, __m256i& k,
                          __m256d& pmf, __m256d& cdf, __m256d given = _mm256_setzero_pd()) {
  k = _mm256_sub_epi64(k, _mm256_castpd_si256(_mm256_cmp_pd(cdf, u, _CMP_LT_OQ)));
  __m256d ratio;
  if constexpr (kRatio == Ratio::gather) {
    ratio = gather_pd(&detail::kRatios.r[0][0] + j, row);
  } else if constexpr (kRatio == Ratio::rows) {
    ratio = given;
  } else {
    const __m128i left = _mm_max_epi32(_mm_sub_epi32(n32, _mm_set1_epi32(j)), _mm_setzero_si128());
    ratio = _mm256_div_pd(_mm256_cvtepi32_pd(left), _mm256_set1_pd(double(j + 1)));
  }
  pmf = _mm256_mul_pd(pmf, _mm256_mul_pd(ratio, odds));
  cdf = _mm256_add_pd(cdf, pmf);
}

// Four steps from j0; with Ratio::rows their ratios come from a 4x4 transpose of the lanes'
// rows of kRatios.
template <Ratio kRatio>
SIM_LANES void count_block(int j0, const double* const* rows, __m128i row, __m128i n32,
                           __m256d odds, __m256d u, __m256i& k, __m256d& pmf, __m256d& cdf) {
  __m256d r[4] = {};
  if constexpr (kRatio == Ratio::rows) {
    const __m256d a0 = _mm256_loadu_pd(rows[0] + j0), a1 = _mm256_loadu_pd(rows[1] + j0);
    const __m256d a2 = _mm256_loadu_pd(rows[2] + j0), a3 = _mm256_loadu_pd(rows[3] + j0);
    const __m256d t0 = _mm256_unpacklo_pd(a0, a1), t1 = _mm256_unpackhi_pd(a0, a1);
    const __m256d t2 = _mm256_unpacklo_pd(a2, a3), t3 = _mm256_unpackhi_pd(a2, a3);
    r[0] = _mm256_permute2f128_pd(t0, t2, 0x20), r[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    r[2] = _mm256_permute2f128_pd(t0, t2, 0x31), r[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
  }
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) count_step<kRatio>(j0 + j, row, n32, odds, u, k, pmf, cdf, r[j]);
}

// binomial_inv(n[i], p[i], u[i]) for each lane i, by binomial_small's count of the CDF row's
// entries below u: the same operations in the same order per lane. The lanes share one row
// length (4, 8 or 16 entries, the largest any lane needs): entries past a lane's n repeat its
// last one and the count is capped at n, so the answer is the same as with its own length.
template <Ratio kRatio = Ratio::gather>
SIM_LANES __m256i binomial_small4(__m256i n, __m256d p, __m256d u) {
  const __m256i over = _mm256_cmpgt_epi64(n, _mm256_set1_epi64x(detail::kSmallCount));
  const __m256i some = _mm256_cmpgt_epi64(n, _mm256_setzero_si256());
  if (_mm256_movemask_pd(_mm256_castsi256_pd(some)) == 0) return _mm256_setzero_si256();
  const __m256d p_ok = _mm256_and_pd(_mm256_cmp_pd(p, _mm256_set1_pd(1e-18), _CMP_GT_OQ),
                                     _mm256_cmp_pd(p, _mm256_set1_pd(1.0), _CMP_LT_OQ));
  // Lanes binomial_inv sends to its walk; n <= 0 answers 0 (a row of zero length).
  const __m256i scalar =
      _mm256_or_si256(over, _mm256_andnot_si256(_mm256_castpd_si256(p_ok), some));
  const __m256i nc = _mm256_and_si256(_mm256_andnot_si256(scalar, some), n);
  const __m256d pc = _mm256_blendv_pd(_mm256_set1_pd(0.5), p, p_ok);
  const __m128i n32 = narrow(nc);
  const __m256d q = _mm256_sub_pd(_mm256_set1_pd(1.0), pc);
  const __m256d odds = _mm256_div_pd(pc, q);
  // ipow(q, n): 1 times q^(2^b) for each set bit b of n, in increasing order.
  __m256d pmf = _mm256_set1_pd(1.0), qb = q;
  const __m256i n64 = nc;
#pragma GCC unroll 5
  for (int b = 0; b < 5; ++b) {
    const __m256i bit = _mm256_cmpeq_epi64(_mm256_and_si256(n64, _mm256_set1_epi64x(1 << b)),
                                           _mm256_set1_epi64x(1 << b));
    pmf = _mm256_blendv_pd(pmf, _mm256_mul_pd(pmf, qb), _mm256_castsi256_pd(bit));
    qb = _mm256_mul_pd(qb, qb);
  }
  __m256d cdf = pmf;
  __m256i k = _mm256_setzero_si256();
  const __m128i row = _mm_slli_epi32(n32, 4);  // kRatios.r[n] as an index of doubles
  const int beyond4 = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(n32, _mm_set1_epi32(4))));
  const int beyond8 = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(n32, _mm_set1_epi32(8))));
  const double* rows[4] = {};
  if constexpr (kRatio == Ratio::rows) {
    rows[0] = detail::kRatios.r[_mm_cvtsi128_si32(n32)];
    rows[1] = detail::kRatios.r[_mm_extract_epi32(n32, 1)];
    rows[2] = detail::kRatios.r[_mm_extract_epi32(n32, 2)];
    rows[3] = detail::kRatios.r[_mm_extract_epi32(n32, 3)];
  }
  count_block<kRatio>(0, rows, row, n32, odds, u, k, pmf, cdf);
  if (beyond4) {
    count_block<kRatio>(4, rows, row, n32, odds, u, k, pmf, cdf);
    if (beyond8) {
      count_block<kRatio>(8, rows, row, n32, odds, u, k, pmf, cdf);
      count_block<kRatio>(12, rows, row, n32, odds, u, k, pmf, cdf);
    }
  }
  k = _mm256_blendv_epi8(k, nc, _mm256_cmpgt_epi64(k, nc));  // min(k, n)
  const int fix = _mm256_movemask_pd(_mm256_castsi256_pd(scalar));
  if (__builtin_expect(fix != 0, 0)) {
    alignas(32) std::int64_t kk[4], nn[4];
    alignas(32) double pp[4], uu[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(kk), k);
    _mm256_store_si256(reinterpret_cast<__m256i*>(nn), n);
    _mm256_store_pd(pp, p);
    _mm256_store_pd(uu, u);
    for (int i = 0; i < 4; ++i)
      if (fix >> i & 1) kk[i] = binomial_inv(nn[i], pp[i], uu[i]);
    k = _mm256_load_si256(reinterpret_cast<const __m256i*>(kk));
  }
  return k;
}

}  // inline namespace
#undef SIM_LANES

}  // namespace sim::lanes
