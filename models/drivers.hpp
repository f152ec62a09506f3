#pragma once
// Where a paired difference in final bookings comes from (salesim run --explain-diff). On one
// path, with R rep-weeks, C opportunities created, W won, L lost (so W + L resolved) and B
// bookings:
//
//   B = R x (C / R) x (W / (W + L)) x (B / W) + timing,
//
// heads x activity x conversion x deal size, and timing = B minus that product: the bookings
// that came from, or went into, pipeline still open at the horizon (it equals
// (W + L - C) x B / (W + L): resolved beyond what was created is pipeline drawn down). The
// paired difference of two plans on the same path is split exactly into the Shapley values of
// the four factors (docs/model.md 12.2 says why Shapley) plus the change in timing.
#include <cstddef>

namespace salesim {

enum Driver : std::size_t { heads, activity, conversion, deal_size, timing, driver_count };
inline constexpr const char* kDriverNames[] = {"heads", "activity", "conversion", "deal_size",
                                               "timing"};
// Words for a reader who has not seen the formula.
inline constexpr const char* kDriverLabels[] = {
    "Heads (rep-weeks)", "Activity (opportunities per rep-week)",
    "Conversion (wins per opportunity resolved)", "Deal size (bookings per win)",
    "Timing (pipeline drawn down or built up)"};

// The effects of the drivers on b's final bookings minus a's, from two plans' per-path scalars
// (out::Scalar) on the same path; they add up to the difference (up to rounding). A factor with
// the same value in both plans has an effect of exactly 0.
void driver_effects(const double* a, const double* b, double* effects);

}  // namespace salesim
