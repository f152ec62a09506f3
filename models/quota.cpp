#include "models/quota.hpp"

#include <algorithm>

#include "models/capacity.hpp"

namespace salesim {
namespace {

double annual_quota(const Params& P, const TerritoryState& T, int r) {
  if (T.segments)
    if (const auto& q = P.segments.segments[T.seg[r]].quota_annual) return *q;
  return P.quota.annual.value_or(0.0);
}

void grow(PathState& st) {
  const std::size_t n = std::size_t(st.reps.count);
  st.territory.booked.resize(n, 0.0);
  st.territory.quota_weeks.resize(n, 0.0);
}

}  // namespace

void init_quota(PathState& st) {
  st.territory.booked.clear();
  st.territory.quota_weeks.clear();
  st.territory.accelerator_paid = 0;
  grow(st);
}

void quota_week_start(WeekContext& cx) { grow(cx.st); }

double rep_effort(const WeekContext& cx, int r) {
  const auto& tiers = cx.P.quota.accelerators;
  const double base = cx.model.commission_baseline;
  const TerritoryState& T = cx.st.territory;
  const double q = T.quota_to_date(r);
  if (tiers.empty() || !(base > 0) || !(q > 0)) return cx.effort;
  const double attainment = T.booked[r] / q;
  double rate = cx.P.compensation.commission_rate;
  for (const AcceleratorTier& t : tiers)
    if (attainment >= t.from) rate += t.rate;
  return effort_at_rate(cx.P, rate, base);
}

void accrue_quota(WeekContext& cx, int r, double rho) {
  cx.st.territory.quota_weeks[std::size_t(r)] += annual_quota(cx.P, cx.st.territory, r) * rho;
}

void credit_quota(WeekContext& cx, int r, double booked) {
  TerritoryState& T = cx.st.territory;
  const double before = T.booked[r], after = before + booked, q = T.quota_to_date(r);
  T.booked[r] = after;
  // Accelerators pay above a quota: a rep without one (a segment with no quota in a team
  // without one) is paid none, as its effort does not rise either (rep_effort).
  if (!(q > 0)) return;
  double paid = 0;
  for (const AcceleratorTier& t : cx.P.quota.accelerators) {
    const double line = t.from * q;  // bookings above this line earn the tier's rate
    paid += t.rate * (std::max(after, line) - std::max(before, line));
  }
  if (paid > 0) {
    T.accelerator_paid += paid;
    cx.st.tally.charge(cost::commission, paid);
  }
}

}  // namespace salesim
