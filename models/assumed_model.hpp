#pragma once
// A plan's model on one path of a scenario with uncertain assumptions (docs/model.md 12.4): the
// baseline and the plan's parameters with that path's draws written in, and the values derived
// from them (recomputed only where an assumption reaches them). One per thread and plan, reused
// from path to path; scenarios without assumptions never build one and keep the shared
// PlanModel.
#include <memory>
#include <optional>
#include <vector>

#include "models/assumptions.hpp"
#include "models/path_state.hpp"
#include "models/plan_model.hpp"

namespace salesim {

class AssumedModel {
 public:
  AssumedModel(const Scenario& sc, const PlanSpec& plan);
  AssumedModel(const AssumedModel&) = delete;  // the targets point into the members
  AssumedModel& operator=(const AssumedModel&) = delete;
  // The model with path `path`'s values (valid until the next call).
  const PlanModel& at_path(std::uint64_t path);

 private:
  // Recomputes what the assumptions reach of the values derived from `p` (Derived's
  // constructor, part by part: the same operations, so the same bits).
  void refresh(Derived& d, const Params& p) const;
  bool deal_ = false, hazard_ = false, tables_ = false, skills_ = false;
  const Scenario& sc_;
  Params base_;
  PlanSpec plan_;
  AssumptionTargets targets_;
  std::vector<double> values_;
  std::optional<PlanModel> model_;
};

// The runner's scratch for one plan with assumptions: the path's state and the plan's model.
struct AssumedScratch : PathScratch {
  std::unique_ptr<AssumedModel> model;
};

}  // namespace salesim
