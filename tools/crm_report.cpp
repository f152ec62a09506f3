#include "tools/crm_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tools/charts.hpp"
#include "tools/report.hpp"
#include "tools/report_format.hpp"

namespace salesim::tools {
namespace {

using report::esc;
using report::noun;
namespace ch = charts;

std::string money(double v) { return ch::compact_number(v); }

// A table longer than this may break across printed pages (its head repeats): kept whole, 30
// owners left most of the page before it empty.
constexpr std::size_t kLongTableRows = 15;

// A share as a percentage, "n/a" when it is not a number (an APE of a period with nothing won).
std::string percent(double v) {
  return std::isfinite(v) ? fmt::format("{:.1f}%", 100 * v) : std::string("n/a");
}

// `short_chart`: a chart of a few bars, printed at the other charts' scale (report.cpp's CSS).
std::string figure(const std::string& svg, const std::string& caption, bool short_chart = false) {
  return fmt::format(R"(<figure class="chart{}">{}<figcaption>{}</figcaption></figure>)",
                     short_chart ? " short" : "", svg, caption);
}

// Cumulative bookings by week: P10-P90 band and median, per series.
ch::Series fan_series(const std::string& name, const std::vector<crm::Band>& b, int style) {
  ch::Series s;
  s.name = name;
  s.style = style;
  ch::Band band;
  // One label for every series' band: with two banded series the legend shows one neutral
  // swatch, which a series' name would wrongly tie to that series alone.
  band.label = "10-90% of paths";
  for (std::size_t w = 0; w <= b.size(); ++w) {
    s.x.push_back(double(w));
    s.y.push_back(w == 0 ? 0 : b[w - 1].p50);
    band.lo.push_back(w == 0 ? 0 : b[w - 1].p10);
    band.hi.push_back(w == 0 ? 0 : b[w - 1].p90);
  }
  s.bands.push_back(band);
  return s;
}

// The open deals of the forecast, with the unassigned leads when there are any: the count of
// open deals leaves them out, while their wins are in the open pipeline's.
std::string open_today(const crm::ForecastResult& f) {
  std::string s =
      fmt::format("the {} {} open today", f.open_deals, noun(double(f.open_deals), "deal"));
  if (f.unassigned_leads)
    s += fmt::format(" (and {} unassigned {})", f.unassigned_leads,
                     noun(double(f.unassigned_leads), "lead"));
  return s;
}

// Without amounts every booking is 0: the period is told in won deals, and the charts and
// tables of bookings, which would be flat at 0, give way to a sentence saying why.
const char* kNoAmounts =
    "No won deal has an amount and there is no price list, so bookings cannot be forecast: the "
    "forecast is in won deals. Map the amount column or give a price list to forecast "
    "bookings.";

// The period's fan: one series, cumulative by week from the as-of day (`what`: "bookings" or
// "won deals"; `end`: the period's median, written).
ch::LineChart cumulative_fan(const crm::ForecastResult& f, const std::string& what,
                             const std::string& end, ch::Series series) {
  ch::LineChart fan;
  fan.frame = {"crm-fan", "Cumulative " + what,
               fmt::format("Cumulative {} after {}: median and 10-90% band by week; the period "
                           "ends at {} (median).",
                           what, crm::format_date(f.as_of), end)};
  fan.x = {"Week after " + crm::format_date(f.as_of),
           0.0,
           double(f.weeks),
           {},
           ch::Axis::Format::integer};
  fan.y = {"Cumulative " + what, 0.0, std::nullopt, {}, ch::Axis::Format::compact};
  fan.series.push_back(std::move(series));
  return fan;
}

std::string period_section(const crm::Calibration& c, const crm::ForecastResult& f) {
  std::string h = R"(<section id="forecast"><h2>The period</h2>)";
  auto deals = [](double n) { return fmt::format("{:.0f}", n); };
  if (!f.amounts_known)
    h += fmt::format(
        "<p>From {} to {}: between <strong>{}</strong> and <strong>{}</strong> won deals in 8 of "
        "10 simulated futures, <strong>{}</strong> in the middle one; {} from {} and {} from "
        "deals not yet created (medians).</p><p class=\"note\">{}</p>",
        crm::format_date(f.as_of + 1), crm::format_date(f.as_of + 7 * f.weeks),
        deals(f.won_count.p10), deals(f.won_count.p90), deals(f.won_count.p50),
        deals(f.won_open_count.p50), open_today(f), deals(f.won_new_count.p50), kNoAmounts);
  else
    h += fmt::format(
        "<p>From {} to {}: bookings between <strong>{}</strong> and <strong>{}</strong> in 8 of "
        "10 simulated futures, <strong>{}</strong> in the middle one; {} from {} and {} from "
        "deals not yet created (medians).</p>",
        crm::format_date(f.as_of + 1), crm::format_date(f.as_of + 7 * f.weeks), money(f.total.p10),
        money(f.total.p90), money(f.total.p50), money(f.from_open.p50), open_today(f),
        money(f.from_new.p50));
  h += fmt::format(R"(<table class="data"><caption>{} of the period</caption><thead><tr><th></th>)"
                   "<th>P10</th><th>P50</th><th>P90</th><th>mean</th></tr></thead><tbody>",
                   f.amounts_known ? "Bookings" : "Won deals");
  auto row = [&](const char* what, const crm::Band& b, bool count) {
    auto v = [&](double x) { return count ? fmt::format("{:.0f}", x) : money(x); };
    h += fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", what,
                     v(b.p10), v(b.p50), v(b.p90), v(b.mean));
  };
  if (!f.amounts_known) {
    row("total", f.won_count, true);
    row("from the open pipeline", f.won_open_count, true);
    row("from new pipeline", f.won_new_count, true);
    h += "</tbody></table>";
    const ch::LineChart won = cumulative_fan(f, "won deals", deals(f.won_count.p50),
                                             fan_series("Won deals", f.cumulative_won, 0));
    h += figure(ch::line_chart_svg(won), "Median and 10-90% of the simulated futures.");
    (void)c;
    return h + "</section>";
  }
  row("total", f.total, false);
  row("from the open pipeline", f.from_open, false);
  row("from new pipeline", f.from_new, false);
  row("won deals", f.won_count, true);
  h += "</tbody></table>";

  const ch::LineChart fan = cumulative_fan(f, "bookings", money(f.total.p50),
                                           fan_series("All bookings", f.cumulative, 0));
  h += figure(ch::line_chart_svg(fan), "Median and 10-90% of the simulated futures.");

  ch::LineChart split;
  split.frame = {
      "crm-open-new", "Open against new pipeline",
      fmt::format("Cumulative bookings from the deals open on {} and from deals "
                  "created after it: medians {} and {}.",
                  crm::format_date(f.as_of), money(f.from_open.p50), money(f.from_new.p50))};
  split.x = fan.x;
  split.y = fan.y;
  split.series.push_back(fan_series("Open pipeline", f.cumulative_open, 1));
  split.series.push_back(fan_series("New pipeline", f.cumulative_new, 2));
  h += figure(ch::line_chart_svg(split), "Each with its median and 10-90% band.");
  (void)c;
  return h + "</section>";
}

std::string split_section(const crm::ForecastResult& f) {
  std::string h = R"(<section id="split"><h2>By month, manager and owner</h2>)";
  if (!f.amounts_known)
    return h + "<p>Bookings by month, manager and owner need amounts. " + kNoAmounts +
           "</p></section>";
  // Rows of a name (an owner's also with the manager, in a column of its own: "(no manager)"
  // in brackets read "((no manager))") and bookings.
  struct Row {
    std::string name, manager;
    crm::Band b;
  };
  auto table = [&](const std::string& caption, const std::string& first,
                   const std::vector<Row>& rows, bool managers) {
    std::string t = fmt::format(
        R"(<table class="data{}"><caption>{}</caption><thead><tr><th>{}</th>{}<th>P10</th>)"
        "<th>P50</th><th>P90</th><th>mean</th></tr></thead><tbody>",
        rows.size() > kLongTableRows ? " long" : "", esc(caption), esc(first),
        managers ? "<th class=\"t\">Manager</th>" : "");
    for (const auto& r : rows)
      t += fmt::format("<tr><th>{}</th>{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                       esc(r.name), managers ? "<td class=\"t\">" + esc(r.manager) + "</td>" : "",
                       money(r.b.p10), money(r.b.p50), money(r.b.p90), money(r.b.mean));
    return t + "</tbody></table>";
  };
  std::vector<Row> months, managers, owners;
  for (const auto& m : f.by_month)
    months.push_back({fmt::format("{} ({} to {})", crm::format_date(m.from).substr(0, 7),
                                  crm::format_date(m.from), crm::format_date(m.to)),
                      "", m.bookings});
  for (const auto& g : f.by_manager) managers.push_back({g.name, "", g.bookings});
  for (const auto& g : f.by_owner) owners.push_back({g.name, g.manager, g.bookings});
  h += table("Bookings by calendar month (the first and last may be part months)", "Month", months,
             false);
  h += table("Bookings by manager", "Manager", managers, false);
  // Open: a closed <details> hides the owners from a printed or PDF copy.
  h += "<details open><summary>By owner</summary>" +
       table("Bookings by owner", "Owner", owners, true) + "</details>";
  return h + "</section>";
}

// Which cutoffs the mean APE is over, when some had nothing won (their APE is not a number).
std::string ape_over(const crm::BacktestResult& b) {
  if (b.cutoffs_with_ape == b.cases.size()) return "";
  if (b.cutoffs_with_ape == 0) return " (nothing was won in any cutoff's period)";
  return fmt::format(" over the {} {} with won deals", b.cutoffs_with_ape,
                     noun(double(b.cutoffs_with_ape), "cutoff"));
}

std::string backtest_section(const crm::BacktestResult& b) {
  std::string h = R"(<section id="backtest"><h2>How the forecast did in the past</h2>)";
  // --backtest-weeks may differ from the forecast's weeks: the text says which horizon it is.
  const int weeks = b.cases.empty() ? 0 : b.cases.front().weeks;
  if (b.cases.size() == 1)  // one cutoff: no "each of 1 ... in 100% of them ... on average"
    h += fmt::format(
        "<p>Bookings of the {} {} after the past cutoff {}, forecast with only what was known "
        "then, against what the export shows happened: the actual was {} P10-P90 ({} "
        "P5-P95); {} (CRPS {}).</p>",
        weeks, noun(weeks, "week"), crm::format_date(b.cases.front().cutoff),
        b.coverage >= 1 ? "inside" : "outside", b.coverage_p5_p95 >= 1 ? "inside" : "outside",
        std::isfinite(b.mean_ape)
            ? "the median was off by " + percent(b.mean_ape)
            : std::string("nothing was won in the period, so the median has no percentage error"),
        money(b.mean_crps));
  else
    h += fmt::format(
        "<p>Bookings of the {} {} after each of {} past {}, forecast with only what was known "
        "then, against what the export shows happened: the actual was inside P10-P90 in {:.0f}% "
        "of them (P5-P95: {:.0f}%); the median was off by {} on average{} (CRPS {}).</p>",
        weeks, noun(weeks, "week"), b.cases.size(), noun(double(b.cases.size()), "cutoff"),
        100 * b.coverage, 100 * b.coverage_p5_p95, percent(b.mean_ape), ape_over(b),
        money(b.mean_crps));
  h += R"(<table class="data"><caption>Each cutoff</caption><thead><tr><th>Cutoff</th>)"
       "<th>actual</th><th>P10</th><th>P50</th><th>P90</th><th>APE</th><th>CRPS</th><th>PIT</th>"
       "<th>run rate</th><th>stage-weighted</th></tr></thead><tbody>";
  for (const auto& k : b.cases) {
    auto base = [&](int i) {
      const auto& s = k.baselines[i];
      return s.forecast.available ? fmt::format("{} ({})", money(s.forecast.p50()), percent(s.ape))
                                  : std::string("n/a");
    };
    h += fmt::format(
        "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{:.2f}</td><td>{}</td><td>{}</td></tr>",
        crm::format_date(k.cutoff), money(k.actual), money(k.forecast.p10), money(k.forecast.p50),
        money(k.forecast.p90), percent(k.ape), money(k.crps), k.pit, base(0), base(2));
  }
  h += "</tbody></table>";
  // What each past forecast warned of (a short close history, wins without amounts), as the
  // terminal and the JSON say it.
  std::string warned;
  for (const auto& k : b.cases)
    for (const auto& w : k.warnings)
      warned += fmt::format("<li>{}: {}</li>", crm::format_date(k.cutoff), esc(w));
  if (!warned.empty())
    h += "<p>What the past forecasts warned of:</p><ul class=\"warnings\">" + warned + "</ul>";

  // Calibration: the open pipeline's wins by age, predicted against won.
  ch::BarChart rel;
  rel.frame = {"crm-reliability", "Open pipeline: wins predicted and won, by age",
               "For the deals open on each cutoff, by age in weeks: the wins the hazards "
               "predicted in the period and the wins that happened, summed over the cutoffs."};
  rel.value = {"Won deals", 0.0, std::nullopt, {}, ch::Axis::Format::integer};
  rel.series = {"predicted", "won"};
  for (const auto& r : b.reliability) {
    if (r.deals == 0) continue;
    rel.groups.push_back({r.to_week < 0 ? fmt::format("{}+ weeks", r.from_week)
                                        : fmt::format("{}-{} weeks", r.from_week, r.to_week),
                          {{r.predicted_wins, 0, ""}, {r.actual_wins, 0, ""}}});
  }
  h += figure(ch::bar_chart_svg(rel),
              "A calibrated forecast has the two bars alike in every band of age.");

  ch::Histogram pit;
  pit.frame = {"crm-pit", "Where the actual fell in the forecast (PIT)",
               "The share of simulated futures at or below the actual, one value per cutoff; "
               "a calibrated forecast spreads them evenly over 0 to 1."};
  pit.x = {"PIT", 0.0, 1.0, {}, ch::Axis::Format::percent};
  pit.y_label = "Share of cutoffs";
  for (const auto& k : b.cases) pit.values.push_back(k.pit);
  pit.bins = 10;
  h += figure(ch::histogram_svg(pit), "Low values: the forecast was too high.");

  ch::BarChart base;
  base.frame = {"crm-baselines", "salesim against naive forecasts",
                "Mean absolute percentage error of the median over the cutoffs, salesim and "
                "each naive forecast that could be made."};
  base.value = {"Mean APE of the median", 0.0, std::nullopt, {}, ch::Axis::Format::percent};
  base.series = {"APE"};
  // A bar only for an APE there is (none when nothing was won on any cutoff).
  auto bar = [&](const std::string& name, double ape) {
    if (std::isfinite(ape)) base.groups.push_back({name, {{ape, 0, percent(ape)}}});
  };
  bar("salesim", b.mean_ape);
  std::string skills;
  for (int i = 0; i < crm::kBaselines; ++i) {
    const auto& a = b.baselines[i];
    if (a.cutoffs == 0) {  // said, with the reason, as the terminal says it
      skills += fmt::format("<li><code>{}</code>: not available{}</li>", crm::kBaselineNames[i],
                            b.cases.empty() || b.cases.front().baselines[i].forecast.note.empty()
                                ? std::string()
                                : ": " + esc(b.cases.front().baselines[i].forecast.note));
      continue;
    }
    bar(crm::kBaselineNames[i], a.mean_ape);
    skills += fmt::format("<li><code>{}</code>: mean CRPS {} against salesim's {}, skill {}</li>",
                          crm::kBaselineNames[i], money(a.mean_crps), money(a.salesim_mean_crps),
                          std::isfinite(a.skill) ? fmt::format("{:+.2f}", a.skill) : "n/a");
  }
  if (!base.groups.empty())
    h += figure(ch::bar_chart_svg(base), "Lower is better.", true);
  else
    h += "<p>No cutoff had a won deal in its period, so there is no percentage error to show.</p>";
  h += "<p>Skill (1 - salesim's CRPS / the baseline's; above 0: salesim is better):</p><ul>" +
       skills + "</ul>";
  return h + "</section>";
}

}  // namespace

std::string crm_forecast_html(const crm::Calibration& c, const crm::ForecastResult& f,
                              const crm::BacktestResult* backtest) {
  const std::string title =
      fmt::format("{} forecast after {}", f.amounts_known ? "Bookings" : "Won deals",
                  crm::format_date(f.as_of));
  std::string h = report_page_head(title);
  h += fmt::format(
      "<header class=\"cover\"><div><h1>{}</h1><div class=\"meta\">Export <code>{}</code> "
      "&middot; {} {} &middot; {} simulated {} &middot; {} open {} ({} stale){}, {} {} creating "
      "new ones</div></div></header>\n",
      esc(title), esc(c.source->file), f.weeks, noun(f.weeks, "week"), f.paths,
      noun(double(f.paths), "future"), f.open_deals, noun(double(f.open_deals), "deal"),
      f.stale_deals,
      f.unassigned_leads ? fmt::format(", {} unassigned {}", f.unassigned_leads,
                                       noun(double(f.unassigned_leads), "lead"))
                         : std::string(),
      f.creating_reps, noun(double(f.creating_reps), "rep"));
  h += "<nav class=\"toc\" aria-label=\"Contents\"><a href=\"#forecast\">The period</a>"
       "<a href=\"#split\">By month and manager</a>";
  if (backtest) h += "<a href=\"#backtest\">Backtest</a>";
  h += "<button type=\"button\" onclick=\"window.print()\">Print or save as PDF</button></nav>\n";
  h += "<main>\n";
  // First, where a reader cannot miss them: each says what makes the figures below less
  // reliable than they look.
  if (!f.warnings.empty()) {
    h += R"(<section id="warnings"><h2>Warnings</h2><ul>)";
    for (const auto& w : f.warnings) h += "<li>" + esc(w) + "</li>";
    h += "</ul></section>";
  }
  h += period_section(c, f) + split_section(f);
  if (backtest) h += backtest_section(*backtest);
  h += "<footer>Made with salesim from <code>" + esc(c.source->file) +  // in main: see report.cpp
       "</code>; method in docs/forecasting.md.</footer>\n</main>\n</body>\n</html>\n";
  return h;
}

}  // namespace salesim::tools
