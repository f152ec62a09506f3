#include "tools/xlsx_run.hpp"

#include <cmath>

#include "models/cost_parts.hpp"

namespace salesim::tools {
namespace {

const double kNan = std::nan("");
double v(std::optional<double> x) { return x ? *x : kNan; }
double mean(const std::optional<sim::MeanSe>& m) { return m ? m->mean : kNan; }
double se(const std::optional<sim::MeanSe>& m) { return m ? m->se : kNan; }

// name_mean, name_se, name_p10, name_p50, name_p90 of a figure.
void add_figure(Row& row, const std::string& name, const Figure& f) {
  row.emplace_back(name + "_mean", f.est.mean);
  row.emplace_back(name + "_se", f.est.se);
  row.emplace_back(name + "_p10", v(f.q[1]));
  row.emplace_back(name + "_p50", v(f.q[3]));
  row.emplace_back(name + "_p90", v(f.q[5]));
}

const Comparison* vs_first(const ScenarioResults& res, std::size_t plan) {
  return plan > 0 ? &res.comparisons[plan - 1] : nullptr;
}

Table plans_table(const ScenarioResults& res) {
  Table t;
  for (const auto& r : res.plans) {
    Row row = {{"plan", r.name},
               {"paths", double(res.paths)},
               {"p_goal", mean(r.goal)},
               {"p_goal_se", se(r.goal)},
               {"p_all_checkpoints", mean(r.all_checkpoints)},
               {"final_bookings_mean", r.final_bookings.mean},
               {"final_bookings_se", r.final_bookings.se},
               {"final_bookings_p10", v(r.final_q[1])},
               {"final_bookings_p50", v(r.final_q[3])},
               {"final_bookings_p90", v(r.final_q[5])},
               {"time_to_goal_p50_week", v(r.time_to_goal_p50)},
               {"never_share", v(r.never_share)},
               {"shortfall_mean", v(r.shortfall_mean)},
               {"cost_mean", r.cost.mean},
               {"cost_se", r.cost.se},
               {"profit_mean", r.profit.mean},
               {"profit_se", r.profit.se},
               {"burnout_mean_final", r.burnout_final.mean},
               {"burnt_out_share_final", r.burnt_out_final.mean},
               {"leavers_mean", r.leavers.mean},
               {"hires_mean", r.hires.mean},
               {"headcount_final_mean", r.headcount_final.mean},
               {"hours_per_rep_week_mean", r.hours_per_rep_week.mean}};
    t.add(std::move(row));
  }
  return t;
}

Table comparison_table(const ScenarioResults& res) {
  Table t;
  for (const auto& c : res.comparisons) {
    Row row = {{"plan", c.plan},
               {"baseline", c.baseline},
               {"final_bookings_diff_mean", c.bookings_diff.mean},
               {"final_bookings_diff_se", c.bookings_diff.se},
               {"p_better", c.p_better},
               {"p_goal_diff", mean(c.goal_diff)},
               {"p_goal_diff_se", se(c.goal_diff)},
               {"cost_diff_mean", c.cost_diff.mean},
               {"cost_diff_se", c.cost_diff.se},
               {"profit_diff_mean", c.profit_diff.mean},
               {"profit_diff_se", c.profit_diff.se},
               {"leavers_diff_mean", c.leavers_diff.mean},
               {"roi", v(c.roi)},
               {"exit_run_rate_diff_mean", c.detail.exit_run_rate.mean},
               {"exit_run_rate_diff_se", c.detail.exit_run_rate.se},
               {"open_pipeline_value_diff_mean", c.detail.open_pipeline_value.mean},
               {"ramped_headcount_diff_mean", c.detail.ramped_headcount.mean}};
    t.add(std::move(row));
  }
  return t;
}

// `measure` says what bookings_mean holds: with goal.metric arr the checkpoints count ARR at
// the week, and the column holds the mean ARR there (docs/model.md 12.5); added last, as the
// earlier columns' order is kept.
Table checkpoints_table(const ScenarioResults& res, const std::string& measure) {
  Table t;
  for (std::size_t i = 0; i < res.plans.size(); ++i) {
    const Comparison* c = vs_first(res, i);
    const auto& cps = res.plans[i].checkpoints;
    for (std::size_t k = 0; k < cps.size(); ++k)
      t.add({{"plan", res.plans[i].name},
             {"checkpoint", cps[k].label},
             {"week", double(cps[k].week)},
             {"target", cps[k].target},
             {"p_met", cps[k].met.mean},
             {"p_met_se", cps[k].met.se},
             {"bookings_mean", cps[k].bookings.mean},
             {"bookings_se", cps[k].bookings.se},
             {"p_met_diff_vs_first", c ? c->checkpoint_diffs[k].mean : kNan},
             {"p_met_diff_se", c ? c->checkpoint_diffs[k].se : kNan},
             {"measure", measure == "arr" ? "arr" : "cumulative_bookings"}});
  }
  return t;
}

Table weekly_table(const ScenarioResults& res) {
  Table t;
  for (const auto& r : res.plans)
    for (std::size_t w = 0; w < r.weekly.cum_mean.size(); ++w) {
      Row row = {
          {"plan", r.name}, {"week", double(w + 1)}, {"cum_bookings_mean", r.weekly.cum_mean[w]}};
      for (std::size_t q = 0; q < r.weekly.cum_q[w].size(); ++q)
        row.emplace_back(std::string("cum_bookings_") + sim::kPercentileNames[q],
                         v(r.weekly.cum_q[w][q]));
      row.emplace_back("weekly_bookings_mean", r.weekly.weekly_mean[w]);
      t.add(std::move(row));
    }
  return t;
}

Table costs_table(const ScenarioResults& res) {
  Table t;
  for (std::size_t i = 0; i < res.plans.size(); ++i) {
    const PlanResult& r = res.plans[i];
    const Comparison* c = vs_first(res, i);
    for (std::size_t k = 0; k <= cost::part_count; ++k) {
      const bool total = k == cost::part_count;  // the last row: the total
      Row row = {{"plan", r.name}, {"part", std::string(total ? "total" : cost::part_names[k])}};
      if (total)
        add_figure(row, "cost", {r.cost, Quantiles(std::size(sim::kPercentiles))});
      else
        add_figure(row, "cost", r.detail.cost_parts[k]);
      const sim::MeanSe* d = !c ? nullptr : total ? &c->cost_diff : &c->detail.cost_parts[k];
      row.emplace_back("cost_diff_vs_first", d ? d->mean : kNan);
      row.emplace_back("cost_diff_se", d ? d->se : kNan);
      t.add(std::move(row));
    }
  }
  return t;
}

Table periods_table(const ScenarioResults& res) {
  Table t;
  for (const auto& r : res.plans)
    for (const auto& p : r.detail.periods) {
      Row row = {{"plan", r.name},
                 {"from_week", double(p.from_week)},
                 {"to_week", double(p.to_week)},
                 {"checkpoint", p.checkpoint}};
      add_figure(row, "bookings", p.bookings);
      t.add(std::move(row));
    }
  return t;
}

Table horizon_table(const ScenarioResults& res) {
  Table t;
  for (std::size_t i = 0; i < res.plans.size(); ++i) {
    const PlanResult& r = res.plans[i];
    const Comparison* c = vs_first(res, i);
    Row row = {{"plan", r.name}, {"run_rate_weeks", double(r.detail.run_rate_weeks)}};
    add_figure(row, "exit_run_rate", r.detail.exit_run_rate);
    add_figure(row, "open_pipeline_value", r.detail.open_pipeline_value);
    add_figure(row, "ramped_headcount", r.detail.ramped_headcount);
    row.emplace_back("headcount_final_mean", r.headcount_final.mean);
    row.emplace_back("exit_run_rate_diff_vs_first", c ? c->detail.exit_run_rate.mean : kNan);
    row.emplace_back("exit_run_rate_diff_se", c ? c->detail.exit_run_rate.se : kNan);
    t.add(std::move(row));
  }
  return t;
}

}  // namespace

std::vector<Sheet> run_sheets(const Scenario& sc, const ScenarioResults& res) {
  std::vector<Sheet> s;
  s.push_back(table_sheet("Plans", plans_table(res)));
  s.push_back(table_sheet("Comparison", comparison_table(res)));
  s.back().empty_note = "Only one plan was run: there is no plan to compare with the first.";
  s.push_back(table_sheet("Checkpoints", checkpoints_table(res, sc.base.goal.metric)));
  s.back().empty_note = "The scenario has no checkpoints (goal.checkpoints).";
  s.push_back(table_sheet("Weekly", weekly_table(res)));
  s.push_back(table_sheet("Costs", costs_table(res)));
  s.push_back(table_sheet("Periods", periods_table(res)));
  s.push_back(table_sheet("Horizon", horizon_table(res)));
  return s;
}

}  // namespace salesim::tools
