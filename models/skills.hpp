#pragma once
// Skills (MODEL.md 3.4.10): training gains decay unless coaching reinforces them, coaching
// transfers gains into durable skill, and coaching and experience grow durable skill.
#include <emmintrin.h>

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

// Updates the J skills of one rep in place; rho: its ramp. Inline: it runs every rep-week. Two
// skills at a time in SSE2 lanes (every x86-64 has them): each skill's operations are its own,
// in the same order, so the lanes give the scalar loop's bits (min(a, b) as minpd(b, a)).
inline void update_skills(const SkillParams& p, const SkillStep& step, double rho, double* s,
                          double* g, int J) {
  const double growth = step.coach_growth + p.experience_rate * rho;
  int j = 0;
  const __m128d decay = _mm_set1_pd(step.decay), transfer = _mm_set1_pd(step.transfer),
                grow = _mm_set1_pd(growth), one = _mm_set1_pd(1.0);
  for (; j + 2 <= J; j += 2) {
    __m128d gj = _mm_mul_pd(_mm_loadu_pd(g + j), decay);
    const __m128d delta = _mm_mul_pd(transfer, gj);
    gj = _mm_sub_pd(gj, delta);
    __m128d sj = _mm_add_pd(_mm_loadu_pd(s + j), delta);
    sj = _mm_add_pd(sj, _mm_mul_pd(grow, _mm_sub_pd(_mm_sub_pd(one, sj), gj)));
    sj = _mm_min_pd(sj, one);                  // std::min(1.0, s)
    gj = _mm_min_pd(_mm_sub_pd(one, sj), gj);  // std::min(g, 1 - s)
    _mm_storeu_pd(s + j, sj);
    _mm_storeu_pd(g + j, gj);
  }
  for (; j < J; ++j) {
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
