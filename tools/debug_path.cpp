#include "tools/debug_path.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/outputs.hpp"
#include "tools/terminal.hpp"  // money, fixed

namespace salesim::tools {
namespace {

std::string outcome(const Scenario& sc, const PlanResult& r) {
  const auto scalar = [&](std::size_t s) { return r.run.scalar(0, s); };
  const double hires = scalar(out::hires), leavers = scalar(out::leavers);
  std::string s = fmt::format("final bookings {}, cost {}, {} hire{}, {} leaver{}",
                              money(scalar(out::final_bookings)), money(scalar(out::cost)), hires,
                              hires == 1 ? "" : "s", leavers, leavers == 1 ? "" : "s");
  if (r.recurring) s += ", final ARR " + money(r.recurring->arr_final.est.mean);
  if (sc.base.goal.revenue) {
    const double week = scalar(out::goal_week);
    s += scalar(out::goal_met) > 0 ? fmt::format("; the goal met, first reached in week {}", week)
         : std::isfinite(week) ? fmt::format("; the goal missed at its week {}, reached in week {}",
                                             sc.goal_week(), week)
                               : "; the goal missed, not reached within the horizon";
  }
  for (std::size_t c = 0; c < r.checkpoints.size(); ++c)
    s += fmt::format("; {} {}", r.checkpoints[c].label,
                     scalar(out::first_checkpoint + c) > 0 ? "met" : "missed");
  return s;
}

}  // namespace

std::string format_path_weeks(const Scenario& sc, const ScenarioResults& res, std::uint64_t path) {
  std::string s = fmt::format(
      "Path {} alone (seed {}): the same draws, and so the same figures, as path {} of any run "
      "of this file with this seed. Each week's figures at its end.\n",
      path, sc.base.simulation.seed, path);
  for (const PlanResult& r : res.plans) {
    if (r.run.paths != 1 || r.streamed) continue;
    const auto& m = r.weekly.means;
    const bool arr = r.recurring.has_value();
    s += fmt::format("\n{}:\n", r.name);
    s += fmt::format("{:>5}{:>6}{:>8}{:>9}{:>7}{:>6}{:>6}{:>7}{:>7}{:>10}{:>11}{:>9}{:>6}{:>8}{}\n",
                     "week", "reps", "hours", "burnout", "new", "won", "lost", "open", "burnt",
                     "bookings", "cumulative", "costs", "hires", "leavers",
                     arr ? "        ARR" : "");
    for (std::size_t w = 0; w < r.weekly.cum_mean.size(); ++w)
      s += fmt::format(
          "{:>5}{:>6}{:>8}{:>9}{:>7}{:>6}{:>6}{:>7}{:>7}{:>10}{:>11}{:>9}{:>6}{:>8}{}\n", w + 1,
          fixed(m[out::s_active][w], 0), fixed(m[out::s_hours_per_rep][w], 1),
          fixed(m[out::s_burnout_mean][w], 2), fixed(m[out::s_created][w], 0),
          fixed(m[out::s_won][w], 0), fixed(m[out::s_lost][w], 0),
          fixed(m[out::s_open_count][w], 0), fixed(m[out::s_burnt_out][w], 0),
          money(m[out::s_bookings][w]), money(r.weekly.cum_mean[w]), money(m[out::s_costs][w]),
          fixed(m[out::s_hires][w], 0), fixed(m[out::s_leavers][w], 0),
          arr ? fmt::format("{:>11}", money(r.recurring->arr_mean[w])) : "");
    s += "  " + outcome(sc, r) + "\n";
  }
  s += "\n(reps: active after the week's leavers; hours: worked per rep stepped; burnout: the "
       "reps' mean, 0-1; new: opportunities created; open: at the week's end; burnt: reps with "
       "burnout above 0.7)\n";
  return s;
}

}  // namespace salesim::tools
