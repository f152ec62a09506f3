#include "models/pipeline_flow.hpp"

#include "models/quota.hpp"
#include "models/rep_week.hpp"
#include "models/segments.hpp"

namespace salesim {

void pipeline_flows(WeekContext& cx, int r, const double* p, const std::int64_t* worked,
                    rep_week::Draws& draws) {
  Reps& R = cx.st.reps;
  const int K = R.K;
  std::int64_t* n = R.n(r);
  WeekTally& tally = cx.st.tally;

  // From the last stage to the first, so the opportunities that advance into stage k + 1 join
  // it after its own flows: they are not worked again this week.
  std::int64_t won = 0;
  for (int k = K - 1; k >= 0; --k) {
    const std::int64_t E =
        worked[k] > 0 ? cx.D.exits[k].draw(worked[k], draws.uniform32_at(rep_week::exits(k))) : 0;
    const std::int64_t V =
        E > 0 ? sim::binomial_inv(E, p[k], draws.uniform32_at(rep_week::advances(k))) : 0;
    const std::int64_t idle = n[k] - worked[k];
    const std::int64_t S =
        idle > 0 ? cx.D.stale[k].draw(idle, draws.uniform32_at(rep_week::stale(k))) : 0;
    n[k] -= E + S;
    tally.lost += E - V + S;
    // At once rather than in a second pass over a scratch array: the vectorised pass read the
    // counts just written one by one, a store-forwarding stall in every rep-week.
    if (k + 1 < K)
      n[k + 1] += V;
    else
      won = V;
  }
  if (won == 0) return;
  tally.won += won;
  double booked = 0;
  // With segments (docs/model.md 12.7) the same uniforms give the rep's segment's deal sizes.
  const sim::Lognormal& deal = cx.st.territory.segments ? segment_deal(cx, r) : cx.D.deal;
  for (std::int64_t i = 0; i < won; ++i) {
    const double size = deal.draw(draws.uniform32_at(rep_week::deal(K, i)));
    booked += size;
    if (cx.model.recurring) cx.st.contracts.won_acv.push_back(size);  // a new contract's ACV
  }
  tally.bookings += booked;
  TerritoryState& T = cx.st.territory;
  if (T.segments) T.books[T.seg[r]].bookings += booked;
  if (T.quota) credit_quota(cx, r, booked);
}

}  // namespace salesim
