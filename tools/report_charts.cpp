// The report's sections built around charts: bookings over time (fan charts), checkpoints,
// the paired comparison with the baseline, people, and money. Text figures come from the JSON
// summary (Fmt::fig); charts from the results file's weekly and per-path datasets.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tools/report_sections.hpp"

namespace salesim::tools::report {
namespace {

using nlohmann::json;
namespace ch = charts;

constexpr double kZ95 = 1.96;  // whiskers: a 95% interval of the Monte Carlo estimate

std::vector<double> weeks_from_zero(int horizon) {
  std::vector<double> x(horizon + 1);
  for (int w = 0; w <= horizon; ++w) x[w] = w;
  return x;
}
// A weekly series with the value at week 0 (start) in front.
std::vector<double> from_start(double at_start, const std::vector<double>& v) {
  std::vector<double> o{at_start};
  o.insert(o.end(), v.begin(), v.end());
  return o;
}
std::vector<double> quantile_column(const ReportPlan& p, int k) {
  std::vector<double> o{0.0};
  for (const auto& row : p.cum_q) o.push_back(row[k]);
  return o;
}

// The goal line and the checkpoint markers of bookings charts.
void goal_and_checkpoints(const Page& pg, ch::LineChart& c) {
  const Fmt& f = pg.f;
  // A goal on ARR (goal.metric: arr) is drawn on the ARR charts (report_arr.cpp), not here.
  if (pg.goal_on_arr()) return;
  if (pg.d.goal) c.hlines.push_back({*pg.d.goal, "Goal " + f.money(*pg.d.goal)});
  if (pg.d.goal && pg.d.goal_by_week < pg.d.horizon)
    c.vlines.push_back({double(pg.d.goal_by_week), "goal date"});
  for (const auto& cp : pg.s["plans"][0]["checkpoints"])
    c.points.push_back({cp["week"].get<double>(), cp["target"].get<double>(),
                        fmt::format("{} {}", cp["label"].get<std::string>(),
                                    f.money(cp["target"].get<double>()))});
  if (!c.points.empty()) c.points_legend = "checkpoint target";
}

// The goal as a bookings chart's description says it: a goal on ARR is not drawn there.
std::string goal_words(const Page& pg) {
  if (!pg.d.goal) return "The scenario sets no goal.";
  if (pg.goal_on_arr()) return "The goal counts ARR: it is drawn on the ARR charts.";
  return fmt::format("Goal {} by {}.", pg.f.money(*pg.d.goal), pg.f.week(pg.d.goal_by_week));
}

std::string money_axis_label(const Page& pg, const std::string& what) {
  return fmt::format("{} ({})", what, pg.f.currency_unit());
}

// A plan's difference in leavers, signed as the other differences; with its standard error
// where the summary has one (leavers_diff_se).
std::string leavers_diff(Page& pg, const std::string& v) {
  const std::string d = pg.f.fig(pg.s, v + "/leavers_diff_mean", Kind::number_diff);
  const double se = num_at(pg.s, v + "/leavers_diff_se");
  if (!std::isfinite(se)) return d;
  // A small error keeps a digit that is not 0 (0.04 read "±0.0").
  return d + " <small>±" + pg.f.fig(pg.s, v + "/leavers_diff_se", Kind::number, se < 0.05 ? 2 : 1) +
         "</small>";
}

}  // namespace

// ---- Bookings over time ---------------------------------------------------------------------

std::string median_chart(Page& pg) {
  const int W = pg.d.horizon;
  ch::LineChart c;
  c.frame = {"bookings-median", "Median cumulative bookings by plan", "", 900, 420};
  c.x = pg.f.time_axis(W);
  c.y.label = money_axis_label(pg, "Cumulative bookings");
  c.y.min = 0.0;
  std::string desc =
      fmt::format("Median cumulative bookings over {} {} for {} {}. ", W, noun(W, "week"),
                  pg.d.plans.size(), noun(double(pg.d.plans.size()), "plan"));
  for (std::size_t i = 0; i < pg.d.plans.size(); ++i) {
    ch::Series s{pg.d.plans[i].name, weeks_from_zero(W), quantile_column(pg.d.plans[i], 3), {}};
    s.style = int(i);
    s.marker_every = std::max(1, W / 8);
    c.series.push_back(s);
    desc += fmt::format("{} ends at a median of {}. ", pg.d.plans[i].name,
                        pg.f.money(num_at(pg.s, pg.p(i) + "/final_bookings/p50")));
  }
  goal_and_checkpoints(pg, c);
  c.frame.desc = desc + goal_words(pg);
  // The caption names only what the chart draws: an ARR goal is on the ARR charts.
  std::string caption = "Half of the simulated futures book more than the line, half less.";
  if (pg.d.goal && pg.goal_on_arr())
    caption += " The goal counts ARR: it is drawn on the ARR charts below.";
  else if (pg.d.goal)
    caption += c.points.empty() ? " The dashed line is the goal."
                                : " The dashed line is the goal; diamonds are the checkpoint "
                                  "targets.";
  return pg.figure(ch::line_chart_svg(c), c.frame.id, caption);
}

std::string bookings_section(Page& pg) {
  const int W = pg.d.horizon;
  std::string h = R"(<section id="bookings"><div class="keep"><h2>Bookings over time</h2>)";
  h += "<p>Each panel shows one plan's cumulative bookings across the simulated futures: the "
       "line is the median, the dark band holds the middle half of the futures (25-75%) and "
       "the light band eight in ten (10-90%). The wider the bands, the less certain the "
       "outcome. All panels share one scale.</p>";
  // The scale reaches the goal's line, which an ARR goal does not draw here.
  double top = pg.goal_on_arr() ? 0.0 : pg.d.goal.value_or(0);
  for (const auto& p : pg.d.plans)
    for (const auto& row : p.cum_q)
      if (std::isfinite(row[5])) top = std::max(top, row[5]);
  double lo = 0;
  ch::nice_ticks(lo, top);
  h += R"(<div class="grid2 fans">)";
  for (std::size_t i = 0; i < pg.d.plans.size(); ++i) {
    const ReportPlan& p = pg.d.plans[i];
    const std::string pi = pg.p(i);
    ch::LineChart c;
    c.frame = {fmt::format("fan-{}-{}", i + 1, slug(p.name)),
               fmt::format("{}: cumulative bookings", p.name), "", 560, 380};
    c.x = pg.f.time_axis(W);
    c.y.label = money_axis_label(pg, "Cumulative bookings");
    c.y.min = 0.0;
    c.y.max = top;
    ch::Series s{"median", weeks_from_zero(W), quantile_column(p, 3), {}};
    s.style = int(i);
    s.bands = {{quantile_column(p, 1), quantile_column(p, 5), "10-90% of futures", 0.16},
               {quantile_column(p, 2), quantile_column(p, 4), "25-75% of futures", 0.32}};
    c.series = {s};
    goal_and_checkpoints(pg, c);
    c.frame.desc = fmt::format(
        "Fan chart of {}'s cumulative bookings over {} {}. At the end the median is {}; "
        "10-90% of simulated futures lie between {} and {}. {}{}",
        p.name, W, noun(W, "week"), pg.f.money(num_at(pg.s, pi + "/final_bookings/p50")),
        pg.f.money(num_at(pg.s, pi + "/final_bookings/p10")),
        pg.f.money(num_at(pg.s, pi + "/final_bookings/p90")), goal_words(pg),
        pg.d.goal && !pg.goal_on_arr()
            ? " Probability of reaching it: " + Fmt::prob(num_at(pg.s, pi + "/goal/p_met")) + "."
            : "");
    h += pg.figure(ch::line_chart_svg(c), c.frame.id, "");
  }
  return h + "</div></div></section>";  // the panels, the keep
}

// ---- Checkpoints ----------------------------------------------------------------------------

std::string checkpoints_section(Page& pg) {
  const json& s = pg.s;
  const Fmt& f = pg.f;
  const json& cps = s["plans"][0]["checkpoints"];
  const std::size_t n = pg.d.plans.size();
  std::string h =
      R"(<section id="goal-checkpoints"><div class="keep"><h2>Checkpoints on the way</h2>)";
  if (cps.empty() && !pg.d.goal)
    return h + "<p>The scenario sets no goal and no checkpoints.</p></div></section>";
  // A goal on ARR (goal.metric: arr) puts its checkpoints on ARR too (docs/model.md 12.5).
  const bool on_arr = pg.goal_on_arr();
  h += fmt::format(
      "<p>The probability of {} at least each checkpoint's target {} its week, with its "
      "standard error (the Monte Carlo uncertainty of the estimate; more simulated futures make "
      "it smaller).</p>",
      on_arr ? "an ARR (the annual value of the contracts live) of" : "having booked",
      on_arr ? "at the end of" : "by");
  // A column per plan: on screen the table scrolls in its own box past eight or so plans.
  h +=
      R"(<div class="across"><table class="data"><thead><tr><th>Checkpoint</th><th>By</th><th>Target</th>)";
  for (std::size_t i = 0; i < n; ++i) h += "<th>" + pg.plan_name(i) + "</th>";
  h += "</tr></thead><tbody>";
  for (std::size_t c = 0; c < cps.size(); ++c) {
    const std::string cp0 = fmt::format("/plans/0/checkpoints/{}", c);
    h += fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td>",
                     esc(cps[c]["label"].get<std::string>()), f.fig(s, cp0 + "/week", Kind::week),
                     f.fig(s, cp0 + "/target", Kind::money));
    for (std::size_t i = 0; i < n; ++i) {
      const std::string cp = fmt::format("{}/checkpoints/{}", pg.p(i), c);
      h += fmt::format("<td>{} <small>{}</small></td>", f.fig(s, cp + "/p_met", Kind::prob),
                       f.fig(s, cp + "/se", Kind::prob_se));
    }
    h += "</tr>";
  }
  if (pg.d.goal) {
    h += fmt::format("<tr><th><strong>Goal</strong></th><td>{}</td><td>{}</td>",
                     f.fig(s, "/goal/by_week", Kind::week), f.fig(s, "/goal/revenue", Kind::money));
    for (std::size_t i = 0; i < n; ++i)
      h += fmt::format("<td><strong>{}</strong> <small>{}</small></td>",
                       f.fig(s, pg.p(i) + "/goal/p_met", Kind::prob),
                       f.fig(s, pg.p(i) + "/goal/se", Kind::prob_se));
    h += "</tr>";
  }
  if (!cps.empty()) {
    h += "<tr><th>Every checkpoint</th><td></td><td></td>";
    for (std::size_t i = 0; i < n; ++i)
      h += fmt::format("<td>{} <small>{}</small></td>",
                       f.fig(s, pg.p(i) + "/p_all_checkpoints", Kind::prob),
                       f.fig(s, pg.p(i) + "/p_all_checkpoints_se", Kind::prob_se));
    h += "</tr>";
  }
  h += "</tbody></table></div></div>";

  ch::BarChart b;
  b.frame = {"checkpoints", "Probability of meeting each checkpoint and the goal", "", 900, 0};
  b.value = {"Probability (%)", 0.0, 1.0, {}, ch::Axis::Format::percent};
  std::string desc = "Grouped bars: for each checkpoint, each plan's probability of meeting it. ";
  for (const auto& p : pg.d.plans) b.series.push_back(p.name);
  for (std::size_t c = 0; c <= cps.size(); ++c) {
    const bool goal = c == cps.size();
    if (goal && !pg.d.goal) break;
    ch::BarGroup g;
    g.label = goal ? "Goal" : cps[c]["label"].get<std::string>();
    for (std::size_t i = 0; i < n; ++i) {
      const std::string base =
          goal ? pg.p(i) + "/goal" : fmt::format("{}/checkpoints/{}", pg.p(i), c);
      const double pm = num_at(s, base + "/p_met"), se = num_at(s, base + "/se");
      g.bars.push_back({pm, kZ95 * se, Fmt::prob(pm)});
      desc += fmt::format("{} {}: {}. ", g.label, pg.d.plans[i].name, Fmt::prob(pm));
    }
    b.groups.push_back(g);
  }
  b.frame.desc = desc;
  h += pg.figure(ch::bar_chart_svg(b), b.frame.id,
                 "Whiskers: a 95% interval of each estimate (±1.96 standard errors).");

  if (!cps.empty()) {
    // On an ARR goal the checkpoints' figures are the ARR at the week (docs/model.md 12.5).
    h += fmt::format(
        R"(<div class="across"><table class="data"><caption>Mean {} at each checkpoint (± standard error)</caption><thead><tr><th>Checkpoint</th><th>Target</th>)",
        pg.goal_on_arr() ? "ARR" : "cumulative bookings");
    for (std::size_t i = 0; i < n; ++i) h += "<th>" + pg.plan_name(i) + "</th>";
    h += "</tr></thead><tbody>";
    for (std::size_t c = 0; c < cps.size(); ++c) {
      h += fmt::format("<tr><th>{}</th><td>{}</td>", esc(cps[c]["label"].get<std::string>()),
                       f.fig(s, fmt::format("/plans/0/checkpoints/{}/target", c), Kind::money));
      for (std::size_t i = 0; i < n; ++i) {
        const std::string bc = fmt::format("{}/bookings_at_checkpoints/{}", pg.p(i), c);
        h += fmt::format("<td>{} <small>{}</small></td>", f.fig(s, bc + "/mean", Kind::money),
                         f.fig(s, bc + "/se", Kind::money_se));
      }
      h += "</tr>";
    }
    h += "</tbody></table></div>";
  }
  return h + "</section>";
}

// ---- Against the baseline -------------------------------------------------------------------

std::string comparison_section(Page& pg) {
  const json& s = pg.s;
  const Fmt& f = pg.f;
  const std::size_t n = pg.d.plans.size();
  const std::string base = pg.d.plans[0].name;
  const bool on_arr = pg.compare_on_arr();
  std::string h =
      R"(<section id="comparison"><div class="keep"><h2>Each plan against the baseline</h2>)";
  h += fmt::format(
      "<p>Every plan was run on the same simulated futures as {}: the same market, the same "
      "people and the same luck wherever the plan does not change them. So each future gives a "
      "paired difference, plan minus baseline, and the differences are much sharper than a "
      "comparison of two separate forecasts. P(better) is the share of futures in which the "
      "plan {}.</p>",
      pg.plan_name(0),
      on_arr ? "ends the horizon with more ARR (the goal counts ARR; bookings, new contracts, are "
               "beside it)"
             : "books more");
  h +=
      fmt::format(R"(<table class="data"><thead><tr><th>Plan</th>{}<th>Bookings difference</th>{})",
                  on_arr ? "<th>Final ARR difference</th><th>P(better)</th>" : "",
                  on_arr ? "" : "<th>P(better)</th>");
  if (pg.d.goal) h += "<th>P(goal) difference</th>";
  h += "<th>Extra cost</th><th>Extra profit</th><th>Return on extra cost</th><th>Leavers "
       "difference</th></tr></thead><tbody>";
  for (std::size_t i = 1; i < n; ++i) {
    const std::string v = pg.p(i) + "/vs_first";
    h += "<tr><th>" + pg.plan_name(i) + "</th>";
    if (on_arr)
      h += fmt::format("<td>{} <small>±{}</small></td><td>{}</td>",
                       f.fig(s, v + "/arr_final_diff/mean", Kind::money_diff),
                       f.fig(s, v + "/arr_final_diff/se", Kind::money),
                       f.fig(s, v + "/arr_final_diff/p_better", Kind::prob));
    h += fmt::format("<td>{} <small>±{}</small></td>",
                     f.fig(s, v + "/final_bookings_diff_mean", Kind::money_diff),
                     f.fig(s, v + "/se", Kind::money));
    if (!on_arr) h += fmt::format("<td>{}</td>", f.fig(s, v + "/p_better", Kind::prob));
    if (pg.d.goal)
      h += fmt::format("<td>{} <small>{}</small></td>",
                       f.fig(s, v + "/p_goal_diff", Kind::prob_diff),
                       f.fig(s, v + "/p_goal_diff_se", Kind::prob_se));
    h += fmt::format(
        "<td>{} <small>±{}</small></td><td>{} <small>±{}</small></td><td>{}</td><td>{}</td></tr>",
        f.fig(s, v + "/cost_diff_mean", Kind::money_diff),
        f.fig(s, v + "/cost_diff_se", Kind::money),
        f.fig(s, v + "/profit_diff_mean", Kind::money_diff),
        f.fig(s, v + "/profit_diff_se", Kind::money), f.fig(s, v + "/roi", Kind::ratio),
        leavers_diff(pg, v));
  }
  h += "</tbody></table></div>";
  const json& cps = s["plans"][0]["checkpoints"];
  if (!cps.empty()) {
    h +=
        R"(<table class="data"><caption>Difference in the probability of meeting each checkpoint (percentage points, ± standard error)</caption><thead><tr><th>Plan</th>)";
    for (const auto& c : cps) h += "<th>" + esc(c["label"].get<std::string>()) + "</th>";
    h += "</tr></thead><tbody>";
    for (std::size_t i = 1; i < n; ++i) {
      h += "<tr><th>" + pg.plan_name(i) + "</th>";
      for (std::size_t c = 0; c < cps.size(); ++c) {
        const std::string v = fmt::format("{}/vs_first/checkpoints_diff/{}", pg.p(i), c);
        h += fmt::format("<td>{} <small>{}</small></td>",
                         f.fig(s, v + "/p_met_diff", Kind::prob_diff),
                         f.fig(s, v + "/se", Kind::prob_se));
      }
      h += "</tr>";
    }
    h += "</tbody></table>";
  }
  h += R"(<div class="grid2 diffs">)";
  for (std::size_t i = 1; i < n; ++i) {
    const ReportPlan& p = pg.d.plans[i];
    // What the comparison is on: final ARR for an ARR goal (when the file has its per-path
    // differences), else final bookings.
    const bool arr = on_arr && !p.arr_diff.empty();
    const std::vector<double>& values = arr ? p.arr_diff : p.diff;
    if (values.empty()) continue;  // a streamed run keeps no per-path differences
    const std::string v = pg.p(i) + (arr ? "/vs_first/arr_final_diff" : "/vs_first");
    const double mean = num_at(s, v + (arr ? "/mean" : "/final_bookings_diff_mean"));
    const std::string what = arr ? "final ARR" : "final bookings";
    ch::Histogram hist;
    hist.frame = {fmt::format("diff-{}-{}", i + 1, slug(p.name)),
                  fmt::format("{} minus {}: {}", p.name, base, what), "", 560, 360};
    hist.x.label = money_axis_label(pg, fmt::format("Difference in {} per future", what));
    hist.y_label = "Share of futures";  // the report's word for a simulated path
    hist.values = values;
    hist.split = 0.0;
    hist.style = int(i);
    // A plan that changes nothing here has every difference at 0: one line says both.
    if (mean == 0 && std::all_of(values.begin(), values.end(), [](double x) { return x == 0; }))
      hist.vlines = {{0, "no difference in any future"}};
    else
      hist.vlines = {{0, "no difference"}, {mean, "mean " + f.money_signed(mean)}};
    hist.frame.desc = fmt::format(
        "Histogram of the paired difference in {}, {} minus {}, over {} simulated {}. The plan "
        "{} in {} of them; the mean difference is {} (standard error {}).",
        what, p.name, base, values.size(), noun(double(values.size()), "future"),
        arr ? "ends with more ARR" : "books more", Fmt::prob(num_at(s, v + "/p_better")),
        f.money_signed(mean), f.money(num_at(s, v + "/se")));
    h += pg.figure(ch::histogram_svg(hist), hist.frame.id, "");
  }
  return h + "</div></section>";
}

// ---- People ---------------------------------------------------------------------------------

std::string people_section(Page& pg) {
  const json& s = pg.s;
  const Fmt& f = pg.f;
  const int W = pg.d.horizon;
  const std::size_t n = pg.d.plans.size();
  std::string h = R"(<section id="people"><div class="keep"><h2>People</h2>)";
  h += "<p>What each plan does to the team: burnout (0 = none, 1 = fully burnt out; above 0.7 "
       "counts as burnt out), people who leave, the reps in post and the hours they work. "
       "Figures are averages over the simulated futures.</p>";
  h +=
      R"(<table class="data"><thead><tr><th>Plan</th><th>Mean burnout at the end</th><th>Burnt out at the end</th><th>Leavers</th><th>Hires</th><th>Reps at the end</th><th>Hours per rep-week</th></tr></thead><tbody>)";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string pp = pg.p(i) + "/people";
    h += fmt::format(
        "<tr><th>{}</th><td>{}</td><td>{}</td><td>{} <small>±{}</small></td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>",
        pg.plan_name(i), f.fig(s, pp + "/burnout_mean_final", Kind::number, 2),
        f.fig(s, pp + "/burnt_out_share_final", Kind::prob),
        f.fig(s, pp + "/leavers_mean", Kind::number), f.fig(s, pp + "/leavers_se", Kind::number),
        f.fig(s, pp + "/hires_mean", Kind::number),
        f.fig(s, pp + "/headcount_final_mean", Kind::number),
        f.fig(s, pp + "/hours_per_rep_week_mean", Kind::number));
  }
  h += "</tbody></table></div>";

  struct Panel {
    const char* id;
    const char* title;
    std::string y_label;
    std::vector<double> ReportPlan::*series;
    bool cumulative;
    const char* json_key;
    int digits;
  };
  const Panel panels[] = {{"burnout", "Mean burnout of the reps in post", "Mean burnout (0 to 1)",
                           &ReportPlan::burnout, false, "burnout_mean_final", 2},
                          {"leavers", "Leavers since the start", "Reps who left (cumulative)",
                           &ReportPlan::leavers, true, "leavers_mean", 1},
                          {"headcount", "Reps in post", "Active reps", &ReportPlan::headcount,
                           false, "headcount_final_mean", 1},
                          {"hours", "Hours worked per rep", "Hours per rep per week",
                           &ReportPlan::hours, false, "hours_per_rep_week_mean", 1}};
  h += R"(<div class="grid2 people">)";
  for (const auto& panel : panels) {
    ch::LineChart c;
    const std::string id = panel.id;
    c.frame = {"people-" + id, panel.title, "", 560, 360};
    c.x = pg.f.time_axis(W);
    c.y.label = panel.y_label;
    // Every panel from zero: zoomed to the data, a tenth of an hour's wobble around 40 hours a
    // week filled the chart's height and read as a surge.
    c.y.min = 0.0;
    std::string desc =
        fmt::format("{} over {} {}, mean over simulated futures, per plan. {}: ", panel.title, W,
                    noun(W, "week"), id == "hours" ? "Over the run" : "At the end");
    for (std::size_t i = 0; i < n; ++i) {
      const auto& v = pg.d.plans[i].*panel.series;
      std::vector<double> y = v;
      if (panel.cumulative)
        for (std::size_t k = 1; k < y.size(); ++k) y[k] += y[k - 1];
      // Week 0 is the start: no burnout, nobody left, the starting team; hours start at week 1.
      const double start = id == "headcount"
                               ? (pg.scenario ? double(pg.scenario->base.team.reps) : v[0])
                           : id == "hours" ? std::nan("")
                                           : 0.0;
      ch::Series sr{pg.d.plans[i].name, weeks_from_zero(W), from_start(start, y), {}};
      sr.style = int(i);
      sr.marker_every = std::max(1, W / 6);
      c.series.push_back(sr);
      // Through Fmt: a figure that does not exist (no reps at the end) reads "n/a", not "nan".
      desc += fmt::format(
          "{} {}{}", pg.d.plans[i].name,
          f.text(Kind::number, num_at(s, fmt::format("{}/people/{}", pg.p(i), panel.json_key)),
                 panel.digits),
          i + 1 < n ? "; " : ".");
    }
    c.frame.desc = desc;
    h += pg.figure(ch::line_chart_svg(c), c.frame.id, "");
  }
  return h + "</div></section>";
}

// ---- Money ----------------------------------------------------------------------------------

std::string money_section(Page& pg) {
  const json& s = pg.s;
  const Fmt& f = pg.f;
  const std::size_t n = pg.d.plans.size();
  std::string h =
      R"(<section id="cost-and-return"><div class="keep"><h2>Cost, profit and return</h2>)";
  h += fmt::format(
      "<p>Cost is everything the model charges over the {} {}: salaries, commission, "
      "marketing, hiring, training and programmes. Profit is bookings minus that cost. The "
      "return on extra cost is the extra profit a plan makes over {} divided by what it costs "
      "extra: 2.0 means each unit of extra spend comes back as two units of profit on top of "
      "paying for itself. Plans that cost no more have no return to compute.</p>",
      pg.d.horizon, noun(pg.d.horizon, "week"), pg.plan_name(0));
  h += "</div>";  // the keep: heading and paragraph
  h +=
      R"(<table class="data"><thead><tr><th>Plan</th><th>Cost</th><th>Profit</th><th>Extra cost</th><th>Extra profit</th><th>Return on extra cost</th></tr></thead><tbody>)";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string pi = pg.p(i);
    h += fmt::format("<tr><th>{}</th><td>{} <small>{}</small></td><td>{} <small>{}</small></td>",
                     pg.plan_name(i), f.fig(s, pi + "/cost/mean", Kind::money),
                     f.fig(s, pi + "/cost/se", Kind::money_se),
                     f.fig(s, pi + "/profit/mean", Kind::money),
                     f.fig(s, pi + "/profit/se", Kind::money_se));
    if (i == 0) {
      h += "<td>baseline</td><td></td><td></td></tr>";
      continue;
    }
    const std::string v = pi + "/vs_first";
    h += fmt::format("<td>{} <small>±{}</small></td><td>{} <small>±{}</small></td><td>{}</td></tr>",
                     f.fig(s, v + "/cost_diff_mean", Kind::money_diff),
                     f.fig(s, v + "/cost_diff_se", Kind::money),
                     f.fig(s, v + "/profit_diff_mean", Kind::money_diff),
                     f.fig(s, v + "/profit_diff_se", Kind::money),
                     f.fig(s, v + "/roi", Kind::ratio));
  }
  h += "</tbody></table>";

  ch::BarChart b;
  b.frame = {"money", "Cost and profit by plan", "", 900, 0};
  b.value.label =
      money_axis_label(pg, fmt::format("Over {} {}", pg.d.horizon, noun(pg.d.horizon, "week")));
  b.series = {"Cost", "Profit"};
  b.series_style = {ch::kGreyStyle, ch::kDarkStyle};  // measures, not plans
  std::string desc = "Grouped bars of mean cost and mean profit per plan. ";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string pi = pg.p(i);
    const double cost = num_at(s, pi + "/cost/mean"), profit = num_at(s, pi + "/profit/mean");
    b.groups.push_back({pg.d.plans[i].name,
                        {{cost, kZ95 * num_at(s, pi + "/cost/se"), f.money(cost)},
                         {profit, kZ95 * num_at(s, pi + "/profit/se"), f.money(profit)}}});
    desc +=
        fmt::format("{}: cost {}, profit {}. ", pg.d.plans[i].name, f.money(cost), f.money(profit));
  }
  b.frame.desc = desc;
  h += pg.figure(ch::bar_chart_svg(b), b.frame.id,
                 "Whiskers: a 95% interval of each mean (±1.96 standard errors).");
  return h + "</section>";
}

}  // namespace salesim::tools::report
