// The report's territory section (docs/model.md 12.7-12.8): how much of each segment's market
// each plan leaves fresh at the horizon (coverage), and the distribution of quota attainment.
// Every figure comes from the JSON summary (`segments[]`, `quota`); nothing without them.
#include <fmt/format.h>

#include <cmath>

#include "tools/report_sections.hpp"

namespace salesim::tools::report {
namespace {

using nlohmann::json;
namespace ch = charts;

std::string coverage_chart(Page& pg) {
  const json& s = pg.s;
  const json& segs = s["plans"][0]["segments"];
  ch::BarChart b;
  b.frame = {"territory-coverage", "Territory coverage: accounts still fresh at the horizon", "",
             900, 0};
  b.value = {"Share of the segment's accounts fresh at the end (%)",
             0.0,
             1.0,
             {},
             ch::Axis::Format::percent};
  for (const auto& p : pg.d.plans) b.series.push_back(p.name);
  std::string desc =
      "Grouped bars: for each segment, the share of its addressable accounts that each plan "
      "leaves fresh (not in the pipeline, not customers, not cooling) at the horizon. ";
  for (std::size_t g = 0; g < segs.size(); ++g) {
    ch::BarGroup group;
    const std::string name = segs[g]["name"].get<std::string>();
    const double accounts = segs[g]["accounts"].get<double>();
    group.label = fmt::format("{} ({} accounts)", name, ch::compact_number(accounts));
    desc += name + ":";
    for (std::size_t i = 0; i < pg.d.plans.size(); ++i) {
      const std::string v = fmt::format("{}/segments/{}", pg.p(i), g);
      const double share = num_at(s, v + "/coverage_left"),
                   se = num_at(s, v + "/fresh_accounts_final/se") / accounts;
      group.bars.push_back({share, 1.96 * se,
                            fmt::format("{} ({} reps)", Fmt::prob(share),
                                        fmt::format("{:.1f}", num_at(s, v + "/reps_final/mean")))});
      desc += fmt::format(" {} {};", pg.d.plans[i].name, Fmt::prob(share));
    }
    b.groups.push_back(group);
  }
  b.frame.desc = desc;
  return pg.figure(ch::bar_chart_svg(b), b.frame.id,
                   "Bars: mean over paths, whiskers a 95% interval; in brackets the reps working "
                   "the segment at the end.");
}

std::string attainment_chart(Page& pg, std::size_t i) {
  const json& q = pg.s["plans"][i]["quota"];
  const json& shares = q["histogram"]["shares"];
  const double w = q["histogram"]["bin_width"].get<double>();
  ch::Histogram h;
  h.frame = {fmt::format("attainment-{}-{}", i + 1, slug(pg.d.plans[i].name)),
             fmt::format("{}: quota attainment of the reps at the horizon", pg.d.plans[i].name), "",
             560, 320};
  h.x = {"Attainment (bookings / pro-rata quota, %)",
         0.0,
         w * double(shares.size()),
         {},
         ch::Axis::Format::percent};
  h.y_label = "Share of reps";
  for (std::size_t k = 0; k < shares.size(); ++k) {
    h.values.push_back((double(k) + 0.5) * w);  // the bin's centre (the last: its first bin)
    h.weights.push_back(shares[k].get<double>());
  }
  h.bins = int(shares.size());
  h.split = 1.0;
  h.style = int(i);
  h.vlines = {{1.0, "quota"}};
  const std::string v = pg.p(i) + "/quota";
  h.frame.desc = fmt::format(
      "Histogram of quota attainment over the reps at the horizon and all paths ({} wide bins; "
      "the last bin holds {} and above). P10 {}, median {}, P90 {}; {} of reps at or above quota.",
      Fmt::ratio_percent(w), Fmt::ratio_percent(w * double(shares.size() - 1)),
      Fmt::ratio_percent(num_at(pg.s, v + "/attainment/p10")),
      Fmt::ratio_percent(num_at(pg.s, v + "/attainment/p50")),
      Fmt::ratio_percent(num_at(pg.s, v + "/attainment/p90")),
      Fmt::prob(num_at(pg.s, v + "/share_at_or_above")));
  return pg.figure(ch::histogram_svg(h), h.frame.id, "");
}

}  // namespace

std::string territory_section(Page& pg) {
  const json& s = pg.s;
  const bool segments = s.contains(json::json_pointer("/plans/0/segments"));
  const bool quota = s.contains(json::json_pointer("/plans/0/quota"));
  if (!segments && !quota) return "";
  const Fmt& f = pg.f;
  std::string h = R"(<section id="territory"><h2>Territories and quotas</h2>)";
  if (segments) {
    h += "<p>Each segment is a finite market: a new opportunity takes an account out of the fresh "
         "pool until it is won (a customer) or lost (fresh again after cooling), so prospecting "
         "yields less as a segment is worked through.</p>";
    h += coverage_chart(pg);
    h +=
        R"(<table class="data"><thead><tr><th>Plan</th><th>Segment</th><th>Reps at the end</th><th>Bookings</th><th>Opportunities</th><th>Win rate</th><th>Fresh at the end</th></tr></thead><tbody>)";
    for (std::size_t i = 0; i < pg.d.plans.size(); ++i)
      for (std::size_t g = 0; g < s["plans"][i]["segments"].size(); ++g) {
        const std::string v = fmt::format("{}/segments/{}", pg.p(i), g);
        h += fmt::format(
            "<tr><th>{}</th><td>{}</td><td>{:.1f}</td><td>{}</td><td>{:.0f}</td><td>{}</td><td>{}"
            "</td></tr>",
            g == 0 ? pg.plan_name(i) : "", s["plans"][i]["segments"][g]["name"].get<std::string>(),
            num_at(s, v + "/reps_final/mean"), f.fig(s, v + "/bookings/mean", Kind::money),
            num_at(s, v + "/opportunities/mean"), Fmt::prob(num_at(s, v + "/win_rate")),
            Fmt::prob(num_at(s, v + "/coverage_left")));
      }
    h += "</tbody></table>";
  }
  if (quota) {
    h +=
        "<p>Attainment is a rep's bookings over its quota, pro rata for the weeks it worked and "
        "its ramp; the reps counted are those on the team at the horizon.</p><div class=\"grid2\">";
    for (std::size_t i = 0; i < pg.d.plans.size(); ++i) h += attainment_chart(pg, i);
    h += "</div>";
  }
  return h + "</section>";
}

}  // namespace salesim::tools::report
