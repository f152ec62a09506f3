#pragma once
// Addressed random numbers. Every draw is a pure function of
// (seed, path, process, entity, week, slot) through the counter-based Philox4x64-10
// generator of Random123: key = (seed, path), counter = (process:entity, week, slot / 4).
// Nothing depends on the thread that asks, so results are the same for any thread count
// and two runs that ask for the same address get the same number (common random numbers).
#include <Random123/philox.h>

#include <atomic>
#include <cstdint>
#include <limits>

namespace sim {

#ifdef SALESIM_COUNT_PHILOX
// A diagnostic build only (-DSALESIM_COUNT_PHILOX): counts Philox blocks, so the benchmark can
// say how many a rep-week costs. Off in every normal build.
inline std::atomic<std::uint64_t> philox_blocks{0};
#endif

struct Address {
  std::uint64_t seed = 0;
  std::uint64_t path = 0;
  std::uint32_t process = 0;
  std::uint32_t entity = 0;
  std::uint32_t week = 0;
};

// A stream of uniforms at one (seed, path, process, entity, week). Slots are numbered from 0;
// draws can be taken in sequence (next_*) or by slot (uniform_at). Each Philox call yields four
// 64-bit words, so four consecutive slots cost one call. Also a UniformRandomBitGenerator, so
// Boost.Random distributions can draw from it in sequence.
class Stream {
 public:
  using result_type = std::uint64_t;
  using Philox = r123::Philox4x64;

  explicit Stream(const Address& a) {
    key_ = Philox::key_type{{a.seed, a.path}};
    ctr_ = Philox::ctr_type{{(std::uint64_t(a.process) << 32) | a.entity, a.week, 0, 0}};
  }

  // Block b of the stream: its four 64-bit words (slots 4b .. 4b + 3), computed, not cached.
  Philox::ctr_type block(std::uint64_t b) const {
    Philox::ctr_type ctr = ctr_;
    ctr.v[2] = b;
#ifdef SALESIM_COUNT_PHILOX
    philox_blocks.fetch_add(1, std::memory_order_relaxed);
#endif
    return Philox()(ctr, key_);
  }

  // The raw 64-bit word of a slot.
  std::uint64_t word_at(std::uint64_t slot) {
    const std::uint64_t b = slot >> 2;
    if (b != cached_block_) {
      out_ = block(b);
      cached_block_ = b;
    }
    return out_.v[slot & 3];
  }
  // Uniform on the open interval (0, 1): 52 random bits and a half-step offset, so neither 0
  // nor 1 can occur (53 bits would round the largest word to 1.0).
  double uniform_at(std::uint64_t slot) { return to_open01(word_at(slot)); }

  // 32-bit slots, eight to a block: slot i is the low (even i) or high (odd i) half of 64-bit
  // slot i / 2. A stream is read either by 64-bit or by 32-bit slots, not both. The engine's
  // per-rep-week draws use these: a rep's whole week (about fifteen draws) fits in two blocks.
  std::uint32_t word32_at(std::uint64_t slot) {
    return std::uint32_t(word_at(slot >> 1) >> ((slot & 1) * 32));
  }
  // Uniform on (0, 1) from 32 bits with a half-step offset: resolution 2^-32, enough for the
  // inversion samplers (their smallest probabilities are far above it).
  double uniform32_at(std::uint64_t slot) { return to_open01_32(word32_at(slot)); }

  // Sequential use: the next slot after the last one taken in sequence.
  std::uint64_t operator()() { return word_at(next_++); }
  double next_uniform() { return uniform_at(next_++); }
  std::uint64_t next_slot() const { return next_; }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  static double to_open01(std::uint64_t w) { return (double(w >> 12) + 0.5) * 0x1.0p-52; }
  static double to_open01_32(std::uint32_t w) { return (double(w) + 0.5) * 0x1.0p-32; }

 private:
  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type out_{};
  std::uint64_t cached_block_ = ~std::uint64_t(0);
  std::uint64_t next_ = 0;
};

// A stream whose first Blocks Philox blocks are computed when it is made: the calls are
// independent, so they overlap in the pipeline, and reading a slot inside them is an array
// read without the cache check. Slots beyond them come from the stream as usual. Read by 32-bit
// slots only (the rep-week draws, models/rep_week.hpp). Same values as Stream::uniform32_at.
template <int Blocks>
class EagerStream32 {
 public:
  static constexpr int eager_words = 4 * Blocks;
  static constexpr int eager_slots = 8 * Blocks;

  EagerStream32() : stream_(Address{}), words_{} {}  // reset() before use
  explicit EagerStream32(const Address& a) : stream_(a) { compute(a, words_); }
  // From the words compute(a, ...) gave earlier (sim/draw_cache.hpp): the same values.
  EagerStream32(const Address& a, const std::uint64_t* words) : stream_(a) {
    for (int i = 0; i < eager_words; ++i) words_[i] = words[i];
  }
  // In place, as the constructors would (words: as above, or null to compute them): one object
  // reused rep after rep is not built and copied each time.
  void reset(const Address& a, const std::uint64_t* words) {
    stream_ = Stream(a);
    if (words)
      for (int i = 0; i < eager_words; ++i) words_[i] = words[i];
    else
      compute(a, words_);
  }

  // The first Blocks blocks of the stream at a, as eager_words 64-bit words.
  static void compute(const Address& a, std::uint64_t* words) {
    const Stream s(a);
    for (int b = 0; b < Blocks; ++b) {
      const Stream::Philox::ctr_type out = s.block(std::uint64_t(b));
      for (int i = 0; i < 4; ++i) words[4 * b + i] = out.v[i];
    }
  }

  // The eager slots' words: slot i is the low (even i) or high (odd i) half of word i / 2.
  const std::uint64_t* words() const { return words_; }

  double uniform32_at(std::uint64_t slot) {
    if (slot < std::uint64_t(eager_slots))
      return Stream::to_open01_32(std::uint32_t(words_[slot >> 1] >> ((slot & 1) * 32)));
    return stream_.uniform32_at(slot);
  }

 private:
  Stream stream_;
  std::uint64_t words_[eager_words];
};

}  // namespace sim
