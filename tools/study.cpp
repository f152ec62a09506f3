#include "tools/study.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/plan_edit.hpp"
#include "models/recurring_layout.hpp"
#include "sim/stats.hpp"
#include "tools/cli.hpp"

namespace salesim::tools {

Scenario plan_variant(const Scenario& sc, const std::string& plan,
                      const std::vector<std::pair<std::string, double>>& values,
                      const std::optional<std::string>& name) {
  Scenario variant = scenario_with_plan_values(sc, plan, values, name);
  variant.base.simulation.seed = sc.base.simulation.seed;
  for (auto& p : variant.plans) p.params.simulation.seed = sc.base.simulation.seed;
  return variant;
}

VariantResult run_variant(const Scenario& variant, const StudySettings& s) {
  VariantResult v;
  ScenarioResults res = s.target_se ? run_to_precision(variant, s.run, {}, *s.target_se,
                                                       s.max_paths, v.precision, s.metric)
                                    : run_scenario(variant, s.run);
  v.result = std::move(res.plans.front());
  return v;
}

sim::MeanSe paired_metric_diff(const PlanResult& a, const PlanResult& b, Metric m) {
  auto ca = metric_column(a, m), cb = metric_column(b, m);
  const std::size_t n = std::min(ca.size(), cb.size());
  ca.resize(n), cb.resize(n);
  return sim::paired_diff(ca, cb);
}

std::vector<std::pair<std::string, double>> headline_columns(const Scenario& sc,
                                                             const PlanResult& r) {
  const double nan = std::nan("");
  auto q = [&](int i) { return r.final_q[i] ? *r.final_q[i] : nan; };
  std::vector<std::pair<std::string, double>> c = {
      {"paths", double(r.run.paths)},
      {"p_goal", r.goal ? r.goal->mean : nan},
      {"p_goal_se", r.goal ? r.goal->se : nan},
  };
  for (const auto& cp : r.checkpoints) {
    c.emplace_back("p_" + cp.label, cp.met.mean);
    c.emplace_back("p_" + cp.label + "_se", cp.met.se);
  }
  const std::vector<std::pair<std::string, double>> rest = {
      {"final_bookings_mean", r.final_bookings.mean},
      {"final_bookings_se", r.final_bookings.se},
      {"final_bookings_p10", q(1)},
      {"final_bookings_p50", q(3)},
      {"final_bookings_p90", q(5)},
      {"cost_mean", r.cost.mean},
      {"cost_se", r.cost.se},
      {"profit_mean", r.profit.mean},
      {"profit_se", r.profit.se},
      {"leavers_mean", r.leavers.mean},
      {"leavers_se", r.leavers.se},
      {"burnout_final_mean", r.burnout_final.mean},
      {"burnt_out_share_final_mean", r.burnt_out_final.mean},
      {"headcount_final_mean", r.headcount_final.mean}};
  c.insert(c.end(), rest.begin(), rest.end());
  return c;
}

std::vector<std::pair<std::string, double>> arr_columns(const PlanResult& r) {
  if (!r.recurring) return {};
  const Figure& f = r.recurring->arr_final;
  auto q = [&](int i) { return f.q[i].value_or(std::nan("")); };
  return {{"arr_final_mean", f.est.mean},
          {"arr_final_se", f.est.se},
          {"arr_final_p10", q(1)},
          {"arr_final_p50", q(3)},
          {"arr_final_p90", q(5)}};
}

const char* const kMetricHelp =
    "p_goal, final_bookings, profit or arr_final (final ARR, with revenue.model: recurring): "
    "compared with the plan as written (default: p_goal when there is a goal). With "
    "goal.metric: arr, p_goal is P(ARR at the goal's week >= goal.revenue)";

Metric metric_option(const std::string& text, const Scenario& sc) {
  auto m = parse_metric(text);
  if (!m)
    throw BadInput(fmt::format(
        "--metric: '{}' is not one of p_goal, final_bookings, profit, arr_final", text));
  if (*m == Metric::p_goal && !sc.base.goal.revenue)
    throw BadInput(fmt::format(
        "--metric p_goal: {} has no goal.revenue; use --metric final_bookings or profit", sc.file));
  if (*m == Metric::arr_final && !arr_out::on(sc))
    throw BadInput(fmt::format(
        "--metric arr_final: {} has no recurring revenue (revenue.model: recurring, "
        "docs/model.md 12.5), so there is no ARR; use --metric p_goal, final_bookings or profit",
        sc.file));
  return *m;
}

}  // namespace salesim::tools
