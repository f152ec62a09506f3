#pragma once
// Steps 1-4 of MODEL.md 3.4 (ramp, effort, the hours input, effective skills, each stage's
// conversion and the prospecting yield) for every active rep of a week, before the rep loop.
// They read only the rep's own state (burnout, tenure, skills, training hours) and values
// fixed for the week (coaching per team, alignment, awareness), which no other rep's step
// changes: the hand-over of 3.4.12 only moves open opportunities. Two reps at a time in the two
// lanes of an SSE2 register; each value comes from the same operations in the same order as
// the per-rep functions (training.hpp, burnout.hpp), so it has the same bits.
#include <cstddef>
#include <vector>

namespace salesim {

struct WeekContext;

struct RepPrepass {
  // Per rep, by position i in the week's active list: rho, H, F, y, then the K stages'
  // conversion probabilities (so a rep's row is one contiguous read, and its p[] is a pointer).
  enum Field { rho = 0, H = 1, F = 2, y = 3, p = 4 };
  int n = 0, K = 0, stride = 0;
  double e = 1;  // effort of 3.4.2 with the calendar's share: the same for every rep
  std::vector<double> rows;

  const double* row(int i) const { return &rows[std::size_t(i) * stride]; }
};

// True when steps 1-4 may be computed ahead: the territory extensions (docs/model.md 12.7-12.8)
// change a rep's effort and conversions in its own step, so with them on each rep computes its
// own as before.
bool prepass_applies(const WeekContext& cx);

// Fills `out` for every rep of cx.st.active_list (after hires, training hours and coaching).
void rep_prepass(const WeekContext& cx, RepPrepass& out);

}  // namespace salesim
