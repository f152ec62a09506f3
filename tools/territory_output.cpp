#include "tools/territory_output.hpp"

#include <fmt/format.h>

#include "tools/report_format.hpp"
#include "tools/terminal.hpp"

namespace salesim::tools {
namespace {

using nlohmann::json;

json num(std::optional<double> v) { return v ? json(*v) : json(nullptr); }
json mean_se(const sim::MeanSe& m) { return {{"mean", m.mean}, {"se", m.se}}; }
// Shares and attainments as whole percentages, past 100% too (the report's ratio_percent).
std::string pct(std::optional<double> v) {
  return v ? report::Fmt::ratio_percent(*v) : std::string("-");
}
json group(const AttainmentGroup& g) {
  return {{"reps_mean", g.reps},
          {"share_at_or_above", num(g.share_at_or_above)},
          {"attainment_mean", num(g.mean)}};
}

}  // namespace

std::string format_territory(const ScenarioResults& res) {
  std::string s;
  for (const PlanResult& r : res.plans) {
    const TerritoryFigures& t = r.territory;
    if (t.segments.empty() && !t.quota) continue;
    s += fmt::format("\n{}: segments and quotas\n", r.name);
    if (!t.segments.empty()) {
      std::size_t nw = 16;  // the longest segment name
      for (const SegmentFigure& g : t.segments) nw = std::max(nw, text_width(g.name));
      s += fmt::format("  {:<{}} {:>6} {:>10} {:>8} {:>9} {:>9} {:>8} {:>9}\n", "segment", nw,
                       "reps", "bookings", "opps", "win rate", "accounts", "fresh", "customers");
      for (const SegmentFigure& g : t.segments)
        s += fmt::format("  {:<{}} {:>6.1f} {:>10} {:>8.0f} {:>9} {:>9} {:>8} {:>9.0f}\n", g.name,
                         nw, g.reps.mean, money(g.bookings.mean), g.created.mean, pct(g.win_rate),
                         g.accounts, pct(g.coverage_left), g.customers.mean);
    }
    if (t.quota) {
      const QuotaFigure& q = *t.quota;
      s += fmt::format(
          "  quota attainment (reps at the horizon): P10 {}  P50 {}  P90 {}  at or above quota "
          "{}{}\n",
          pct(q.p10), pct(q.p50), pct(q.p90), pct(q.all.share_at_or_above),
          q.share_se ? fmt::format(" ±{:.1f}", 100 * *q.share_se) : "");
      s += fmt::format(
          "  new hires: {:.1f} reps, mean {}, at or above {}; tenured: {:.1f} reps, "
          "mean {}, at or above {}\n",
          q.new_hires.reps, pct(q.new_hires.mean), pct(q.new_hires.share_at_or_above),
          q.tenured.reps, pct(q.tenured.mean), pct(q.tenured.share_at_or_above));
      if (q.accelerators.mean > 0)
        s += fmt::format("  accelerators paid: {} per path (in commission)\n",
                         money(q.accelerators.mean));
    }
  }
  return s;
}

void add_territory_json(json& plan, const TerritoryFigures& t) {
  if (!t.segments.empty()) {
    json segs = json::array();
    for (const SegmentFigure& g : t.segments)
      segs.push_back({{"name", g.name},
                      {"accounts", g.accounts},
                      {"reps_final", mean_se(g.reps)},
                      {"bookings", mean_se(g.bookings)},
                      {"opportunities", mean_se(g.created)},
                      {"won", mean_se(g.won)},
                      {"lost", mean_se(g.lost)},
                      {"win_rate", num(g.win_rate)},
                      {"fresh_accounts_final", mean_se(g.fresh)},
                      {"coverage_left", g.coverage_left},
                      {"customers_final", mean_se(g.customers)},
                      {"cooling_final", mean_se(g.cooling)}});
    plan["segments"] = segs;
  }
  if (t.quota) {
    const QuotaFigure& q = *t.quota;
    json h = json::array();
    for (double x : q.histogram) h.push_back(x);
    plan["quota"] = {{"attainment",
                      {{"p10", num(q.p10)},
                       {"p50", num(q.p50)},
                       {"p90", num(q.p90)},
                       {"mean", num(q.all.mean)}}},
                     {"share_at_or_above", num(q.all.share_at_or_above)},
                     {"share_at_or_above_se", num(q.share_se)},
                     {"reps_mean", q.all.reps},
                     {"new_hires", group(q.new_hires)},
                     {"tenured", group(q.tenured)},
                     {"accelerators", mean_se(q.accelerators)},
                     {"histogram", {{"bin_width", out::territory::kBinWidth}, {"shares", h}}}};
  }
}

}  // namespace salesim::tools
