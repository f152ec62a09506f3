#pragma once
// A stable 64-bit hash of text (FNV-1a), the same on every platform and build, for telling
// whether saved results were made from the same input, and for the checksum of a results file.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sim {

inline constexpr std::uint64_t kFnv1a64Offset = 14695981039346656037ull;
inline constexpr std::uint64_t kFnv1a64Prime = 1099511628211ull;

constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = kFnv1a64Offset;
  for (unsigned char c : s) h = (h ^ c) * kFnv1a64Prime;
  return h;
}

// FNV-1a 64 fed piece by piece: Fnv1a64 h; h.add(...); h.value() equals fnv1a64 of all the
// bytes added, in order.
class Fnv1a64 {
 public:
  void add(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint64_t h = h_;
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * kFnv1a64Prime;
    h_ = h;
  }
  void add(std::string_view s) { add(s.data(), s.size()); }
  // A 64-bit number as 8 bytes, least significant first (the same on every platform).
  void add_u64(std::uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    add(b, 8);
  }
  std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = kFnv1a64Offset;
};

}  // namespace sim
