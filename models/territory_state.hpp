#pragma once
// The path state of docs/model.md 12.7 (segments of a finite market) and 12.8 (quotas):
// accounts per segment, each rep's segment, and each rep's bookings and quota to date.
// Empty (and untouched by the weekly step) when a scenario has neither extension.
#include <cstdint>
#include <vector>

namespace salesim {

struct SegmentBooks {
  std::int64_t fresh = 0;               // accounts that prospecting and inbound can open
  std::int64_t customers = 0;           // accounts won: kept as customers
  std::int64_t cooling = 0;             // accounts lost, not yet fresh again
  std::vector<std::int64_t> returning;  // [t]: cooled accounts fresh again at the start of week t
  double fresh_share = 1;               // fresh / accounts at the start of this week's 3.4
  int reps = 0;              // active reps in the segment at the start of this week's 3.4
  double inbound_share = 0;  // the segment's share of inbound leads in force this week
  // Totals over the path.
  double bookings = 0;
  std::int64_t created = 0, won = 0, lost = 0;
};

struct TerritoryState {
  bool segments = false;            // 12.7 on
  bool quota = false;               // 12.8 on
  std::vector<SegmentBooks> books;  // per segment
  std::vector<int> seg;             // per rep: its segment (-1: not yet assigned)
  std::vector<double> booked;       // per rep: bookings to date
  // Per rep: the annual quota times ρ summed over the weeks it was stepped, 52 times its quota
  // to date. Summed so, a year of full weeks is exactly 52 annual quotas, and a rep who books
  // its annual quota is exactly at it (adding annual / 52 each week left it 1.6e-15 short).
  std::vector<double> quota_weeks;
  double quota_to_date(int r) const { return quota_weeks[std::size_t(r)] / 52.0; }
  double accelerator_paid = 0;
  // This rep-week's counts before the rep's flows (to attribute the week's change to it).
  std::int64_t won_before = 0, lost_before = 0, created_before = 0;
  double booked_before = 0;
};

}  // namespace salesim
