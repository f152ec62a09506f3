#include "models/pipeline_flow.hpp"

#include "models/quota.hpp"
#include "models/rep_week.hpp"
#include "models/segments.hpp"

namespace salesim {

Flowed stage_flows(const Derived& D, int K, std::int64_t* n, const double* p,
                   const std::int64_t* worked, rep_week::Draws& draws, std::int64_t* E,
                   std::int64_t* S) {
  // The exits and the stale losses of every stage first: none depends on another stage's draws,
  // so these independent table look-ups overlap instead of waiting on each conversion.
  for (int k = 0; k < K; ++k) {
    E[k] = D.exits[k].draw(worked[k], draws.uniform32_at(rep_week::exits(k)));
    S[k] = D.stale[k].draw(n[k] - worked[k], draws.uniform32_at(rep_week::stale(k)));
  }
  // Then from the last stage to the first, so the opportunities that advance into stage k + 1
  // join it after its own flows: they are not worked again this week.
  Flowed f;
  for (int k = K - 1; k >= 0; --k) {
    const std::int64_t V =
        E[k] > 0 ? sim::binomial_inv(E[k], p[k], draws.uniform32_at(rep_week::advances(k))) : 0;
    n[k] -= E[k] + S[k];
    f.lost += E[k] - V + S[k];
    if (k + 1 < K)
      n[k + 1] += V;
    else
      f.won = V;
  }
  return f;
}

void book_wins(WeekContext& cx, int r, std::int64_t won, rep_week::Draws& draws) {
  WeekTally& tally = cx.st.tally;
  tally.won += won;
  const int K = cx.st.reps.K;
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

void hold_wins(WeekContext& cx, std::int64_t won, rep_week::Draws& draws) {
  HeldWins& held = cx.scratch.held_wins;
  cx.st.tally.won += won;
  held.per_rep.push_back(won);
  for (std::int64_t i = 0; i < won; ++i)
    held.u.push_back(draws.uniform32_at(rep_week::deal(cx.st.reps.K, i)));
}

void book_held_wins(WeekContext& cx) {
  HeldWins& held = cx.scratch.held_wins;
  held.size.resize(held.u.size());
  cx.D.deal.draw_many(held.u.data(), held.u.size(), held.size.data());
  const double* size = held.size.data();
  for (const std::int64_t won : held.per_rep) {
    double booked = 0;
    for (std::int64_t i = 0; i < won; ++i, ++size) {
      booked += *size;
      if (cx.model.recurring) cx.st.contracts.won_acv.push_back(*size);
    }
    cx.st.tally.bookings += booked;
  }
  held.clear();
}

}  // namespace salesim
