#include "models/format_upgrade.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "models/keys.hpp"

namespace salesim {
namespace {

struct Edit {
  std::size_t pos = 0;  // byte offset of the scalar in the text
  std::string key;      // for messages
};

void collect_weeks(const YAML::Node& list, const char* field, const std::string& where,
                   std::vector<Edit>& out) {
  if (!list.IsDefined() || !list.IsSequence()) return;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].IsMap()) continue;
    const YAML::Node n = list[i][field];
    if (n.IsDefined() && n.IsScalar())
      out.push_back({std::size_t(n.Mark().pos), fmt::format("{}[{}].{}", where, i, field)});
  }
}

void collect_events(const YAML::Node& owner, const std::string& prefix, std::vector<Edit>& out) {
  if (!owner.IsDefined() || !owner.IsMap()) return;
  collect_weeks(owner["hiring"], "week", prefix + "hiring", out);
  collect_weeks(owner["training"], "start_week", prefix + "training", out);
  collect_weeks(owner["programs"], "start_week", prefix + "programs", out);
}

// Replaces the whole number at text[pos] (plain or quoted) by `f(value)`.
void rewrite_number(std::string& text, const Edit& e, const std::string& file,
                    const std::function<std::string(long)>& f) {
  std::size_t b = e.pos;
  if (b < text.size() && (text[b] == '"' || text[b] == '\'')) ++b;
  std::size_t end = b;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (end == b)
    throw ScenarioError({fmt::format(
        "{}: {}: cannot convert this week in place (not a plain whole number in the text, "
        "perhaps a YAML alias); write it as a number and run upgrade again",
        file, e.key)});
  text.replace(b, end - b, f(std::stol(text.substr(b, end - b))));
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

  const YAML::Node root = YAML::Load(text);
  std::vector<Edit> weeks;
  collect_events(root, "", weeks);
  const YAML::Node plans = root["plans"];
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const std::string pre = fmt::format("plans[{}].", i);
    collect_events(plans[i], pre, weeks);
    if (!plans[i].IsMap()) continue;
    const YAML::Node from = plans[i]["from_week"];
    if (from.IsDefined() && from.IsScalar())
      weeks.push_back({std::size_t(from.Mark().pos), pre + "from_week"});
  }
  // Edit from the end of the text, so earlier offsets stay valid; an offset seen twice is one
  // scalar reached through an alias, which an in-place edit cannot convert for each use.
  std::sort(weeks.begin(), weeks.end(), [](const Edit& a, const Edit& b) { return a.pos > b.pos; });
  for (std::size_t i = 1; i < weeks.size(); ++i)
    if (weeks[i].pos == weeks[i - 1].pos) weeks[i].pos = std::string::npos;

  std::string out = text;
  const auto plus_one = [](long w) { return std::to_string(w + 1); };
  for (const Edit& e : weeks) {
    if (e.pos == std::string::npos)
      throw ScenarioError({fmt::format(
          "{}: {}: this week is shared with another through a YAML alias; write each as a "
          "number and run upgrade again",
          file_label, e.key)});
    rewrite_number(out, e, file_label, plus_one);
  }
  rewrite_number(out, {std::size_t(root["salesim"].Mark().pos), "salesim"}, file_label,
                 [](long) { return std::to_string(kFormatVersion); });

  // Prove the conversion: the new text reads as format 2 and runs the same model.
  const Scenario converted = load_scenario_text(out, file_label);
  if (converted.format != kFormatVersion ||
      model_fingerprint(converted) != model_fingerprint(original))
    throw ScenarioError({fmt::format(
        "{}: the converted text does not describe the same model as the original (a bug in "
        "salesim upgrade; the file was not written)",
        file_label)});
  return out;
}

}  // namespace salesim
