#include "sim/design.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <stdexcept>

#include "sim/random.hpp"

namespace sim {
namespace {

double number(const std::string& text, const std::string& whole) {
  double v = 0;
  const char* b = text.data();
  const char* e = b + text.size();
  auto [ptr, ec] = std::from_chars(b, e, v);
  if (text.empty() || ec != std::errc() || ptr != e || !std::isfinite(v))
    throw std::invalid_argument("'" + whole + "': '" + text + "' is not a number");
  return v;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out(1);
  for (char c : s)
    if (c == sep)
      out.emplace_back();
    else if (c != ' ')
      out.back() += c;
  return out;
}

}  // namespace

std::vector<double> parse_levels(const std::string& text) {
  if (text.find(':') != std::string::npos) {
    const auto parts = split(text, ':');
    if (parts.size() < 2 || parts.size() > 3)
      throw std::invalid_argument("'" + text + "': expected FROM:TO or FROM:TO:STEP");
    const double from = number(parts[0], text), to = number(parts[1], text);
    if (to < from) throw std::invalid_argument("'" + text + "': TO is below FROM");
    if (parts.size() == 2) return {from, to};
    const double step = number(parts[2], text);
    if (step <= 0) throw std::invalid_argument("'" + text + "': STEP must be above 0");
    const double n = std::floor((to - from) / step * (1 + 1e-12) + 1e-9);
    if (n > 1e5) throw std::invalid_argument("'" + text + "': more than 100000 levels");
    std::vector<double> out;
    // Levels as from + i*step (not repeated addition), and one that lands on TO within
    // rounding is TO exactly, so 0:1:0.1 ends at 1. Each is the number of 12 significant digits
    // nearest it, so 0:0.7:0.1 gives 0.3 and not 0.30000000000000004 (a level as written is what
    // a table filtered on it finds).
    for (int i = 0; i <= int(n); ++i) {
      const double v = from + i * step;
      char written[32];
      std::snprintf(written, sizeof written, "%.12g", v);
      out.push_back(std::abs(v - to) < 1e-9 * std::max(1.0, std::abs(to))
                        ? to
                        : std::strtod(written, nullptr));
    }
    return out;
  }
  std::vector<double> out;
  for (const auto& part : split(text, ',')) out.push_back(number(part, text));
  return out;
}

std::vector<std::vector<double>> grid_design(const std::vector<Factor>& factors) {
  std::vector<std::vector<double>> points{{}};
  for (const auto& f : factors) {
    std::vector<std::vector<double>> next;
    for (const auto& p : points)
      for (double v : f.levels) {
        next.push_back(p);
        next.back().push_back(v);
      }
    points = std::move(next);
  }
  return points;
}

std::vector<std::vector<double>> latin_hypercube(const std::vector<Factor>& factors, std::size_t n,
                                                 std::uint64_t seed) {
  std::vector<std::vector<double>> points(n, std::vector<double>(factors.size()));
  for (std::size_t j = 0; j < factors.size(); ++j) {
    const auto [lo, hi] = std::minmax_element(factors[j].levels.begin(), factors[j].levels.end());
    // One stream per factor: adding a factor does not move the others' points.
    Stream s(Address{seed, 0, 0xD5u, std::uint32_t(j), 0});
    std::vector<std::size_t> strata(n);
    std::iota(strata.begin(), strata.end(), 0);
    for (std::size_t i = n; i > 1; --i)  // Fisher-Yates
      std::swap(strata[i - 1], strata[std::size_t(s.next_uniform() * double(i))]);
    for (std::size_t i = 0; i < n; ++i)
      points[i][j] = *lo + (double(strata[i]) + s.next_uniform()) / double(n) * (*hi - *lo);
  }
  return points;
}

}  // namespace sim
