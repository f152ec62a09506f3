#include "models/segments.hpp"

#include <algorithm>

namespace salesim {

std::vector<double> SegmentParams::shares() const {
  std::vector<double> w(segments.size(), 0.0);
  if (territories.empty())
    for (std::size_t s = 0; s < segments.size(); ++s) w[s] = double(segments[s].accounts);
  else
    for (const TerritoryLine& l : territories) w[l.segment] += l.reps;
  double total = 0;
  for (double x : w) total += x;
  for (double& x : w) x = total > 0 ? x / total : 0.0;
  return w;
}

std::vector<double> SegmentParams::inbound_shares() const {
  std::vector<double> w(segments.size(), 0.0);
  double accounts = 0;
  for (const Segment& s : segments) accounts += double(s.accounts);
  for (std::size_t s = 0; s < segments.size(); ++s)
    w[s] = segments[s].inbound_share.value_or(double(segments[s].accounts) / accounts);
  return w;
}

namespace {

// The segment a new rep joins: the one furthest below its share of a team of `total` reps
// (counts of the others as given), lowest index on ties; -1 when every share is 0.
int furthest_below(const std::vector<double>& shares, const std::vector<int>& counts, int total) {
  int best = -1;
  double gap = 0;
  for (std::size_t s = 0; s < shares.size(); ++s) {
    if (!(shares[s] > 0)) continue;
    const double g = shares[s] * double(total) - double(counts[s]);
    if (best < 0 || g > gap) best = int(s), gap = g;
  }
  return best;
}

// Accounts lost by segment s in week t: cooling until week t + cooling_weeks.
void cool(PathState& st, const Params& P, int s, std::int64_t lost, int t) {
  if (lost <= 0) return;
  SegmentBooks& b = st.territory.books[s];
  b.lost += lost;
  b.cooling += lost;
  const std::size_t back = std::size_t(t) + std::size_t(P.segments.segments[s].cooling_weeks);
  if (back < b.returning.size()) b.returning[back] += lost;  // else not within the horizon
}

// Active reps per segment, in the segments' order.
std::vector<int> active_counts(const PathState& st, std::size_t segments) {
  std::vector<int> n(segments, 0);
  for (int r : st.active_list)  // reps joining this week have no segment yet
    if (st.reps.active[r] && std::size_t(r) < st.territory.seg.size()) ++n[st.territory.seg[r]];
  return n;
}

// A plan's territories from its from_week: the active team is apportioned to the new shares
// (segment_counts); the newest reps of a segment above its new count move, in index order, to
// the segments below theirs, in segment order. A mover's open opportunities stay in its old
// segment: they go, without loss, to the old segment's receiver (segment_receiver), or are
// lost (and cool) when nobody is left there.
void rebalance(WeekContext& cx) {
  PathState& st = cx.st;
  TerritoryState& T = st.territory;
  const std::size_t S = T.books.size();
  const std::vector<int> target =
      segment_counts(cx.P.segments.shares(), int(st.active_list.size()));
  std::vector<int> count = active_counts(st, S);
  std::vector<int> movers;
  for (std::size_t s = 0; s < S; ++s) {
    int surplus = count[s] - target[s];
    for (auto it = st.active_list.rbegin(); it != st.active_list.rend() && surplus > 0; ++it)
      if (T.seg[*it] == int(s)) movers.push_back(*it), --surplus;
  }
  std::sort(movers.begin(), movers.end());
  std::vector<std::pair<int, int>> moved;  // rep, old segment
  for (int r : movers) {
    std::size_t to = 0;
    while (to < S && count[to] >= target[to]) ++to;
    if (to == S) break;
    moved.emplace_back(r, T.seg[r]);
    --count[T.seg[r]], ++count[to];
    T.seg[r] = int(to);
  }
  Reps& R = st.reps;
  for (const auto& [r, old] : moved) {
    const std::int64_t open = R.open_total(r);
    if (open == 0) continue;
    // The receiver among the reps now in the old segment: teammates first, fewest open.
    int receiver = -1;
    std::int64_t fewest = 0;
    for (int pass = 0; pass < 2 && receiver < 0; ++pass)
      for (int o : st.active_list) {
        if (T.seg[o] != old || (pass == 0 && R.manager[o] != R.manager[r])) continue;
        if (receiver < 0 || R.open_total(o) < fewest) receiver = o, fewest = R.open_total(o);
      }
    for (int k = 0; k < R.K; ++k) {
      if (receiver >= 0) R.n(receiver)[k] += R.n(r)[k];
      R.n(r)[k] = 0;
    }
    if (receiver < 0) {
      st.tally.lost += open;
      cool(st, cx.P, old, open, cx.t);
    }
  }
}

}  // namespace

std::vector<int> segment_counts(const std::vector<double>& shares, int reps) {
  std::vector<int> counts(shares.size(), 0);
  for (int i = 0; i < reps; ++i) {
    const int s = furthest_below(shares, counts, i + 1);
    if (s >= 0) ++counts[s];
  }
  return counts;
}

void init_segments(const PlanModel& model, PathState& st) {
  const Params& p = model.base;
  TerritoryState& T = st.territory;
  const std::size_t S = p.segments.segments.size();
  T.books.resize(S);
  for (std::size_t s = 0; s < S; ++s) {
    SegmentBooks& b = T.books[s];
    b = SegmentBooks{};
    b.fresh = p.segments.segments[s].accounts;
    b.returning.assign(std::size_t(model.horizon) + 1, 0);
  }
  T.seg.assign(std::size_t(st.reps.count), -1);
  const std::vector<double> shares = p.segments.shares();
  std::vector<int> counts(S, 0);
  for (int r = 0; r < st.reps.count; ++r) {
    const int s = furthest_below(shares, counts, r + 1);
    T.seg[r] = s;
    ++counts[s];
    T.books[s].fresh -= st.reps.open_total(r);  // the loader checked that it fits
  }
}

void segments_week_start(WeekContext& cx) {
  PathState& st = cx.st;
  TerritoryState& T = st.territory;
  const std::size_t S = T.books.size();
  for (SegmentBooks& b : T.books) {
    b.fresh += b.returning[cx.t];
    b.cooling -= b.returning[cx.t];
  }
  // This week's hires (and backfills) join the segment furthest below its share.
  const std::vector<double> shares = cx.P.segments.shares();
  if (T.seg.size() < std::size_t(st.reps.count)) {
    std::vector<int> count = active_counts(st, S);
    int active = 0;
    for (int c : count) active += c;
    for (int r = int(T.seg.size()); r < st.reps.count; ++r) {
      const int s = furthest_below(shares, count, ++active);
      T.seg.push_back(s);
      ++count[s];
    }
  }
  if (cx.t == cx.model.plan.from_week && cx.P.segments.plan_territories) rebalance(cx);
  const std::vector<int> count = active_counts(st, S);
  const std::vector<double> inbound = cx.P.segments.inbound_shares();
  for (std::size_t s = 0; s < S; ++s) {
    SegmentBooks& b = T.books[s];
    b.reps = count[s];
    b.inbound_share = inbound[s];
    b.fresh_share = double(b.fresh) / double(cx.P.segments.segments[s].accounts);
  }
}

void scale_conversions(const WeekContext& cx, int r, double* p, int stages) {
  const double m = cx.P.segments.segments[cx.st.territory.seg[r]].conversion_multiplier;
  for (int k = 0; k < stages; ++k) p[k] = std::min(1.0, p[k] * m);
}

void segment_lead_rates(const WeekContext& cx, int r, double& prospected, double& inbound) {
  const int s = cx.st.territory.seg[r];
  const SegmentBooks& b = cx.st.territory.books[s];
  const Params& P = cx.P;
  prospected *= P.segments.segments[s].fit * b.fresh_share;
  inbound = b.reps > 0 ? cx.st.M * cx.market.lead_quality * cx.market.inbound_leads_per_week *
                             b.inbound_share * b.fresh_share / double(b.reps)
                       : 0.0;
}

const sim::Lognormal& segment_deal(const WeekContext& cx, int r) {
  return cx.D.segment_deals[cx.st.territory.seg[r]];
}

void before_rep_flows(WeekContext& cx) {
  TerritoryState& T = cx.st.territory;
  T.won_before = cx.st.tally.won;
  T.lost_before = cx.st.tally.lost;
  T.created_before = cx.st.tally.created;
}

void take_accounts(WeekContext& cx, int r) {
  PathState& st = cx.st;
  SegmentBooks& b = st.territory.books[st.territory.seg[r]];
  std::int64_t created = st.tally.created - st.territory.created_before;
  if (created > b.fresh) {  // no more opportunities than fresh accounts
    const std::int64_t excess = created - b.fresh;
    st.reps.n(r)[0] -= excess;
    st.tally.created -= excess;
    created = b.fresh;
  }
  b.fresh -= created;
  b.created += created;
}

void settle_accounts(WeekContext& cx, int r) {
  PathState& st = cx.st;
  const int s = st.territory.seg[r];
  SegmentBooks& b = st.territory.books[s];
  const std::int64_t won = st.tally.won - st.territory.won_before;
  b.won += won;
  b.customers += won;
  cool(st, cx.P, s, st.tally.lost - st.territory.lost_before, cx.t);
}

int segment_receiver(const PathState& st, int r) {
  const Reps& R = st.reps;
  const std::vector<int>& seg = st.territory.seg;
  int receiver = -1;
  std::int64_t fewest = 0;
  for (int pass = 0; pass < 2 && receiver < 0; ++pass)
    for (int o : st.active_list) {
      if (!R.active[o] || seg[o] != seg[r] || (pass == 0 && R.manager[o] != R.manager[r])) continue;
      const std::int64_t total = R.open_total(o);
      if (receiver < 0 || total < fewest) receiver = o, fewest = total;
    }
  return receiver;
}

}  // namespace salesim
