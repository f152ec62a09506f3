#include "models/pipeline_flow.hpp"

namespace salesim {

void pipeline_flows(WeekContext& cx, int r, const double* p, const std::int64_t* worked) {
  Reps& R = cx.st.reps;
  const auto& stages = cx.P.pipeline.stages;
  const int K = R.K;
  std::int64_t* n = R.n(r);
  std::int64_t* advancing = cx.scratch.advancing.data();
  sim::Stream s = cx.stream(Process::pipeline, r);  // slots 3k, 3k+1, 3k+2 of stage k
  WeekTally& tally = cx.st.tally;

  for (int k = K - 1; k >= 0; --k) {
    const Stage& stage = stages[k];
    const std::int64_t E =
        worked[k] > 0 ? sim::binomial_inv(worked[k], stage.exit_rate, s.uniform_at(3 * k)) : 0;
    const std::int64_t V = E > 0 ? sim::binomial_inv(E, p[k], s.uniform_at(3 * k + 1)) : 0;
    const std::int64_t idle = n[k] - worked[k];
    const std::int64_t S =
        idle > 0 ? sim::binomial_inv(idle, stage.stale_loss, s.uniform_at(3 * k + 2)) : 0;
    n[k] -= E + S;
    tally.lost += E - V + S;
    advancing[k] = V;
  }
  for (int k = 0; k + 1 < K; ++k) n[k + 1] += advancing[k];

  const std::int64_t won = advancing[K - 1];
  if (won == 0) return;
  tally.won += won;
  sim::Stream deals = cx.stream(Process::deal_sizes, r);
  double booked = 0;
  for (std::int64_t i = 0; i < won; ++i) booked += cx.D.deal.draw(deals.next_uniform());
  tally.bookings += booked;
}

}  // namespace salesim
