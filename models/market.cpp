#include "models/market.hpp"

#include <cmath>

namespace salesim {

void init_demand(const PlanModel& model, PathState& st) {
  const double vol = model.base.market.volatility;
  st.x = 0;
  st.M = 1;
  if (vol > 0)  // entity 1 of the demand process: the initial draw (entity 0 is the weekly one)
    st.x = vol * sim::normal_inv(model.stream(st.path, Process::demand, 1, 0).uniform_at(0));
}

void update_demand(const PlanModel& model, const MarketParams& market, PathState& st, int t) {
  const double vol = market.volatility;
  if (vol == 0) {
    st.x = 0;
    st.M = 1;
    return;
  }
  const double z = sim::normal_inv(model.stream(st.path, Process::demand, 0, t).uniform_at(0));
  const double phi = market.persistence;
  st.x = phi * st.x + std::sqrt(1 - phi * phi) * vol * z;
  st.M = std::exp(st.x - vol * vol / 2);
}

}  // namespace salesim
