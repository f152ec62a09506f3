#include "models/assumed_model.hpp"

namespace salesim {

AssumedModel::AssumedModel(const Scenario& sc, const PlanSpec& plan)
    : sc_(sc),
      base_(sc.base),
      plan_(plan),
      targets_(sc, base_, plan_),
      values_(sc.assumptions.size()) {}

const PlanModel& AssumedModel::at_path(std::uint64_t path) {
  draw_assumptions(sc_, path, values_.data());
  targets_.apply(values_.data());
  model_.reset();
  model_.emplace(sc_, plan_, base_);  // Derived (deal sizes, binomial tables) from these values
  return *model_;
}

}  // namespace salesim
