#include "models/territory_keys.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <stdexcept>

#include "models/keys.hpp"

namespace salesim {
namespace {

const std::string kList = "territories";
const std::string kExample = "territories[north].reps";
// A line's reps, as the loader reads them (territory_loader.cpp read_lines).
constexpr double kMaxReps = 1e6;

struct Line {
  std::string segment;
  double reps = 0;
};

std::size_t plan_at(const Scenario& sc, const std::string& plan) {
  for (std::size_t i = 0; i < sc.plans.size(); ++i)
    if (sc.plans[i].name == plan) return i;
  throw std::invalid_argument(fmt::format("{} has no plan '{}'", sc.file, plan));
}

// The lines a plan runs. Without any `territories` the shares are the segments' accounts: they
// are written as reps of the starting team (the same shares), so a varied line reads as reps.
std::vector<Line> lines_in_force(const Params& p) {
  const auto& segs = p.segments.segments;
  std::vector<Line> out;
  if (!p.segments.territories.empty()) {
    for (const TerritoryLine& l : p.segments.territories)
      out.push_back({segs[std::size_t(l.segment)].name, l.reps});
    return out;
  }
  double accounts = 0;
  for (const Segment& s : segs) accounts += double(s.accounts);
  const double team = p.team.reps > 0 ? double(p.team.reps) : 1.0;
  for (const Segment& s : segs) out.push_back({s.name, team * double(s.accounts) / accounts});
  return out;
}

// Whether the plan's lines are its own to vary (the first plan's include the file's).
bool has_own_lines(const Scenario& sc, std::size_t at) {
  if (sc.plans[at].params.segments.plan_territories) return true;
  return at == 0 && !sc.base.segments.territories.empty();
}

void check_segment(const Scenario& sc, const TerritoryKey& k) {
  std::vector<std::string> names;
  for (const Segment& s : sc.base.segments.segments) {
    if (s.name == k.segment) return;
    names.push_back(s.name);
  }
  if (names.empty())
    throw std::invalid_argument(
        fmt::format("territories[{}].reps: {} has no segments; territories split the team over the "
                    "file's `segments` (docs/model.md 12.7)",
                    k.segment, sc.file));
  std::string all;
  for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
  throw std::invalid_argument(
      fmt::format("territories[{}]: no segment of this name (did you mean "
                  "'{}'?); the file's segments: {}",
                  k.segment, nearest(k.segment, names), all));
}

YAML::Node lines_yaml(const std::vector<Line>& lines) {
  YAML::Node list(YAML::NodeType::Sequence);
  for (const Line& l : lines) {
    YAML::Node item(YAML::NodeType::Map);
    item["segment"] = l.segment;
    item["reps"] = fmt::format("{}", l.reps);
    list.push_back(item);
  }
  return list;
}

}  // namespace

std::optional<TerritoryKey> parse_territory_key(const std::string& path) {
  if (path.rfind(kList, 0) != 0 || path.size() == kList.size()) return std::nullopt;
  const char next = path[kList.size()];
  if (next == '.')
    throw std::invalid_argument(
        fmt::format("'{}' is a list: name one line by its segment, as in {}", kList, kExample));
  if (next != '[') return std::nullopt;
  const auto close = path.find(']');
  if (close == std::string::npos || close == kList.size() + 1 || path.substr(close) != "].reps")
    throw std::invalid_argument(fmt::format(
        "'{}': expected territories[SEGMENT].reps (a line's reps: its share of the team), as "
        "in {}",
        path, kExample));
  return TerritoryKey{path.substr(kList.size() + 1, close - kList.size() - 1)};
}

Lever find_territory_lever(const Scenario& sc, const std::string& plan, const TerritoryKey& k) {
  const std::size_t at = plan_at(sc, plan);
  check_segment(sc, k);
  double reps = 0;  // a segment without a line gets nobody
  for (const Line& l : lines_in_force(sc.plans[at].params))
    if (l.segment == k.segment) reps = l.reps;
  return Lever{
      fmt::format("territories[{}].reps", k.segment), reps, false, 0, kMaxReps, false, "reps"};
}

std::vector<Lever> territory_levers(const Scenario& sc, const std::string& plan) {
  const std::size_t at = plan_at(sc, plan);
  std::vector<Lever> out;
  if (!has_own_lines(sc, at)) return out;
  for (const Line& l : lines_in_force(sc.plans[at].params))
    out.push_back(find_territory_lever(sc, plan, TerritoryKey{l.segment}));
  return out;
}

std::vector<std::string> territory_key_names(const Scenario& sc) {
  std::vector<std::string> out;
  for (const Segment& s : sc.base.segments.segments)
    out.push_back(fmt::format("territories[{}].reps", s.name));
  return out;
}

void set_territory_value(const Scenario& sc, const std::string& plan, const TerritoryKey& k,
                         YAML::Node root, const std::string& text) {
  const std::size_t at = plan_at(sc, plan);
  check_segment(sc, k);
  // The first plan without lines of its own runs the file's: that is the list it varies.
  const bool file_list = at == 0 && !sc.plans[at].params.segments.plan_territories;
  YAML::Node owner = file_list ? root : root["plans"][at];
  if (!owner[kList].IsDefined() || owner[kList].IsNull())
    owner[kList] = lines_yaml(lines_in_force(sc.plans[at].params));
  YAML::Node list = owner[kList];
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i]["segment"].Scalar() == k.segment) {
      list[i]["reps"] = text;
      return;
    }
  list.push_back(lines_yaml({{k.segment, 0}})[0]);
  list[list.size() - 1]["reps"] = text;
}

}  // namespace salesim
