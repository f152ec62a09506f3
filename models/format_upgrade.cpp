#include "models/format_upgrade.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <map>
#include <set>

#include "models/keys.hpp"
#include "models/yaml_merge.hpp"

namespace salesim {
namespace {

struct Edit {
  std::size_t pos = 0;                  // byte offset of the scalar in the text
  std::string key;                      // for messages
  std::function<std::string(long)> to;  // the new value of the number written there
};

void collect_weeks(const YAML::Node& list, const char* field, const std::string& where,
                   std::vector<Edit>& out) {
  if (!list.IsDefined() || !list.IsSequence()) return;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].IsMap()) continue;
    const YAML::Node n = list[i][field];
    if (n.IsDefined() && n.IsScalar())
      out.push_back({std::size_t(n.Mark().pos), fmt::format("{}[{}].{}", where, i, field), {}});
  }
}

void collect_events(const YAML::Node& owner, const std::string& prefix, std::vector<Edit>& out) {
  if (!owner.IsDefined() || !owner.IsMap()) return;
  collect_weeks(owner["hiring"], "week", prefix + "hiring", out);
  collect_weeks(owner["training"], "start_week", prefix + "training", out);
  collect_weeks(owner["programs"], "start_week", prefix + "programs", out);
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The offset of the scalar's value: yaml-cpp marks a node at its anchor or tag
// (`week: &w 3`, `week: !!int 3`), and counts no byte-order mark.
std::size_t value_start(const std::string& text, std::size_t pos, std::string& anchor) {
  std::size_t b = pos;
  while (b < text.size() && (text[b] == '&' || text[b] == '!')) {
    const std::size_t token = b;
    while (b < text.size() && !blank(text[b])) ++b;
    if (text[token] == '&') anchor = text.substr(token + 1, b - token - 1);
    while (b < text.size() && blank(text[b])) ++b;
  }
  return b;
}

// Replaces the whole number at text[pos] (plain or quoted, with a sign, an anchor or a tag
// before it) by `e.to(value)`; returns its anchor's name ("" without one).
std::string rewrite_number(std::string& text, const Edit& e, const std::string& file) {
  std::string anchor;
  std::size_t b = value_start(text, e.pos, anchor);
  if (b < text.size() && (text[b] == '"' || text[b] == '\'')) ++b;
  if (b < text.size() && text[b] == '+') ++b;
  std::size_t end = b;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  // 1e1, 10.0 or 0x0A read as whole weeks too, but their digits are not the number.
  const auto more = [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
  };
  if (end == b || (end < text.size() && more(text[end])))
    throw ScenarioError({fmt::format(
        "{}: {}: cannot convert this week in place (not a plain whole number in the text: "
        "1e1, 10.0, or a YAML alias); write it as a whole number and run upgrade again",
        file, e.key)});
  text.replace(b, end - b, e.to(std::stol(text.substr(b, end - b))));
  return anchor;
}

// Where the converted tree differs from the original other than at an event week (one more)
// or `salesim:`, "" when nowhere. An anchored value changes wherever its aliases are: a
// checkpoint's `week: &q 13` aliased by a hiring week would move with it, and the model
// fingerprint below does not see checkpoints.
std::string changed_elsewhere(const YAML::Node& was, const YAML::Node& now, const std::string& path,
                              const std::set<std::string>& events) {
  if (was.Type() != now.Type()) return path;
  if (was.IsScalar()) {
    if (path == "salesim" || was.Scalar() == now.Scalar()) return "";
    if (events.count(path)) {
      long w = 0, n = 0;
      const std::string &ws = was.Scalar(), &ns = now.Scalar();
      const auto whole = [](const std::string& t, long& v) {
        const char* first = t.data() + (t.rfind('+', 0) == 0 ? 1 : 0);
        const auto [end, ec] = std::from_chars(first, t.data() + t.size(), v);
        return ec == std::errc() && end == t.data() + t.size();
      };
      if (whole(ws, w) && whole(ns, n) && n == w + 1) return "";
    }
    return path + " would change from " + was.Scalar() + " to " + now.Scalar();
  }
  if (was.IsSequence()) {
    if (was.size() != now.size()) return path;
    for (std::size_t i = 0; i < was.size(); ++i)
      if (auto d = changed_elsewhere(was[i], now[i], fmt::format("{}[{}]", path, i), events);
          !d.empty())
        return d;
  }
  if (was.IsMap())
    for (const auto& kv : was) {
      if (!kv.first.IsScalar()) continue;
      const std::string key = kv.first.Scalar();
      const std::string sub = path.empty() ? key : path + "." + key;
      if (auto d = changed_elsewhere(kv.second, now[key], sub, events); !d.empty()) return d;
    }
  return "";
}

// yaml-cpp's offsets skip a UTF-8 byte-order mark at the start of the text.
std::size_t bom_bytes(const std::string& text) {
  return text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
}

}  // namespace

std::string model_fingerprint(const Scenario& sc) {
  std::string out;
  auto params = [&](Params p) {
    for (const KeyInfo& k : scalar_keys(p)) out += k.path + "=" + k.value_text() + "\n";
    for (const auto& [name, b] : p.team.skills)
      out += fmt::format("skill {} {:g} {:g}\n", name, b.mean, b.sd);
    for (const Hire& h : p.hiring) out += fmt::format("hire {} {}\n", h.week, h.count);
    for (const TrainingProgram& t : p.training)
      out += fmt::format("training {} {} {} {:g} {} {} {} {:g} {:g}\n", t.name, t.start_week,
                         t.weeks, t.hours_per_week, to_string(t.participants),
                         to_string(t.targeting), t.focus_skills, t.efficacy, t.cost_per_person);
    for (const Program& g : p.programs)
      out += fmt::format("program {} {} {} {:g} {:g} {:g} {:g}\n", to_string(g.kind), g.name,
                         g.start_week, g.value, g.cost, g.cost_per_person, g.hours_per_rep);
  };
  out += "name=" + sc.name + "\n";
  params(sc.base);
  for (const PlanSpec& p : sc.plans) {
    out += fmt::format("plan {} from {} ({})\n", p.name, p.from_week, p.description);
    params(p.params);
  }
  return out;
}

std::string upgrade_scenario_text(const std::string& text, const std::string& file_label) {
  const Scenario original = load_scenario_text(text, file_label);  // every problem, as validate
  if (original.format == kFormatVersion) return text;

  // Merged maps share the file's nodes, so a week merged into several plans is one place in
  // the text, edited once (below), and one in an inline merge (<<: {from_week: 3}) is found.
  YAML::Node root = YAML::Load(text);
  resolve_merge_keys(root, MergedValues::shared);
  std::vector<Edit> weeks;
  collect_events(root, "", weeks);
  const YAML::Node plans = root["plans"];
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const std::string pre = fmt::format("plans[{}].", i);
    collect_events(plans[i], pre, weeks);
    if (!plans[i].IsMap()) continue;
    const YAML::Node from = plans[i]["from_week"];
    if (from.IsDefined() && from.IsScalar())
      weeks.push_back({std::size_t(from.Mark().pos), pre + "from_week", {}});
  }
  const auto plus_one = [](long w) { return std::to_string(w + 1); };
  for (Edit& e : weeks) e.to = plus_one;
  weeks.push_back({std::size_t(root["salesim"].Mark().pos), "salesim",
                   [](long) { return std::to_string(kFormatVersion); }});
  for (Edit& e : weeks) e.pos += bom_bytes(text);
  // Edit from the end of the text (the `salesim:` line too, wherever it is), so earlier
  // offsets stay valid. An offset seen twice is one scalar reached through an alias (an item
  // or a list shared by plans): every use is an event week, so it is edited once.
  std::set<std::string> events;  // every path to an event week, one scalar's aliases too
  for (const Edit& e : weeks) events.insert(e.key);
  std::sort(weeks.begin(), weeks.end(), [](const Edit& a, const Edit& b) { return a.pos > b.pos; });
  weeks.erase(std::unique(weeks.begin(), weeks.end(),
                          [](const Edit& a, const Edit& b) { return a.pos == b.pos; }),
              weeks.end());
  std::string out, anchored;  // anchored: the first edited value with an anchor
  out = text;
  for (const Edit& e : weeks)
    if (const std::string anchor = rewrite_number(out, e, file_label); !anchor.empty())
      anchored = fmt::format("{} shares its value through the anchor &{}", e.key, anchor);

  // Prove the conversion: nothing but the event weeks moved in the file's tree, and the new
  // text reads as format 2 and runs the same model. An anchored week whose alias also gives a
  // value that is not an event week (`count: *w`, a checkpoint's week) changes both.
  YAML::Node after = YAML::Load(out);
  resolve_merge_keys(after, MergedValues::shared);
  if (const std::string moved = changed_elsewhere(root, after, "", events); !moved.empty())
    throw ScenarioError({fmt::format(
        "{}: {}, which is not an event week{}; write the values out and run upgrade again "
        "(nothing was written)",
        file_label, moved, anchored.empty() ? "" : " (" + anchored + ")")});
  const Scenario converted = load_scenario_text(out, file_label);
  if (converted.format != kFormatVersion ||
      model_fingerprint(converted) != model_fingerprint(original))
    throw ScenarioError({anchored.empty()
                             ? fmt::format("{}: the converted text does not describe the same "
                                           "model as the original (a bug in salesim upgrade; the "
                                           "file was not written)",
                                           file_label)
                             : file_label + ": " + anchored +
                                   " with a value that is not an event week; "
                                   "converting one would change the other, so write the values "
                                   "out and run upgrade again (nothing was written)"});
  return out;
}

}  // namespace salesim
