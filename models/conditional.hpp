#pragma once
// After a missed quarter (salesim run --conditional): the goal given each checkpoint met or
// missed, each later checkpoint given an earlier one missed, the share of paths that missed a
// checkpoint and still reached the goal, and the expected shortfall given a miss.
//
// Each figure is a mean over per-path values that are NaN where the condition fails, so the same
// arithmetic serves stored columns and streaming accumulators (both skip NaN): the mean is the
// conditional mean and the count of the rest is the number of paths it rests on.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "sim/stats.hpp"

namespace salesim {

// Fewer paths than this in a condition give no figure: a share of 3 in 10 paths is not news.
inline constexpr std::size_t kMinConditionalPaths = 30;

// The per-path values, per checkpoint c in order: the goal met given c met, the goal met given
// c missed, c missed and the goal met (a 0/1 share of every path), the shortfall given c missed,
// then each later checkpoint met given c missed.
class ConditionalLayout {
 public:
  enum Field : std::size_t {
    goal_if_met,
    goal_if_missed,
    missed_and_goal,
    shortfall_if_missed,
    first_later
  };
  explicit ConditionalLayout(std::size_t checkpoints);
  std::size_t count() const { return count_; }
  std::size_t at(std::size_t c, std::size_t field) const { return start_[c] + field; }
  std::size_t later(std::size_t c, std::size_t c2) const { return at(c, first_later + c2 - c - 1); }

 private:
  std::size_t count_ = 0;
  std::vector<std::size_t> start_;
};

// One path's values from its per-path scalars (out::Scalar) into v[layout.count()].
void conditional_values(const Scenario& sc, const double* scalars, double* v);

struct LaterCheckpoint {
  std::string checkpoint;
  std::optional<sim::MeanSe> p;  // P(this one met | the earlier one missed)
};

struct ConditionalFigure {
  std::string given, checkpoint;  // "Q1 missed", "Q1"
  bool met = false;
  std::size_t paths = 0;              // paths in the condition
  std::optional<sim::MeanSe> p_goal;  // none without a goal or with too few paths
  std::optional<sim::MeanSe>
      reached_anyway;                    // missed: share of all paths that missed and got there
  std::optional<sim::MeanSe> shortfall;  // missed: expected shortfall below the goal
  std::vector<LaterCheckpoint> later;    // missed: each later checkpoint given this miss
};

// From the mean and standard error over paths of each per-path value (`values`, in layout order,
// NaN skipped) and the plan's probability of meeting each checkpoint (to count each side).
std::vector<ConditionalFigure> conditional_figures(const Scenario& sc,
                                                   const std::vector<sim::MeanSe>& p_met,
                                                   const std::vector<sim::MeanSe>& values);

}  // namespace salesim
