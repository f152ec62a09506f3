#include "tools/sweep_keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <set>

#include "models/keys.hpp"
#include "tools/cli.hpp"
#include "tools/lever_range.hpp"

namespace salesim::tools {
namespace {

// VALUES with the file's friendly numbers written out (10k -> 10000, 5% -> 0.05), as goal-seek
// and optimize read them. Throws std::invalid_argument naming a part that is no number.
std::string plain_values(const std::string& text) {
  std::string out, part;
  auto flush = [&] {
    char* end = nullptr;
    std::strtod(part.c_str(), &end);
    std::string why;
    if (part.empty() || end == part.c_str() + part.size()) {
      out += part;  // plain, or empty (parse_levels says what it expected)
    } else if (const auto v = parse_number(part, true, why); v && std::isfinite(*v)) {
      out += fmt::format("{}", *v);
    } else {
      throw std::invalid_argument(fmt::format("'{}': '{}' is not a number{}", text, part,
                                              why.empty() ? "" : " (" + why + ")"));
    }
    part.clear();
  };
  for (char c : text) {
    if (c == ',' || c == ':') {
      flush();
      out += c;
    } else if (c != ' ') {
      part += c;
    }
  }
  flush();
  return out;
}

// Throws BadInput when x is outside the key's range, or not whole for a whole-number key on a
// grid (a Latin hypercube rounds its points; its ends may lie between whole numbers).
void check_level(const Lever& l, const std::string& key, double x, bool lhs, const char* option) {
  const std::string range = fmt::format("[{}, {}{}", l.lo, l.hi, l.hi_open ? ")" : "]");
  Lever any = l;
  any.integer = false;  // the range alone
  if (fit_to_lever(any, x) != x)
    throw BadInput(fmt::format("{} {}: {} is outside the key's range {}{}{}", option, key,
                               level_text(x), l.integer ? "(a whole number) " : "", range,
                               lever_share_hint(l, x)));
  if (l.integer && !lhs && x != std::round(x))
    throw BadInput(fmt::format("{} {}: {} is not a whole number; the key takes whole numbers in {}",
                               option, key, level_text(x), range));
}

// A value given twice in one --vary would run the same point twice: a range FROM:TO with
// FROM = TO is its one value; a list naming a value twice is refused.
void drop_repeated_levels(sim::Factor& f, const std::string& values) {
  std::vector<double> kept;
  std::set<double> seen;
  for (double x : f.levels) {
    if (seen.insert(x).second) {
      kept.push_back(x);
    } else if (values.find(':') == std::string::npos) {
      throw BadInput(fmt::format("--vary {}: {} is given twice", f.name, level_text(x)));
    }
  }
  f.levels = std::move(kept);
}

// A plain number, or nullopt (parse_levels then says what is wrong).
std::optional<double> plain_number(const std::string& s) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

// VALUES of a --with: as --vary's, and a range may also run down (20:13:1 is 20, 19, .., 13),
// for a key that falls as the varied one rises (reps moved from one segment to another).
std::vector<double> tied_levels(const std::string& text) {
  const std::string plain = plain_values(text);
  const auto a = plain.find(':'), b = plain.rfind(':');
  if (std::count(plain.begin(), plain.end(), ':') == 2) {
    const auto from = plain_number(plain.substr(0, a));
    const auto to = plain_number(plain.substr(a + 1, b - a - 1));
    if (from && to && *to < *from) {
      // Down from FROM is up from -FROM: the same levels, the same check of STEP.
      auto down = sim::parse_levels(fmt::format("{}:{}:{}", -*from, -*to, plain.substr(b + 1)));
      for (double& x : down) x = -x;
      return down;
    }
  }
  return sim::parse_levels(plain);
}

// KEY=VALUES of `option`: the key checked against the plan's keys, its values against its range.
std::pair<sim::Factor, Lever> read_key_values(const Scenario& sc, const std::string& plan,
                                              const std::string& text, const char* option,
                                              bool tied, bool lhs, bool quiet) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw BadInput(fmt::format(
        "{} '{}': expected KEY=VALUES, e.g. prospecting.target_hours=10,15,20 or =10:20:5", option,
        text));
  sim::Factor f{text.substr(0, eq), {}};
  Lever lever;
  try {
    // Explicit values can set a key the plan leaves null.
    lever = find_lever(sc, plan, f.name, true);
    const std::string values = text.substr(eq + 1);
    f.levels = tied ? tied_levels(values) : sim::parse_levels(plain_values(values));
  } catch (const std::invalid_argument& e) {
    throw BadInput(fmt::format("{} {}: {}", option, f.name, e.what()));
  }
  for (double x : f.levels) check_level(lever, f.name, x, lhs, option);
  // FROM:TO on a grid is its two ends: said, as "0:400" may be read as every value between.
  if (const std::string values = text.substr(eq + 1);
      !quiet && !lhs && !tied && std::count(values.begin(), values.end(), ':') == 1 &&
      f.levels.size() == 2 && f.levels[0] != f.levels[1])
    std::cerr << fmt::format(
        "salesim: notice: {} {} has no step, so the grid takes its two ends only, {} and {} "
        "(write FROM:TO:STEP for the values between)\n",
        option, text, lever_text(f.levels[0]), lever_text(f.levels[1]));
  // The key names a dataset of the HDF5 table, where '/' would mean a group.
  if (f.name.find('/') != std::string::npos)
    throw BadInput(
        fmt::format("{} {}: a key with '/' cannot name a column of the table; name the item by its "
                    "index instead, as in training[0].efficacy",
                    option, f.name));
  return {std::move(f), std::move(lever)};
}

// One item named by index and by name is one key: the later value would win.
void check_not_given(const Scenario& sc, const std::string& plan,
                     const std::vector<std::string>& given, const std::string& key,
                     const char* option) {
  for (const auto& g : given)
    if (lever_identity(sc, plan, g) == lever_identity(sc, plan, key))
      throw BadInput(
          g == key ? fmt::format("{} {}: given twice", option, key)
                   : fmt::format("{} {}: given twice (as {}: the same item)", option, key, g));
}

}  // namespace

std::string level_text(double v) { return fmt::format("{}", v); }

std::vector<SweepKey> read_sweep_keys(const Scenario& sc, const std::string& plan,
                                      const SweepKeyArgs& a) {
  const bool lhs = a.lhs;
  // A Latin hypercube draws each key on its own: no values to pair one to one.
  if (lhs && !a.with.empty())
    throw BadInput(fmt::format(
        "--with {}: ties values one to one on a grid; --design lhs draws each --vary key on its "
        "own (give the tied values with --design grid)",
        a.with.front()));
  std::vector<SweepKey> keys;
  std::vector<std::string> given;
  for (const auto& v : a.vary) {
    auto [f, lever] = read_key_values(sc, plan, v, "--vary", false, lhs, a.quiet);
    if (!lhs) drop_repeated_levels(f, v.substr(v.find('=') + 1));
    check_not_given(sc, plan, given, f.name, "--vary");
    given.push_back(f.name);
    keys.push_back({std::move(f), std::move(lever), {}});
  }
  for (std::size_t i = 0; i < a.with.size(); ++i) {
    SweepKey& k = keys.at(a.with_vary.at(i));
    auto [f, lever] = read_key_values(sc, plan, a.with[i], "--with", true, false, a.quiet);
    check_not_given(sc, plan, given, f.name, "--with");
    given.push_back(f.name);
    if (f.levels.size() != k.factor.levels.size())
      throw BadInput(fmt::format(
          "--with {}: {} values, where --vary {} has {}; a key moved in step takes one value for "
          "each value of the key it follows",
          f.name, f.levels.size(), k.factor.name, k.factor.levels.size()));
    k.with.push_back(std::move(f));
  }
  return keys;
}

std::vector<sim::Factor> factors_of(const std::vector<SweepKey>& keys) {
  std::vector<sim::Factor> out;
  for (const auto& k : keys) out.push_back(k.factor);
  return out;
}

std::vector<std::string> key_names(const std::vector<SweepKey>& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys) {
    out.push_back(k.factor.name);
    for (const auto& w : k.with) out.push_back(w.name);
  }
  return out;
}

std::vector<std::pair<std::string, double>> point_values(const std::vector<SweepKey>& keys,
                                                         const std::vector<double>& point) {
  std::vector<std::pair<std::string, double>> values;
  for (std::size_t j = 0; j < keys.size(); ++j) {
    values.emplace_back(keys[j].factor.name, point[j]);
    const auto& levels = keys[j].factor.levels;
    const auto at = std::size_t(std::find(levels.begin(), levels.end(), point[j]) - levels.begin());
    for (const auto& w : keys[j].with) values.emplace_back(w.name, w.levels.at(at));
  }
  return values;
}

}  // namespace salesim::tools
