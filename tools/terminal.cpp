#include "tools/terminal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/cost_parts.hpp"
#include "models/outputs.hpp"
#include "models/pipeline_graph.hpp"
#include "models/recurring_layout.hpp"
#include "sim/utf8.hpp"
#include "tools/report_format.hpp"  // noun
#include "tools/table_file.hpp"

namespace salesim::tools {

std::string money(double v) {
  if (!std::isfinite(v)) return "-";
  const double a = std::fabs(v);
  // The unit is chosen by the rounded figure: 999,999 is 1.00M, not 1000k, and 999.7 is 1k.
  if (a >= 999.995e6) return fmt::format("{:.2f}B", v / 1e9);
  if (a >= 999.5e3) return fmt::format("{:.2f}M", v / 1e6);
  if (a >= 999.5) return fmt::format("{:.0f}k", v / 1e3);
  // A figure that rounds to zero is "0", not "-0" (a paired difference of -0.3).
  if (a <= 0.5) return "0";
  return fmt::format("{:.0f}", v);
}

std::string money_se(double v, double se) {
  return std::isfinite(se) ? money(v) + " ±" + money(se) : money(v);
}

std::string share(double p) {
  if (!std::isfinite(p)) return "-";
  // A share that is neither 0 nor 1 never reads 0.0% or 100.0% (0.9995 printed "100.0%" where
  // the report said ">99.9%").
  if (p > 0 && p < 0.0005) return "<0.1%";
  if (p < 1 && p >= 0.9995) return ">99.9%";
  return fmt::format("{:.1f}%", 100 * p);
}

std::string points_se(double se) {
  if (!std::isfinite(se)) return "";
  return se > 0 && 100 * se < 0.05 ? "±<0.1" : fmt::format("±{:.1f}", 100 * se);
}

std::string percent_se(const sim::MeanSe& m) {
  return std::isfinite(m.se) ? share(m.mean) + " " + points_se(m.se) : share(m.mean);
}

std::string fixed(double v, int digits, const char* suffix) {
  return std::isfinite(v) ? fmt::format("{:.{}f}{}", v, digits, suffix) : "-";
}

std::size_t text_width(const std::string& s) {
  // Measured by fmt itself: the padding it adds to reach a known width. fmt counts East Asian
  // wide characters and most emoji as two columns, so widths computed here and fmt's padding
  // always agree (a count of characters left a Chinese plan name's column two short a glyph).
  constexpr std::size_t kProbe = 1 << 16;
  const std::size_t padded = fmt::formatted_size("{:<{}}", s, kProbe);
  return padded > s.size() ? kProbe - (padded - s.size()) : sim::utf8::length(s);
}

std::string clip(const std::string& s, std::size_t n) {
  std::size_t used = 0, end = 0;
  while (end < s.size()) {
    const std::size_t len = sim::utf8::at(s, end).len;
    const std::size_t w = text_width(s.substr(end, len));
    if (used + w > n) break;
    used += w;
    end += len;
  }
  return s.substr(0, end);
}

namespace {
// A standard error that does not exist (NaN: one path, sim::MeanSe) is left out, not shown as 0.
std::string pct(double p, double se) {
  const std::string v = fmt::format("{:>6}", share(p));
  return std::isfinite(se) ? v + " " + points_se(se) : v;
}
std::string opt_week(std::optional<double> w) { return w ? fmt::format("{:.0f}", *w) : "never"; }
// A difference of probabilities in points, "+31.2pt"; one that rounds to zero is "0.0pt" (a
// tiny negative one printed "-0.0pt").
std::string points(double d) { return report::Fmt::signed_fixed(100 * d, 1) + "pt"; }

}  // namespace

std::string format_table(const Scenario& sc, const ScenarioResults& res) {
  std::string s;
  const auto& goal = sc.base.goal;
  s += fmt::format("{}: {} {}, {} {} each, {} {}", sc.name, res.plans.size(),
                   report::noun(res.plans.size(), "plan"), res.paths,
                   report::noun(res.paths, "path"), sc.horizon(),
                   report::noun(sc.horizon(), "week"));
  // A goal on ARR says so: the goal and checkpoint rows count ARR, the bookings rows do not.
  const bool arr = goal.metric == "arr";
  if (goal.revenue)
    s += fmt::format(", goal {}{} by week {}", money(*goal.revenue), arr ? " of ARR" : "",
                     sc.goal_week());
  s += fmt::format("  ({:.1f}s, {} {})\n\n", res.elapsed_seconds, res.threads,
                   report::noun(res.threads, "thread"));

  std::size_t w = 18;  // wide enough for the longest plan name
  for (const auto& r : res.plans) w = std::max(w, text_width(r.name) + 2);
  // The rows' labels: a checkpoint's with its label of up to 8 characters, and "ARR " when the
  // goal counts ARR (30 then: "P(12345678 ARR 10.60M wk52)").
  const std::size_t lw = arr ? 30 : 26;
  auto row = [&](const std::string& label, auto cell) {
    s += fmt::format("{:<{}}", label, lw);
    for (const auto& r : res.plans) s += fmt::format("{:>{}}", cell(r), w);
    s += "\n";
  };
  row("plan", [](const PlanResult& r) { return r.name; });
  if (goal.revenue) {
    row(arr ? "P(ARR goal)" : "P(goal)",
        [&](const PlanResult& r) { return pct(r.goal->mean, r.goal->se); });
    row("time to goal p50 (wk)", [](const PlanResult& r) { return opt_week(r.time_to_goal_p50); });
  }
  for (std::size_t i = 0; i < goal.checkpoints.size(); ++i) {
    const auto& cp = goal.checkpoints[i];
    row(fmt::format("P({} {}{} wk{})", clip(cp.label, 8), arr ? "ARR " : "", money(cp.revenue),
                    cp.week),
        [&, i](const PlanResult& r) {
          return pct(r.checkpoints[i].met.mean, r.checkpoints[i].met.se);
        });
  }
  if (!goal.checkpoints.empty())
    row("P(all checkpoints)",
        [&](const PlanResult& r) { return pct(r.all_checkpoints->mean, r.all_checkpoints->se); });
  row("bookings median", [](const PlanResult& r) { return money(r.final_q[3].value_or(NAN)); });
  row("bookings P10-P90", [](const PlanResult& r) {
    return money(r.final_q[1].value_or(NAN)) + "-" + money(r.final_q[5].value_or(NAN));
  });
  row("bookings mean ± se",
      [&](const PlanResult& r) { return money_se(r.final_bookings.mean, r.final_bookings.se); });
  row("cost", [](const PlanResult& r) { return money(r.cost.mean); });
  row("profit", [](const PlanResult& r) { return money(r.profit.mean); });
  row("burnout (final mean)", [](const PlanResult& r) { return fixed(r.burnout_final.mean, 3); });
  row("burnt out share (B>0.7)",
      [](const PlanResult& r) { return fixed(100 * r.burnt_out_final.mean, 1, "%"); });
  row("leavers", [](const PlanResult& r) { return fmt::format("{:.1f}", r.leavers.mean); });
  row("headcount at horizon",
      [](const PlanResult& r) { return fmt::format("{:.1f}", r.headcount_final.mean); });
  row("hours per rep-week",
      [](const PlanResult& r) { return fixed(r.hours_per_rep_week.mean, 1); });

  if (!res.comparisons.empty()) {
    s += fmt::format("\nPaired with '{}' (same paths, same draws):\n", res.plans[0].name);
    s += fmt::format("{:<{}}{:>22}{:>12}{:>16}{:>16}{:>10}\n", "plan", w, "bookings diff ± se",
                     "P(better)", "P(goal) diff", "extra cost", "ROI");
    for (const auto& c : res.comparisons)
      s += fmt::format("{:<{}}{:>22}{:>12}{:>16}{:>16}{:>10}\n", c.plan, w,
                       money_se(c.bookings_diff.mean, c.bookings_diff.se), share(c.p_better),
                       !c.goal_diff ? "-"
                       : std::isfinite(c.goal_diff->se)
                           ? points(c.goal_diff->mean) + " " + points_se(c.goal_diff->se)
                           : points(c.goal_diff->mean),
                       money(c.cost_diff.mean), c.roi ? fmt::format("{:.2f}", *c.roi) : "-");
    // With recurring revenue a plan may keep customers and book no more: its gain is in ARR.
    if (arr_out::on(sc))
      s += "(bookings, P(better) and ROI count new bookings; what each plan does to ARR is in "
           "'Final ARR paired' below)\n";
  }
  return s;
}

std::string format_explain(const Scenario& sc, const ScenarioResults& res) {
  const Params& p = sc.base;
  std::vector<double> sigma;
  std::vector<double> skill_mean(sc.skills.size(), 0.4);
  for (const auto& [name, b] : p.team.skills)
    for (std::size_t j = 0; j < sc.skills.size(); ++j)
      if (sc.skills[j] == name) skill_mean[j] = b.mean;
  for (const Stage& st : p.pipeline.stages) sigma.push_back(skill_mean[st.skill_index]);
  const ChainFigures f = absorbing_chain(worked_transitions(p.pipeline, sigma));
  std::string s =
      "\nPipeline as an absorbing Markov chain (baseline, every opportunity worked, team mean "
      "skill, no burnout):\n";
  // expected_weeks is N 1: the expected weeks to absorption, won or lost (not the weeks to close
  // a won deal, which salesim validate --explain prints), so the column says so.
  // Stage names may be up to 64 characters: the first column fits the longest.
  std::size_t sw = 16;
  for (const auto& name : f.stages) sw = std::max(sw, text_width(name) + 2);
  s += fmt::format("{:<{}}{:>12}{:>21}{:>14}{:>14}\n", "from stage", sw, "P(win)",
                   "weeks to resolution", "sd of weeks", "conversion");
  // Unbounded weeks: the opportunity may reach a stage nothing leaves (exit_rate 0).
  const auto weeks = [](double w) {
    return std::isfinite(w) ? fmt::format("{:.2f}", w) : std::string("never");
  };
  for (std::size_t k = 0; k < f.stages.size(); ++k) {
    const Stage& st = p.pipeline.stages[k];
    s +=
        fmt::format("{:<{}}{:>12.3f}{:>21}{:>14}{:>14.3f}\n", f.stages[k], sw, f.win_probability[k],
                    weeks(f.expected_weeks[k]), weeks(std::sqrt(f.weeks_variance[k])),
                    st.conversion.floor + sigma[k] * (st.conversion.top - st.conversion.floor));
  }
  s += "(weeks to resolution: expected weeks until the opportunity is won or lost; "
       "salesim validate --explain gives the weeks to close of won deals)\n";
  if (!res.plans.empty()) {
    const PlanResult& b = res.plans[0];
    const double closed = b.won.mean + b.lost.mean;
    double open = 0;
    for (double v : b.weekly.means[out::s_open_count]) open += v;
    // Ratios of nothing (no opportunity closed or created) are "-", not 0.
    s += fmt::format(
        "Simulated ({}): won / (won + lost) = {} (includes stale and hand-over losses, "
        "capacity limits and burnout); opportunities created per week {:.1f}; mean open {:.1f}; "
        "Little's law time in pipeline {} weeks\n",
        b.name, closed > 0 ? fmt::format("{:.3f}", b.won.mean / closed) : "-",
        b.created.mean / sc.horizon(), open / sc.horizon(),
        b.created.mean > 0 ? fmt::format("{:.2f}", open / b.created.mean) : "-");
  }
  return s;
}

std::string format_detail(const Scenario& sc, const ScenarioResults& res) {
  std::string s;
  std::size_t w = 18;
  for (const auto& r : res.plans) w = std::max(w, r.name.size() + 2);
  auto row = [&](const std::string& label, auto cell) {
    s += fmt::format("{:<26}", label);
    for (const auto& r : res.plans) s += fmt::format("{:>{}}", cell(r), w);
    s += "\n";
  };
  auto mean_se = [&](const Figure& f) { return money_se(f.est.mean, f.est.se); };
  auto range = [](const Figure& f) {
    return money(f.q[1].value_or(NAN)) + "-" + money(f.q[5].value_or(NAN));
  };

  s += "\nCost breakdown (mean over paths; the parts add up to the cost):\n";
  row("plan", [](const PlanResult& r) { return r.name; });
  for (std::size_t k = 0; k < cost::part_count; ++k)
    row(cost::part_names[k],
        [&](const PlanResult& r) { return money(r.detail.cost_parts[k].est.mean); });
  row("total", [](const PlanResult& r) { return money(r.cost.mean); });
  if (!res.comparisons.empty()) {
    s += fmt::format("Cost difference from '{}' (paired, ± se):\n", res.plans[0].name);
    for (std::size_t k = 0; k < cost::part_count; ++k) {
      s += fmt::format("{:<26}{:>{}}", cost::part_names[k], "-", w);
      for (const auto& c : res.comparisons)
        s += fmt::format("{:>{}}", money_se(c.detail.cost_parts[k].mean, c.detail.cost_parts[k].se),
                         w);
      s += "\n";
    }
  }

  s += "\nBookings per checkpoint period (mean ± se):\n";
  row("weeks", [](const PlanResult& r) { return r.name; });
  if (!res.plans.empty())
    for (std::size_t i = 0; i < res.plans[0].detail.periods.size(); ++i) {
      const PeriodBookings& p = res.plans[0].detail.periods[i];
      const std::string label =
          fmt::format("{}-{} {}", p.from_week, p.to_week,
                      p.checkpoint.empty() ? std::string("(to horizon)") : clip(p.checkpoint, 12));
      row(label, [&](const PlanResult& r) { return mean_se(r.detail.periods[i].bookings); });
    }

  const int n = res.plans.empty() ? 0 : res.plans[0].detail.run_rate_weeks;
  s += fmt::format("\nAt the horizon (exit run-rate: bookings of the last {} {} x 52/{}{}):\n", n,
                   report::noun(n, "week"), n,
                   n < 13 ? ", the whole horizon being shorter than 13 weeks" : "");
  row("plan", [](const PlanResult& r) { return r.name; });
  row("exit run-rate", [&](const PlanResult& r) { return mean_se(r.detail.exit_run_rate); });
  row("exit run-rate P10-P90", [&](const PlanResult& r) { return range(r.detail.exit_run_rate); });
  row("open pipeline (face)",
      [&](const PlanResult& r) { return mean_se(r.detail.open_pipeline_value); });
  row("ramped headcount", [&](const PlanResult& r) {
    const double se = r.detail.ramped_headcount.est.se;
    return fmt::format("{:.1f}", r.detail.ramped_headcount.est.mean) +
           (std::isfinite(se) ? fmt::format(" ±{:.1f}", se) : "");
  });
  row("headcount",
      [](const PlanResult& r) { return fmt::format("{:.1f}", r.headcount_final.mean); });
  if (!res.comparisons.empty()) {
    s += fmt::format("{:<26}{:>{}}", "run-rate diff ± se", "-", w);
    for (const auto& c : res.comparisons)
      s += fmt::format("{:>{}}", money_se(c.detail.exit_run_rate.mean, c.detail.exit_run_rate.se),
                       w);
    s += "\n";
  }
  return s;
}

std::string format_csv(const Scenario& sc, const ScenarioResults& res) {
  std::string s =
      "scenario,plan,paths,p_goal,p_goal_se,p_all_checkpoints,final_bookings_mean,"
      "final_bookings_se,final_bookings_p10,final_bookings_p50,final_bookings_p90,cost_mean,"
      "profit_mean,burnout_mean_final,burnt_out_share_final,leavers_mean,headcount_final_mean,"
      "bookings_diff_vs_first,bookings_diff_se,p_better,cost_diff_vs_first,roi";
  // Added columns, after the original ones: the cost parts, the checkpoints (named as the sweep
  // CSV names them), the state at the horizon and the paired run-rate difference.
  for (std::size_t k = 0; k < cost::part_count; ++k)
    s += fmt::format(",cost_{}_mean", cost::part_names[k]);
  for (const auto& cp : sc.base.goal.checkpoints)
    s += "," + csv_field(spreadsheet_safe("p_" + cp.label)) + "," +
         csv_field(spreadsheet_safe("p_" + cp.label + "_se"));
  s += ",exit_run_rate_mean,exit_run_rate_se,open_pipeline_value_mean,open_pipeline_value_se,"
       "ramped_headcount_mean,ramped_headcount_se,exit_run_rate_diff_vs_first,"
       "exit_run_rate_diff_se\n";
  auto f = [](std::optional<double> v) {
    return v && std::isfinite(*v) ? fmt::format("{:.10g}", *v) : std::string();
  };
  auto e = f;  // a standard error that does not exist (one path) is an empty cell, as any NaN
  // Names are text cells: one that a spreadsheet would read as a formula gets a leading quote.
  auto quote = [](const std::string& x) {
    std::string q = "\"";
    for (char c : spreadsheet_safe(x)) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  for (std::size_t i = 0; i < res.plans.size(); ++i) {
    const PlanResult& r = res.plans[i];
    const Comparison* c = i > 0 ? &res.comparisons[i - 1] : nullptr;
    s += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", quote(sc.name),
        quote(r.name), res.paths, f(r.goal ? std::optional(r.goal->mean) : std::nullopt),
        e(r.goal ? std::optional(r.goal->se) : std::nullopt),
        f(r.all_checkpoints ? std::optional(r.all_checkpoints->mean) : std::nullopt),
        f(r.final_bookings.mean), e(r.final_bookings.se), f(r.final_q[1]), f(r.final_q[3]),
        f(r.final_q[5]), f(r.cost.mean), f(r.profit.mean), f(r.burnout_final.mean),
        f(r.burnt_out_final.mean), f(r.leavers.mean), f(r.headcount_final.mean),
        f(c ? std::optional(c->bookings_diff.mean) : std::nullopt),
        e(c ? std::optional(c->bookings_diff.se) : std::nullopt),
        f(c ? std::optional(c->p_better) : std::nullopt),
        f(c ? std::optional(c->cost_diff.mean) : std::nullopt), f(c ? c->roi : std::nullopt));
    s.pop_back();  // the added columns continue the row
    const PlanDetail& d = r.detail;
    for (const Figure& part : d.cost_parts) s += "," + f(part.est.mean);
    for (const auto& cp : r.checkpoints) s += "," + f(cp.met.mean) + "," + e(cp.met.se);
    for (const Figure* x : {&d.exit_run_rate, &d.open_pipeline_value, &d.ramped_headcount})
      s += "," + f(x->est.mean) + "," + e(x->est.se);
    s += "," + f(c ? std::optional(c->detail.exit_run_rate.mean) : std::nullopt) + "," +
         e(c ? std::optional(c->detail.exit_run_rate.se) : std::nullopt) + "\n";
  }
  return s;
}

}  // namespace salesim::tools
