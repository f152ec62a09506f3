// A run's report data built in memory, with the same figures a results file would carry
// (tools/results_h5.cpp writes them, tools/report_data.cpp reads them back): for salesim serve,
// which renders the report's sections for every what-if without writing a file.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "models/outputs.hpp"
#include "models/simulate.hpp"
#include "salesim/version.hpp"
#include "tools/report.hpp"

namespace salesim::tools {
namespace {

ReportPlan plan_of(const Scenario& sc, const PlanResult& r) {
  ReportPlan p;
  p.name = r.name;
  for (const auto& spec : sc.plans)
    if (spec.name == r.name) p.description = spec.description;
  for (const auto& row : r.weekly.cum_q) {
    std::array<double, 7> q{};
    for (std::size_t k = 0; k < q.size() && k < row.size(); ++k)
      q[k] = row[k] ? *row[k] : std::nan("");
    p.cum_q.push_back(q);
  }
  const auto& m = r.weekly.means;
  p.burnout = m[out::s_burnout_mean];
  p.burnt_out = m[out::s_burnt_out];
  p.leavers = m[out::s_leavers];
  p.hires = m[out::s_hires];
  p.headcount = m[out::s_active];
  p.hours = m[out::s_hours_per_rep];
  return p;
}

}  // namespace

ReportData report_data_of_run(const Scenario& sc, const ScenarioResults& res,
                              nlohmann::json summary) {
  ReportData d;
  d.file = sc.file;
  d.summary = std::move(summary);
  d.scenario_text = sc.text;
  d.scenario_name = sc.name;
  d.scenario_file = sc.file;
  d.start_date = sc.base.simulation.start_date;
  d.created = fmt::format(
      "{:%Y-%m-%dT%H:%M:%SZ}",
      fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
  d.salesim_version = sim::build::version;
  d.git_revision = sim::build::git_revision;
  d.horizon = sc.horizon();
  d.goal_by_week = sc.goal_week();
  if (sc.base.goal.revenue) d.goal = *sc.base.goal.revenue;
  for (std::size_t i = 0; i < res.plans.size(); ++i) {
    d.plans.push_back(plan_of(sc, res.plans[i]));
    if (i == 0 || res.plans[i].streamed) continue;
    const PlanResult &base = res.plans[0], &plan = res.plans[i];
    d.plans.back().diff =
        sim::paired_values(base.column(out::final_bookings), plan.column(out::final_bookings));
    if (base.recurring && plan.recurring)  // as the results file's final_arr_diff
      d.plans.back().arr_diff = sim::paired_values(arr_final_column(base), arr_final_column(plan));
  }
  return d;
}

}  // namespace salesim::tools
