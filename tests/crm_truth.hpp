#pragma once
// What a synthetic export's generating process implies, for the CRM tests' known truths.
#include <cmath>

#include "models/crm/synthetic.hpp"

namespace salesim::crm::truth {

// The true eventual win probability of a new deal (the same daily formula as the estimate).
inline double true_p_win(const SyntheticSpec& s) {
  double survive = 1, p = 0;
  for (int a = 0; a < 2000; ++a) {
    const double w = s.hazard_win(a) / 7, l = s.hazard_loss(a) / 7;
    if (w + l == 0) continue;
    const double close = survive * (1 - std::exp(-(w + l)));
    p += close * w / (w + l);
    survive -= close;
  }
  return p;
}

}  // namespace salesim::crm::truth
