// The report's "What the answer depends on" (docs/model.md 12.4): for a scenario with uncertain
// assumptions, the figures at the central values beside the integrated ones, and per plan
// against the baseline where it fails to beat it and which assumptions drive its gain and its
// P(goal). Every figure comes from the JSON summary's `robustness` (Fmt::fig).
#include <fmt/format.h>

#include <cctype>
#include <cmath>

#include "models/robustness.hpp"
#include "tools/report_sections.hpp"

namespace salesim::tools::report {
namespace {

using nlohmann::json;

// An assumption's name for the client pages: its meaning in words (plain_key), or the key
// when this salesim cannot read the scenario; the keys are in the appendix's table.
std::string assumption_name(const Page& pg, const std::string& key) {
  return capitalised(pg.scenario ? plain_key(*pg.scenario, key) : key);
}

// A key's unit, for its values in words ("" when the scenario cannot be read).
std::string unit_of(const Page& pg, const std::string& key) {
  return pg.scenario ? key_unit(*pg.scenario, key) : "";
}

// The sentence of the JSON's `summary`, made again from its figures with the assumptions in
// plain words and their values in their units ("the average deal of at least $40.1k").
std::string plain_summary(const Page& pg, const json& c) {
  VsBaseline v;
  v.plan = c["plan"].get<std::string>();
  v.baseline = c["baseline"].get<std::string>();
  v.p_beats.mean = c.value("p_beats", 0.0);
  v.p_ties = c.value("p_ties", 0.0);
  const json& r = c["fail_region"];
  v.region.found = r.value("found", false);
  v.region.coverage = r.value("coverage", 0.0);
  v.region.density = r.value("fail_rate_inside", 0.0);
  for (const json& b : r.value("bounds", json::array())) {
    RegionBound rb;
    rb.key = b["key"].get<std::string>();
    if (b["low"].is_number()) rb.low = b["low"].get<double>();
    if (b["high"].is_number()) rb.high = b["high"].get<double>();
    v.region.bounds.push_back(rb);
  }
  return vs_baseline_summary(v, [&](const RegionBound& b) {
    std::string name = pg.scenario ? plain_key(*pg.scenario, b.key) : b.key;
    const std::string unit = unit_of(pg, b.key);
    // A region's bound is an estimate: three significant digits, as the JSON's summary gives
    // it (the report printed "at most 0.231418 per unit overload").
    auto val = [&](double x) {
      return plain_number(pg.f, std::stod(fmt::format("{:.3g}", x)), unit);
    };
    if (b.low && b.high && *b.low == *b.high) return name + " of " + val(*b.low);
    if (b.low && b.high) return name + " between " + val(*b.low) + " and " + val(*b.high);
    if (b.low) return name + " of at least " + val(*b.low);
    return name + " of at most " + val(*b.high);
  });
}

// A coefficient with its standard error, greyed when it is within two of 0.
std::string coef(const json& s, const std::string& at) {
  const double c = num_at(s, at + "/coef"), se = num_at(s, at + "/se");
  if (!std::isfinite(c)) return "n/a";
  const bool clear = std::fabs(c) > 2 * se;
  return fmt::format(
      R"(<span class="fig" data-json="{}/coef" data-kind="number" data-value="{}"{}>{}</span> <small>±{:.2f}</small>)",
      at, c, clear ? "" : R"( style="color:#888")", Fmt::signed_fixed(c, 2), se);
}

}  // namespace

std::string robustness_section(Page& pg) {
  const json& s = pg.s;
  if (!s.contains("robustness")) return "";
  const json& r = s["robustness"];
  const Fmt& f = pg.f;
  std::string h =
      R"(<section id="robustness"><h2>What the answer depends on</h2>)"
      "<p>Some assumptions of this scenario are uncertain. Each simulated future draws them once, "
      "and every plan sees the same values in the same future, so every figure of this report "
      "already allows for them. The table sets them beside the answer with every assumption at "
      "its central value.</p>";
  h +=
      R"(<table class="data"><caption>The uncertain assumptions</caption><thead><tr><th>Assumption</th><th>Range</th><th>Central value</th></tr></thead><tbody>)";
  for (const json& a : r["assumptions"]) {
    const std::string key = a["key"].get<std::string>();
    std::string range = plain_distribution(pg, key);
    if (range.empty()) range = a["description"].get<std::string>();
    h +=
        fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td></tr>", esc(assumption_name(pg, key)),
                    esc(range), esc(plain_number(f, a["central"].get<double>(), unit_of(pg, key))));
  }
  h += "</tbody></table>";
  h +=
      R"(<table class="data"><caption>Allowing for the uncertainty, and at the central values</caption><thead><tr><th>Plan</th><th>P(goal)</th><th>at central values</th><th>Median bookings</th><th>at central values</th></tr></thead><tbody>)";
  for (std::size_t i = 0; i < r["plans"].size(); ++i) {
    const std::string at = fmt::format("/robustness/plans/{}", i);
    h += fmt::format(
        "<tr><th>{}</th><td>{} <small>{}</small></td><td>{}</td><td>{}</td><td>{}</td></tr>",
        pg.plan_name(i), f.fig(s, at + "/p_goal", Kind::prob),
        f.text(Kind::prob_se, num_at(s, at + "/p_goal_se")),
        f.fig(s, at + "/p_goal_central", Kind::prob),
        f.fig(s, at + "/median_final_bookings", Kind::money),
        f.fig(s, at + "/median_final_bookings_central", Kind::money));
  }
  h += "</tbody></table>";
  if (!r.value("per_path", true)) {
    h += "<p>This run kept no per-path data (<code>--streaming</code>), so it cannot say which "
         "assumption the answer hinges on; run without <code>--streaming</code> for that.</p>";
    return h + "</section>";
  }
  for (std::size_t v = 0; v < r["vs_baseline"].size(); ++v) {
    const json& c = r["vs_baseline"][v];
    const std::string at = fmt::format("/robustness/vs_baseline/{}", v);
    h += fmt::format("<h3>{} against {}</h3><p>{}.</p>", esc(c["plan"].get<std::string>()),
                     esc(c["baseline"].get<std::string>()), esc(plain_summary(pg, c)));
    // The plan's P(goal) drivers are in robustness.plans, at the plan's own index.
    std::size_t plan_index = 0;
    for (std::size_t i = 0; i < r["plans"].size(); ++i)
      if (r["plans"][i]["plan"] == c["plan"]) plan_index = i;
    const json& goal = r["plans"][plan_index].value("goal_drivers", json::array());
    h +=
        R"(<table class="data"><caption>How much each assumption drives the gain in bookings and P(goal): standard deviations of the outcome per standard deviation of the assumption, ± one standard error</caption><thead><tr><th>Assumption</th><th>Gain over the baseline</th><th>P(goal)</th></tr></thead><tbody>)";
    for (std::size_t k = 0; k < c["diff_drivers"].size(); ++k) {
      const std::string key = c["diff_drivers"][k]["key"];
      std::string g = "n/a";
      for (std::size_t q = 0; q < goal.size(); ++q)
        if (goal[q]["key"] == key)
          g = coef(s, fmt::format("/robustness/plans/{}/goal_drivers/{}", plan_index, q));
      h += fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td></tr>", esc(assumption_name(pg, key)),
                       coef(s, fmt::format("{}/diff_drivers/{}", at, k)), g);
    }
    h += "</tbody></table>";
  }
  h += "<p><small>Ranking: standardised regression of each future's outcome on its draws "
       "(robust standard errors); region: PRIM (Friedman and Fisher 1999) over the draws, the "
       "simplest box in which the plan most often fails to beat the baseline. The "
       "assumptions' scenario keys are in the appendix for analysts.</small></p>";
  return h + "</section>";
}

}  // namespace salesim::tools::report
