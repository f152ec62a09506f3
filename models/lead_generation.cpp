#include "models/lead_generation.hpp"

namespace salesim {

void generate_leads(WeekContext& cx, int r, double P, double y, int n_active) {
  const double M = cx.st.M;
  const double prospected_rate = M * P * y * (1 + cx.P.prospecting.icp_lift * cx.st.a);
  const double inbound_rate =
      M * cx.P.market.lead_quality * cx.P.market.inbound_leads_per_week / double(n_active);
  std::int64_t created = 0;
  if (prospected_rate > 0)
    created += sim::poisson_inv(prospected_rate, cx.stream(Process::prospecting, r).uniform_at(0));
  if (inbound_rate > 0)
    created += sim::poisson_inv(inbound_rate, cx.stream(Process::inbound, r).uniform_at(0));
  cx.st.reps.n(r)[0] += created;
  cx.st.tally.created += created;
}

}  // namespace salesim
