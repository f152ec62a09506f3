#include "models/lead_generation.hpp"

#include "models/rep_week.hpp"
#include "models/segments.hpp"
#include "sim/poisson_lanes.hpp"

namespace salesim {

double lead_rate(const WeekContext& cx, int r, double P, double y, int n_active) {
  const double M = cx.st.M;
  double prospected_rate = M * P * y * (1 + cx.P.prospecting.icp_lift * cx.st.a);
  double inbound_rate =
      M * cx.market.lead_quality * cx.market.inbound_leads_per_week / double(n_active);
  if (cx.st.territory.segments) segment_lead_rates(cx, r, prospected_rate, inbound_rate);  // 12.7
  return prospected_rate + inbound_rate;
}

std::int64_t draw_leads(double rate, int stages, rep_week::Draws& draws) {
  if (!(rate > 0)) return 0;
  return sim::poisson_inv(rate, draws.uniform32_at(rep_week::new_opportunities(stages)));
}

void draw_leads4(const double* rate, rep_week::Draws* const* draws, int stages, int count,
                 std::int64_t* created) {
  double mean[4] = {1, 1, 1, 1}, u[4] = {0.5, 0.5, 0.5, 0.5};  // lanes without a draw
  for (int i = 0; i < count; ++i)
    if (rate[i] > 0)
      mean[i] = rate[i], u[i] = draws[i]->uniform32_at(rep_week::new_opportunities(stages));
  sim::lanes::poisson_inv4(mean, u, created);
  for (int i = 0; i < count; ++i)
    if (!(rate[i] > 0)) created[i] = 0;
}

}  // namespace salesim
