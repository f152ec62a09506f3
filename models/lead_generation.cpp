#include "models/lead_generation.hpp"

#include "models/rep_week.hpp"
#include "models/segments.hpp"

namespace salesim {

void generate_leads(WeekContext& cx, int r, double P, double y, int n_active,
                    rep_week::Draws& draws) {
  const double M = cx.st.M;
  double prospected_rate = M * P * y * (1 + cx.P.prospecting.icp_lift * cx.st.a);
  double inbound_rate =
      M * cx.P.market.lead_quality * cx.P.market.inbound_leads_per_week / double(n_active);
  if (cx.st.territory.segments) segment_lead_rates(cx, r, prospected_rate, inbound_rate);  // 12.7
  // Prospected plus inbound: one Poisson with the sum of the means (rep_week.hpp).
  const double rate = prospected_rate + inbound_rate;
  if (!(rate > 0)) return;
  const std::int64_t created =
      sim::poisson_inv(rate, draws.uniform32_at(rep_week::new_opportunities(cx.st.reps.K)));
  cx.st.reps.n(r)[0] += created;
  cx.st.tally.created += created;
}

}  // namespace salesim
