// The report's recurring-revenue section (docs/model.md 12.5), only when the summary has an
// `arr` block: a fan chart of ARR per plan, and the first plan's year as an ARR bridge
// (opening, new, expansion, churn, closing) with every plan's bridge in a table.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tools/report_sections.hpp"

namespace salesim::tools::report {
namespace {

using nlohmann::json;
namespace ch = charts;

constexpr double kZ95 = 1.96;

// ARR per week from week 0 (the start) for quantile `key` ("p10", "p50", ...).
std::vector<double> arr_column(const json& arr, const char* key) {
  std::vector<double> v{arr["start"]["mean"].get<double>()};
  for (const auto& x : arr["weekly"][key]) v.push_back(x.is_number() ? x.get<double>() : NAN);
  return v;
}

std::string slug_of(const std::string& s) {
  std::string o;
  for (char c : s) o += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return o;
}

double total(const json& bridge, const char* part) {
  double t = 0;
  for (const auto& q : bridge) t += q[part]["mean"].get<double>();
  return t;
}

}  // namespace

std::string arr_section(Page& pg) {
  const json& plans = pg.s["plans"];
  if (plans.empty() || !plans[0].contains("arr")) return "";
  const Fmt& f = pg.f;
  const int W = pg.d.horizon;
  const bool on_arr = pg.goal_on_arr();
  std::string h = R"(<section id="arr"><div class="keep"><h2>Recurring revenue (ARR)</h2>)";
  h += "<p>ARR is the annual value of the contracts live at a week: the starting customers plus "
       "every deal won, less what churned at an anniversary, plus what renewals added. Each "
       "panel shows one plan's ARR across the simulated futures: the line is the median, the "
       "bands hold the middle half (25-75%) and eight in ten (10-90%) of the futures.</p>";
  double top = on_arr && pg.d.goal ? *pg.d.goal : 0.0;
  for (const auto& p : plans)
    for (const auto& x : p["arr"]["weekly"]["p90"])
      if (x.is_number()) top = std::max(top, x.get<double>());
  double lo = 0;
  ch::nice_ticks(lo, top);
  std::vector<double> weeks(std::size_t(W) + 1);
  for (int w = 0; w <= W; ++w) weeks[std::size_t(w)] = w;
  h += R"(<div class="grid2 fans">)";
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const json& a = plans[i]["arr"];
    const std::string name = plans[i]["name"].get<std::string>();
    ch::LineChart c;
    c.frame = {fmt::format("arr-fan-{}-{}", i + 1, slug_of(name)), name + ": ARR", "", 560, 380};
    c.x = f.time_axis(W);
    c.y.label = fmt::format("ARR ({})", f.currency_unit());
    c.y.min = 0.0;
    c.y.max = top;
    ch::Series s{"median", weeks, arr_column(a, "p50"), {}};
    s.style = int(i);
    s.bands = {{arr_column(a, "p10"), arr_column(a, "p90"), "10-90% of futures", 0.16},
               {arr_column(a, "p25"), arr_column(a, "p75"), "25-75% of futures", 0.32}};
    c.series = {s};
    if (on_arr && pg.d.goal) {
      c.hlines.push_back({*pg.d.goal, "ARR goal " + f.money(*pg.d.goal)});
      for (const auto& cp : plans[0]["checkpoints"])
        c.points.push_back({cp["week"].get<double>(), cp["target"].get<double>(),
                            fmt::format("{} {}", cp["label"].get<std::string>(),
                                        f.money(cp["target"].get<double>()))});
      if (!c.points.empty()) c.points_legend = "checkpoint target";
    }
    c.frame.desc = fmt::format(
        "Fan chart of {}'s ARR over {} {}, from {} at the start. At the end the median is {}; "
        "10-90% of simulated futures lie between {} and {}.",
        name, W, noun(W, "week"), f.money(a["start"]["mean"].get<double>()),
        f.money(a["final"]["p50"].get<double>()), f.money(a["final"]["p10"].get<double>()),
        f.money(a["final"]["p90"].get<double>()));
    if (on_arr && pg.d.goal)  // the goal is drawn here, so the description names it here
      c.frame.desc +=
          fmt::format(" ARR goal {} by {}. Probability of reaching it: {}.", f.money(*pg.d.goal),
                      f.week(pg.d.goal_by_week), Fmt::prob(num_at(pg.s, pg.p(i) + "/goal/p_met")));
    h += pg.figure(ch::line_chart_svg(c), c.frame.id, "");
  }
  h += "</div></div>";

  // The first plan's whole horizon as a waterfall: opening + new + expansion - churn = closing.
  const json& a0 = plans[0]["arr"];
  const json& b0 = a0["bridge"];
  auto se_total = [&](const char* part) {
    double v = 0;
    // A standard error that does not exist (one path) is null: the whisker is then NaN, none.
    for (const auto& q : b0)
      v += q[part]["se"].is_number() ? std::pow(q[part]["se"].get<double>(), 2) : NAN;
    return kZ95 * std::sqrt(v);  // quarters' errors as if independent: a guide, not exact
  };
  ch::WaterfallChart w;
  const std::string name0 = plans[0]["name"].get<std::string>();
  w.frame = {"arr-bridge", name0 + ": the ARR bridge over the horizon", "", 720, 0};
  w.value.label = fmt::format("ARR ({})", f.currency_unit());
  w.steps = {{"ARR at the start", a0["start"]["mean"].get<double>(), 0, /*level=*/true},
             {"new contracts", total(b0, "new"), se_total("new")},
             {"expansion at renewals", total(b0, "expansion"), se_total("expansion")},
             {"churn at anniversaries", -total(b0, "churn"), se_total("churn")}};
  w.total = {"ARR at the horizon (mean)", b0.back()["closing"].get<double>(), 0, /*level=*/true};
  // The bars' amounts with the currency, as the other charts print money ("+$4.81M").
  for (auto& st : w.steps) st.text = st.level ? f.money(st.value) : f.money_signed(st.value);
  w.total.text = f.money(w.total.value);
  w.frame.desc = fmt::format(
      "Waterfall of {}'s mean ARR: {} at the start, {} of new contracts, {} of expansion and {} "
      "of churn give {} at the horizon.",
      name0, f.money(w.steps[0].value), f.money(w.steps[1].value), f.money(w.steps[2].value),
      f.money(-w.steps[3].value), f.money(w.total.value));
  h += R"(<div class="keep"><h3>The ARR bridge</h3>)";
  h += pg.figure(ch::waterfall_svg(w), w.frame.id,
                 "Means over the simulated futures; whiskers: 95% intervals of the estimates.");
  h += R"(<table class="data"><thead><tr><th>Plan</th><th>Weeks</th><th>Opening</th>)"
       "<th>New</th><th>Expansion</th><th>Churn</th><th>Closing</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < plans.size(); ++i)
    for (const auto& q : plans[i]["arr"]["bridge"])
      h += fmt::format(
          "<tr><th>{}</th><td>{}-{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></"
          "tr>",
          pg.plan_name(i), q["from_week"].get<int>(), q["to_week"].get<int>(),
          f.money(q["opening"].get<double>()), f.money(q["new"]["mean"].get<double>()),
          f.money(q["expansion"]["mean"].get<double>()), f.money(q["churn"]["mean"].get<double>()),
          f.money(q["closing"].get<double>()));
  h += "</tbody></table>";
  h += "<p>Retention of the contracts live at the start of week " +
       std::to_string(a0["retention"]["from_week"].get<int>()) + ", at the horizon: ";
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const json& r = plans[i]["arr"]["retention"];
    auto pct = [](const json& x) {
      return x["mean"].is_number() ? fmt::format("{:.1f}%", 100 * x["mean"].get<double>())
                                   : std::string("-");
    };
    h += (i ? "; " : "") + pg.plan_name(i) + " net " + pct(r["nrr"]) + ", gross " + pct(r["grr"]);
  }
  return h + ".</p></div></section>";
}

}  // namespace salesim::tools::report
