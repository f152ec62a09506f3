#pragma once
// Skills (MODEL.md 3.4.10): training gains decay unless coaching reinforces them, coaching
// transfers gains into durable skill, and coaching and experience grow durable skill.
#include "models/params.hpp"

namespace salesim {

// Updates the J skills of one rep in place. coaching_hours: c; rho: ramp; coach_skill: m.
void update_skills(const SkillParams& p, double coaching_hours, double rho, double coach_skill,
                   double* s, double* g, int J);

}  // namespace salesim
