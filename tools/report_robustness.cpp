// The report's "What the answer depends on" (docs/model.md 12.4): for a scenario with uncertain
// assumptions, the figures at the central values beside the integrated ones, and per plan
// against the baseline where it fails to beat it and which assumptions drive its gain and its
// P(goal). Every figure comes from the JSON summary's `robustness` (Fmt::fig).
#include <fmt/format.h>

#include <cmath>

#include "tools/report_sections.hpp"

namespace salesim::tools::report {
namespace {

using nlohmann::json;

// The key without the stage or skill prefix, as the terminal's sentences shorten it.
std::string short_key(const std::string& key) {
  for (const char* pre : {"pipeline.stages.", "team.skills."})
    if (key.rfind(pre, 0) == 0) return key.substr(std::string(pre).size());
  return key;
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
      R"(<table class="data"><caption>The uncertain assumptions</caption><thead><tr><th>Assumption</th><th>Distribution</th><th>Central value</th></tr></thead><tbody>)";
  for (const json& a : r["assumptions"])
    h += fmt::format("<tr><th><code>{}</code></th><td>{}</td><td>{:g}</td></tr>",
                     esc(a["key"].get<std::string>()), esc(a["description"].get<std::string>()),
                     a["central"].get<double>());
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
                     esc(c["baseline"].get<std::string>()), esc(c["summary"].get<std::string>()));
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
      h += fmt::format("<tr><th><code>{}</code></th><td>{}</td><td>{}</td></tr>",
                       esc(short_key(key)), coef(s, fmt::format("{}/diff_drivers/{}", at, k)), g);
    }
    h += "</tbody></table>";
  }
  h += "<p><small>Ranking: standardised regression of each future's outcome on its draws "
       "(robust standard errors); region: PRIM (Friedman and Fisher 1999) over the draws, the "
       "simplest box in which the plan most often fails to beat the baseline. "
       "docs/model.md section 12.4.</small></p>";
  return h + "</section>";
}

}  // namespace salesim::tools::report
