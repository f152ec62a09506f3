#include "models/assumptions_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <set>

#include "models/funnel.hpp"
#include "models/keys.hpp"
#include "models/territory_loader.hpp"

namespace salesim {
namespace {

const std::vector<std::string> kDistNames = {"uniform", "triangular", "lognormal", "beta",
                                             "discrete"};

std::string shown(const YAML::Node& n) {
  if (n.IsMap()) return "a map";
  if (n.IsSequence()) return "a list";
  if (n.IsNull()) return "null";
  return "'" + n.Scalar() + "'";
}

// The assumable keys of `p` (with their ranges): the numeric keys of keys.cpp except the run's
// settings, the goal and the whole numbers that size the team, plus each skill's Beta.
std::vector<KeyInfo> assumable(Params& p, const std::vector<std::string>& skills) {
  std::vector<KeyInfo> out;
  for (KeyInfo& k : scalar_keys(p)) {
    if (k.path.rfind("simulation.", 0) == 0 || k.path.rfind("goal.", 0) == 0) continue;
    if (k.path == "team.reps" || k.path == "team.managers") continue;
    if (k.path.rfind("calendar.", 0) == 0) continue;
    if (std::holds_alternative<bool*>(k.target) || std::holds_alternative<std::string*>(k.target))
      continue;
    out.push_back(k);
  }
  for (const std::string& s : skills) {
    out.push_back(KeyInfo{"team.skills." + s + ".mean", (double*)nullptr, 0, 1, false, false,
                          "share", "mean starting skill"});
    out.push_back(KeyInfo{"team.skills." + s + ".sd", (double*)nullptr, 0, 0.5, false, false,
                          "share", "sd of starting skill"});
  }
  return out;
}

// The funnel's figures are solved into the stage keys once, at loading (docs/model.md 12.1):
// a per-path draw of them would never reach a stage. What can be uncertain instead.
std::string funnel_refusal(const std::string& key, const Params& p) {
  const std::string instead = funnel_key_instead(key, p.pipeline);
  if (instead.empty()) return "";  // a typo
  return "the funnel's figures are solved into the stage keys once, when the file is read, so a "
         "draw per path would change nothing; put the uncertainty on " +
         instead + " (docs/model.md 12.4)";
}

// Why `key` cannot be an assumption, for a key of the file that is not assumable.
std::string refusal(const std::string& key, Params& p) {
  if (key.rfind("pipeline.funnel.", 0) == 0) {
    if (std::string why = funnel_refusal(key, p); !why.empty()) return why;
  }
  // A list item's key (hiring[0].count, training[name].efficacy, territories[north].reps): the
  // lists are read once per plan; a sweep, goal-seek or optimize varies them instead.
  for (const char* list : {"hiring", "training", "programs", "territories"}) {
    const std::string l = list;
    if (key.rfind(l + "[", 0) == 0 || key.rfind(l + ".", 0) == 0 || key == l)
      return fmt::format(
          "the items of the file's {} list are not dotted keys an assumption can take (each plan "
          "reads its lists once); vary them across runs with salesim sweep, goalseek or optimize "
          "instead (docs/cli.md, \"{}\")",
          l, l == "territories" ? "Territory lines" : "Keys of list items");
  }
  if (key.rfind("segments[", 0) == 0 || key.rfind("segments.", 0) == 0 || key == "segments")
    return "the segments (their accounts, fit and deal sizes) are read once from the file and "
           "size the market every plan shares; edit the file to try other values";
  if (key.rfind("simulation.", 0) == 0) return "the run's settings are not assumptions";
  if (key.rfind("goal.", 0) == 0)
    return "the goal is what the answer is measured against, not an assumption";
  if (key == "team.reps" || key == "team.managers")
    return "a whole number that sizes the team's arrays cannot vary from path to path";
  // The week calendar is made once per plan from the file: a per-path value would be ignored.
  if (key.rfind("calendar.", 0) == 0)
    return "the calendar's weeks are computed once from the file, before any path runs";
  for (const KeyInfo& k : scalar_keys(p))
    if (k.path == key) return fmt::format("a {} key, not a number", k.type_name());
  return "";
}

struct DistReader {
  const ProblemAt& problem;
  const YAML::Node& node;
  const std::string& path;
  bool percent_ok;
  bool ok = true;
  std::vector<std::string> allowed{"dist"};

  std::optional<double> number(const YAML::Node& n, const std::string& where) {
    if (!n.IsScalar()) {
      problem(n, where, "expected a number, found " + shown(n));
      ok = false;
      return std::nullopt;
    }
    std::string why;
    auto v = parse_number(n.Scalar(), percent_ok, why);
    if (!v) {
      problem(n, where,
              fmt::format("expected a number, found '{}'{}", n.Scalar(),
                          why.empty() ? "" : ": " + why));
      ok = false;
    }
    return v;
  }
  double field(const char* name) {
    allowed.push_back(name);
    const YAML::Node v = node[name];
    if (!v.IsDefined()) {
      problem(node, path,
              fmt::format("missing required field '{}' of a {} distribution", name,
                          node["dist"].Scalar()));
      ok = false;
      return 0;
    }
    return number(v, path + "." + name).value_or(0);
  }
  std::vector<double> list(const char* name, bool required) {
    allowed.push_back(name);
    const YAML::Node v = node[name];
    std::vector<double> out;
    if (!v.IsDefined()) {
      if (required) {
        problem(node, path,
                std::string("missing required field '") + name + "' (a list of numbers)");
        ok = false;
      }
      return out;
    }
    if (!v.IsSequence() || v.size() == 0) {
      problem(v, path + "." + name, "expected a non-empty list of numbers, found " + shown(v));
      ok = false;
      return out;
    }
    for (std::size_t i = 0; i < v.size(); ++i)
      out.push_back(number(v[i], fmt::format("{}.{}[{}]", path, name, i)).value_or(0));
    return out;
  }
  void bad(const std::string& msg) {
    problem(node, path, msg);
    ok = false;
  }
  void finish() {
    for (const auto& kv : node) {
      const std::string k = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::string list;
        for (std::size_t i = 1; i < allowed.size(); ++i) list += (i > 1 ? ", " : "") + allowed[i];
        problem(kv.first, path + "." + k,
                fmt::format("unknown field of a {} distribution (its fields: dist, {})",
                            node["dist"].Scalar(), list));
        ok = false;
      }
    }
  }
};

// The largest value the distribution's own parameters state (its high, mean or largest value),
// which a percentage written without its % shows: not the reach, which only the draws give.
double largest_written(const Assumption& a) {
  switch (a.dist) {
    case AssumptionDist::uniform:
    case AssumptionDist::triangular:
      return a.high;
    case AssumptionDist::lognormal:
    case AssumptionDist::beta:
      return a.mean;
    case AssumptionDist::discrete:
      return a.values.empty() ? 0.0 : *std::max_element(a.values.begin(), a.values.end());
  }
  return 0.0;
}

// One distribution's fields and their own rules; nullopt (with problems reported) when wrong.
std::optional<Assumption> read_dist(const YAML::Node& n, const std::string& path,
                                    const KeyInfo& key, const ProblemAt& problem) {
  if (!n.IsMap() || !n["dist"].IsDefined()) {
    problem(n, path,
            "expected a distribution like {dist: uniform, low: 0.1, high: 0.2} (dist: " +
                fmt::format("{}", fmt::join(kDistNames, ", ")) + "), found " + shown(n));
    return std::nullopt;
  }
  const std::string name = n["dist"].IsScalar() ? n["dist"].Scalar() : "";
  const auto it = std::find(kDistNames.begin(), kDistNames.end(), name);
  if (it == kDistNames.end()) {
    problem(n["dist"], path + ".dist",
            fmt::format("expected one of {}, found {} (did you mean '{}'?)",
                        fmt::join(kDistNames, ", "), shown(n["dist"]), nearest(name, kDistNames)));
    return std::nullopt;
  }
  Assumption a;
  a.key = key.path;
  a.dist = AssumptionDist(it - kDistNames.begin());
  a.whole = std::holds_alternative<std::int64_t*>(key.target);
  DistReader r{problem, n, path, key.percent_ok()};
  switch (a.dist) {
    case AssumptionDist::uniform:
      a.low = r.field("low"), a.high = r.field("high");
      if (r.ok && !(a.low < a.high))
        r.bad(fmt::format("low ({:g}) must be below high ({:g})", a.low, a.high));
      break;
    case AssumptionDist::triangular:
      a.low = r.field("low"), a.mode = r.field("mode"), a.high = r.field("high");
      if (r.ok && !(a.low <= a.mode && a.mode <= a.high && a.low < a.high))
        r.bad(fmt::format("expected low <= mode <= high with low < high, found {:g}, {:g}, {:g}",
                          a.low, a.mode, a.high));
      break;
    case AssumptionDist::lognormal:
      a.mean = r.field("mean"), a.cv = r.field("cv");
      if (r.ok && !(a.mean > 0 && a.cv > 0))
        r.bad(fmt::format("mean and cv must be above 0, found mean {:g}, cv {:g}", a.mean, a.cv));
      else if (r.ok && a.cv > 20)
        r.bad(fmt::format("cv must be at most 20, found {:g}", a.cv));
      break;
    case AssumptionDist::beta:
      a.mean = r.field("mean"), a.sd = r.field("sd");
      if (r.ok && !(a.mean > 0 && a.mean < 1))
        r.bad(fmt::format("a beta's mean must be strictly between 0 and 1, found {:g}", a.mean));
      else if (r.ok && !(a.sd > 0 && a.sd < std::sqrt(a.mean * (1 - a.mean))))
        r.bad(
            fmt::format("a beta's sd must be above 0 and below sqrt(mean*(1-mean)) = {:.4g}, "
                        "found {:g}",
                        std::sqrt(a.mean * (1 - a.mean)), a.sd));
      // Narrower, its shape parameters pass 1e12 and the incomplete beta's inverse fails to
      // converge; such a beta is one value anyway.
      else if (r.ok && a.sd < 1e-6)
        r.bad(
            fmt::format("a beta's sd must be at least 1e-6 (narrower, it is one value: write "
                        "the key's value in the file, or a discrete with one value), found {:g}",
                        a.sd));
      break;
    case AssumptionDist::discrete: {
      a.values = r.list("values", true);
      a.weights = r.list("weights", false);
      if (!r.ok) break;
      if (a.weights.empty()) a.weights.assign(a.values.size(), 1.0);
      if (a.weights.size() != a.values.size()) {
        r.bad(fmt::format("weights has {} entries and values {}: give one weight per value",
                          a.weights.size(), a.values.size()));
        break;
      }
      const double total = std::accumulate(a.weights.begin(), a.weights.end(), 0.0);
      if (std::any_of(a.weights.begin(), a.weights.end(), [](double w) { return !(w >= 0); }) ||
          !(total > 0)) {
        r.bad("weights must be at least 0 and add up to more than 0");
        break;
      }
      for (double& w : a.weights) w /= total;
      if (a.whole)
        for (double v : a.values)
          if (v != std::floor(v))
            r.bad(fmt::format("{} is a whole-number key, found value {:g}", key.path, v));
      break;
    }
  }
  r.finish();
  if (!r.ok) return std::nullopt;
  // Every value the draws can reach must be a value the key accepts. (A distribution whose
  // quantiles the numerics cannot give is refused here, not with the library's message.)
  double lo = 0, hi = 0;
  try {
    lo = a.reach_low(), hi = a.reach_high();
  } catch (const std::exception&) {
    return problem(n, path,
                   fmt::format("the {} distribution's extreme values cannot be computed; "
                               "choose a wider or simpler distribution",
                               to_string(a.dist))),
           std::nullopt;
  }
  if (!key.in_range(lo) || !key.in_range(hi))
    return problem(
               n, path,
               fmt::format("the {} distribution reaches {:.6g} to {:.6g}, outside {}'s range "
                           "(expected {}){}",
                           to_string(a.dist), lo, hi, key.path, key.expect_text(),
                           a.dist == AssumptionDist::lognormal && key.unit == std::string("share")
                               ? "; a share takes a beta or a uniform"
                               : key.percent_hint(largest_written(a)))),
           std::nullopt;
  return a;
}

// The parent of a key path: the keys a cross-key rule spans share it (conversion.floor and
// .top, a Beta's mean and sd, capacity's max_hours and sustainable_hours).
std::string parent(const std::string& key) { return key.substr(0, key.rfind('.')); }

// The cross-key rules at the assumptions' central values, then at every corner of every pair of
// assumptions under one parent (the others at their central values): each rule concerns at most
// two keys of one parent and is monotone in each, or (a Beta's sd) is worst at an end of the
// mean's range, so the corners cover every value the draws can take. Pairs of other keys meet
// no rule together; trying them all made a file of a few hundred assumptions take minutes.
void check_corners(Scenario& sc, const ProblemAt& problem, const YAML::Node& node,
                   const CrossCheck& cross) {
  const std::size_t n = sc.assumptions.size(), none = n;
  std::vector<double> central(n), lo(n), hi(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Assumption& a = sc.assumptions[i];
    central[i] = a.central(), lo[i] = a.reach_low(), hi[i] = a.reach_high();
  }
  // One copy of the baseline and of each plan, with its targets found once: apply() writes
  // every assumption's value, so no corner leaves a trace in the next.
  struct Copy {
    Params base;
    PlanSpec plan;
  };
  std::vector<Copy> copies(sc.plans.size());
  std::vector<AssumptionTargets> targets;
  for (std::size_t p = 0; p < sc.plans.size(); ++p) {
    copies[p] = Copy{sc.base, sc.plans[p]};
    targets.emplace_back(sc, copies[p].base, copies[p].plan);
  }
  // At the central values, a broken rule is about the assumption on its key (the first one on
  // it), not about whichever assumption a corner moved first.
  auto owner = [&](const std::string& key) {
    for (std::size_t k = 0; k < n; ++k)
      if (sc.assumptions[k].key == key || sc.assumptions[k].key.rfind(key + ".", 0) == 0) return k;
    return std::size_t(0);
  };
  // Each broken rule once: first at the central values, then with one assumption at an end,
  // then with two.
  std::set<std::string> told;
  auto check = [&](const std::vector<double>& v, std::size_t i, std::size_t j) {
    for (std::size_t p = 0; p < sc.plans.size(); ++p) {
      targets[p].apply(v.data());
      const Params& base = copies[p].base;
      const PlanSpec& plan = copies[p].plan;
      for (const Params* params : {&base, &plan.params})
        for (const auto& [key, msg] : cross(*params)) {
          if (!told.insert(key).second) continue;
          const std::string who = params == &base ? "the baseline" : "plan " + plan.name;
          std::string at = fmt::format("the assumptions' central values (in {})", who);
          if (i != none) {
            at = fmt::format("values the draws can take ({} = {:.6g}", sc.assumptions[i].key, v[i]);
            if (j != i) at += fmt::format(" with {} = {:.6g}", sc.assumptions[j].key, v[j]);
            at += "; in " + who + ")";
          }
          const std::string& blamed = sc.assumptions[i != none ? i : owner(key)].key;
          problem(node[blamed].IsDefined() ? node[blamed] : node, "assumptions." + blamed,
                  fmt::format("{}: {}, at {}", key, msg, at));
        }
    }
  };
  if (n == 0) return;
  check(central, none, none);
  for (int pair = 0; pair < 2; ++pair)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = pair ? i + 1 : i; j < (pair ? n : i + 1); ++j) {
        if (pair && parent(sc.assumptions[i].key) != parent(sc.assumptions[j].key)) continue;
        for (int ci = 0; ci < 2; ++ci)
          for (int cj = 0; cj < (pair ? 2 : 1); ++cj) {
            std::vector<double> v = central;
            v[i] = ci ? hi[i] : lo[i];
            if (pair) v[j] = cj ? hi[j] : lo[j];
            check(v, i, j);
          }
      }
}

// The starting pipeline must fit in each segment's accounts (docs/model.md 12.7) at the largest
// values the draws can take. That rule sums every stage's initial_per_rep, so the pairs above
// do not cover it: every initial_per_rep assumption at its top, the others central.
void check_starting_pipeline(Scenario& sc, const ProblemAt& problem, const YAML::Node& node) {
  if (!sc.base.segments.on() || sc.plans.empty()) return;
  const std::string suffix = ".initial_per_rep";
  auto is_pipeline = [&](const std::string& key) {
    return key.size() > suffix.size() &&
           key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  std::vector<double> v;
  std::string at;  // the first initial_per_rep assumption
  for (const Assumption& a : sc.assumptions) {
    v.push_back(is_pipeline(a.key) ? a.reach_high() : a.central());
    if (is_pipeline(a.key) && at.empty()) at = a.key;
  }
  if (at.empty()) return;
  Params base = sc.base;
  PlanSpec plan = sc.plans.front();
  AssumptionTargets(sc, base, plan).apply(v.data());
  for (const SegmentProblem& b : starting_pipeline_problems(base))
    problem(node[at], "assumptions." + at,
            fmt::format("{}: {}, at the largest values the draws can take", b.key, b.what));
}

}  // namespace

void read_assumptions(const YAML::Node& node, Scenario& sc, const ProblemAt& problem,
                      const CrossCheck& cross) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap())
    return problem(node, "assumptions",
                   "expected a map of key -> distribution, like "
                   "{burnout.accumulation: {dist: uniform, low: 0.08, high: 0.2}}, found " +
                       shown(node));
  std::vector<KeyInfo> keys = assumable(sc.base, sc.skills);
  std::vector<std::string> names;
  for (const KeyInfo& k : keys) names.push_back(k.path);
  bool ok = true;
  std::set<std::string> seen;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar(), where = "assumptions." + key;
    auto k =
        std::find_if(keys.begin(), keys.end(), [&](const KeyInfo& i) { return i.path == key; });
    if (k == keys.end()) {
      const std::string why = refusal(key, sc.base);
      const std::string unnamed = unnamed_stage_key_problem(key, sc.base);
      problem(kv.first, where,
              !unnamed.empty() ? unnamed
              : why.empty()    ? "no such key (did you mean '" + nearest(key, names) + "'?)"
                               : "cannot be an assumption: " + why);
      ok = false;
      continue;
    }
    if (!seen.insert(key).second) {  // a YAML duplicate, which the loader reports: read once
      ok = false;
      continue;
    }
    if (key.starts_with("revenue.") && sc.base.revenue.model != "recurring") {
      problem(kv.first, where,
              "recurring revenue is off (revenue.model is bookings), so there are no contracts "
              "and this assumption would change nothing; set revenue.model: recurring, or leave "
              "it out");
      ok = false;
      continue;
    }
    std::optional<Assumption> a = read_dist(kv.second, where, *k, problem);
    if (!a) {
      ok = false;
      continue;
    }
    sc.assumptions.push_back(*a);
  }
  if (!ok) return;
  // An assumed skill without an entry gets the default one ({0.4, 0.15}, the same values), so
  // that its Beta has a place to be written.
  for (const Assumption& a : sc.assumptions) {
    if (a.key.rfind("team.skills.", 0) != 0) continue;
    const std::string rest = a.key.substr(12), name = rest.substr(0, rest.rfind('.'));
    auto has = [&](const Params& p) {
      return std::any_of(p.team.skills.begin(), p.team.skills.end(),
                         [&](const auto& e) { return e.first == name; });
    };
    if (!has(sc.base)) {
      sc.base.team.skills.emplace_back(name, BetaSpec{0.4, 0.15});
      for (PlanSpec& plan : sc.plans)
        plan.params.team.skills.emplace_back(name, BetaSpec{0.4, 0.15});
    }
  }
  check_corners(sc, problem, node, cross);
  check_starting_pipeline(sc, problem, node);
}

}  // namespace salesim
