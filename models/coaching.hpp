#pragma once
// Coaching available (MODEL.md 3.3): each manager splits its coaching hours over its team, up to
// the coaching policy per rep.
#include "models/week_context.hpp"

namespace salesim {

void allot_coaching(WeekContext& cx);

}  // namespace salesim
