// The report's HTML, section by section in reading order: the answer, bookings over time,
// checkpoints, the paired comparison, people, money, assumptions, method, the scenario as run.
// Every figure in the text comes from the JSON summary through Fmt::fig (report_format.hpp).
#include "tools/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "salesim/version.hpp"
#include "tools/cli.hpp"
#include "tools/report_format.hpp"
#include "tools/report_sections.hpp"
#include "tools/results_h5.hpp"

namespace salesim::tools {
namespace report {
namespace {

using nlohmann::json;
namespace ch = charts;

// Plain words for a probability (the IPCC's calibrated language).
const char* likelihood(double p) {
  if (p >= 0.99) return "virtually certain";
  if (p >= 0.9) return "very likely";
  if (p >= 0.66) return "likely";
  if (p >= 0.33) return "about as likely as not";
  if (p >= 0.1) return "unlikely";
  if (p >= 0.01) return "very unlikely";
  return "exceptionally unlikely";
}

// Plan names (at most 64 characters) longer than this may wrap anywhere in the report.
constexpr std::size_t kLongPlanName = 24;

std::size_t code_points(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

// "How many of the n plans" reach the goal, as a subject: "Both plans", "None of the 3 plans".
std::string plans_reaching(std::size_t k, std::size_t n) {
  if (k == n) return n == 2 ? "Both plans" : fmt::format("All {} plans", n);
  if (k == 0) return n == 2 ? "Neither plan" : fmt::format("None of the {} plans", n);
  return fmt::format("{} of the {} plans", k, n);
}

// The headline's first sentence: which of the plans reach the goal in at least half of the
// futures (`list`, with their chances), or, where none does, the best chance.
std::string reach_sentence(Page& pg, const std::string& goal, const std::string& list,
                           std::size_t k, std::size_t best) {
  const std::size_t n = pg.d.plans.size();
  const std::string chance = pg.f.fig(pg.s, pg.p(best) + "/goal/p_met", Kind::prob);
  if (n == 1 && k == 1)  // not "All of the 1 plans"
    return fmt::format(
        "<p class=\"answer\">The plan reaches {} in at least half of the simulated futures: "
        "{}.</p>",
        goal, list);
  if (n == 1)
    return fmt::format(
        "<p class=\"answer\">{} does not reach {} in half of the simulated futures: its chance "
        "is {}.</p>",
        pg.plan_name(best), goal, chance);
  if (k > 0)
    return fmt::format(
        "<p class=\"answer\">{} {} {} in at least half of the simulated futures: {}.</p>",
        plans_reaching(k, n), k == 1 ? "reaches" : "reach", goal, list);
  // Every plan at 0%: no "better chance" to name, but the plan that gets nearest (ranks_above
  // breaks the tie on the median of what the goal counts).
  if (num_at(pg.s, pg.p(best) + "/goal/p_met") == 0) {
    const bool arr = pg.compare_on_arr();
    return fmt::format(
        "<p class=\"answer\">{} reaches {} in any of the simulated futures. {} comes closest, "
        "with median {} of {}.</p>",
        plans_reaching(0, n), goal, pg.plan_name(best), arr ? "final ARR" : "bookings",
        pg.f.fig(pg.s, pg.p(best) + (arr ? "/arr/final/p50" : "/final_bookings/p50"), Kind::money));
  }
  return fmt::format(
      "<p class=\"answer\">{} reaches {} in half of the simulated futures. {} has the {} "
      "chance: {}.</p>",
      plans_reaching(0, n), goal, pg.plan_name(best), n == 2 ? "better" : "best", chance);
}

}  // namespace

double num_at(const json& s, const std::string& pointer) {
  const json::json_pointer p(pointer);
  return s.contains(p) && s.at(p).is_number() ? s.at(p).get<double>() : std::nan("");
}

std::string Page::figure(const std::string& svg, const std::string& id,
                         const std::string& caption) {
  charts.emplace_back(id + ".svg", svg);
  // A drawing taller for its width than a full chart (900 x 420: bars of many plans) would
  // print at the fixed height ever narrower, its text at 2.5pt: it prints at a full chart's
  // width instead, its height following (the print rules, "tall").
  double w = 0, h = 0;
  if (const auto at = svg.find("viewBox=\"0 0 "); at != std::string::npos)
    std::sscanf(svg.c_str() + at + 13, "%lf %lf", &w, &h);
  const bool tall = w > 0 && h / w > 1.15 * 420.0 / 900.0;
  // A much lower one (a single plan's bars, one checkpoint: 900 x 164) would print at the
  // fixed height ever wider, its text 2.4 times the others': at a fixed width instead ("low").
  const bool low = w > 0 && h / w < 0.9 * 296.0 / 900.0;
  return fmt::format(R"(<figure class="chart{}">{}{}</figure>)",
                     tall  ? " tall"
                     : low ? " low"
                           : "",
                     svg, caption.empty() ? "" : "<figcaption>" + caption + "</figcaption>");
}

// The round of nine plans the i-th is in, as " r1" to " r7" ("" for the first nine): its chart
// style changes dash and marker by round, its swatch and card take another pattern.
std::string round_class(std::size_t i) {
  const std::size_t round = (i / charts::kSeriesStyles) % charts::kStyleRounds;
  return round ? fmt::format(" r{}", round) : std::string();
}

// A plan's swatch: its colour (s0-s8) and its round (a pattern over the colour).
std::string swatch_class(std::size_t i) {
  return fmt::format("s{}{}", i % charts::kSeriesStyles, round_class(i));
}

std::string Page::plan_name(std::size_t i) const {
  // A name kept on one line ran out of its table and over the next card; a short one still
  // does not break at its hyphens.
  const std::string& name = d.plans[i].name;
  const bool long_name = code_points(name) > kLongPlanName;
  return fmt::format(R"(<span class="plan{}"><span class="swatch {}"></span>{}</span>)",
                     long_name ? " long" : "", swatch_class(i), esc(name));
}

std::string Page::p(std::size_t i) const { return fmt::format("/plans/{}", i); }
bool Page::goal_on_arr() const { return scenario && scenario->base.goal.metric == "arr"; }
bool Page::compare_on_arr() const { return goal_on_arr() && s["plans"][0].contains("arr"); }

// ---- 1. The answer ------------------------------------------------------------------------

std::string answer_section(Page& pg) {
  const json& s = pg.s;
  const Fmt& f = pg.f;
  const std::size_t n = pg.d.plans.size();
  std::string h = R"(<section id="answer"><h2>The answer</h2>)";
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  const bool has_goal = pg.d.goal.has_value();
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return ranks_above(pg.d, a, b); });
  const std::size_t best = order[0];
  const std::string bp = pg.p(best);

  // A goal on ARR (recurring revenue) is said so, and the best plan is compared on ARR: in
  // bookings a plan that keeps customers may not differ at all ("books $0 more").
  const bool on_arr = pg.goal_on_arr();
  h += R"(<div class="lead">)";
  if (has_goal) {
    const std::string goal =
        fmt::format("the {}goal of {} by {}", on_arr ? "ARR " : "",
                    f.fig(s, "/goal/revenue", Kind::money), f.fig(s, "/goal/by_week", Kind::week));
    std::vector<std::size_t> reach;
    for (std::size_t i : order)
      if (num_at(s, pg.p(i) + "/goal/p_met") >= 0.5) reach.push_back(i);
    std::string list;
    for (std::size_t k = 0; k < reach.size(); ++k)
      list += (k ? (k + 1 == reach.size() ? " and " : ", ") : "") + pg.plan_name(reach[k]) + " (" +
              f.fig(s, pg.p(reach[k]) + "/goal/p_met", Kind::prob) + ")";
    h += reach_sentence(pg, goal, list, reach.size(), best);
    // Certainty is the model's, not the world's: it holds if the assumptions hold.
    const double pm = num_at(s, bp + "/goal/p_met");
    h += fmt::format(
        "<p>{} is <strong>{}</strong> to reach the goal if the assumptions hold: {} of {} "
        "simulated {}{}.",
        pg.plan_name(best), likelihood(pm), f.fig(s, bp + "/goal/p_met", Kind::prob),
        f.fig(s, "/paths", Kind::count), noun(num_at(s, "/paths"), "future"),
        pm > 0 && pm < 1 ? " (standard error " + f.fig(s, bp + "/goal/se", Kind::prob_se) + ")"
                         : "");
    if (std::isfinite(num_at(s, bp + "/time_to_goal/p50"))) {
      h += fmt::format(" Half of them get there by {}",
                       f.fig(s, bp + "/time_to_goal/p50", Kind::week));
      h += std::isfinite(num_at(s, bp + "/time_to_goal/p90"))
               ? fmt::format(", nine in ten by {}", f.fig(s, bp + "/time_to_goal/p90", Kind::week))
               : "";
      // The time to goal runs over the whole horizon (MODEL.md): with the goal due earlier, a
      // median after it would otherwise read as if the goal were met.
      h += num_at(s, bp + "/time_to_goal/p50") > pg.d.goal_by_week
               ? fmt::format(", after the goal's {}.", f.fig(s, "/goal/by_week", Kind::week))
               : ".";
    } else {
      h += fmt::format(" {} within the {} {}.",
                       num_at(s, bp + "/time_to_goal/never_share") == 1
                           ? "No simulated future reaches it"
                           : "Most simulated futures do not reach it",
                       pg.d.horizon, noun(pg.d.horizon, "week"));
    }
    h += "</p>";
  } else {
    h += fmt::format(
        "<p class=\"answer\">The scenario sets no revenue goal, so the plans are compared on "
        "bookings. {} books the most: a median of {} over {} {} (10-90% of futures: {} to "
        "{}).</p>",
        pg.plan_name(best), f.fig(s, bp + "/final_bookings/p50", Kind::money), pg.d.horizon,
        noun(pg.d.horizon, "week"), f.fig(s, bp + "/final_bookings/p10", Kind::money),
        f.fig(s, bp + "/final_bookings/p90", Kind::money));
  }
  h += sensitivity_words(pg, best);
  if (best != 0 && on_arr && std::isfinite(num_at(s, bp + "/vs_first/arr_final_diff/mean"))) {
    const std::string v = bp + "/vs_first";
    // What each unit of extra spend adds to ARR: profit counts bookings, so its return does not
    // show a plan that keeps customers.
    const std::string per_cost =
        std::isfinite(num_at(s, v + "/arr_final_diff/per_extra_cost"))
            ? fmt::format(": each unit of extra cost adds {} of ARR",
                          f.fig(s, v + "/arr_final_diff/per_extra_cost", Kind::ratio))
            : "";
    h += fmt::format(
        "<p>Against {} on the same simulated futures, {} ends the {} {} with {} {} ARR on "
        "average (standard error {}), {} {}{}.</p>",
        pg.plan_name(0), pg.plan_name(best), pg.d.horizon, noun(pg.d.horizon, "week"),
        f.fig(s, v + "/arr_final_diff/mean", Kind::money_abs),
        num_at(s, v + "/arr_final_diff/mean") >= 0 ? "more" : "less",
        f.fig(s, v + "/arr_final_diff/se", Kind::money),
        num_at(s, v + "/cost_diff_mean") > 0 ? "for an extra cost of" : "and costs less by",
        f.fig(s, v + "/cost_diff_mean", Kind::money_abs), per_cost);
  } else if (best != 0) {
    const std::string v = bp + "/vs_first";
    const bool more = num_at(s, v + "/final_bookings_diff_mean") >= 0;
    const bool dearer = num_at(s, v + "/cost_diff_mean") > 0;
    h += fmt::format(
        "<p>Against {} on the same simulated futures, {} books {} {} on average (standard "
        "error {}) and does better in {} of them, {} {}",
        pg.plan_name(0), pg.plan_name(best),
        f.fig(s, v + "/final_bookings_diff_mean", Kind::money_abs), more ? "more" : "less",
        f.fig(s, v + "/se", Kind::money), f.fig(s, v + "/p_better", Kind::prob),
        dearer ? "for an extra cost of" : "and costs less by",
        f.fig(s, v + "/cost_diff_mean", Kind::money_abs));
    h += std::isfinite(num_at(s, v + "/roi"))
             ? fmt::format(
                   ": each unit of extra cost returns {} of extra profit, net of that "
                   "cost.</p>",
                   f.fig(s, v + "/roi", Kind::ratio))
             : " (it costs no more, so there is no return on extra cost to compute).</p>";
  } else if (n > 1) {
    h +=
        fmt::format("<p>No alternative does better than carrying on with {}.</p>", pg.plan_name(0));
  }
  h += "</div>";

  h += glance_table(pg);
  // One card per plan, in run order.
  h += R"(<div class="cards">)";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string pi = pg.p(i);
    h += fmt::format(R"(<div class="card c{}{}"><div class="card-head">{}</div>)",
                     i % charts::kSeriesStyles, round_class(i), pg.plan_name(i));
    if (!pg.d.plans[i].description.empty())
      h += fmt::format(R"(<div class="desc">{}</div>)", esc(pg.d.plans[i].description));
    if (has_goal) {
      h += fmt::format(
          R"(<div class="big">{}</div><div class="sub">chance of reaching the goal, {} ({})</div>)",
          f.fig(s, pi + "/goal/p_met", Kind::prob), likelihood(num_at(s, pi + "/goal/p_met")),
          f.fig(s, pi + "/goal/se", Kind::prob_se));
    }
    // Key figures as label/value tiles, two to a row.
    // `cls`: "wide" (the whole row), or "printed" (the one tile the PDF keeps: no table holds it).
    auto tile = [&](const std::string& label, const std::string& value, const char* cls = "") {
      h += fmt::format(R"(<div{}><dt>{}</dt><dd>{}</dd></div>)",
                       *cls ? fmt::format(R"( class="{}")", cls) : "", label, value);
    };
    h += "<dl>";
    // With an ARR goal the card shows what the goal counts, as At a glance does.
    const bool arr_card = pg.compare_on_arr();
    const std::string fig = arr_card ? "/arr/final" : "/final_bookings";
    tile(arr_card ? "Median final ARR" : "Median bookings",
         f.fig(s, pi + fig + "/p50", Kind::money));
    tile("Profit", f.fig(s, pi + "/profit/mean", Kind::money));
    tile(arr_card ? "Final ARR in 8 of 10 futures" : "Bookings in 8 of 10 futures",
         f.fig(s, pi + fig + "/p10", Kind::money) + " to " +
             f.fig(s, pi + fig + "/p90", Kind::money),
         "wide");
    if (has_goal) {
      const double p50 = num_at(s, pi + "/time_to_goal/p50");
      tile("Goal typically reached",
           !std::isfinite(p50)
               ? fmt::format("not within {} {}", pg.d.horizon, noun(pg.d.horizon, "week"))
           : p50 > pg.d.goal_by_week  // reached, but after the week it was due (answer_section)
               ? f.fig(s, pi + "/time_to_goal/p50", Kind::week) + ", late"
               : f.fig(s, pi + "/time_to_goal/p50", Kind::week),
           "printed");
    }
    if (!s[json::json_pointer(pi + "/p_all_checkpoints")].is_null())
      tile("Every checkpoint met", f.fig(s, pi + "/p_all_checkpoints", Kind::prob));
    if (i > 0) {
      const std::string v = pi + (arr_card ? "/vs_first/arr_final_diff/" : "/vs_first/");
      tile((arr_card ? "Final ARR vs " : "Bookings vs ") + esc(pg.d.plans[0].name),
           f.fig(s, v + (arr_card ? "mean" : "final_bookings_diff_mean"), Kind::money_diff));
      tile("Better than " + esc(pg.d.plans[0].name),
           "in " + f.fig(s, v + "p_better", Kind::prob) + " of futures");
      if (arr_card && std::isfinite(num_at(s, v + "per_extra_cost")))
        tile("ARR added per unit of extra cost", f.fig(s, v + "per_extra_cost", Kind::ratio));
    }
    h += "</dl></div>";
  }
  h += "</div>";
  h += median_chart(pg);
  return h + "</section>";
}

std::string glance_table(Page& pg) {
  const json& s = pg.s;
  const Fmt& f = pg.f;
  const bool has_goal = pg.d.goal.has_value();
  const bool has_cps = !s["plans"][0]["checkpoints"].empty();
  // A goal on ARR is judged on ARR: the plans' final ARR stands where bookings would (a plan
  // that keeps customers books no more), and the note says what profit and return count.
  const bool on_arr = pg.compare_on_arr();
  const std::string figure = on_arr ? "/arr/final" : "/final_bookings";
  std::string h =
      R"(<table class="data glance"><caption>At a glance</caption><thead><tr><th>Plan</th>)";
  if (has_goal) h += "<th>P(goal)</th>";
  if (has_cps) h += "<th>P(every checkpoint)</th>";
  h += fmt::format(
      "<th>{}</th><th>10-90% of futures</th><th>Cost</th><th>Profit</th>"
      "<th>Return on extra cost</th>{}</tr></thead><tbody>",
      on_arr ? "Median final ARR" : "Median bookings",
      on_arr ? "<th>ARR added per extra cost</th>" : "");
  for (std::size_t i = 0; i < pg.d.plans.size(); ++i) {
    const std::string pi = pg.p(i);
    h += "<tr><th>" + pg.plan_name(i) + "</th>";
    if (has_goal)
      h += fmt::format("<td>{} <small>{}</small></td>", f.fig(s, pi + "/goal/p_met", Kind::prob),
                       f.fig(s, pi + "/goal/se", Kind::prob_se));
    if (has_cps)
      h += fmt::format("<td>{} <small>{}</small></td>",
                       f.fig(s, pi + "/p_all_checkpoints", Kind::prob),
                       f.fig(s, pi + "/p_all_checkpoints_se", Kind::prob_se));
    h += fmt::format(
        "<td>{}</td><td>{}&ndash;{}</td><td>{}</td><td>{}</td><td>{}</td>",
        f.fig(s, pi + figure + "/p50", Kind::money), f.fig(s, pi + figure + "/p10", Kind::money),
        f.fig(s, pi + figure + "/p90", Kind::money), f.fig(s, pi + "/cost/mean", Kind::money),
        f.fig(s, pi + "/profit/mean", Kind::money),
        i == 0 ? "baseline" : f.fig(s, pi + "/vs_first/roi", Kind::ratio));
    if (on_arr)
      h += fmt::format("<td>{}</td>",
                       i == 0
                           ? "baseline"
                           : f.fig(s, pi + "/vs_first/arr_final_diff/per_extra_cost", Kind::ratio));
    h += "</tr>";
  }
  h += "</tbody></table>";
  if (on_arr)
    h += "<p class=\"note\">Profit and return on extra cost count bookings (new contracts), as "
         "everywhere in salesim; renewals and expansion are not bookings, so a plan that keeps "
         "customers shows its gain in ARR, not in profit: the last column gives the ARR each "
         "unit of extra cost adds (none for a plan that costs no more).</p>";
  return h;
}

// ---- Assembly -----------------------------------------------------------------------------

namespace {

constexpr const char* kCss = R"css(
:root { --ink:#1f2933; --muted:#52606d; --line:#d9dee4; --accent:#12355b; --soft:#f4f6f8; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin:0; color:var(--ink); background:#fff; line-height:1.5; font-size:15px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main, header.cover, footer { max-width:1120px; margin:0 auto; padding:0 32px; }
header.cover { padding-top:36px; padding-bottom:20px; border-bottom:4px solid var(--accent); display:flex; gap:28px; align-items:center; }
header.cover img.logo { max-height:72px; max-width:220px; }
header.cover h1 { margin:0; font-size:30px; line-height:1.2; color:var(--accent); font-weight:700; }
header.cover .subtitle { margin:6px 0 0; font-size:17px; color:var(--muted); }
header.cover .meta { margin-top:10px; font-size:13px; color:var(--muted); }
nav.toc { max-width:1120px; margin:0 auto; padding:10px 32px; font-size:13px; display:flex; flex-wrap:wrap; gap:6px 18px; align-items:center; }
nav.toc a { color:var(--accent); text-decoration:none; }
nav.toc button { margin-left:auto; font:inherit; color:#fff; background:var(--accent); border:0; border-radius:4px; padding:5px 12px; cursor:pointer; }
h2 { font-size:22px; color:var(--accent); margin:36px 0 10px; padding-bottom:4px; border-bottom:1px solid var(--line); }
h3 { font-size:16px; margin:22px 0 6px; }
section > p, section li { max-width:80ch; }
.lead { background:var(--soft); border-left:5px solid var(--accent); padding:12px 20px; margin:12px 0 18px; }
.lead p { margin:8px 0; }
.lead p.answer { font-size:19px; font-weight:600; }
.plan { white-space:nowrap; font-weight:600; }
.plan.long, .card-head .plan { white-space:normal; overflow-wrap:anywhere; }
.swatch { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:5px; vertical-align:baseline; }
.s0 { background:#0072B2; } .s1 { background:#D55E00; } .s2 { background:#009E73; } .s3 { background:#CC79A7; }
.s4 { background:#E69F00; } .s5 { background:#56B4E9; } .s6 { background:#000000; }
.s7 { background:#8c8c8c; } .s8 { background:#2f3b47; }
.swatch.r1 { background-image:repeating-linear-gradient(45deg, transparent 0 2px, #fff 2px 3.5px); }
.swatch.r2 { background-image:repeating-linear-gradient(-45deg, transparent 0 2px, #fff 2px 3.5px); }
.swatch.r3 { background-image:repeating-linear-gradient(0deg, transparent 0 2px, #fff 2px 3.5px); }
.swatch.r4 { background-image:repeating-linear-gradient(90deg, transparent 0 2px, #fff 2px 3.5px); }
.swatch.r5 { background-image:radial-gradient(#fff 1px, transparent 1.5px); background-size:4px 4px; }
.swatch.r6 { background-image:linear-gradient(#fff, #fff); background-size:4px 4px; background-repeat:no-repeat; background-position:center; }
.swatch.r7 { border-radius:50%; }
.cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(230px, 1fr)); gap:14px; margin:16px 0; }
.card { border:1px solid var(--line); border-top:5px solid var(--accent); border-radius:6px; padding:12px 14px; break-inside:avoid; }
.card.c0 { border-top-color:#0072B2; } .card.c1 { border-top-color:#D55E00; } .card.c2 { border-top-color:#009E73; }
.card.c3 { border-top-color:#CC79A7; } .card.c4 { border-top-color:#E69F00; } .card.c5 { border-top-color:#56B4E9; } .card.c6 { border-top-color:#000; }
.card.c7 { border-top-color:#8c8c8c; } .card.c8 { border-top-color:#2f3b47; }
/* From the tenth plan on the colours repeat: each round of nine draws its top border in
   another style, as its swatch takes another pattern. */
.card.r1 { border-top-style:dashed; } .card.r2 { border-top-style:dotted; } .card.r3 { border-top-style:double; border-top-width:7px; }
.card.r4 { border-top-style:dashed; border-top-width:10px; } .card.r5 { border-top-style:dotted; border-top-width:10px; }
.card.r6 { border-top-style:double; border-top-width:12px; } .card.r7 { border-top-width:12px; }
.card .card-head { font-size:16px; }
.card .desc { color:var(--muted); font-size:13px; margin-top:2px; min-height:4.5em; }
.card .big { font-size:34px; font-weight:700; margin-top:6px; line-height:1.1; }
.card .sub { color:var(--muted); font-size:12.5px; }
.card dl { display:grid; grid-template-columns:1fr 1fr; gap:8px 12px; margin:12px 0 0; padding-top:10px; border-top:1px solid var(--line); }
.card dl .wide { grid-column:1 / -1; }
.card dt { color:var(--muted); font-size:12px; } .card dd { margin:0; font-weight:600; font-size:14px; }
table.data { border-collapse:collapse; margin:14px 0 8px; font-size:13.5px; width:100%; break-inside:avoid; }
table.data caption { text-align:left; font-weight:600; padding-bottom:6px; font-size:14px; }
table.data th, table.data td { padding:6px 10px; border-bottom:1px solid var(--line); text-align:right; vertical-align:top; }
table.data td { white-space:nowrap; }
table.data thead th { border-bottom:2px solid var(--ink); font-weight:600; vertical-align:bottom; }
table.data thead th:first-child, table.data tbody th { text-align:left; }
table.data tbody th { font-weight:normal; }
table.data .t { text-align:left; }
table.data td.t { white-space:normal; }
h4 { font-size:15px; margin:16px 0 4px; }
h4 .note { font-weight:normal; }
table.data tbody tr:nth-child(even) { background:var(--soft); }
table.data small { color:var(--muted); }
figure.chart { margin:14px 0; break-inside:avoid; }
figure.chart svg { width:100%; height:auto; display:block; }
figure.chart figcaption { font-size:12.5px; color:var(--muted); margin-top:4px; }
.grid2 { display:grid; grid-template-columns:repeat(2, minmax(0, 1fr)); gap:10px 24px; }
.grid3 { display:grid; grid-template-columns:repeat(3, minmax(0, 1fr)); gap:10px 20px; }
.note { font-size:13px; color:var(--muted); }
dl.params { display:grid; grid-template-columns:minmax(160px, max-content) 1fr; gap:4px 18px; font-size:14px; }
dl.params dt { font-weight:600; } dl.params dd { margin:0; }
.changes li { margin:3px 0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size:0.9em; background:var(--soft); padding:0 3px; border-radius:3px; }
pre.scenario { font-size:11.5px; background:var(--soft); padding:12px 16px; border-radius:6px; white-space:pre-wrap; word-break:break-word; }
footer { margin-top:40px; padding-top:12px; padding-bottom:30px; border-top:1px solid var(--line); font-size:12px; color:var(--muted); }
main > footer { padding-left:0; padding-right:0; }
@media (max-width: 800px) { .grid2, .grid3 { grid-template-columns:1fr; } main, header.cover { padding:0 14px; } }
@media screen and (max-width: 800px) { table.data { display:block; overflow-x:auto; max-width:100%; } }
/* Tables with a column per plan scroll in their own box on screen (twelve plans made the whole
   page scroll sideways); on paper they print whole. */
@media screen { .across { overflow-x:auto; max-width:100%; } }
@page { size: A4 landscape; margin: 8mm 10mm; }
@media print {
  body { font-size:10.5px; line-height:1.35; }
  nav.toc, .no-print { display:none; }
  main, header.cover, footer { max-width:none; padding:0; }
  /* The footer is two lines: never a page of its own after the scenario's text. */
  footer { margin-top:8px; padding-top:4px; break-before:avoid-page; }
  /* Sections flow on (a page each made 17 pages). A heading is kept with its first content
     (.keep), and no chart, table, card or list item is split. */
  .keep { break-inside:avoid; }
  /* A figure's caption is under its chart: kept with the chart, not glued to what follows (that
     chained every chart to the next and left a forecast's first page with its title alone). */
  h2, h3, h4, caption, figcaption:first-child { break-after:avoid-page; break-inside:avoid; }
  figcaption { break-inside:avoid; }
  h2 + p, h3 + p, h4 + p, h4 + ul, h2 + .lead, .lead + table { break-before:avoid-page; }
  figure.chart, table.data, .card, .lead, .changes li, dl.params dd, dl.params dt, tr, svg { break-inside:avoid; }
  table.data.long { break-inside:auto; }
  dl.params dt { break-after:avoid-page; }
  h2 { margin-top:8px; }
  .grid2 { grid-template-columns:repeat(2, minmax(0, 1fr)); }
  .grid3 { grid-template-columns:repeat(3, minmax(0, 1fr)); }
  /* Two columns of about 115 characters: most lines fit whole (four columns at 6.5px were
     too small to read, and wrapped nearly every line); on a page of its own when it fits one
     (two lines of it ended a page, the rest on the next). */
  pre.scenario { font-size:7.6px; line-height:1.22; column-count:2; column-gap:18px; column-rule:1px solid #ddd; padding:6px 8px; margin:4px 0; break-inside:avoid; }
  header.cover { padding-top:0; padding-bottom:8px; }
  header.cover h1 { font-size:21px; }
  h2 { font-size:17px; margin-bottom:5px; }
  h3 { margin:10px 0 4px; }
  h4 { margin:8px 0 2px; }
  section > p, section li { max-width:none; }
  .lead { padding:5px 14px; margin:5px 0 8px; }
  .lead p { margin:5px 0; }
  .lead p.answer { font-size:14px; }
  /* On paper the cards keep the plan, its description, its chance and when the goal is
     typically reached; their other figures are in the table above. */
  .cards { grid-template-columns:repeat(4, minmax(0, 1fr)); gap:6px; margin:6px 0; }
  .card { padding:5px 8px; }
  .card .big { font-size:18px; margin-top:2px; }
  .card .sub { font-size:10px; }
  .card .desc { min-height:0; font-size:10px; }
  .card dl > div { display:none; }
  .card dl > div.printed { display:block; }
  .card dl { margin-top:4px; padding-top:4px; grid-template-columns:1fr; }
  .card dl dt, .card dl dd { font-size:10.5px; }
  figure.chart { margin:3px 0; }
  /* Fixed heights (the drawing keeps its proportions inside): the page flow knows each
     chart's size. Four small multiples a row for the fans and the people charts. */
  figure.chart svg { height:54mm; max-height:none; }
  .grid2 figure.chart svg { height:50mm; }
  /* A short chart (a few bars) at a fixed height would be scaled up, fonts and all: it keeps
     the scale of a full-width chart at 54mm (900 x 420 drawn 116mm wide) instead. */
  figure.chart.short svg { height:auto; width:auto; max-width:116mm; margin:0 auto; }
  /* A low chart at the width of the lowest full one (cost and profit: 900 x 296 at 54mm). */
  figure.chart.low svg { height:auto; width:164mm; max-width:100%; }
  figure.chart.tall svg, .grid2 figure.chart.tall svg { height:auto; width:116mm; max-width:100%; }
  .grid2.diffs { grid-template-columns:repeat(3, minmax(0, 1fr)); }
  .grid2.fans, .grid2.people { grid-template-columns:repeat(4, minmax(0, 1fr)); gap:4px 10px; }
  .grid2.fans figure.chart svg, .grid2.people figure.chart svg { height:44mm; }
  table.data { margin:5px 0; font-size:10.5px; }
  table.data th, table.data td { padding:2px 7px; }
  dl.params { font-size:11px; gap:2px 14px; }
  .changes li { margin:1px 0; }
  a { color:inherit; text-decoration:none; }
}
)css";

Report render_page(const ReportData& d, const ReportOptions& o) {
  Page pg{d, o, d.summary, Fmt(o.currency, d.start_date), std::nullopt, {}};
  pg.scenario = parse_scenario(d);
  const std::string title =
      o.title.empty() ? d.scenario_name + ": which plan reaches the goal?" : o.title;
  std::string body;
  body += answer_section(pg);
  body += bookings_section(pg);
  body += arr_section(pg);  // recurring revenue only (report_arr.cpp)
  body += checkpoints_section(pg);
  body += missed_checkpoint_section(pg);
  if (d.plans.size() > 1) body += comparison_section(pg);
  if (d.plans.size() > 1) body += why_section(pg);
  body += robustness_section(pg);
  body += people_section(pg);
  body += money_section(pg);
  body += horizon_section(pg);
  body += territory_section(pg);  // "" without segments or quotas
  body += assumptions_section(pg);
  body += method_section(pg);
  body += analysts_appendix(pg);

  std::string h = report_page_head(title);
  h += "<header class=\"cover\">";
  if (!o.logo_file.empty()) h += logo_img(o.logo_file);
  h += fmt::format("<div><h1>{}</h1>", esc(title));
  const std::string description = pg.scenario ? pg.scenario->description : "";
  if (!description.empty()) h += fmt::format("<p class=\"subtitle\">{}</p>", esc(description));
  std::string meta;
  if (!o.client.empty()) meta += "Prepared for <strong>" + esc(o.client) + "</strong> &middot; ";
  meta += fmt::format(
      "Scenario <em>{}</em> &middot; {} {} &middot; {} simulated {} each "
      "&middot; results of {}",
      esc(d.scenario_name), d.plans.size(), noun(double(d.plans.size()), "plan"),
      pg.f.fig(pg.s, "/paths", Kind::count), noun(num_at(pg.s, "/paths"), "future"),
      esc(pg.f.date(d.created)));
  h += "<div class=\"meta\">" + meta + "</div></div></header>\n";
  h += "<nav class=\"toc\" aria-label=\"Contents\"><a href=\"#answer\">The answer</a>"
       "<a href=\"#bookings\">Bookings over time</a><a href=\"#goal-checkpoints\">Checkpoints</a>";
  if (d.plans.size() > 1) h += "<a href=\"#comparison\">Against the baseline</a>";
  h += "<a href=\"#people\">People</a><a href=\"#cost-and-return\">Cost and return</a>"
       "<a href=\"#assumptions\">Assumptions</a><a href=\"#method\">Method</a>"
       "<a href=\"#analysts\">For analysts</a>"
       "<button type=\"button\" onclick=\"window.print()\">Print or save as PDF</button></nav>\n";
  // The footer inside main: after main, print could not keep it with the text before it and
  // a PDF could end with a page of the footer alone.
  h += "<main>\n" + body;
  h += fmt::format(
      "<footer>Made with salesim {} ({}) from {}. Every figure in the text equals the run's "
      "<code>salesim run --json</code> summary; charts draw the results file's weekly and "
      "per-path data.</footer>\n</main>\n</body>\n</html>\n",
      esc(d.salesim_version), esc(d.git_revision), results_source(d));
  return Report{h, std::move(pg.charts)};
}

}  // namespace

std::string what_if_sections(const ReportData& d, const ReportOptions& o) {
  Page pg{d, o, d.summary, Fmt(o.currency, d.start_date), std::nullopt, {}};
  pg.scenario = parse_scenario(d);
  // ARR after bookings, as the full report places it (its bookings chart says an ARR goal is
  // drawn on the ARR charts).
  std::string body =
      answer_section(pg) + bookings_section(pg) + arr_section(pg) + checkpoints_section(pg);
  if (d.plans.size() > 1) body += comparison_section(pg);
  return body;
}

}  // namespace report

std::string report_page_head(const std::string& title, bool connect_self) {
  using report::esc;
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
       "'unsafe-inline'; img-src data:; script-src 'unsafe-inline'";
  if (connect_self) h += "; connect-src 'self'";
  h += "\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += fmt::format("<meta name=\"generator\" content=\"salesim {}\">\n", esc(sim::build::version));
  h += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", esc(title),
                   report::kCss);
  return h;
}

Report render_report(const ReportData& d, const ReportOptions& o) {
  try {
    return report::render_page(d, o);
  } catch (const std::exception& e) {
    // summary_json valid, but of another shape: a value missing (JSON_ASSERT's JsonValueMissing,
    // or .at()) in an older file is one this salesim's report needs; any other shape is damage.
    const bool missing = dynamic_cast<const JsonValueMissing*>(&e) ||
                         dynamic_cast<const nlohmann::json::out_of_range*>(&e);
    if (!missing && !dynamic_cast<const nlohmann::json::exception*>(&e)) throw;
    if (missing && older_results_format(d.format_version))
      throw BadInput(fmt::format(
          "{} was written by an older salesim (results format {}, this one writes {}.{}) and "
          "lacks figures this report needs ({}); run the scenario again with this salesim",
          d.file, d.format_version, kResultsFormatMajor, kResultsFormatMinor, e.what()));
    throw BadInput(fmt::format(
        "{} is damaged: its summary_json does not have the shape salesim writes ({}); run salesim "
        "run again",
        d.file, e.what()));
  }
}

std::string render_what_if_sections(const ReportData& d, const ReportOptions& o) {
  return report::what_if_sections(d, o);
}

}  // namespace salesim::tools
