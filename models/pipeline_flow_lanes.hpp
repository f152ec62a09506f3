#pragma once
// Step 7's counts (stage_flows, models/pipeline_flow.hpp) for up to four reps at once, a rep
// per AVX2 lane and a stage at a time: the same bits as stage_flows for each rep
// (sim/binomial_lanes.hpp does the draws the scalar way, lane by lane). The weekly step groups
// consecutive reps when none of them but the last hands over (models/week.cpp), so this changes
// how fast a week runs, never what it gives. docs/performance.md, "The flows and new opportunities
// in lanes".
#include <cstdint>
#include <memory>

#include "models/pipeline_flow.hpp"
#include "models/rep_week.hpp"

namespace salesim {

struct Derived;

// The most stages the lanes run: step 7's exits, advances and stale slots (3k .. 3k + 2) must
// all lie in the rep-week's eagerly computed slots.
inline constexpr int kLaneStages = rep_week::Draws::eager_slots / 3;

class FlowLanes;  // the tables of every stage in the lanes' layout

// Null where the lanes cannot run: a CPU without AVX2, or a funnel whose step-7 draws do not
// all lie in the rep-week's first sixteen slots (more than five stages).
std::shared_ptr<const FlowLanes> make_flow_lanes(const Derived& D);

// One rep's inputs to stage_flows: its counts (updated in place), worked, conversions, and its
// week's eagerly computed draws (rep_week::Draws::words()).
struct RepFlows {
  std::int64_t* n;
  const std::int64_t* worked;
  const double* p;
  const std::uint64_t* words;
};

// stage_flows for `count` reps (1 to 4): out[i] is what stage_flows gives reps[i].
void stage_flows4(const FlowLanes& lanes, const Derived& D, int K, const RepFlows* reps, int count,
                  Flowed* out);

// On by default; off gives the one-rep-at-a-time step (the reference the lanes are tested
// against). SALESIM_NO_LANES=1 in the environment switches it off for a whole process.
void set_flow_lanes(bool on);
bool flow_lanes_enabled();

}  // namespace salesim
