#include "models/conditional.hpp"

#include <cmath>
#include <limits>

#include "models/outputs.hpp"

namespace salesim {

ConditionalLayout::ConditionalLayout(std::size_t checkpoints) {
  for (std::size_t c = 0; c < checkpoints; ++c) {
    start_.push_back(count_);
    count_ += first_later + (checkpoints - c - 1);
  }
}

void conditional_values(const Scenario& sc, const double* S, double* v) {
  // Written in ConditionalLayout's order with a running pointer: no layout object (and no
  // allocation) per path.
  const auto& cps = sc.base.goal.checkpoints;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto& revenue = sc.base.goal.revenue;
  const double goal = revenue ? S[out::goal_met] : nan;
  const double shortfall = revenue ? std::max(0.0, *revenue - S[out::goal_scalar(sc)]) : nan;
  for (std::size_t c = 0; c < cps.size(); ++c) {
    const bool met = S[out::first_checkpoint + c] == 1;
    *v++ = met ? goal : nan;                             // goal_if_met
    *v++ = met ? nan : goal;                             // goal_if_missed
    *v++ = revenue ? double(!met && goal == 1) : nan;    // missed_and_goal
    *v++ = met ? nan : shortfall;                        // shortfall_if_missed
    for (std::size_t c2 = c + 1; c2 < cps.size(); ++c2)  // later checkpoints
      *v++ = met ? nan : S[out::first_checkpoint + c2];
  }
}

namespace {

// A share over the paths that entered it, with the binomial standard error; none when too few.
std::optional<sim::MeanSe> share(const sim::MeanSe& m) {
  if (m.n < kMinConditionalPaths) return std::nullopt;
  sim::MeanSe r = m;
  r.se = std::sqrt(r.mean * (1 - r.mean) / double(r.n));
  return r;
}

std::optional<sim::MeanSe> mean(const sim::MeanSe& m) {
  if (m.n < kMinConditionalPaths) return std::nullopt;
  return m;
}

}  // namespace

std::vector<ConditionalFigure> conditional_figures(const Scenario& sc,
                                                   const std::vector<sim::MeanSe>& p_met,
                                                   const std::vector<sim::MeanSe>& values) {
  const auto& cps = sc.base.goal.checkpoints;
  const ConditionalLayout L(cps.size());
  std::vector<ConditionalFigure> out;
  for (std::size_t c = 0; c < cps.size(); ++c) {
    const auto met_paths = std::size_t(std::llround(p_met[c].mean * double(p_met[c].n)));
    const std::size_t missed_paths = p_met[c].n - met_paths;
    ConditionalFigure met;
    met.given = cps[c].label + " met", met.checkpoint = cps[c].label, met.met = true;
    met.paths = met_paths;
    met.p_goal = share(values[L.at(c, ConditionalLayout::goal_if_met)]);
    ConditionalFigure missed;
    missed.given = cps[c].label + " missed", missed.checkpoint = cps[c].label;
    missed.paths = missed_paths;
    missed.p_goal = share(values[L.at(c, ConditionalLayout::goal_if_missed)]);
    // A share of every path (it rests on all of them).
    missed.reached_anyway = share(values[L.at(c, ConditionalLayout::missed_and_goal)]);
    missed.shortfall = mean(values[L.at(c, ConditionalLayout::shortfall_if_missed)]);
    for (std::size_t c2 = c + 1; c2 < cps.size(); ++c2)
      missed.later.push_back({cps[c2].label, share(values[L.later(c, c2)])});
    out.push_back(std::move(met));
    out.push_back(std::move(missed));
  }
  return out;
}

}  // namespace salesim
