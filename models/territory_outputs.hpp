#pragma once
// The per-path figures of docs/model.md 12.7-12.8, after a path's other scalars (out::Scalar,
// checkpoints, periods): per segment its SegmentField values, then, with a quota, the
// QuotaField values and the histogram of the attainment of the reps counted. None without the
// extensions, so the shape of a run without them is unchanged.
#include <cstddef>

#include "models/path_state.hpp"
#include "models/scenario.hpp"

namespace salesim::out::territory {

enum SegmentField : std::size_t {
  seg_bookings,
  seg_created,  // opportunities opened (prospected and inbound)
  seg_won,
  seg_lost,       // at a stage, stale, in hand-overs, or left without a receiver
  seg_fresh,      // fresh accounts at the horizon
  seg_customers,  // accounts won (customers) at the horizon
  seg_cooling,    // accounts lost and not yet fresh again at the horizon
  seg_reps,       // active reps in the segment at the horizon
  seg_field_count,
};

// Reps counted: active at the horizon with a quota above 0. New hires: rep index >= team.reps.
enum QuotaField : std::size_t {
  q_reps,
  q_at_or_above,  // attainment >= 1
  q_attainment_sum,
  q_new_reps,
  q_new_at_or_above,
  q_new_attainment_sum,
  q_accelerators,  // accelerator pay over the path (also in the commission cost)
  q_at_zero,       // attainment exactly 0 (nothing booked): the first bin's point mass
  q_first_bin,     // kBins bins of kBinWidth from 0, then one bin for kBins x kBinWidth and above
};
inline constexpr std::size_t kBins = 60;
inline constexpr double kBinWidth = 0.05;

struct Layout {
  std::size_t first = 0, segments = 0;
  bool quota = false;
  Layout(const Scenario& sc, std::size_t first_scalar)
      : first(first_scalar),
        segments(sc.base.segments.segments.size()),
        quota(sc.base.quota.on(sc.base.segments)) {}
  std::size_t segment(std::size_t s, SegmentField f) const {
    return first + s * seg_field_count + f;
  }
  std::size_t quota_field(std::size_t f) const { return first + segments * seg_field_count + f; }
  std::size_t bin(std::size_t i) const { return quota_field(q_first_bin + i); }
  std::size_t count() const {
    return segments * seg_field_count + (quota ? q_first_bin + kBins + 1 : 0);
  }
};

// The histogram bin of an attainment: kBins bins of kBinWidth from 0, then kBins for the rest.
std::size_t attainment_bin(double attainment);

// Writes the path's figures at the end of its horizon (S: the path's scalars).
void write_path_figures(const Scenario& sc, const PathState& st, const Layout& L, double* S);

}  // namespace salesim::out::territory
