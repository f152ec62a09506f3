#pragma once
// Every plan of a run on one path, one after another on the same thread (salesim run, stored
// and streamed). Plans share their draws (common random numbers), so what they draw alike is
// drawn once per path (models/shared_draws.hpp) and each plan reads it: the same bits as plans
// run one by one, for less work.
#include <cstdint>
#include <memory>
#include <vector>

#include "models/assumed_model.hpp"
#include "models/path_state.hpp"
#include "models/plan_model.hpp"
#include "sim/runner.hpp"

namespace salesim {

// The plans' models, resolved once before the run.
std::vector<std::unique_ptr<PlanModel>> plan_models(const Scenario& sc,
                                                    const std::vector<const PlanSpec*>& plans);

// One thread's scratch for every plan: a PathScratch per plan (its buffers stay warm), each
// plan's model on the current path when the scenario has uncertain assumptions, and the draws
// the plans share.
struct AllPlansScratch : sim::Scratch {
  AllPlansScratch(const Scenario& sc, const std::vector<const PlanSpec*>& plans);
  AllPlansScratch(const AllPlansScratch&) = delete;  // the plans' scratch points at `shared`
  AllPlansScratch& operator=(const AllPlansScratch&) = delete;

  // Plan p's model on `path`: the shared one, or with that path's values of the assumptions.
  const PlanModel& model(const std::vector<std::unique_ptr<PlanModel>>& models, std::size_t p,
                         std::uint64_t path);

  std::vector<PathScratch> plans;
  std::vector<std::unique_ptr<AssumedModel>> assumed;  // docs/model.md 12.4; empty without
  SharedDraws shared;
};

}  // namespace salesim
