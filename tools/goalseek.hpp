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

}  // namespace salesim::tools
