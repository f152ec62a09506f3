#pragma once
// UTF-8 text by characters (code points), not bytes: for names in tables and messages. A byte
// that does not start a valid character counts as one character of its own (U+FFFD), so text
// that is not UTF-8 (a file name from the command line) is never read past its end.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sim::utf8 {

struct Char {
  char32_t code = 0;    // U+FFFD for a byte that starts no valid character
  std::size_t len = 1;  // its bytes
};

// The character that starts at s[i] (i < s.size()).
inline Char at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
  if (len == 0 || i + len > s.size()) return {0xFFFD, 1};
  char32_t code = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {0xFFFD, 1};
    code = (code << 6) | (b & 0x3F);
  }
  return {code, len};
}

inline std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const Char c = at(s, i);
    out.push_back(c.code);
    i += c.len;
  }
  return out;
}

// Characters in s.
inline std::size_t length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); i += at(s, i).len) ++n;
  return n;
}

// At most `n` characters of s, never cutting one in two.
inline std::string first(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t k = 0; k < n && i < s.size(); ++k) i += at(s, i).len;
  return std::string(s.substr(0, i));
}

// Characters a name cannot show: controls (C0, DEL, C1) and the invisible ones that change how
// a terminal or a table draws the text (zero widths, direction overrides, line separators).
inline bool invisible(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD || c == 0x061C || c == 0x180E ||
         (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) ||
         (c >= 0xE0000 && c <= 0xE007F);
}

}  // namespace sim::utf8
