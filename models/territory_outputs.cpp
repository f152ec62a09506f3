#include "models/territory_outputs.hpp"

#include <algorithm>
#include <cmath>

namespace salesim::out::territory {

std::size_t attainment_bin(double a) {
  // Compared before converting: a bin index past size_t's range (an attainment of 1e18 and
  // more, a tiny quota) would not convert, and landed in the first bin.
  const double x = std::floor(a * (1.0 / kBinWidth));
  return x < double(kBins) ? std::size_t(std::max(0.0, x)) : kBins;
}

void write_path_figures(const Scenario& sc, const PathState& st, const Layout& L, double* S) {
  const TerritoryState& T = st.territory;
  for (std::size_t s = 0; s < L.segments; ++s) {
    const SegmentBooks& b = T.books[s];
    S[L.segment(s, seg_bookings)] = b.bookings;
    S[L.segment(s, seg_created)] = double(b.created);
    S[L.segment(s, seg_won)] = double(b.won);
    S[L.segment(s, seg_lost)] = double(b.lost);
    S[L.segment(s, seg_fresh)] = double(b.fresh);
    S[L.segment(s, seg_customers)] = double(b.customers);
    S[L.segment(s, seg_cooling)] = double(b.cooling);
    S[L.segment(s, seg_reps)] = 0;
  }
  if (L.segments > 0)
    for (int r : st.active_list) S[L.segment(std::size_t(T.seg[r]), seg_reps)] += 1;
  if (!L.quota) return;
  for (std::size_t f = 0; f < q_first_bin + kBins + 1; ++f) S[L.quota_field(f)] = 0;
  const int starting = int(sc.base.team.reps);
  for (int r : st.active_list) {
    const double q = T.quota_to_date(r);
    if (!(q > 0)) continue;
    const double a = T.booked[r] / q;
    const bool above = a >= 1.0, hired = r >= starting;
    S[L.quota_field(q_reps)] += 1;
    S[L.quota_field(q_at_or_above)] += above;
    S[L.quota_field(q_attainment_sum)] += a;
    if (hired) {
      S[L.quota_field(q_new_reps)] += 1;
      S[L.quota_field(q_new_at_or_above)] += above;
      S[L.quota_field(q_new_attainment_sum)] += a;
    }
    S[L.quota_field(q_at_zero)] += a == 0;
    S[L.bin(attainment_bin(a))] += 1;
  }
  S[L.quota_field(q_accelerators)] = T.accelerator_paid;
}

}  // namespace salesim::out::territory
