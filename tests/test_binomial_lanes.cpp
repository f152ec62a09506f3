// sim/binomial_lanes.hpp: every lane gives the scalar draw's value, bit for bit, for the
// tabulated binomials (BinomialTable::draw) and the small-count conversions (binomial_inv),
// with the lanes' inputs mixed (counts, tables, probabilities) so that a lane's answer cannot
// borrow another's, and with the inputs the scalar code sends elsewhere (counts past the table
// or above 16, p outside (1e-18, 1), u at the ends and on the CDF's entries).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "sim/binomial_lanes.hpp"

namespace {

using sim::lanes::Ratio;

__attribute__((target("avx2"))) void table_lanes(const sim::lanes::TableSet& ts, const int* id,
                                                 const sim::BinomialTable* const* scalar,
                                                 const std::int64_t* n, const double* u,
                                                 std::int64_t* out) {
  const __m128i row0 = _mm_setr_epi32(ts.table(id[0]).row0, ts.table(id[1]).row0,
                                      ts.table(id[2]).row0, ts.table(id[3]).row0);
  const __m256i max_n = _mm256_setr_epi64x(ts.table(id[0]).max_n, ts.table(id[1]).max_n,
                                           ts.table(id[2]).max_n, ts.table(id[3]).max_n);
  const __m256i k = sim::lanes::table_draw(ts, scalar, row0, max_n,
                                           _mm256_loadu_si256(reinterpret_cast<const __m256i*>(n)),
                                           _mm256_loadu_pd(u));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), k);
}

template <Ratio kRatio>
__attribute__((target("avx2"))) void small_lanes(const std::int64_t* n, const double* p,
                                                 const double* u, std::int64_t* out) {
  const __m256i k =
      sim::lanes::binomial_small4<kRatio>(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(n)),
                                          _mm256_loadu_pd(p), _mm256_loadu_pd(u));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), k);
}

__attribute__((target("avx2"))) void uniforms(const std::uint32_t* w, double* u) {
  _mm256_storeu_pd(u, sim::lanes::open01_32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w))));
}

// Uniforms where the answers change: the ends, the guide's bucket edges, the CDF's entries and
// their neighbours, and 32-bit uniforms as the engine makes them.
std::vector<double> hard_uniforms(double p, int max_n, int random, std::mt19937_64& rng) {
  std::vector<double> u = {
      0.0, 1.0, -0.5, 1.5, std::numeric_limits<double>::quiet_NaN(), 0x1.0p-33, 1.0 - 0x1.0p-33};
  for (int b = 0; b <= 32; ++b) {
    const double edge = b / 32.0;
    u.insert(u.end(), {edge, std::nextafter(edge, 0.0), std::nextafter(edge, 1.0)});
  }
  for (int n = 1; n <= std::min(max_n, 20); ++n) {  // each row's first entry, q^n
    const double c = std::pow(1 - p, n);
    u.insert(u.end(), {c, std::nextafter(c, 0.0), std::nextafter(c, 1.0)});
  }
  for (int i = 0; i < random; ++i)
    u.push_back(sim::Stream::to_open01_32(std::uint32_t(rng() >> 32)));
  return u;
}

TEST(BinomialLanes, OpenUniformsAreTheScalarOnes) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20000; ++i) {
    std::uint32_t w[4] = {std::uint32_t(rng()), 0u, 0xFFFFFFFFu, 0x80000000u};
    if (i % 2) w[1] = std::uint32_t(rng()), w[3] = 0x7FFFFFFFu;
    double u[4];
    uniforms(w, u);
    for (int l = 0; l < 4; ++l) ASSERT_EQ(u[l], sim::Stream::to_open01_32(w[l])) << w[l];
  }
}

TEST(BinomialLanes, TableDrawsAreBinomialTableDraws) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  const double ps[] = {0.5, 0.35, 0.3, 0.08, 0.05, 0.03, 0.9, 0.001, 0.0, 1.0, 0.6};
  constexpr int kMax = 64;
  std::vector<sim::BinomialTable> tables;
  tables.reserve(std::size(ps));
  sim::lanes::TableSet ts;
  for (double p : ps) {
    tables.emplace_back(p, kMax);
    ts.add(&tables.back());
  }
  std::mt19937_64 rng(11);
  std::size_t checked = 0;
  for (int t = 0; t < int(std::size(ps)); ++t) {
    std::vector<double> us = hard_uniforms(ps[t], kMax, 300, rng);
    for (int i = 0; i < 300; ++i) {  // entries of the rows themselves, and their neighbours
      const double c = ts.cdf()[rng() % ts.cdf_size()];
      us.insert(us.end(), {c, std::nextafter(c, 0.0), std::nextafter(c, 1.0)});
    }
    for (int n = -1; n <= 90; ++n)
      for (double u0 : us) {
        // Lane 0 the case; the others random tables, counts and uniforms.
        int id[4] = {t};
        std::int64_t nn[4] = {n};
        double uu[4] = {u0};
        for (int l = 1; l < 4; ++l) {
          id[l] = int(rng() % std::size(ps));
          nn[l] = std::int64_t(rng() % 80);
          uu[l] = sim::Stream::to_open01_32(std::uint32_t(rng()));
        }
        std::int64_t got[4];
        const sim::BinomialTable* scalar[4];
        for (int l = 0; l < 4; ++l) scalar[l] = &tables[std::size_t(id[l])];
        table_lanes(ts, id, scalar, nn, uu, got);
        for (int l = 0; l < 4; ++l)
          ASSERT_EQ(got[l], tables[std::size_t(id[l])].draw(nn[l], uu[l]))
              << "p " << ps[id[l]] << " n " << nn[l] << " u " << uu[l] << " lane " << l;
        checked += 4;
      }
  }
  EXPECT_GT(checked, 1000000u);
}

template <Ratio kRatio>
void check_small() {
  const double ps[] = {
      0.3,   0.55, 0.4, 0.7, 0.45,  0.8, 0.05,           0.95, 1e-18,
      2e-18, 1e-9, 0.0, 1.0, -0.25, 1.5, 1.0 - 0x1.0p-53};  // (NaN throws in the scalar walk)
  std::mt19937_64 rng(kRatio == Ratio::gather ? 3 : 4);
  std::size_t checked = 0;
  for (double p : ps) {
    const std::vector<double> us = hard_uniforms(p, 20, 4000, rng);
    for (int n = -1; n <= 20; ++n)
      for (double u0 : us) {
        std::int64_t nn[4] = {n};
        double pp[4] = {p}, uu[4] = {u0};
        for (int l = 1; l < 4; ++l) {  // small counts mostly, so lane 0 sets the row's length
          nn[l] = std::int64_t(rng() % (l == 3 ? 18 : 5));
          pp[l] = 0.2 + 0.7 * double(rng() >> 11) * 0x1.0p-53;
          uu[l] = sim::Stream::to_open01_32(std::uint32_t(rng()));
        }
        std::int64_t got[4];
        small_lanes<kRatio>(nn, pp, uu, got);
        for (int l = 0; l < 4; ++l)
          ASSERT_EQ(got[l], sim::binomial_inv(nn[l], pp[l], uu[l]))
              << "p " << pp[l] << " n " << nn[l] << " u " << uu[l] << " lane " << l;
        checked += 4;
      }
  }
  EXPECT_GT(checked, 1000000u);
}

TEST(BinomialLanes, SmallConversionsAreBinomialInvGather) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  check_small<Ratio::gather>();
}
TEST(BinomialLanes, SmallConversionsAreBinomialInvRows) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  check_small<Ratio::rows>();
}
TEST(BinomialLanes, SmallConversionsAreBinomialInvDivide) {
  if (!sim::lanes::lanes_supported()) GTEST_SKIP() << "no AVX2";
  check_small<Ratio::divide>();
}

}  // namespace
