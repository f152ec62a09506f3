#pragma once
// Skills (MODEL.md 3.4.10): training gains decay unless coaching reinforces them, coaching
// transfers gains into durable skill, and coaching and experience grow durable skill.
#include <algorithm>

#include "models/params.hpp"

namespace salesim {

// The parts of 3.4.10 that depend only on the coaching a rep receives (c) and its manager's
// coaching skill (m): the same for a manager's whole team in a week, so the week computes them
// once per team rather than once per rep (the decay is a libm exp2).
struct SkillStep {
  double decay = 1, transfer = 0, coach_growth = 0;
};
SkillStep skill_step(const SkillParams& p, double coaching_hours, double coach_skill);

// Updates the J skills of one rep in place; rho: its ramp. Inline: it runs every rep-week.
inline void update_skills(const SkillParams& p, const SkillStep& step, double rho, double* s,
                          double* g, int J) {
  const double growth = step.coach_growth + p.experience_rate * rho;
  for (int j = 0; j < J; ++j) {
    g[j] *= step.decay;
    const double delta = step.transfer * g[j];
    g[j] -= delta;
    s[j] += delta;
    s[j] += growth * (1 - s[j] - g[j]);
    s[j] = std::min(1.0, s[j]);
    g[j] = std::min(g[j], 1 - s[j]);
  }
}
// The same for a single rep, from c (coaching_hours), rho and m (coach_skill).
void update_skills(const SkillParams& p, double coaching_hours, double rho, double coach_skill,
                   double* s, double* g, int J);

}  // namespace salesim
