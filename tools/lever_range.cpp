#include "tools/lever_range.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "models/key_path.hpp"
#include "models/keys.hpp"
#include "tools/cli.hpp"

namespace salesim::tools {

std::string lever_share_hint(const Lever& l, double v) {
  return percent_unit(l.unit) ? share_hint(v, l.lo, l.hi, l.unit) : "";
}

std::string lever_text(double v) { return std::isnan(v) ? "not set" : fmt::format("{:.10g}", v); }

double tidy_value(double v, double resolution) {
  const double step = std::pow(10.0, std::floor(std::log10(resolution)));
  return std::stod(fmt::format("{:.12g}", std::round(v / step) * step));
}

std::string lever_identity(const Scenario& sc, const std::string& plan, const std::string& path) {
  std::optional<ListKey> k;
  try {
    k = parse_list_key(path);
  } catch (const std::invalid_argument&) {
    return path;
  }
  if (!k) return path;
  const bool digits = !k->item.empty() && std::all_of(k->item.begin(), k->item.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  auto indexed = [&](std::size_t i) { return fmt::format("{}[{}].{}", k->list, i, k->field); };
  if (digits) return k->item.size() < 10 ? indexed(std::stoul(k->item)) : path;
  // A name: its index is its place among the plan's items, which list_levers gives in order
  // (each item has at least one value key, named by its name where that is unique).
  std::size_t index = 0;
  std::string last;
  for (const Lever& l : list_levers(sc, plan)) {
    const auto lk = parse_list_key(l.path);
    if (!lk || lk->list != k->list) continue;
    if (!last.empty() && lk->item != last) ++index;
    last = lk->item;
    if (lk->item == k->item) return indexed(index);
  }
  return path;
}

LeverRange parse_lever_range(const Scenario& sc, const std::string& plan, const std::string& text,
                             const std::string& option) {
  const auto eq = text.rfind('=');
  const auto colon = eq == std::string::npos ? eq : text.find(':', eq);
  if (eq == std::string::npos || eq == 0 || colon == std::string::npos)
    throw BadInput(
        fmt::format("{} '{}': expected KEY=LO:HI, e.g. 'hiring[0].count=0:30' or "
                    "prospecting.target_hours=8:20",
                    option, text));
  LeverRange r;
  const std::string key = text.substr(0, eq);
  try {
    // A key the plan leaves null can still be searched: every value is given explicitly.
    r.lever = find_lever(sc, plan, key, true);
  } catch (const std::invalid_argument& e) {
    throw BadInput(fmt::format("{} {}: {}", option, key, e.what()));
  }
  const Lever& l = r.lever;
  const std::string range = fmt::format("{}[{}, {}{}", l.integer ? "(a whole number) " : "",
                                        lever_text(l.lo), lever_text(l.hi), l.hi_open ? ")" : "]");
  auto number = [&](const std::string& s, const char* which) {
    std::string why;
    const auto v = parse_number(s, true, why);
    if (!v || !std::isfinite(*v))
      throw BadInput(
          fmt::format("{} {}: {} '{}' is not a number; expected KEY=LO:HI with LO < HI "
                      "in the key's range {}",
                      option, key, which, s, range));
    if (l.integer && *v != std::round(*v))
      throw BadInput(fmt::format("{} {}: {} {} is not a whole number; the key takes whole numbers",
                                 option, key, which, s));
    if (fit_to_lever(l, *v) != *v)
      throw BadInput(fmt::format("{} {}: {} {} is outside the key's range {}{}", option, key, which,
                                 lever_text(*v), range, lever_share_hint(l, *v)));
    return *v;
  };
  r.lo = number(text.substr(eq + 1, colon - eq - 1), "LO");
  r.hi = number(text.substr(colon + 1), "HI");
  if (!(r.lo < r.hi))
    throw BadInput(fmt::format("{} {}: LO {} is not below HI {}; expected KEY=LO:HI with LO < HI",
                               option, key, lever_text(r.lo), lever_text(r.hi)));
  return r;
}

}  // namespace salesim::tools
