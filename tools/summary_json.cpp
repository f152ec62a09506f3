#include "tools/summary_json.hpp"

#include "models/cost_parts.hpp"
#include "salesim/version.hpp"
#include "sim/stats.hpp"
#include "tools/summary_arr.hpp"
#include "tools/territory_output.hpp"

namespace salesim::tools {
namespace {
using nlohmann::json;

json num(std::optional<double> v) { return v ? json(*v) : json(nullptr); }
json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json mean_se(const sim::MeanSe& m) {
  return m.n ? json{{"mean", num(m.mean)}, {"se", num(m.se)}}
             : json{{"mean", nullptr}, {"se", nullptr}};
}
json quantiles(const Quantiles& q) {
  json j = json::object();
  for (std::size_t i = 0; i < q.size(); ++i) j[sim::kPercentileNames[i]] = num(q[i]);
  return j;
}

// Mean, standard error and the P10/P50/P90 of a figure over paths.
json figure(const Figure& f) {
  json j = mean_se(f.est);
  j["p10"] = num(f.q[1]);
  j["p50"] = num(f.q[3]);
  j["p90"] = num(f.q[5]);
  return j;
}

// The --detail figures of a plan: what its cost pays for, its bookings per checkpoint period
// and the state it leaves at the horizon.
void add_detail(json& p, const PlanDetail& d) {
  json costs = json::object();
  for (std::size_t k = 0; k < cost::part_count; ++k)
    costs[cost::part_names[k]] = figure(d.cost_parts[k]);
  p["cost_breakdown"] = costs;
  p["bookings_by_period"] = json::array();
  for (const auto& b : d.periods) {
    json j = figure(b.bookings);
    j["from_week"] = b.from_week;
    j["to_week"] = b.to_week;
    j["checkpoint"] = b.checkpoint.empty() ? json(nullptr) : json(b.checkpoint);
    p["bookings_by_period"].push_back(j);
  }
  json run_rate = figure(d.exit_run_rate);
  run_rate["weeks"] = d.run_rate_weeks;
  json open = figure(d.open_pipeline_value);
  open["basis"] = "face";  // open opportunities x deal mean, not weighted by win probability
  p["horizon"] = {{"exit_run_rate", run_rate},
                  {"open_pipeline_value", open},
                  {"ramped_headcount", figure(d.ramped_headcount)}};
}

void add_detail_diff(json& c, const DetailDiff& d) {
  json costs = json::object();
  for (std::size_t k = 0; k < cost::part_count; ++k)
    costs[cost::part_names[k]] = mean_se(d.cost_parts[k]);
  c["cost_breakdown_diff"] = costs;
  c["exit_run_rate_diff"] = mean_se(d.exit_run_rate);
  c["open_pipeline_value_diff"] = mean_se(d.open_pipeline_value);
  c["ramped_headcount_diff"] = mean_se(d.ramped_headcount);
}

json opt_mean_se(const std::optional<sim::MeanSe>& m) {
  return m ? mean_se(*m) : json{{"mean", nullptr}, {"se", nullptr}};
}

// After a missed checkpoint: P(goal) given each checkpoint met or missed, and for a miss the
// share of all paths that still reached the goal, the expected shortfall and each later
// checkpoint. A figure on fewer than kMinConditionalPaths paths is null.
json conditional_json(const std::vector<ConditionalFigure>& figures) {
  json all = json::array();
  for (const auto& f : figures) {
    json j = {{"given", f.given},
              {"checkpoint", f.checkpoint},
              {"met", f.met},
              {"p_goal", f.p_goal ? json(f.p_goal->mean) : json(nullptr)},
              {"se", f.p_goal ? json(f.p_goal->se) : json(nullptr)},
              {"paths", f.paths}};
    if (!f.met) {
      j["reached_goal_share"] = opt_mean_se(f.reached_anyway);
      j["shortfall"] = opt_mean_se(f.shortfall);
      j["later"] = json::array();
      for (const auto& l : f.later)
        j["later"].push_back({{"checkpoint", l.checkpoint},
                              {"p_met", l.p ? json(l.p->mean) : json(nullptr)},
                              {"se", l.p ? json(l.p->se) : json(nullptr)}});
    }
    all.push_back(j);
  }
  return all;
}

json plan_json(const PlanResult& r) {
  json p;
  p["name"] = r.name;
  p["goal"] = r.goal ? json{{"p_met", r.goal->mean}, {"se", r.goal->se}}
                     : json{{"p_met", nullptr}, {"se", nullptr}};
  p["checkpoints"] = json::array();
  p["bookings_at_checkpoints"] = json::array();
  for (const auto& c : r.checkpoints) {
    p["checkpoints"].push_back({{"label", c.label},
                                {"week", c.week},
                                {"target", c.target},
                                {"p_met", c.met.mean},
                                {"se", c.met.se}});
    p["bookings_at_checkpoints"].push_back(
        {{"week", c.week}, {"mean", c.bookings.mean}, {"se", c.bookings.se}});
  }
  p["p_all_checkpoints"] = r.all_checkpoints ? json(r.all_checkpoints->mean) : json(nullptr);
  p["p_all_checkpoints_se"] = r.all_checkpoints ? json(r.all_checkpoints->se) : json(nullptr);
  json fb = quantiles(r.final_q);
  fb["mean"] = r.final_bookings.mean;
  fb["se"] = r.final_bookings.se;
  p["final_bookings"] = fb;
  p["time_to_goal"] = {{"p50", num(r.time_to_goal_p50)},
                       {"p90", num(r.time_to_goal_p90)},
                       {"never_share", num(r.never_share)}};
  p["shortfall_mean"] = num(r.shortfall_mean);
  p["cost"] = mean_se(r.cost);
  p["profit"] = mean_se(r.profit);
  p["people"] = {{"burnout_mean_final", num(r.burnout_final.mean)},
                 {"burnt_out_share_final", num(r.burnt_out_final.mean)},
                 {"leavers_mean", r.leavers.mean},
                 {"leavers_se", r.leavers.se},
                 {"hires_mean", r.hires.mean},
                 {"headcount_final_mean", r.headcount_final.mean},
                 {"hours_per_rep_week_mean", num(r.hours_per_rep_week.mean)},
                 {"rep_weeks", r.rep_weeks}};  // reps stepped, summed over weeks and paths
  p["pipeline"] = {
      {"created_mean", r.created.mean}, {"won_mean", r.won.mean}, {"lost_mean", r.lost.mean}};
  add_detail(p, r.detail);
  p["conditional"] = conditional_json(r.conditional);
  if (r.recurring) p["arr"] = arr_json(*r.recurring);  // revenue.model: recurring only
  add_territory_json(p, r.territory);  // segments[] and quota (docs/model.md 12.7-12.8)
  return p;
}

json comparison_json(const Comparison& c, const PlanResult& plan) {
  json cps = json::array();
  for (std::size_t i = 0; i < c.checkpoint_diffs.size(); ++i)
    cps.push_back({{"label", plan.checkpoints[i].label},
                   {"p_met_diff", c.checkpoint_diffs[i].mean},
                   {"se", c.checkpoint_diffs[i].se}});
  return {{"baseline", c.baseline},
          {"checkpoints_diff", cps},
          {"final_bookings_diff_mean", c.bookings_diff.mean},
          {"se", c.bookings_diff.se},
          {"p_better", c.p_better},
          {"cost_diff_mean", c.cost_diff.mean},
          {"cost_diff_se", c.cost_diff.se},
          {"profit_diff_mean", c.profit_diff.mean},
          {"profit_diff_se", c.profit_diff.se},
          {"p_goal_diff", c.goal_diff ? json(c.goal_diff->mean) : json(nullptr)},
          {"p_goal_diff_se", c.goal_diff ? json(c.goal_diff->se) : json(nullptr)},
          {"leavers_diff_mean", c.leavers_diff.mean},
          {"leavers_diff_se", c.leavers_diff.se},
          {"roi", num(c.roi)}};
}

}  // namespace

nlohmann::json mean_se_json(const sim::MeanSe& m) { return mean_se(m); }
nlohmann::json figure_json(const Figure& f) { return figure(f); }

json summary_json(const Scenario& sc, const ScenarioResults& res, std::uint64_t seed) {
  json j;
  j["scenario"] = sc.name;
  j["file"] = sc.file;
  j["salesim_version"] = sim::build::version;
  j["git_revision"] = sim::build::git_revision;
  j["model_version"] = kModelVersion;
  j["format"] = sc.format;
  j["notices"] = sc.notices;
  j["warnings"] = sc.warnings;
  j["paths"] = res.paths;
  j["seed"] = seed;
  j["threads"] = res.threads;
  j["ranks"] = res.ranks;  // MPI ranks (docs/distributed.md); with threads, not part of the figures
  j["horizon_weeks"] = sc.horizon();
  j["goal"] = {{"revenue", num(sc.base.goal.revenue)},
               {"by_week", sc.goal_week()},
               {"metric", sc.base.goal.metric}};  // "bookings", or "arr" (12.5)
  j["elapsed_seconds"] = res.elapsed_seconds;
  // The engine's throughput (docs/performance.md): every plan's rep-weeks per elapsed second.
  double rep_weeks = 0;
  for (const PlanResult& r : res.plans) rep_weeks += r.rep_weeks;
  j["rep_weeks_per_second"] =
      res.elapsed_seconds > 0 ? json(rep_weeks / res.elapsed_seconds) : json(nullptr);
  j["plans"] = json::array();
  for (std::size_t i = 0; i < res.plans.size(); ++i) {
    json p = plan_json(res.plans[i]);
    if (i > 0) {
      p["vs_first"] = comparison_json(res.comparisons[i - 1], res.plans[i]);
      add_detail_diff(p["vs_first"], res.comparisons[i - 1].detail);
      json drivers = json::array();
      for (std::size_t k = 0; k < res.comparisons[i - 1].drivers.size(); ++k)
        drivers.push_back({{"driver", kDriverNames[k]},
                           {"effect", num(res.comparisons[i - 1].drivers[k].mean)},
                           {"se", num(res.comparisons[i - 1].drivers[k].se)}});
      p["vs_first"]["drivers"] = drivers;
      if (const auto& d = res.comparisons[i - 1].arr_final_diff)
        p["vs_first"]["arr_final_diff"] = arr_diff_json(*d, res.comparisons[i - 1].cost_diff.mean);
    }
    j["plans"].push_back(p);
  }
  return j;
}

json precision_json(const PrecisionResult& p) {
  return {{"metric", to_string(p.metric)}, {"target_se", p.target_se},
          {"achieved_se", p.achieved_se},  {"paths", p.paths},
          {"max_paths", p.max_paths},      {"met", p.met}};
}

}  // namespace salesim::tools
