#include "models/skills.hpp"

#include <algorithm>
#include <cmath>

namespace salesim {

SkillStep skill_step(const SkillParams& p, double coaching_hours, double coach_skill) {
  const double kappa = std::min(1.0, coaching_hours / p.coaching_reference_hours);
  SkillStep step;
  step.decay = std::exp2(-(1 - p.coaching_reinforcement * kappa) / p.training_half_life_weeks);
  step.transfer = p.coaching_transfer * kappa;
  step.coach_growth = p.coaching_growth * kappa * coach_skill;
  return step;
}

void update_skills(const SkillParams& p, double coaching_hours, double rho, double coach_skill,
                   double* s, double* g, int J) {
  update_skills(p, skill_step(p, coaching_hours, coach_skill), rho, s, g, J);
}

}  // namespace salesim
