#include "models/skills.hpp"

#include <algorithm>
#include <cmath>

namespace salesim {

void update_skills(const SkillParams& p, double coaching_hours, double rho, double coach_skill,
                   double* s, double* g, int J) {
  const double kappa = std::min(1.0, coaching_hours / p.coaching_reference_hours);
  const double decay =
      std::exp2(-(1 - p.coaching_reinforcement * kappa) / p.training_half_life_weeks);
  const double transfer = p.coaching_transfer * kappa;
  const double growth = p.coaching_growth * kappa * coach_skill + p.experience_rate * rho;
  for (int j = 0; j < J; ++j) {
    g[j] *= decay;
    const double delta = transfer * g[j];
    g[j] -= delta;
    s[j] += delta;
    s[j] += growth * (1 - s[j] - g[j]);
    s[j] = std::min(1.0, s[j]);
    g[j] = std::min(g[j], 1 - s[j]);
  }
}

}  // namespace salesim
