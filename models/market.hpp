#pragma once
// The market's demand factor (MODEL.md 3.1): an AR(1) log factor whose multiplier M has mean 1.
#include "models/week_context.hpp"

namespace salesim {

// Draws x from its stationary distribution N(0, volatility^2) at the start of a path.
void init_demand(const PlanModel& model, PathState& st);
// 3.1: x <- persistence x + sqrt(1 - persistence^2) volatility Z; M = exp(x - volatility^2/2).
void update_demand(const PlanModel& model, const MarketParams& market, PathState& st, int t);

}  // namespace salesim
