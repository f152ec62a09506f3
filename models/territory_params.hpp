#pragma once
// The parameters of two extensions (docs/model.md 12.7 and 12.8), both off by default:
// segments of a finite market with territories (reps to segments), and quotas with
// accelerators. A scenario without `segments`, `territories`, `team.quota` and
// `compensation.accelerators` runs exactly as without this file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salesim {

// One segment of the market (12.7).
struct Segment {
  std::string name;
  std::int64_t accounts = 0;            // addressable accounts
  double fit = 1.0;                     // ICP fit 0..1: multiplies the prospecting yield
  std::optional<double> deal_mean;      // default: pipeline.deal_size
  std::optional<double> deal_cv;        // default: pipeline.deal_size
  double conversion_multiplier = 1.0;   // on every stage's conversion (capped at 1)
  std::optional<double> inbound_share;  // default: the segment's share of all accounts
  std::int64_t cooling_weeks = 26;      // a lost account is fresh again after this
  std::optional<double> quota_annual;   // default: team.quota.annual (12.8)
};

// A line of `territories`: reps to a segment. The `reps` of the lines are read as shares of
// whatever team is active (12.7, "Territories").
struct TerritoryLine {
  int segment = 0;  // index into segments
  double reps = 0;
};

struct SegmentParams {
  std::vector<Segment> segments;           // empty: the extension is off
  std::vector<TerritoryLine> territories;  // empty: every segment, shares by accounts
  bool plan_territories = false;           // a plan's own `territories`: rebalance at from_week
  bool on() const { return !segments.empty(); }
  // The share of the team each segment gets (sums to 1).
  std::vector<double> shares() const;
  // Inbound share of each segment (sums to 1).
  std::vector<double> inbound_shares() const;
};

// An accelerator tier (12.8): bookings above `from` x the quota to date earn `rate` more.
struct AcceleratorTier {
  double from = 1.0, rate = 0.0;
};

struct QuotaParams {
  std::optional<double> annual;  // team.quota.annual; per segment: Segment::quota_annual
  std::vector<AcceleratorTier> accelerators;  // compensation.accelerators, by `from`
  bool on(const SegmentParams& s) const {
    if (annual) return true;
    for (const Segment& g : s.segments)
      if (g.quota_annual) return true;
    return false;
  }
};

}  // namespace salesim
