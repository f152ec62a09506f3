#include "models/all_plans.hpp"

namespace salesim {

std::vector<std::unique_ptr<PlanModel>> plan_models(const Scenario& sc,
                                                    const std::vector<const PlanSpec*>& plans) {
  std::vector<std::unique_ptr<PlanModel>> models;
  for (const PlanSpec* p : plans) models.push_back(std::make_unique<PlanModel>(sc, *p));
  return models;
}

AllPlansScratch::AllPlansScratch(const Scenario& sc, const std::vector<const PlanSpec*>& specs)
    : plans(specs.size()) {
  if (!sc.assumptions.empty())
    for (const PlanSpec* p : specs) assumed.push_back(std::make_unique<AssumedModel>(sc, *p));
  // One plan alone has nobody to share with: keeping its draws would only cost.
  if (plans.size() > 1)
    for (PathScratch& p : plans) p.shared = &shared;
}

const PlanModel& AllPlansScratch::model(const std::vector<std::unique_ptr<PlanModel>>& models,
                                        std::size_t p, std::uint64_t path) {
  return assumed.empty() ? *models[p] : assumed[p]->at_path(path);
}

}  // namespace salesim
