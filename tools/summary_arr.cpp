#include "tools/summary_arr.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/stats.hpp"
#include "tools/summary_json.hpp"
#include "tools/terminal.hpp"

namespace salesim::tools {
namespace {
using nlohmann::json;

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json num(const std::optional<double>& v) { return v ? num(*v) : json(nullptr); }
// Per week: mean and every quantile of sim::kPercentiles.
json weekly(const std::vector<double>& mean,
            const std::vector<std::vector<std::optional<double>>>& q) {
  json j = {{"mean", json::array()}};
  for (double v : mean) j["mean"].push_back(num(v));
  for (std::size_t k = 0; k < std::size(sim::kPercentiles); ++k) {
    json col = json::array();
    for (const auto& row : q) col.push_back(num(row[k]));
    j[sim::kPercentileNames[k]] = col;
  }
  return j;
}
std::string pct(const sim::MeanSe& m) { return m.n ? percent_se(m) : "-"; }

}  // namespace

json arr_json(const RecurringResult& a) {
  json j;
  j["start"] = figure_json(a.arr_start);
  j["final"] = figure_json(a.arr_final);
  j["mrr_final"] = figure_json(a.mrr_final);
  j["retention"] = {{"from_week", a.retention_from_week},
                    {"nrr", figure_json(a.nrr)},
                    {"grr", figure_json(a.grr)}};
  j["weekly"] = weekly(a.arr_mean, a.arr_q);
  j["mrr_weekly"] = weekly(a.mrr_mean, a.mrr_q);
  j["bridge"] = json::array();
  for (const ArrQuarter& q : a.bridge)
    j["bridge"].push_back({{"from_week", q.from_week},
                           {"to_week", q.to_week},
                           {"opening", num(q.opening)},
                           {"new", mean_se_json(q.added)},
                           {"expansion", mean_se_json(q.expansion)},
                           {"churn", mean_se_json(q.churn)},
                           {"closing", num(q.closing)}});
  return j;
}

json arr_diff_json(const ArrFinalDiff& d, double extra_cost) {
  return {{"mean", num(d.mean)},
          {"se", num(d.se)},
          {"p_better", num(d.p_better)},
          // SaaS's "magic number": ARR added per unit spent; as the ROI, only for a dearer plan.
          {"per_extra_cost", extra_cost > 0 ? num(d.mean / extra_cost) : json(nullptr)},
          {"bridge",
           {{"start", mean_se_json(d.start)},
            {"new", mean_se_json(d.added)},
            {"expansion", mean_se_json(d.expansion)},
            {"churn", mean_se_json(d.churn)}}}};
}

std::string format_arr(const ScenarioResults& res) {
  if (res.plans.empty() || !res.plans[0].recurring) return "";
  std::size_t w = 18;
  for (const auto& r : res.plans) w = std::max(w, r.name.size() + 2);
  std::string s = "\nRecurring revenue (ARR: annual value of live contracts):\n";
  auto row = [&](const std::string& label, auto cell) {
    s += fmt::format("{:<26}", label);
    for (const auto& r : res.plans) s += fmt::format("{:>{}}", cell(*r.recurring), w);
    s += "\n";
  };
  const RecurringResult& first = *res.plans[0].recurring;
  row("ARR at start", [](const RecurringResult& a) { return money(a.arr_start.est.mean); });
  row("ARR final median",
      [](const RecurringResult& a) { return money(a.arr_final.q[3].value_or(NAN)); });
  row("ARR final P10-P90", [](const RecurringResult& a) {
    return money(a.arr_final.q[1].value_or(NAN)) + "-" + money(a.arr_final.q[5].value_or(NAN));
  });
  row("ARR final mean ± se",
      [](const RecurringResult& a) { return money_se(a.arr_final.est.mean, a.arr_final.est.se); });
  row("MRR final (billed)", [](const RecurringResult& a) { return money(a.mrr_final.est.mean); });
  row(fmt::format("NRR from week {}", first.retention_from_week),
      [](const RecurringResult& a) { return pct(a.nrr.est); });
  row(fmt::format("GRR from week {}", first.retention_from_week),
      [](const RecurringResult& a) { return pct(a.grr.est); });

  s +=
      "\nARR bridge per quarter (means over paths; opening + new + expansion - churn = closing):\n";
  s += fmt::format("{:<20}{:>8}{:>10}{:>10}{:>11}{:>10}{:>10}\n", "plan", "weeks", "opening", "new",
                   "expansion", "churn", "closing");
  for (const auto& r : res.plans)
    for (const ArrQuarter& q : r.recurring->bridge)
      s += fmt::format("{:<20}{:>8}{:>10}{:>10}{:>11}{:>10}{:>10}\n", clip(r.name, 19),
                       fmt::format("{}-{}", q.from_week, q.to_week), money(q.opening),
                       money(q.added.mean), money(q.expansion.mean), money(q.churn.mean),
                       money(q.closing));
  if (!res.comparisons.empty()) {
    // Plan minus baseline on the same paths, and its parts: the difference is exactly the
    // parts' (start + new + expansion - churn), so a plan that keeps customers shows where.
    s += fmt::format(
        "\nFinal ARR paired with '{}' (plan minus it; = start + new + expansion - churn):\n",
        res.plans[0].name);
    s += fmt::format("{:<{}}{:>16}{:>11}{:>10}{:>10}{:>11}{:>10}\n", "plan", w, "difference",
                     "P(better)", "start", "new", "expansion", "churn");
    auto signed_money = [](double v) { return (v > 0 ? "+" : "") + money(v); };
    for (const auto& c : res.comparisons)
      if (const auto& d = c.arr_final_diff)
        s += fmt::format("{:<{}}{:>16}{:>11}{:>10}{:>10}{:>11}{:>10}\n", c.plan, w,
                         signed_money(d->mean) + (std::isfinite(d->se) ? " ±" + money(d->se) : ""),
                         share(d->p_better), signed_money(d->start.mean),
                         signed_money(d->added.mean), signed_money(d->expansion.mean),
                         signed_money(d->churn.mean));
  }
  return s;
}

}  // namespace salesim::tools
