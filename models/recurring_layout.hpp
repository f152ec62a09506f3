#pragma once
// Where the recurring-revenue figures sit in a path's output slots (docs/model.md 12.5). They
// follow every other slot and exist only when revenue.model is recurring, so a scenario
// without it has exactly the slots it always had.
#include <cstddef>

#include "models/scenario.hpp"

namespace salesim::arr_out {

inline bool on(const Params& p) { return p.revenue.model == "recurring"; }
inline bool on(const Scenario& sc) { return on(sc.base); }

// Quarters of 13 weeks, the last one possibly shorter.
inline std::size_t quarters(int horizon) { return std::size_t((horizon + 12) / 13); }

// Per-path scalars, from the first recurring slot: then per quarter new, expansion, churn.
enum Scalar : std::size_t { arr_start, arr_final, mrr_final, nrr, grr, first_bridge };
enum Bridge : std::size_t { b_new, b_expansion, b_churn, bridge_parts };
inline std::size_t scalar_count(const Scenario& sc) {
  return on(sc) ? std::size_t(first_bridge) + bridge_parts * quarters(sc.horizon()) : 0;
}
// Weekly series kept per path, after out::Kept's.
inline constexpr std::size_t arr = 0, mrr = 1, kept_parts = 2;
inline std::size_t kept_count(const Scenario& sc) { return on(sc) ? kept_parts : 0; }

}  // namespace salesim::arr_out
