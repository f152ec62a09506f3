#pragma once
// One-off org changes (MODEL.md 3.9): coach the coaches, profiling, alignment, coaching policy.
#include "models/week_context.hpp"

namespace salesim {

// Programs starting this week take effect and are charged.
void start_programs(WeekContext& cx);

}  // namespace salesim
