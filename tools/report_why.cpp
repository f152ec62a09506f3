// The report's answers to the questions after the comparison: why a plan books more than the
// baseline (a waterfall of the drivers; of the ARR bridge's parts when the goal counts ARR), what a
// missed first checkpoint means, and what each plan leaves at the horizon. Every figure comes from
// the JSON summary (Fmt::fig).
#include <fmt/format.h>

#include <cctype>
#include <cmath>

#include "models/drivers.hpp"
#include "tools/report_sections.hpp"

namespace salesim::tools::report {
namespace {

using nlohmann::json;
namespace ch = charts;

// The drivers' words are models/drivers.hpp's, so the terminal and the report say the same.
constexpr const auto& kDriverWords = kDriverLabels;

// One part of a difference: its words and where its mean and standard error sit under a plan's
// vs_first; `sign` turns a part that takes away when it grows (churn) into what it adds. `words`
// names it inside a sentence (the label is a table's row header); `words_if_less` where a part
// that adds reads otherwise when it takes away ("less churn", "more churn").
struct Part {
  std::string label, mean, se;
  double sign = 1;
  std::string words{}, words_if_less{};
};

// The part's name after "The largest part is", for its effect v.
std::string part_words(const Part& part, double v) {
  return v < 0 && !part.words_if_less.empty() ? part.words_if_less : part.words;
}

// The bookings drivers (models/drivers.hpp): the paired difference of final bookings, split.
std::vector<Part> driver_parts(const json& drivers) {
  std::vector<Part> parts;
  for (std::size_t k = 0; k < drivers.size() && k < std::size(kDriverWords); ++k) {
    std::string words = kDriverWords[k];  // "conversion (wins per opportunity resolved)"
    words[0] = char(std::tolower(static_cast<unsigned char>(words[0])));
    parts.push_back({kDriverWords[k], fmt::format("drivers/{}/effect", k),
                     fmt::format("drivers/{}/se", k), 1, words});
  }
  return parts;
}

// The ARR bridge over the horizon: final ARR = start + new + expansion - churn on every path,
// so the paired difference of final ARR splits exactly into these. "ARR at the start" only when
// a plan moves it (a plan from week 1 that changes the customers).
std::vector<Part> arr_parts(Page& pg) {
  const std::string at = "arr_final_diff/bridge/";
  std::vector<Part> parts;
  for (std::size_t p = 1; p < pg.d.plans.size(); ++p)
    if (num_at(pg.s, pg.p(p) + "/vs_first/" + at + "start/mean") != 0) {
      parts.push_back(
          {"ARR at the start", at + "start/mean", at + "start/se", 1, "the ARR at the start"});
      break;
    }
  parts.push_back(
      {"New contracts (annual value signed)", at + "new/mean", at + "new/se", 1, "new contracts"});
  parts.push_back({"Expansion at renewal", at + "expansion/mean", at + "expansion/se", 1,
                   "expansion at renewal"});
  parts.push_back({"Churn (less churn adds ARR)", at + "churn/mean", at + "churn/se", -1,
                   "less churn", "more churn"});
  return parts;
}

// The figure a plan is explained on: final ARR for an ARR goal, else final bookings.
struct Explained {
  std::string what, diff, se;  // words, pointers under vs_first
};
Explained explained(Page& pg) {
  if (pg.compare_on_arr()) return {"final ARR", "arr_final_diff/mean", "arr_final_diff/se"};
  return {"final bookings", "final_bookings_diff_mean", "se"};
}

// The plan to explain: the leading plan, or where the baseline leads, the plan furthest from it.
std::size_t plan_to_explain(Page& pg) {
  const std::size_t best = leading_plan(pg.d);
  if (best > 0) return best;
  std::size_t pick = 1;
  double widest = -1;
  for (std::size_t i = 1; i < pg.d.plans.size(); ++i) {
    const double d = std::fabs(num_at(pg.s, pg.p(i) + "/vs_first/" + explained(pg).diff));
    if (d > widest) widest = d, pick = i;
  }
  return pick;
}

// Every plan against the baseline, part by part (mean ± standard error).
std::string parts_table(Page& pg, const std::string& caption, const std::vector<Part>& parts) {
  std::string h = fmt::format(
      R"(<div class="across"><table class="data"><caption>{}</caption><thead><tr><th>Part</th>)",
      caption);
  for (std::size_t p = 1; p < pg.d.plans.size(); ++p) h += "<th>" + pg.plan_name(p) + "</th>";
  h += "</tr></thead><tbody>";
  for (const Part& part : parts) {
    h += fmt::format("<tr><th>{}</th>", esc(part.label));
    for (std::size_t p = 1; p < pg.d.plans.size(); ++p) {
      const std::string v = pg.p(p) + "/vs_first/";
      // The mean tagged with its JSON figure, as every figure of the text is, unless the table
      // shows it negated (churn as the ARR it adds).
      h += fmt::format("<td>{} <small>±{}</small></td>",
                       part.sign == 1 ? pg.f.fig(pg.s, v + part.mean, Kind::money_diff)
                                      : pg.f.money_signed(part.sign * num_at(pg.s, v + part.mean)),
                       pg.f.fig(pg.s, v + part.se, Kind::money));
    }
    h += "</tr>";
  }
  return h + "</tbody></table></div>";
}

}  // namespace

std::string why_section(Page& pg) {
  const json& s = pg.s;
  const Fmt& f = pg.f;
  const std::size_t n = pg.d.plans.size();
  const std::size_t i = plan_to_explain(pg);
  const Explained ex = explained(pg);
  const std::string v = pg.p(i) + "/vs_first/";
  const json::json_pointer drivers_at(v + "drivers");
  const bool on_arr = pg.compare_on_arr();
  if (on_arr ? !s.contains(json::json_pointer(v + "arr_final_diff/bridge"))
             : !s.contains(drivers_at) || s.at(drivers_at).empty())
    return "";  // an older results file, or a streamed run without the per-path parts
  const std::vector<Part> parts = on_arr ? arr_parts(pg) : driver_parts(s.at(drivers_at));
  const double diff = num_at(s, v + ex.diff);
  const std::string name = pg.d.plans[i].name, base = pg.d.plans[0].name;

  ch::WaterfallChart w;
  w.frame = {"why-" + slug(name),
             on_arr ? fmt::format("Why {} ends with {} {} ARR", name, f.money(std::fabs(diff)),
                                  diff >= 0 ? "more" : "less")
                    : fmt::format("Why {} books {} {}", name, f.money(std::fabs(diff)),
                                  diff >= 0 ? "more" : "less"),
             "", 720, 0};
  w.value = charts::Axis{fmt::format("Difference in {} from {} ({})",
                                     on_arr ? "final ARR" : "bookings", base, f.currency_unit()),
                         {},
                         {},
                         {}};
  w.gain_style = int(i);
  std::size_t largest = 0;
  for (const Part& part : parts) {
    const double effect = part.sign * num_at(s, v + part.mean);
    // The bars' amounts with the currency, as the ARR bridge prints them ("+$254.2k").
    w.steps.push_back(
        {part.label, effect, 1.96 * num_at(s, v + part.se), false, f.money_signed(effect)});
    if (std::fabs(w.steps.back().value) > std::fabs(w.steps[largest].value))
      largest = w.steps.size() - 1;
  }
  w.total = {"Total difference", diff, 1.96 * num_at(s, v + ex.se), false, f.money_signed(diff)};
  std::string desc =
      fmt::format("Waterfall of the difference in {} between {} and {}:", ex.what, name, base);
  for (const auto& st : w.steps) desc += fmt::format(" {} {};", st.label, f.money_signed(st.value));
  w.frame.desc = desc + fmt::format(" total {}.", f.money_signed(diff));

  std::string h = R"(<section id="why"><div class="keep"><h2>Where the difference comes from</h2>)";
  h += on_arr ? "<p>The goal counts ARR. Final ARR is the ARR at the start plus the annual value "
                "of the contracts signed and of the expansions at renewal, less the ARR of the "
                "contracts that churned. "
              : "<p>Bookings are rep-weeks times opportunities per rep-week times wins per "
                "opportunity closed times bookings per win, plus what was drawn from or added to "
                "the open pipeline. ";
  h += fmt::format(
      "On each simulated future the difference in {} between {} and {} is split exactly into "
      "these parts{}, then averaged. The largest part is <strong>{}</strong>, {}.</p>",
      ex.what, pg.plan_name(i), pg.plan_name(0), on_arr ? "" : " (Shapley values)",
      esc(part_words(parts[largest], w.steps[largest].value)),
      parts[largest].sign == 1 ? f.fig(s, v + parts[largest].mean, Kind::money_diff)
                               : f.money_signed(w.steps[largest].value));
  h += pg.figure(ch::waterfall_svg(w), w.frame.id,
                 "Bars: mean effect over the futures; whiskers: 95% intervals.") +
       "</div>";
  if (n > 2)  // every plan, as a table
    h += parts_table(pg,
                     fmt::format("Every plan against the baseline: {} by part (mean ± standard "
                                 "error{})",
                                 ex.what, on_arr ? "; churn as the ARR it adds" : ""),
                     parts);
  // With an ARR goal, new contracts are bookings: where a plan books more, the bookings drivers
  // say how.
  bool books_differ = false;
  for (std::size_t p = 1; on_arr && p < n; ++p)
    books_differ |= num_at(s, pg.p(p) + "/vs_first/final_bookings_diff_mean") != 0;
  if (books_differ && s.contains(drivers_at) && !s.at(drivers_at).empty())
    h += parts_table(pg,
                     "New bookings (the contracts signed) against the baseline, by part (mean ± "
                     "standard error)",
                     driver_parts(s.at(drivers_at)));
  return h + "</section>";
}

std::string missed_checkpoint_section(Page& pg) {
  const json& s = pg.s;
  const Fmt& f = pg.f;
  // Results files of an older salesim may have no conditional figures: the section is left out.
  if (!pg.d.goal || s["plans"][0]["checkpoints"].empty() || !s["plans"][0].contains("conditional"))
    return "";
  const json& first = s["plans"][0]["conditional"];
  if (first.size() < 2) return "";
  const std::string cp = first[1]["checkpoint"].get<std::string>();
  std::string h =
      fmt::format(R"(<section id="if-missed"><div class="keep"><h2>If {} is missed</h2>)", esc(cp));
  h += fmt::format(
      "<p>Is the year lost after a weak {}? Among the simulated futures of each plan, the chance "
      "of still reaching the goal when {} is met and when it is missed, and how far short the "
      "missed ones end on average. A dash: fewer than 30 futures missed it, too few to say.</p>",
      esc(cp), esc(cp));
  h += fmt::format(
      R"(<table class="data"><thead><tr><th>Plan</th><th>P(goal) if {0} met</th><th>P(goal) if {0} missed</th><th>Futures that missed {0}</th><th>Missed {0} and still reached the goal (of all futures)</th><th>Average shortfall after a miss</th></tr></thead><tbody>)",
      esc(cp));
  for (std::size_t i = 0; i < pg.d.plans.size(); ++i) {
    const std::string met = pg.p(i) + "/conditional/0", missed = pg.p(i) + "/conditional/1";
    auto prob = [&](const std::string& v) {
      return std::isnan(num_at(s, v + "/p_goal"))
                 ? std::string("–")
                 : f.fig(s, v + "/p_goal", Kind::prob) + " <small>" +
                       f.fig(s, v + "/se", Kind::prob_se) + "</small>";
    };
    h += "<tr><th>" + pg.plan_name(i) + "</th><td>" + prob(met) + "</td><td>" + prob(missed) +
         "</td><td>" + f.fig(s, missed + "/paths", Kind::count) + "</td><td>" +
         f.fig(s, missed + "/reached_goal_share/mean", Kind::prob) + "</td><td>" +
         (std::isnan(num_at(s, missed + "/shortfall/mean"))
              ? std::string("–")
              : f.fig(s, missed + "/shortfall/mean", Kind::money)) +
         "</td></tr>";
  }
  return h + "</tbody></table></div></section>";
}

std::string horizon_section(Page& pg) {
  const json& s = pg.s;
  const Fmt& f = pg.f;
  if (!s.contains(json::json_pointer("/plans/0/horizon"))) return "";
  std::string h =
      R"(<section id="horizon"><div class="keep"><h2>What each plan leaves behind</h2>)";
  h += fmt::format(
      "<p>A plan that hires or trains late pays now and books next year. At the end of week {}: "
      "the bookings rate of the last {} {}, annualised; the open pipeline at face value; the "
      "team, and how much of it is fully ramped; and its burnout.</p>",
      pg.d.horizon, num_at(s, "/plans/0/horizon/exit_run_rate/weeks"),
      noun(num_at(s, "/plans/0/horizon/exit_run_rate/weeks"), "week"));
  h +=
      R"(<table class="data"><thead><tr><th>Plan</th><th>Exit run-rate (a year)</th><th>Open pipeline (face value)</th><th>Headcount</th><th>Fully ramped</th><th>Mean burnout</th></tr></thead><tbody>)";
  for (std::size_t i = 0; i < pg.d.plans.size(); ++i) {
    const std::string v = pg.p(i);
    h += fmt::format(
        "<tr><th>{}</th><td>{} "
        "<small>±{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        pg.plan_name(i), f.fig(s, v + "/horizon/exit_run_rate/mean", Kind::money),
        f.fig(s, v + "/horizon/exit_run_rate/se", Kind::money),
        f.fig(s, v + "/horizon/open_pipeline_value/mean", Kind::money),
        f.fig(s, v + "/people/headcount_final_mean", Kind::number),
        f.fig(s, v + "/horizon/ramped_headcount/mean", Kind::number),
        f.fig(s, v + "/people/burnout_mean_final", Kind::number, 2));  // 0..1, as in People
  }
  return h + "</tbody></table></div></section>";
}

}  // namespace salesim::tools::report
