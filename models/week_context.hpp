#pragma once
// What every mechanism of the weekly step sees: the plan's model, the path's state, the
// thread's scratch, and the parameters in force this week.
#include "models/path_state.hpp"
#include "models/plan_model.hpp"

namespace salesim {

struct WeekContext {
  const PlanModel& model;
  PathState& st;
  PathScratch& scratch;
  const Params& P;
  // The market values in force this week: a plan's `market.*` set in week t takes effect from
  // week t + 1 (MODEL.md 3.2), so in its from_week these are still the file's.
  const MarketParams& market;
  const Derived& D;
  int t;
  double effort;  // e of MODEL.md 3.4.2: the same for every rep in a week
  sim::Stream stream(Process p, int entity) const { return model.stream(st.path, p, entity, t); }
};

}  // namespace salesim
