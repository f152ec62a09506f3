#include "models/funnel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>

#include "models/pipeline_graph.hpp"

namespace salesim {

namespace {
double conversion_at(const Stage& s, double sigma) {
  return s.conversion.floor + sigma * (s.conversion.top - s.conversion.floor);
}

// A bound and the value found beside it, with the digits that tell them apart ("at most
// 0.22495, found 0.225", not "at most 0.225, found 0.225").
struct Apart {
  std::string bound, found;
  int digits;
};
Apart apart(double bound, double found) {
  for (int digits = 4;; ++digits) {
    const std::string b = fmt::format("{:.{}g}", bound, digits),
                      f = fmt::format("{:.{}g}", found, digits);
    if (b != f || digits >= 17) return {b, f, digits};
  }
}
}  // namespace

std::vector<FunnelProblem> solve_funnel(const FunnelSpec& spec,
                                        const std::vector<StageGiven>& given,
                                        const std::vector<double>& sigma,
                                        PipelineParams& pipeline) {
  std::vector<FunnelProblem> out;
  auto& stages = pipeline.stages;
  const int K = int(stages.size());
  if (!(spec.win_rate > 0 && spec.win_rate < 1))
    out.push_back({"win_rate", fmt::format("expected a number strictly between 0 and 1 (a funnel "
                                           "that never or always wins has no rates to solve), "
                                           "found {:g}",
                                           spec.win_rate)});
  if (!(spec.weeks_to_close >= K))
    out.push_back(
        {"weeks_to_close",
         fmt::format("expected at least {} week{} for {} stage{}, found {:g} (an opportunity "
                     "spends at least one week in each stage)",
                     K, K == 1 ? "" : "s", K, K == 1 ? "" : "s", spec.weeks_to_close)});
  if (!out.empty()) return out;

  // Conversion: the stated stages' conversions are kept; the others share what is left of the
  // win rate equally, c = (win_rate / product of the stated ones)^(1/free).
  double fixed_win = 1;
  int free_conv = 0;
  int never_converts = -1;  // a stated stage whose conversion is 0 at the starting skill
  for (int k = 0; k < K; ++k)
    if (!given[k].conversion)
      ++free_conv;
    else if (const double ck = conversion_at(stages[k], sigma[k]); ck > 0)
      fixed_win *= ck;
    else if (never_converts < 0)
      never_converts = k;
  // A win rate the stated conversions reach exactly (the others converting every exit) is
  // solvable; the tolerance absorbs the product's rounding.
  const bool reachable = spec.win_rate <= fixed_win * (1 + 1e-12);
  if (never_converts >= 0) {
    out.push_back({"win_rate",
                   fmt::format("stage '{}' states a conversion of 0 at the team's starting skill, "
                               "so no opportunity is ever won and no win rate can be reached",
                               stages[never_converts].name),
                   never_converts, "conversion"});
  } else if (free_conv == 0) {
    // Both funnel figures are required: the way out is a stage key left to the funnel.
    out.push_back({"win_rate",
                   "every stage states its conversion, so the win rate cannot be set: leave "
                   "conversion out of at least one stage (or write the stages without "
                   "pipeline.funnel)"});
  } else if (!reachable) {
    const Apart a = apart(fixed_win, spec.win_rate);
    out.push_back(
        {"win_rate",
         fmt::format("expected a win rate of at most {}, what the stages' stated conversions "
                     "allow at the team's starting skill, found {}",
                     a.bound, a.found)});
  } else {
    const double c = std::min(1.0, std::pow(spec.win_rate / fixed_win, 1.0 / free_conv));
    for (int k = 0; k < K; ++k) {
      if (given[k].conversion) continue;
      // Skill slope: a skill-1 rep converts (1 + skill_lift) times what a skill-0 rep does (0.8
      // is the default stage's 0.45 / 0.25), capped at top = 1 for a conversion near 1.
      const double s = sigma[k], lift = spec.skill_lift;
      double floor = c / (1 + lift * s), top = floor * (1 + lift);
      if (top > 1) top = 1, floor = (c - s) / (1 - s);
      stages[k].conversion = {std::max(0.0, floor), std::min(1.0, top)};
    }
  }

  // Exit rates: the weeks to a win are the sum of the stages' mean stays 1 / exit_rate (a won
  // opportunity passes every stage; its time in a stage is geometric whatever the exit brings).
  double fixed_weeks = 0;
  int free_exit = 0;
  for (int k = 0; k < K; ++k)
    if (!given[k].exit_rate)
      ++free_exit;
    else if (stages[k].exit_rate > 0)
      fixed_weeks += 1 / stages[k].exit_rate;
    else
      out.push_back({"weeks_to_close",
                     fmt::format("stage '{}' states exit_rate 0, so no opportunity is ever won "
                                 "and no weeks to close can be reached",
                                 stages[k].name),
                     k, "exit_rate"});
  if (free_exit == 0) {
    out.push_back({"weeks_to_close",
                   "every stage states its exit_rate, so the weeks to close cannot be set: leave "
                   "exit_rate out of at least one stage (or write the stages without "
                   "pipeline.funnel)"});
  } else if (const double left = spec.weeks_to_close - fixed_weeks; !(left >= free_exit)) {
    const Apart a = apart(fixed_weeks + free_exit, spec.weeks_to_close);
    out.push_back(
        {"weeks_to_close",
         fmt::format("expected at least {} weeks: the stated exit rates take {:.{}g} weeks and "
                     "{} at least one, found {}",
                     a.bound, fixed_weeks, a.digits,
                     free_exit == 1 ? std::string("the other stage")
                                    : fmt::format("each of the other {} stages", free_exit),
                     a.found)});
  } else {
    // Equal weeks in every solved stage: exit_rate = free / weeks left.
    for (int k = 0; k < K; ++k)
      if (!given[k].exit_rate) stages[k].exit_rate = std::min(1.0, free_exit / left);
  }
  if (out.empty() && spec.deal_size) pipeline.deal_mean = *spec.deal_size;
  return out;
}

ImpliedFigures implied_figures(const PipelineParams& pipeline, const std::vector<double>& sigma) {
  const ChainFigures f = absorbing_chain(worked_transitions(pipeline, sigma));
  ImpliedFigures out;
  const Eigen::VectorXd& b = f.win_probability;
  out.win_rate = b[0];
  out.weeks_to_resolution = f.expected_weeks[0];
  // E[T 1{won}] from stage i is sum_j N_ij b_j (each week spent in j counts when the opportunity
  // goes on to win from j), so E[T | won] = (N b)_0 / b_0.
  out.weeks_to_win = b[0] > 0 ? (f.N * b)[0] / b[0] : std::nan("");
  out.bookings_per_opportunity = b[0] * pipeline.deal_mean;
  return out;
}

std::string funnel_key_instead(const std::string& key, const PipelineParams& pipeline) {
  const std::string stage = pipeline.stages.empty() ? "<name>" : pipeline.stages.back().name;
  const std::string field = key.substr(key.rfind('.') + 1);
  const std::set<std::string> figures = {"win_rate", "weeks_to_close", "deal_size", "skill_lift"};
  if (key != "pipeline.funnel." + field || !figures.count(field)) return "";
  if (field == "weeks_to_close")
    return fmt::format(
        "a stage's exit rate instead (the weeks to close are the sum of 1 / exit_rate), e.g. "
        "pipeline.stages.{}.exit_rate",
        stage);
  if (field == "deal_size") return "pipeline.deal_size.mean instead";
  return fmt::format(
      "a stage's conversion instead (the win rate is the product of the stages' conversions), "
      "e.g. pipeline.stages.{}.conversion.top",
      stage);
}

std::vector<double> starting_sigma(const Params& p, const std::vector<std::string>& skills) {
  std::vector<double> mean(skills.size(), 0.4);
  for (const auto& [name, b] : p.team.skills)
    for (std::size_t j = 0; j < skills.size(); ++j)
      if (skills[j] == name) mean[j] = b.mean;
  const double ramp =
      p.people.ramp_weeks == 0
          ? 1.0
          : std::min(1.0, double(p.team.tenure_weeks + 1) / double(p.people.ramp_weeks));
  std::vector<double> out;
  for (const Stage& s : p.pipeline.stages) out.push_back(ramp * mean[std::size_t(s.skill_index)]);
  return out;
}

}  // namespace salesim
