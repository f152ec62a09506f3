#pragma once
// A stable 64-bit hash of text (FNV-1a), the same on every platform and build, for telling
// whether saved results were made from the same input.
#include <cstdint>
#include <string_view>

namespace sim {

constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace sim
