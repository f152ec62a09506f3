#pragma once
// Goal-seek: the smallest (or largest) lever value in [lo, hi] at which a figure reaches its
// target. A coarse scan of the interval finds where the target is first (last) reached, then
// bisection narrows that bracket to one step (a whole number, or the tolerance). The probe is
// expected to use common random numbers, so the figure moves only with the lever and the
// bisection is deterministic; every point probed is kept for the monotonicity check.
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/plan_edit.hpp"
#include "sim/stats.hpp"
#include "tools/outcome.hpp"

namespace salesim::tools {

struct GoalSeekSettings {
  double lo = 0, hi = 1;
  bool integer = false;  // whole numbers only
  bool largest = false;  // the largest value that reaches the target (else the smallest)
  double tolerance = 0;  // bracket width to stop at (continuous levers); 0: (hi - lo) / 1000
  int scan = 5;          // points of the first scan, ends included
};

struct GoalSeekStep {
  double x = 0;
  sim::MeanSe y;
};

struct GoalSeekResult {
  bool reachable = false;
  double value = 0;      // the answer; when not reachable, where the best figure was reached
  sim::MeanSe achieved;  // the figure there
  std::optional<double> neighbour;  // the value one step beyond that does not reach the target
  double step = 0;                  // the resolution of the answer: 1, or the tolerance
  // How far the answer would move with the figure's noise: its standard error over the slope
  // near the answer (NaN without a bracket, unreachable or at an end, or with a flat one).
  double value_se = std::nan("");
  std::vector<GoalSeekStep> steps;  // every point probed, in order
  std::string monotone_note;        // empty when the probed figures are monotone in the lever
};

using Probe = std::function<sim::MeanSe(double)>;

GoalSeekResult goal_seek(const Probe& probe, const Condition& target, const GoalSeekSettings& s);

// The words goal-seek and optimize print for a leader; their JSON and CSV keep the raw numbers
// and the names as typed (p_goal>=0.9), which are contracts.
//
// A target or bound as the user wrote it: 14.5M, 8M, 250k, a probability as 90%; the exact
// number when the short form would round it (14.537M).
std::string amount_text(const Outcome& o, double v);
// P(goal), P(checkpoint Q2), P(all checkpoints); other figures by their names.
std::string figure_name(const Outcome& o);
// A figure as `salesim run` prints it: a probability as 90.1% with its standard error in
// points (90.1% ±0.7), others as outcome_text (14.500M (SE 28.4k)).
std::string figure_text(const Outcome& o, const sim::MeanSe& m);
// A difference of two figures (optimism, gain): probabilities in points (+0.2pt ±0.3).
std::string difference_text(const Outcome& o, const sim::MeanSe& d);
// A figure beside the target it is compared with: a probability with as many decimals (up to
// 3) as it takes not to read as the target when it is on the other side (89.95% is not 90.0%).
std::string figure_text(const Outcome& o, double v, const Condition& near);
// "P(goal) at least 90%", "cost at most 8M".
std::string condition_words(const Condition& c);
// Whether v is the key's own limit at that end (no hires, an efficacy of 1): an answer or an
// optimum there has nothing beyond it to widen the interval into.
bool at_key_limit(const Lever& lever, double v, bool upper);
// "0, the lowest value the key allows".
std::string key_limit_words(double v, bool upper);

}  // namespace salesim::tools
