#pragma once
// What one plan's paths need, resolved once before the run: the scenario, the plan, the
// parameters in force before and after the plan's from_week, and values derived from them.
#include <cstdint>
#include <memory>
#include <vector>

#include "models/calendar.hpp"
#include "models/scenario.hpp"
#include "sim/random.hpp"
#include "sim/samplers.hpp"

namespace salesim {

// The processes of MODEL.md section 5: the first part of every draw's address.
enum class Process : std::uint32_t {
  demand = 0,
  team = 1,
  hires = 2,
  rep_week = 3,  // a rep's week: pipeline, new opportunities, attrition, deal sizes (rep_week.hpp)
  // 4 to 7 were the streams of deal sizes, prospecting, inbound and attrition before they joined
  // rep_week; their numbers are not reused.
  handover = 8,
  assumptions = 9,  // the path's draw of each uncertain assumption (models/assumptions.hpp)
  recurring = 10,   // contracts: renewal draws and the starting base's ACVs (recurring.hpp)
  calendar = 11,    // calendars (calendar.hpp)
  segments = 12,    // docs/model.md 12.7: reserved; segments draw nothing of their own (section 10)
};

class FlowLanes;

// Values computed once from a parameter set.
struct Derived {
  sim::Lognormal deal;
  double weekly_hazard = 0;  // h0 = 1 - (1 - attrition_annual)^(1/52)
  // Per stage: the binomials whose probability is a parameter (exits and stale losses),
  // tabulated for the counts a rep usually holds.
  std::vector<sim::BinomialTable> exits, stale;
  std::vector<sim::Lognormal> segment_deals;  // per segment (12.7); empty without segments
  // The same tables laid out for four reps' flows at once (models/pipeline_flow_lanes.hpp);
  // null where the lanes cannot run or were not asked for.
  std::shared_ptr<const FlowLanes> lanes;
  // with_lanes false: no lanes (a per-path refresh of the tables, where building them would
  // cost more than they save).
  explicit Derived(const Params& p, bool with_lanes = true);
};

struct PlanModel {
  const Scenario& scenario;
  const PlanSpec& plan;
  const Params& base;
  Derived base_derived, plan_derived;
  int horizon, J, K, A;
  std::vector<sim::BetaMeanSd> skill_dist;  // starting team, per skill index
  double commission_baseline;
  bool recurring = false;  // revenue.model: recurring (docs/model.md 12.5)
  WeekCalendar calendar;   // hours and seasonality per week (docs/model.md 12.6); empty: none

  PlanModel(const Scenario& sc, const PlanSpec& p) : PlanModel(sc, p, sc.base) {}
  // With another baseline than the scenario's: one path's values of the uncertain assumptions
  // (models/assumed_model.hpp); `p` then carries the same values where it does not set the key.
  PlanModel(const Scenario& sc, const PlanSpec& p, const Params& base_params);

  const Params& params(bool plan_in_force) const { return plan_in_force ? plan.params : base; }
  const Derived& derived(bool plan_in_force) const {
    return plan_in_force ? plan_derived : base_derived;
  }
  sim::Address address(std::uint64_t path, Process p, int entity, int week) const {
    return sim::Address{scenario.base.simulation.seed, path, std::uint32_t(p),
                        std::uint32_t(entity), std::uint32_t(week)};
  }
  sim::Stream stream(std::uint64_t path, Process p, int entity, int week) const {
    return sim::Stream(address(path, p, entity, week));
  }
};

}  // namespace salesim
