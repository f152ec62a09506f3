#include "models/assumed_model.hpp"

#include <cmath>

namespace salesim {
namespace {
bool ends_with(const std::string& s, const char* tail) {
  const std::string t(tail);
  return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}
}  // namespace

AssumedModel::AssumedModel(const Scenario& sc, const PlanSpec& plan)
    : sc_(sc),
      base_(sc.base),
      plan_(plan),
      targets_(sc, base_, plan_),
      values_(sc.assumptions.size()) {
  // Which of the values derived from the parameters (plan_model.hpp) the assumptions reach.
  for (const Assumption& a : sc.assumptions) {
    deal_ |= a.key.rfind("pipeline.deal_size.", 0) == 0;
    hazard_ |= a.key == "people.attrition_annual";
    tables_ |= a.key.rfind("pipeline.stages.", 0) == 0 &&
               (ends_with(a.key, ".exit_rate") || ends_with(a.key, ".stale_loss"));
    skills_ |= a.key.rfind("team.skills.", 0) == 0;
  }
  // The model points at base_ and plan_, so a path's values reach it as they are written.
  model_.emplace(sc_, plan_, base_);
}

void AssumedModel::refresh(Derived& d, const Params& p) const {
  if (deal_) {
    d.deal = sim::Lognormal::from_mean_cv(p.pipeline.deal_mean, p.pipeline.deal_cv);
    // A segment without a deal_size of its own draws from pipeline.deal_size (model.md 12.7),
    // as in Derived's constructor.
    const auto& segments = p.segments.segments;
    for (std::size_t s = 0; s < segments.size(); ++s)
      d.segment_deals[s] =
          sim::Lognormal::from_mean_cv(segments[s].deal_mean.value_or(p.pipeline.deal_mean),
                                       segments[s].deal_cv.value_or(p.pipeline.deal_cv));
  }
  if (hazard_) d.weekly_hazard = 1.0 - std::pow(1.0 - p.people.attrition_annual, 1.0 / 52.0);
  if (tables_) d = Derived(p, /*with_lanes=*/false);  // per path: the lanes' tables cost more
}

const PlanModel& AssumedModel::at_path(std::uint64_t path) {
  draw_assumptions(sc_, path, values_.data());
  targets_.apply(values_.data());
  PlanModel& m = *model_;
  refresh(m.base_derived, base_);
  refresh(m.plan_derived, plan_.params);
  m.commission_baseline = base_.compensation.commission_rate;
  if (skills_)
    for (const auto& [name, b] : base_.team.skills)
      for (int j = 0; j < m.J; ++j)
        if (sc_.skills[j] == name) m.skill_dist[j] = sim::BetaMeanSd{b.mean, b.sd};
  return m;
}

}  // namespace salesim
