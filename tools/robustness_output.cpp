#include "tools/robustness_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/h5.hpp"
#include "tools/terminal.hpp"

namespace salesim::tools {
namespace {

using json = nlohmann::json;

json num(std::optional<double> v) { return v && std::isfinite(*v) ? json(*v) : json(nullptr); }

json effects(const std::vector<AssumptionEffect>& e) {
  json out = json::array();
  for (const auto& x : e) out.push_back({{"key", x.key}, {"coef", num(x.coef)}, {"se", num(x.se)}});
  return out;
}

json assumption_json(const Assumption& a) {
  json j = {{"key", a.key},           {"dist", to_string(a.dist)},  {"description", a.describe()},
            {"central", a.central()}, {"reach_low", a.reach_low()}, {"reach_high", a.reach_high()}};
  return j;
}

std::string pct(std::optional<double> p) { return p ? share(*p) : std::string("-"); }

// "+0.62 ±0.02 deal_size.mean, -0.31 ±0.02 close.conversion.top, ..." (the first three that
// stand out from their standard error).
std::string ranking(const Scenario& sc, const std::vector<AssumptionEffect>& e) {
  std::string s;
  int shown = 0;
  for (const auto& x : e) {
    if (shown == 3 || !(std::abs(x.coef) > 2 * x.se)) continue;
    std::string name = x.key;
    for (const Assumption& a : sc.assumptions)
      if (a.key == x.key) name = a.short_name();
    s += fmt::format("{}{} {:+.2f} ±{:.2f}", shown ? ", " : "", name, x.coef, x.se);
    ++shown;
  }
  return shown ? s : "no assumption stands out from its standard error";
}

}  // namespace

json robustness_json(const Scenario& sc, const Robustness& r) {
  json j;
  j["paths"] = r.paths;
  j["per_path"] = r.per_path;
  j["method"] =
      "standardised regression coefficients of per-path outcomes on per-path draws (HC1 "
      "standard errors); failure region by PRIM (peel 0.05, coverage >= 0.5)";
  j["assumptions"] = json::array();
  for (const Assumption& a : sc.assumptions) j["assumptions"].push_back(assumption_json(a));
  j["plans"] = json::array();
  for (const PlanFigures& p : r.plans) {
    json q = {{"plan", p.plan},
              {"p_goal", p.p_goal ? json(p.p_goal->mean) : json(nullptr)},
              {"p_goal_se", p.p_goal ? json(p.p_goal->se) : json(nullptr)},
              {"p_goal_central", num(p.p_goal_central)},
              {"median_final_bookings", num(p.median)},
              {"median_final_bookings_central", num(p.median_central)}};
    // As diff_r2: null where there is no fit (every path meets the goal, too few paths, or a
    // streamed run, which keeps no per-path figures).
    q["goal_drivers"] = effects(p.goal_drivers);
    q["goal_r2"] = p.goal_defined ? num(p.goal_r2) : json(nullptr);
    j["plans"].push_back(q);
  }
  j["vs_baseline"] = json::array();
  for (const VsBaseline& v : r.vs_baseline) {
    json region = {{"found", v.region.found},
                   {"coverage", num(v.region.coverage)},
                   {"fail_rate_inside", num(v.region.density)},
                   {"paths_inside", v.region.inside}};
    region["bounds"] = json::array();
    for (const RegionBound& b : v.region.bounds)
      region["bounds"].push_back({{"key", b.key}, {"low", num(b.low)}, {"high", num(b.high)}});
    j["vs_baseline"].push_back({{"plan", v.plan},
                                {"baseline", v.baseline},
                                {"p_beats", v.p_beats.mean},
                                {"p_beats_se", num(v.p_beats.se)},
                                {"p_ties", num(v.p_ties)},  // null: not kept by a streamed run
                                {"diff_drivers", effects(v.diff_drivers)},
                                {"diff_r2", v.diff_defined ? json(v.diff_r2) : json(nullptr)},
                                {"fail_region", r.per_path ? region : json(nullptr)},
                                {"summary", v.summary}});
  }
  return j;
}

json fixed_assumptions_json(const Scenario& original) {
  json out = json::array();
  for (const Assumption& a : original.assumptions)
    out.push_back({{"key", a.key}, {"value", a.central()}, {"dist", a.describe()}});
  return out;
}

std::string format_robustness(const Scenario& sc, const Robustness& r) {
  std::string s = fmt::format(
      "\nWhat the answer depends on ({} uncertain assumption{}, drawn once per path; every "
      "figure above integrates over them):\n",
      sc.assumptions.size(), sc.assumptions.size() == 1 ? "" : "s");
  for (const Assumption& a : sc.assumptions)
    s += fmt::format("  {:<44} {} (central {:g})\n", a.key, a.describe(), a.central());
  std::size_t w = 28;  // wide enough for the longest plan name
  for (const PlanFigures& p : r.plans) w = std::max(w, text_width(p.plan) + 2);
  s += fmt::format("\n{:<{}}{:>14}{:>14}{:>18}{:>14}\n", "plan", w, "P(goal)", "at central",
                   "median bookings", "at central");
  for (const PlanFigures& p : r.plans)
    s += fmt::format("{:<{}}{:>14}{:>14}{:>18}{:>14}\n", p.plan, w,
                     p.p_goal ? percent_se(*p.p_goal) : "-", pct(p.p_goal_central),
                     p.median ? money(*p.median) : "-",
                     p.median_central ? money(*p.median_central) : "-");
  if (!r.per_path) {
    if (!r.vs_baseline.empty()) s += "\n";
    for (const VsBaseline& v : r.vs_baseline) s += v.summary + ".\n";
    s += "\n(--streaming keeps no per-path data: no ranking of the assumptions and no failure "
         "region; run without --streaming for them)\n";
    return s;
  }
  // As the gain's line: a P(goal) without a fit says why (met on every path, too few paths).
  const auto goal_line = [&](const PlanFigures& f, const std::string& who) -> std::string {
    if (!f.goal_drivers.empty())
      return fmt::format("{} P(goal) moves most with: {}\n", who, ranking(sc, f.goal_drivers));
    if (!f.goal_unranked.empty())
      return fmt::format("{} P(goal) is not ranked: {}\n", who, f.goal_unranked);
    return "";
  };
  if (!r.plans.empty()) {
    const std::string line = goal_line(r.plans[0], r.plans[0].plan + "'s");
    if (!line.empty()) s += "\n" + line;
  }
  for (std::size_t i = 0; i < r.vs_baseline.size(); ++i) {
    const VsBaseline& v = r.vs_baseline[i];
    s += fmt::format("\n{}.\n", v.summary);
    // No fit is not "no assumption stands out": say why there is no ranking.
    s += v.diff_defined
             ? fmt::format("  its gain in bookings moves most with: {}\n",
                           ranking(sc, v.diff_drivers))
             : fmt::format("  its gain in bookings is not ranked: {}\n", v.diff_unranked);
    if (i + 1 < r.plans.size()) s += goal_line(r.plans[i + 1], "  its");
  }
  // The note on coefficients only where a ranking was made (none on too few paths).
  const bool ranked = std::any_of(r.plans.begin(), r.plans.end(),
                                  [](const PlanFigures& p) { return !p.goal_drivers.empty(); }) ||
                      std::any_of(r.vs_baseline.begin(), r.vs_baseline.end(),
                                  [](const VsBaseline& v) { return v.diff_defined; });
  if (!ranked) return s;
  s += "\n(coefficients: standard deviations of the outcome per standard deviation of the "
       "assumption, ± one standard error)\n";
  return s;
}

void write_assumption_draws(sim::h5::File& f, const Scenario& sc, const ScenarioResults& res) {
  if (sc.assumptions.empty()) return;
  auto g = f.group("assumptions");
  std::vector<std::string> keys, dists;
  std::vector<double> central;
  for (const Assumption& a : sc.assumptions) {
    keys.push_back(a.key), dists.push_back(a.describe()), central.push_back(a.central());
  }
  g.write_strings("keys", keys);
  g.write_strings("distributions", dists);
  g.write("central", central, {central.size()});
  if (res.streamed) return;  // no per-path data in a streamed file
  // Row i goes with paths/path_index[i]: the run's first path need not be 0 (--debug-path).
  const std::uint64_t first = res.plans.empty() ? 0 : res.plans[0].run.first_path;
  const std::vector<double> draws = assumption_draws(sc, first, res.paths);
  g.write("draws", draws, {res.paths, sc.assumptions.size()});
}

}  // namespace salesim::tools
