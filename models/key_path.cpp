#include "models/key_path.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "models/format_upgrade.hpp"
#include "models/keys.hpp"

namespace salesim {
namespace {

const char* const kLists[] = {"hiring", "training", "programs"};

// One numeric field of a list item: its value in the loaded item and the loader's range.
struct Field {
  std::string name;
  double value = 0, lo = 0, hi = 0;
  bool integer = false;   // weeks, counts and focus_skills
  const char* unit = "";  // as KeyInfo::unit (models/keys.hpp)
};

// The plan's items of one list as the plan runs them (params), where its own start, and where
// each sits in the YAML: the top-level list for the baseline's, the plan's for its own.
struct Scope {
  std::size_t plan_at = 0;
  std::size_t base_count = 0;  // items of the top-level list
  std::size_t first = 0;       // the first item the key's index counts from
  std::size_t count = 0;       // items in the plan's params
};

std::size_t plan_index(const Scenario& sc, const std::string& plan) {
  for (std::size_t i = 0; i < sc.plans.size(); ++i)
    if (sc.plans[i].name == plan) return i;
  throw std::invalid_argument(fmt::format("{} has no plan '{}'", sc.file, plan));
}

Scope scope_of(const Scenario& sc, std::size_t at, const std::string& list) {
  const Params& p = sc.plans[at].params;
  Scope s{at};
  if (list == "hiring") s.base_count = sc.base.hiring.size(), s.count = p.hiring.size();
  if (list == "training") s.base_count = sc.base.training.size(), s.count = p.training.size();
  if (list == "programs") s.base_count = sc.base.programs.size(), s.count = p.programs.size();
  s.first = at == 0 ? 0 : s.base_count;  // the baseline plan reaches the top-level list
  return s;
}

std::string item_name(const Params& p, const std::string& list, std::size_t j) {
  if (list == "training") return p.training[j].name;
  if (list == "programs") return p.programs[j].name;
  return "";
}

// The numeric fields of params item j of `list`, with the loader's ranges (scenario_loader.cpp
// read_hiring/read_training/read_programs; tests/test_sweep_keys.cpp checks they agree).
std::vector<Field> fields_of(const Scenario& sc, const Params& p, const std::string& list,
                             std::size_t j) {
  const double first = first_file_week(sc.format), last = sc.horizon() - 1 + first;
  auto week = [&](const char* name, int t) {
    return Field{name, t + first, first, last, true, "week"};  // a file week: a point in time
  };
  auto whole = [](const char* name, double v, double lo, double hi, const char* unit) {
    return Field{name, v, lo, hi, true, unit};
  };
  auto real = [](const char* name, double v, double lo, double hi, const char* unit) {
    return Field{name, v, lo, hi, false, unit};
  };
  if (list == "hiring") {
    const Hire& h = p.hiring[j];
    return {week("week", h.week), whole("count", h.count, 0, 100000, "reps")};
  }
  if (list == "training") {
    const TrainingProgram& t = p.training[j];
    return {week("start_week", t.start_week),
            whole("weeks", t.weeks, 1, 520, "weeks"),
            real("hours_per_week", t.hours_per_week, 0, kWeekHours, "hours/week"),
            whole("focus_skills", t.focus_skills, 1, kMaxFocusSkills, "skills"),
            real("efficacy", t.efficacy, 0, 1, "share"),
            real("cost_per_person", t.cost_per_person, 0, kMaxMoney, "currency")};
  }
  const Program& g = p.programs[j];
  std::vector<Field> f = {week("start_week", g.start_week)};
  switch (g.kind) {
    case ProgramKind::coach_the_coaches:
      f.push_back(real("manager_coaching_skill", g.value, 0, 1, "share"));
      f.push_back(real("cost", g.cost, 0, kMaxMoney, "currency"));
      break;
    case ProgramKind::profiling:
      f.push_back(real("awareness", g.value, 0, 1, "share"));
      f.push_back(real("cost_per_person", g.cost_per_person, 0, kMaxMoney, "currency"));
      break;
    case ProgramKind::alignment:
      f.push_back(real("alignment", g.value, 0, 1, "share"));
      f.push_back(real("hours_per_rep", g.hours_per_rep, 0, kWeekHours, "hours"));
      f.push_back(real("cost", g.cost, 0, kMaxMoney, "currency"));
      break;
    case ProgramKind::coaching_policy:
      f.push_back(real("hours_per_rep", g.value, 0, kWeekHours, "hours/rep/week"));
      break;
  }
  return f;
}

// The value key of an item: what it does, as opposed to when or at what cost.
std::vector<std::string> value_fields(const std::string& list, const Params& p, std::size_t j) {
  if (list == "hiring") return {"count"};
  if (list == "training") return {"efficacy", "hours_per_week"};
  switch (p.programs[j].kind) {
    case ProgramKind::coach_the_coaches:
      return {"manager_coaching_skill"};
    case ProgramKind::profiling:
      return {"awareness"};
    case ProgramKind::alignment:
      return {"alignment"};
    case ProgramKind::coaching_policy:
      return {"hours_per_rep"};
  }
  return {};
}

// "[0] targeted-skills, [1] classroom" or "none".
std::string items_text(const Scenario& sc, const Scope& s, const std::string& list) {
  const Params& p = sc.plans[s.plan_at].params;
  std::string out;
  for (std::size_t j = s.first; j < s.count; ++j) {
    const std::string name = item_name(p, list, j);
    out += fmt::format("{}[{}]{}", out.empty() ? "" : ", ", j - s.first,
                       name.empty() ? "" : " " + name);
  }
  return out.empty() ? "none" : out;
}

// The params index of the item the key names.
std::size_t resolve_item(const Scenario& sc, const Scope& s, const ListKey& k) {
  const Params& p = sc.plans[s.plan_at].params;
  const std::string& plan = sc.plans[s.plan_at].name;
  const std::string whose =
      s.plan_at == 0
          ? fmt::format("plan '{}' (the baseline: the file's {} then its own)", plan, k.list)
          : fmt::format("plan '{}' (its own {}; the baseline's through plan '{}')", plan, k.list,
                        sc.plans[0].name);
  const std::string listed =
      fmt::format("; {} has {}: {}", whose, k.list, items_text(sc, s, k.list));
  const bool digits =
      std::all_of(k.item.begin(), k.item.end(), [](unsigned char c) { return std::isdigit(c); });
  if (digits) {
    const std::size_t n = s.count - s.first;
    std::size_t i = n;
    if (k.item.size() < 10) i = std::stoul(k.item);
    if (i >= n)
      throw std::invalid_argument(
          fmt::format("{}[{}]: no such item (indexes count from 0){}", k.list, k.item, listed));
    return s.first + i;
  }
  std::vector<std::size_t> hits;
  std::vector<std::string> names;
  for (std::size_t j = s.first; j < s.count; ++j) {
    const std::string name = item_name(p, k.list, j);
    if (name == k.item) hits.push_back(j);
    if (!name.empty()) names.push_back(name);
  }
  if (hits.size() == 1) return hits[0];
  if (hits.size() > 1)
    throw std::invalid_argument(
        fmt::format("{}[{}]: {} items have this name; name one by its index{}", k.list, k.item,
                    hits.size(), listed));
  if (k.list == "hiring")
    throw std::invalid_argument(
        fmt::format("hiring[{}]: hiring items have no names; give an index{}", k.item, listed));
  throw std::invalid_argument(fmt::format(
      "{}[{}]: no item of this name{}{}", k.list, k.item,
      names.empty() ? "" : fmt::format(" (did you mean '{}'?)", nearest(k.item, names)), listed));
}

}  // namespace

std::optional<ListKey> parse_list_key(const std::string& path) {
  for (const char* list : kLists) {
    const std::string l = list;
    if (path.rfind(l, 0) != 0 || path.size() == l.size()) continue;
    const char next = path[l.size()];
    const std::string example = l == "hiring"     ? "hiring[0].count"
                                : l == "training" ? "training[0].cost_per_person"
                                                  : "programs[1].start_week";
    if (next == '.')
      throw std::invalid_argument(
          fmt::format("'{}' is a list: name one item by its index (from 0){}, as in {}", l,
                      l == "hiring" ? "" : " or name", example));
    if (next != '[') continue;
    const auto close = path.rfind(']');
    if (close == std::string::npos || close <= l.size() + 1 || close + 1 >= path.size() ||
        path[close + 1] != '.' || path.find('.', close + 2) != std::string::npos)
      throw std::invalid_argument(
          fmt::format("'{}': expected {}[INDEX or NAME].FIELD, as in {}", path, l, example));
    return ListKey{l, path.substr(l.size() + 1, close - l.size() - 1), path.substr(close + 2)};
  }
  return std::nullopt;
}

Lever find_list_lever(const Scenario& sc, const std::string& plan, const ListKey& k) {
  const Scope s = scope_of(sc, plan_index(sc, plan), k.list);
  const std::size_t j = resolve_item(sc, s, k);
  const auto fields = fields_of(sc, sc.plans[s.plan_at].params, k.list, j);
  std::vector<std::string> names;
  for (const Field& f : fields) {
    if (f.name == k.field) {
      return Lever{fmt::format("{}[{}].{}", k.list, k.item, k.field),
                   f.value,
                   f.integer,
                   f.lo,
                   f.hi,
                   false,
                   f.unit};
    }
    names.push_back(f.name);
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw std::invalid_argument(
      fmt::format("{}[{}] has no numeric field '{}'; it has {}", k.list, k.item, k.field, list));
}

std::vector<Lever> list_levers(const Scenario& sc, const std::string& plan) {
  const std::size_t at = plan_index(sc, plan);
  const Params& p = sc.plans[at].params;
  std::vector<Lever> out;
  for (const char* list : kLists) {
    // The plan's own items: the baseline plan's include the file's top-level ones.
    const Scope s = scope_of(sc, at, list);
    for (std::size_t j = s.first; j < s.count; ++j) {
      std::string item = fmt::format("{}", j - s.first);
      const std::string name = item_name(p, list, j);
      std::size_t same = 0;
      for (std::size_t i = s.first; i < s.count; ++i) same += item_name(p, list, i) == name;
      // A name of digits would read as an index.
      const bool digits =
          std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isdigit(c); });
      if (!name.empty() && same == 1 && !digits) item = name;
      for (const auto& field : value_fields(list, p, j))
        out.push_back(find_list_lever(sc, plan, ListKey{list, item, field}));
    }
  }
  return out;
}

void set_list_value(const Scenario& sc, const std::string& plan, const ListKey& k, YAML::Node root,
                    const std::string& text) {
  const Scope s = scope_of(sc, plan_index(sc, plan), k.list);
  const std::size_t j = resolve_item(sc, s, k);
  YAML::Node item =
      j < s.base_count ? root[k.list][j] : root["plans"][s.plan_at][k.list][j - s.base_count];
  item[k.field] = text;
}

}  // namespace salesim
