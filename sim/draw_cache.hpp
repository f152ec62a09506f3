#pragma once
// The first blocks of many streams of one path, computed once and read again. Runs of the same
// path read the same addresses (common random numbers: sim/random.hpp), so when several of them
// follow one another on a thread (the plans of a scenario on one path), every run after the
// first finds its blocks here instead of computing them. A block is a pure function of its
// address, so an entry is valid for as long as the seed, path and process are the same.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/random.hpp"

namespace sim {

template <int Blocks>
class EagerBlockCache {
 public:
  static constexpr int words_per_entry = EagerStream32<Blocks>::eager_words;

  // Entries are kept for the streams of (seed, path, process) at entities 0, 1, ... and weeks
  // 0 .. weeks - 1; starting on another path (or another seed, process or week count) forgets
  // them all.
  void start(std::uint64_t seed, std::uint64_t path, std::uint32_t process, int weeks) {
    if (seed == seed_ && path == path_ && process == process_ && weeks == weeks_) return;
    if (weeks != weeks_) entities_ = 0, filled_.clear(), words_.clear();
    seed_ = seed, path_ = path, process_ = process, weeks_ = weeks;
    std::fill(filled_.begin(), filled_.end(), std::uint8_t(0));  // the words stay allocated
  }

  // The first Blocks blocks of the stream at a, computed on first use; nullptr when a is not an
  // address this cache keeps (the caller computes them itself). Valid until the next call.
  const std::uint64_t* words(const Address& a) {
    if (a.seed != seed_ || a.path != path_ || a.process != process_ || weeks_ <= 0 ||
        a.week >= std::uint32_t(weeks_))
      return nullptr;
    if (a.entity >= entities_ && !grow(a.entity + 1)) return nullptr;
    const std::size_t e = std::size_t(a.entity) * std::size_t(weeks_) + a.week;
    std::uint64_t* w = &words_[e * words_per_entry];
    if (!filled_[e]) {
      EagerStream32<Blocks>::compute(a, w);
      filled_[e] = 1;
    }
    return w;
  }

 private:
  // At most this many bytes of words per cache (per thread): beyond what the caches hold, a
  // kept block is no cheaper than a computed one, and a team of 100,000 reps must not take
  // gigabytes. Entities past the limit are simply not kept.
  static constexpr std::size_t kMaxBytes = std::size_t(16) << 20;

  bool grow(std::uint32_t entities) {
    const std::size_t per_entity = std::size_t(weeks_) * words_per_entry * sizeof(std::uint64_t);
    const auto limit = std::uint32_t(
        std::min<std::size_t>(kMaxBytes / per_entity, std::numeric_limits<std::uint32_t>::max()));
    if (entities > limit) return false;
    // Entities in steps, so a team that hires one by one does not copy the cache each time.
    entities_ = std::min(limit, std::max(entities, entities_ + entities_ / 2 + 8));
    const std::size_t n = std::size_t(entities_) * std::size_t(weeks_);
    filled_.resize(n, 0);
    words_.resize(n * words_per_entry);
    return true;
  }

  std::uint64_t seed_ = 0, path_ = ~std::uint64_t(0);
  std::uint32_t process_ = 0;
  int weeks_ = 0;
  std::uint32_t entities_ = 0;
  std::vector<std::uint8_t> filled_;  // [entity * weeks + week]
  std::vector<std::uint64_t> words_;  // [(entity * weeks + week) * words_per_entry + i]
};

}  // namespace sim
