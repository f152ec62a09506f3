#pragma once
// The team's assignment rate: how fast an open lead without an owner gets one. A snapshot does
// not show when a lead was assigned, only whether it has been by the as-of day, so the rate is
// the maximum-likelihood constant hazard of that cross-section: a lead of age A (days, counting
// its first day) is assigned by then with probability 1 - exp(-rate A); every deal with an
// owner (open or closed) counts as assigned, every unassigned open lead as not yet.
#include <cstddef>
#include <optional>

#include "models/crm/history.hpp"

namespace salesim::crm {

struct Assignment {
  std::size_t unassigned = 0, assigned = 0;
  double per_day = 0;  // hazard of assignment
  double per_week() const { return 7 * per_day; }
};

// nullopt when no lead is unassigned (nothing to assign) or none is assigned (no rate).
std::optional<Assignment> fit_assignment(const History& h);

}  // namespace salesim::crm
