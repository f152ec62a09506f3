#pragma once
// One path of one plan: the starting state and the weekly step of MODEL.md section 3.
#include "models/path_state.hpp"
#include "models/plan_model.hpp"
#include "sim/runner.hpp"

namespace salesim {

// Sets the state of path `path` at the start of week 0 (MODEL.md section 2).
void init_path(const PlanModel& model, PathScratch& scratch, std::uint64_t path);
// Week t, in MODEL.md's order (3.1 to 3.6); the week's tallies are left in st.tally.
void step_week(const PlanModel& model, PathScratch& scratch, int t);
// Runs a whole path and writes its slots (the runner's path function).
void run_path(const PlanModel& model, PathScratch& scratch, std::uint64_t path,
              sim::PathSlots& out);

}  // namespace salesim
