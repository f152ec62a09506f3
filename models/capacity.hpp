#pragma once
// Capacity and the allocation of a rep's hours (MODEL.md 3.4.2, 3.4.3, 3.4.5).
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "models/params.hpp"

namespace salesim {

// e = max(0, 1 + effort_elasticity (rate / baseline - 1)); 1 when the baseline is 0. The rate is
// the commission in force, or a rep's marginal rate with its accelerators (12.8).
inline double effort_at_rate(const Params& P, double rate, double commission_baseline) {
  if (commission_baseline == 0) return 1.0;
  return std::max(0.0, 1 + P.compensation.effort_elasticity * (rate / commission_baseline - 1));
}
// The effort of the commission rate in force (MODEL.md 3.4.2).
double effort(const Params& P, double commission_baseline);

struct HoursInput {
  double H = 0;  // hours cap
  double F = 0;  // fixed hours (admin, training, coaching, programs)
  double e = 1;  // effort
  double pref_prospecting = 0;
  double awareness = 0;
};

// Splits A = max(0, H - F) between prospecting and the stages; fills worked[k] and returns the
// prospecting hours P. Inline: it runs every rep-week.
inline double allocate_hours(const Params& P, const HoursInput& in, const std::int64_t* open,
                             std::int64_t* worked) {
  const auto& stages = P.pipeline.stages;
  const int K = int(stages.size());
  const ProspectingParams& pr = P.prospecting;
  double remaining = std::max(0.0, in.H - in.F);

  // Prospecting demand P*: the slack, a mandatory target, or a target that is a floor on the
  // slack (MODEL.md 3.4.5).
  auto slack = [&] {
    double pipeline_hours = 0;
    for (int k = 0; k < K; ++k) pipeline_hours += double(open[k]) * stages[k].hours;
    return std::max(0.0, P.capacity.sustainable_hours * in.e - in.F - pipeline_hours);
  };
  double demand;
  if (!pr.target_hours)
    demand = slack();
  else if (pr.mandatory)
    demand = *pr.target_hours * (1 - pr.avoidance * (1 - in.pref_prospecting) * (1 - in.awareness));
  else
    demand = std::max(slack(), *pr.target_hours);

  double prospecting = 0;
  if (pr.mandatory) {
    prospecting = std::min(demand, remaining);
    remaining -= prospecting;
  }
  for (int k = K - 1; k >= 0; --k) {  // stages from the last to the first
    const double h = stages[k].hours;
    if (h == 0) {
      worked[k] = open[k];
      continue;
    }
    // All of the stage fits (the usual case) without the division.
    worked[k] = double(open[k]) * h <= remaining
                    ? open[k]
                    : std::min<std::int64_t>(open[k], std::int64_t(std::floor(remaining / h)));
    remaining -= double(worked[k]) * h;
  }
  if (!pr.mandatory) prospecting = std::min(demand, std::max(0.0, remaining));
  return prospecting;
}

}  // namespace salesim
