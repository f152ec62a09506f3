#include "models/plan_model.hpp"

#include <cmath>

#include "models/pipeline_flow_lanes.hpp"

namespace salesim {
namespace {
// Open opportunities per stage and rep are mostly a few to a few dozen; larger counts fall
// back to the direct sampler.
constexpr int kTabulatedCount = 64;
}  // namespace

Derived::Derived(const Params& p, bool with_lanes)
    : deal(sim::Lognormal::from_mean_cv(p.pipeline.deal_mean, p.pipeline.deal_cv)),
      weekly_hazard(1.0 - std::pow(1.0 - p.people.attrition_annual, 1.0 / 52.0)) {
  for (const Stage& s : p.pipeline.stages) {
    exits.emplace_back(s.exit_rate, kTabulatedCount);
    stale.emplace_back(s.stale_loss, kTabulatedCount);
  }
  for (const Segment& g : p.segments.segments)
    segment_deals.push_back(sim::Lognormal::from_mean_cv(g.deal_mean.value_or(p.pipeline.deal_mean),
                                                         g.deal_cv.value_or(p.pipeline.deal_cv)));
  if (with_lanes) lanes = make_flow_lanes(*this);
}

PlanModel::PlanModel(const Scenario& sc, const PlanSpec& p, const Params& base_params)
    : scenario(sc),
      plan(p),
      base(base_params),
      base_derived(base_params),
      plan_derived(p.params),
      horizon(sc.horizon()),
      J(int(sc.skills.size())),
      K(int(base_params.pipeline.stages.size())),
      A(1 + K),
      commission_baseline(base_params.compensation.commission_rate),
      recurring(sc.base.revenue.model == "recurring"),
      calendar(week_calendar(sc.base, sc.horizon())) {
  // A skill named by a stage or by prospecting without an entry uses {0.4, 0.15}.
  skill_dist.assign(J, sim::BetaMeanSd{0.4, 0.15});
  for (const auto& [name, b] : base_params.team.skills)
    for (int j = 0; j < J; ++j)
      if (sc.skills[j] == name) skill_dist[j] = sim::BetaMeanSd{b.mean, b.sd};
}

}  // namespace salesim
