#include "models/plan_edit.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cmath>
#include <stdexcept>

#include "models/key_path.hpp"
#include "models/keys.hpp"
#include "models/territory_keys.hpp"
#include "models/yaml_merge.hpp"

namespace salesim {
namespace {

const PlanSpec& plan_named(const Scenario& sc, const std::string& plan) {
  for (const auto& p : sc.plans)
    if (p.name == plan) return p;
  throw std::invalid_argument(no_plan_message(sc, plan));
}

std::optional<Lever> lever_of(const KeyInfo& k) {
  Lever l{k.path, 0, false, k.lo, k.hi, k.hi_open, k.unit};
  if (auto* d = std::get_if<double*>(&k.target))
    l.value = **d;
  else if (auto* i = std::get_if<std::int64_t*>(&k.target))
    l.value = double(**i), l.integer = true;
  else if (auto* o = std::get_if<std::optional<double>*>(&k.target); o && **o)
    l.value = ***o;
  else
    return std::nullopt;
  return l;
}

// Removes `path` from a `set` map, whether written flat (a.b: 1) or nested (a: {b: 1}).
void erase_path(YAML::Node map, const std::string& path) {
  if (!map.IsMap()) return;
  if (map[path].IsDefined()) map.remove(path);
  for (auto kv : map) {
    const std::string k = kv.first.Scalar();
    if (kv.second.IsMap() && path.rfind(k + ".", 0) == 0)
      erase_path(kv.second, path.substr(k.size() + 1));
  }
}

}  // namespace

Lever find_lever(const Scenario& sc, const std::string& plan, const std::string& path,
                 bool allow_null) {
  if (const auto list_key = parse_list_key(path)) {
    plan_named(sc, plan);
    return find_list_lever(sc, plan, *list_key);
  }
  if (const auto territory_key = parse_territory_key(path)) {
    plan_named(sc, plan);
    return find_territory_lever(sc, plan, *territory_key);
  }
  Params p = plan_named(sc, plan).params;
  std::vector<std::string> numeric;
  for (const KeyInfo& k : scalar_keys(p)) {
    if (!k.plan_settable) {
      if (k.path == path)
        throw std::invalid_argument(
            fmt::format("a plan cannot vary '{}': {}", path, not_plan_settable_why(path)));
      continue;
    }
    auto l = lever_of(k);
    if (k.path == path) {
      if (!l && allow_null && std::holds_alternative<std::optional<double>*>(k.target))
        return Lever{k.path, std::nan(""), false, k.lo, k.hi, k.hi_open, k.unit};
      if (!l && std::holds_alternative<std::optional<double>*>(k.target))
        throw std::invalid_argument(fmt::format(
            "'{}' has no value in plan '{}' (null), so there is nothing to perturb by a "
            "percentage; give it a value in the plan's set, or vary it with `salesim sweep`",
            path, plan));
      if (!l)
        throw std::invalid_argument(fmt::format("'{}' is not a number in plan '{}' (it is {} '{}')",
                                                path, plan, k.type_name(), k.value_text()));
      return *l;
    }
    if (l) numeric.push_back(k.path);
  }
  for (auto& t : territory_key_names(sc)) numeric.push_back(std::move(t));
  throw std::invalid_argument(fmt::format("no numeric key '{}' a plan may set (did you mean '{}'?)",
                                          path, nearest(path, numeric)));
}

std::vector<Lever> plan_levers(const Scenario& sc, const std::string& plan) {
  std::vector<Lever> out;
  for (const auto& [path, text] : plan_named(sc, plan).overrides) {
    try {
      out.push_back(find_lever(sc, plan, path));
    } catch (const std::invalid_argument&) {
      // booleans and text are not levers one can perturb by a percentage
    }
  }
  for (Lever& l : list_levers(sc, plan)) out.push_back(std::move(l));
  return out;
}

double fit_to_lever(const Lever& l, double v) {
  if (l.integer) v = std::round(v);
  v = std::max(v, l.lo);
  if (std::isfinite(l.hi)) {
    double hi = l.hi;
    if (l.hi_open) hi = l.integer ? l.hi - 1 : std::nextafter(l.hi, -INFINITY);
    v = std::min(v, hi);
  }
  return v;
}

namespace {

// The plans kept beside the edited one: none, or the first plan as written.
enum class Others { none, first };

// The scenario's YAML (a tree) with `plan` given the values (and renamed to `name` when given);
// the other plans as `others` says, the edited one after them.
YAML::Node edited_root(const Scenario& sc, const std::string& plan,
                       const std::vector<std::pair<std::string, double>>& values,
                       const std::optional<std::string>& name, Others others) {
  plan_named(sc, plan);
  YAML::Node root = load_scenario_yaml(sc.text);
  std::size_t at = 0;
  while (root["plans"][at]["name"].Scalar() != plan) ++at;
  YAML::Node kept = root["plans"][at];
  if (name) kept["name"] = *name;
  YAML::Node set = kept["set"];
  if (!set.IsMap()) {
    set = YAML::Node(YAML::NodeType::Map);
    kept["set"] = set;
  }
  for (const auto& [path, v] : values) {
    const Lever l = find_lever(sc, plan, path, true);
    const std::string text = l.integer ? fmt::format("{}", std::llround(v)) : fmt::format("{}", v);
    if (const auto list_key = parse_list_key(path)) {
      set_list_value(sc, plan, *list_key, root, text);
      continue;
    }
    if (const auto territory_key = parse_territory_key(path)) {
      set_territory_value(sc, plan, *territory_key, root, text);
      continue;
    }
    erase_path(set, path);
    set[path] = text;
  }
  YAML::Node plans(YAML::NodeType::Sequence);
  if (others == Others::first && at != 0) plans.push_back(root["plans"][0]);
  plans.push_back(kept);
  root["plans"] = plans;
  return root;
}

std::string yaml_text(const YAML::Node& root) {
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

// A problem of the edited text as the user's file would state it: the loader's "FILE:LINE:COL: "
// points into the text made here, not into the file, so only "FILE: " is kept; and the edited
// plan, at `in_text` among the text's plans, is named by its index in the file.
std::string as_in_file(std::string p, const std::string& file, std::size_t in_text,
                       std::size_t in_file) {
  if (p.rfind(file + ":", 0) == 0) {
    std::size_t at = file.size() + 1, colons = 0;
    while (at < p.size() && colons < 2 && (std::isdigit((unsigned char)p[at]) || p[at] == ':'))
      colons += p[at++] == ':';
    if (colons == 2 && at < p.size() && p[at] == ' ') p = file + ":" + p.substr(at);
  }
  const std::string from = fmt::format("plans[{}] (", in_text);
  if (const auto at = p.find(from); at != std::string::npos && in_text != in_file)
    p.replace(at, from.size(), fmt::format("plans[{}] (", in_file));
  return p;
}

// load_scenario_text of the edited text, its problems stated as in the user's file.
Scenario load_edited(const std::string& text, const Scenario& sc, std::size_t in_text,
                     std::size_t in_file) {
  try {
    return load_scenario_text(text, sc.file);
  } catch (const ScenarioError& e) {
    std::vector<std::string> problems;
    for (const auto& p : e.problems) problems.push_back(as_in_file(p, sc.file, in_text, in_file));
    throw ScenarioError(std::move(problems));
  }
}

std::size_t index_in_file(const Scenario& sc, const std::string& plan) {
  return std::size_t(&plan_named(sc, plan) - sc.plans.data());
}

}  // namespace

Scenario scenario_with_plan_values(const Scenario& sc, const std::string& plan,
                                   const std::vector<std::pair<std::string, double>>& values,
                                   const std::optional<std::string>& name) {
  return load_edited(yaml_text(edited_root(sc, plan, values, name, Others::none)), sc, 0,
                     index_in_file(sc, plan));
}

Scenario scenario_with_baseline_and_plan_values(
    const Scenario& sc, const std::string& plan,
    const std::vector<std::pair<std::string, double>>& values) {
  const std::size_t at = index_in_file(sc, plan);
  return load_edited(yaml_text(edited_root(sc, plan, values, std::nullopt, Others::first)), sc,
                     at == 0 ? 0 : 1, at);
}

std::string scenario_text_with_new_plan(const Scenario& sc, const std::string& plan,
                                        const std::vector<std::pair<std::string, double>>& values,
                                        const std::string& name) {
  const YAML::Node edited = edited_root(sc, plan, values, name, Others::none);
  YAML::Node root = load_scenario_yaml(sc.text);
  // The first plan's list keys may name items of the file's top-level lists, which every plan
  // shares: a copy of the plan could not change them alone.
  const auto text_of = [](const YAML::Node& n) { return n.IsDefined() ? YAML::Dump(n) : ""; };
  for (const char* list : {"hiring", "training", "programs", "territories"})
    if (text_of(edited[list]) != text_of(root[list]))
      throw std::invalid_argument(fmt::format(
          "a value of the file's top-level '{}' list is shared by every plan; a new plan cannot "
          "change it alone (edit the file, or set the item in the plan's own list)",
          list));
  root["plans"].push_back(edited["plans"][0]);
  std::string text = yaml_text(root);
  const std::size_t last = root["plans"].size() - 1;
  load_edited(text, sc, last, last);  // throws ScenarioError naming what is wrong
  return text;
}

std::string no_plan_message(const Scenario& sc, const std::string& plan) {
  std::vector<std::string> names;
  for (const auto& p : sc.plans) names.push_back(p.name);
  if (names.empty()) return fmt::format("{} has no plan '{}'", sc.file, plan);
  if (plan == "baseline" || plan == "base")
    return fmt::format("{} has no plan '{}' (the first plan, '{}', is the baseline)", sc.file, plan,
                       names.front());
  return fmt::format("{} has no plan '{}' (did you mean '{}'?)", sc.file, plan,
                     nearest(plan, names));
}

}  // namespace salesim
