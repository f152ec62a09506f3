#pragma once
// Precision control: how many samples a Monte Carlo estimate needs for its standard error to
// reach a target, from the standard error seen at the current sample count (SE ~ 1/sqrt(n)).
#include <cstddef>

namespace sim {

// The sample count to try next: n * (se / target)^2 with 10% headroom, at least n + 1, rounded
// up to a multiple of `step`, and at most max_n.
std::size_t paths_for_target(std::size_t n, double se, double target, std::size_t max_n,
                             std::size_t step = 64);

}  // namespace sim
