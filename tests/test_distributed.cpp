// The pieces of the MPI split that one process can check (docs/distributed.md): blocks of
// whole chunks that cover the paths in rank order, the deal and largest-first assignments,
// exact byte round trips (doubles by their bits, quantile sketches bin for bin), and the
// runners' per-chunk partials, which folded in chunk order give the runners' own bits. The
// split runs themselves are compared with one process under mpirun by ctest's MPI.* cases.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#include "sim/bytes.hpp"
#include "sim/distributed.hpp"
#include "sim/distributed_runner.hpp"

namespace salesim {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(Distributed, BlocksCoverThePathsInWholeChunksInRankOrder) {
  for (std::size_t n : {0, 1, 63, 64, 65, 300, 1000, 4097})
    for (int ranks : {1, 2, 3, 7, 64}) {
      std::size_t at = 0;
      for (int r = 0; r < ranks; ++r) {
        const sim::dist::Block b = sim::dist::block(n, 64, r, ranks);
        EXPECT_EQ(b.begin, at) << n << " " << ranks << " " << r;
        EXPECT_TRUE(b.begin % 64 == 0 || b.begin == n);
        EXPECT_LE(b.end, n);
        at = b.end;
      }
      EXPECT_EQ(at, n);
      // As equal as whole chunks allow: block sizes differ by at most one chunk.
      std::size_t lo = n, hi = 0;
      for (int r = 0; r < ranks; ++r) {
        const auto b = sim::dist::block(n, 64, r, ranks);
        if (b.end == n && n % 64) continue;  // the short last chunk
        lo = std::min(lo, b.size()), hi = std::max(hi, b.size());
      }
      if (lo <= hi) {
        EXPECT_LE(hi - lo, 64u);
      }
    }
}

TEST(Distributed, DealAndLargestFirst) {
  EXPECT_EQ(sim::dist::deal(5, 2), (std::vector<int>{0, 1, 0, 1, 0}));
  // Longest processing time first: 7 to rank 0, 5 and 4 to rank 1 (9), then 3 to rank 0 (10),
  // then 1 to rank 1 (10).
  EXPECT_EQ(sim::dist::largest_first({3, 7, 1, 5, 4}, 2), (std::vector<int>{0, 0, 1, 1, 1}));
  EXPECT_EQ(sim::dist::largest_first({1, 1, 1}, 1), (std::vector<int>{0, 0, 0}));
}

TEST(Distributed, OneRankWithoutALauncher) {
  EXPECT_EQ(sim::dist::size(), 1);
  EXPECT_TRUE(sim::dist::is_root());
  EXPECT_EQ(sim::dist::gather("abc"), (std::vector<std::string>{"abc"}));
  EXPECT_EQ(sim::dist::broadcast("x"), "x");
  EXPECT_TRUE(sim::holds_results(sim::PathSplit::gather_to_root));
  EXPECT_EQ(sim::ranks_of(sim::PathSplit::gather_to_all), 1);
}

TEST(Distributed, BytesRoundTripExactly) {
  const std::vector<double> v{-0.0, std::numeric_limits<double>::quiet_NaN(), 0.1, 1e308,
                              std::numeric_limits<double>::infinity()};
  sim::ByteWriter w;
  w.put_vector(v), w.put_string("plan"), w.put(std::uint8_t(7));
  const std::string bytes = w.take();
  sim::ByteReader r(bytes);
  const auto back = r.get_vector<double>();
  ASSERT_EQ(back.size(), v.size());
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_TRUE(same_bits(back[i], v[i])) << i;
  EXPECT_EQ(r.get_string(), "plan");
  EXPECT_EQ(r.get<std::uint8_t>(), 7);
  EXPECT_TRUE(r.done());
  EXPECT_THROW(r.get<double>(), std::runtime_error);  // a short message is an error
}

TEST(Distributed, SketchSavedAndLoadedGivesTheSameQuantiles) {
  sim::QuantileSketch s;
  for (int i = 0; i < 5000; ++i) s.add(std::exp(0.001 * i) - 2.0);
  s.add(std::numeric_limits<double>::infinity());
  sim::ByteWriter w;
  s.save(w);
  const std::string bytes = w.take();
  sim::ByteReader r(bytes);
  const sim::QuantileSketch back = sim::QuantileSketch::load(r);
  EXPECT_EQ(back.count(), s.count());
  EXPECT_EQ(back.bins(), s.bins());
  EXPECT_EQ(back.count_of_inf(), 1u);
  const std::vector<double> probs{0, 0.1, 0.5, 0.9, 0.999, 1};
  const auto a = s.quantiles(probs), b = back.quantiles(probs);
  for (std::size_t i = 0; i < probs.size(); ++i) {
    ASSERT_EQ(a[i].has_value(), b[i].has_value());
    if (a[i]) {
      EXPECT_TRUE(same_bits(*a[i], *b[i])) << probs[i];
    }
  }
}

// A path function with sums that round differently in another order.
void path_fn(std::uint64_t path, sim::Scratch&, sim::PathSlots& out) {
  const double x = std::sin(double(path) * 1.7) * 1e3 + 1.0 / double(path + 3);
  out.scalars[0] = x;
  for (std::size_t w = 0; w < 4; ++w) out.kept[w] = x * double(w + 1), out.summed[w] = x / 3;
}
const sim::OutputShape kShape{4, 1, 1, 1};
std::unique_ptr<sim::Scratch> no_scratch() { return std::make_unique<sim::Scratch>(); }

TEST(Distributed, ChunkPartialsFoldToTheRunnersBits) {
  sim::RunOptions o;
  o.paths = 1000, o.chunk = 64, o.threads = 2, o.keep_chunk_partials = true;
  const sim::RunOutput run = sim::run_paths(kShape, o, path_fn, no_scratch);
  ASSERT_EQ(run.chunk_sums.size(), 16u * 4);
  std::vector<double> sums(4, 0.0);
  for (std::size_t c = 0; c < 16; ++c)
    for (std::size_t k = 0; k < 4; ++k) sums[k] += run.chunk_sums[c * 4 + k];
  for (std::size_t k = 0; k < 4; ++k) EXPECT_TRUE(same_bits(sums[k], run.sums[k]));

  const sim::StreamOutput so = sim::stream_paths(kShape, {}, o, path_fn, no_scratch);
  ASSERT_EQ(so.chunk_moments.size(), 16u * 5);
  sim::StreamOutput folded = so;
  folded.scalars.assign(1, {}), folded.kept.assign(4, {}), folded.sums.assign(4, 0.0);
  for (std::size_t c = 0; c < 16; ++c)
    sim::fold_chunk(folded, so.chunk_moments.data() + c * 5, so.chunk_sums.data() + c * 4);
  EXPECT_TRUE(same_bits(folded.scalars[0].m2, so.scalars[0].m2));
  EXPECT_TRUE(same_bits(folded.scalars[0].sum, so.scalars[0].sum));
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_TRUE(same_bits(folded.kept[k].m2, so.kept[k].m2));
    EXPECT_TRUE(same_bits(folded.sums[k], so.sums[k]));
  }
  // Without the option nothing is kept (memory stays flat).
  o.keep_chunk_partials = false;
  EXPECT_TRUE(sim::run_paths(kShape, o, path_fn, no_scratch).chunk_sums.empty());
  EXPECT_TRUE(sim::stream_paths(kShape, {}, o, path_fn, no_scratch).chunk_moments.empty());
}

}  // namespace
}  // namespace salesim
