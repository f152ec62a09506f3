#include "models/rep_prepass.hpp"

#include <algorithm>
#include <cmath>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "models/burnout.hpp"
#include "models/path_state.hpp"
#include "models/skills.hpp"
#include "models/week_context.hpp"

namespace salesim {
namespace {

constexpr int kMaxSkills = 16;

// What every rep of the week shares.
struct WeekInputs {
  const Params& P;
  const PathState& st;
  int J, K, stride;
  double ramp_weeks;  // 0: no ramp
  double cap;         // max_hours e
  double admin;       // admin_hours (1 + control_overhead (1 - a))
  double programs;    // alignment programs' hours
  double available;   // the calendar's share of the week's hours (1 without a calendar)
  bool calendar;
  int roots;  // burnout's K-th root as that many square roots; -1: not so
  const SkillStep* steps;
};

// Rep r's row, one rep alone: start_rep's formulas (week.cpp), in its order.
void one_rep(const WeekInputs& w, int r, double* out) {
  const Params& P = w.P;
  const Reps& R = w.st.reps;
  const double B = R.burnout[r];
  const double rho =
      w.ramp_weeks == 0 ? 1.0 : std::min(1.0, double(R.tenure[r] + 1) / w.ramp_weeks);
  double H = w.cap * (1 - P.burnout.capacity_loss * B);
  if (w.calendar) H *= w.available;
  out[RepPrepass::rho] = rho;
  out[RepPrepass::H] = H;
  out[RepPrepass::F] = w.admin + R.training_hours[r] + w.st.coaching[R.manager[r]] + w.programs;
  const double* s = &R.durable[std::size_t(r) * w.J];
  const double* g = &R.gain[std::size_t(r) * w.J];
  auto sigma = [&](int j) { return rho * std::min(1.0, s[j] + g[j]); };
  const double factor = stage_conversion_factor(P.burnout, B, w.K);
  for (int k = 0; k < w.K; ++k) {
    const Stage& st = P.pipeline.stages[k];
    out[RepPrepass::p + k] =
        (st.conversion.floor + sigma(st.skill_index) * (st.conversion.top - st.conversion.floor)) *
        factor;
  }
  const auto& yield = P.prospecting.yield;
  out[RepPrepass::y] = yield.floor + sigma(0) * (yield.top - yield.floor);
  // 10 (EXPERIMENT)
  Reps& M = const_cast<Reps&>(R);
  update_skills(P.skills, w.steps[R.manager[r]], rho, M.s(r), M.g(r), w.J);
}

#if defined(__SSE2__)
// Reps r0 and r1 in lanes 0 and 1: one_rep's operations, lane by lane. _mm_min_pd(x, one) is
// x < 1 ? x : 1, which is std::min(1.0, x); _mm_sqrt_pd rounds like std::sqrt (IEEE 754).
void two_reps(const WeekInputs& w, int r0, int r1, double* out0, double* out1) {
  const Params& P = w.P;
  const Reps& R = w.st.reps;
  const __m128d one = _mm_set1_pd(1.0);
  auto pair = [](double a0, double a1) { return _mm_set_pd(a1, a0); };
  auto store = [&](int field, __m128d v) {
    _mm_storel_pd(out0 + field, v);
    _mm_storeh_pd(out1 + field, v);
  };
  const __m128d B = pair(R.burnout[r0], R.burnout[r1]);
  __m128d rho = one;
  if (w.ramp_weeks != 0) {
    const __m128d weeks = _mm_set1_pd(w.ramp_weeks);
    rho = _mm_min_pd(_mm_div_pd(pair(double(R.tenure[r0] + 1), double(R.tenure[r1] + 1)), weeks),
                     one);
  }
  __m128d H = _mm_mul_pd(_mm_set1_pd(w.cap),
                         _mm_sub_pd(one, _mm_mul_pd(_mm_set1_pd(P.burnout.capacity_loss), B)));
  if (w.calendar) H = _mm_mul_pd(H, _mm_set1_pd(w.available));
  const __m128d training = pair(R.training_hours[r0], R.training_hours[r1]);
  const __m128d coach = pair(w.st.coaching[R.manager[r0]], w.st.coaching[R.manager[r1]]);
  const __m128d F = _mm_add_pd(_mm_add_pd(_mm_add_pd(_mm_set1_pd(w.admin), training), coach),
                               _mm_set1_pd(w.programs));
  store(RepPrepass::rho, rho);
  store(RepPrepass::H, H);
  store(RepPrepass::F, F);

  Reps& M = const_cast<Reps&>(R);  // EXPERIMENT
  double* s0 = M.s(r0);
  double* s1 = M.s(r1);
  double* g0 = M.g(r0);
  double* g1 = M.g(r1);
  __m128d sig[kMaxSkills];
  const SkillStep& t0 = w.steps[R.manager[r0]];
  const SkillStep& t1 = w.steps[R.manager[r1]];
  const __m128d decay = pair(t0.decay, t1.decay), transfer = pair(t0.transfer, t1.transfer);
  const __m128d growth = _mm_add_pd(pair(t0.coach_growth, t1.coach_growth),
                                    _mm_mul_pd(_mm_set1_pd(P.skills.experience_rate), rho));
  for (int j = 0; j < w.J; ++j) {
    __m128d s = pair(s0[j], s1[j]), g = pair(g0[j], g1[j]);
    sig[j] = _mm_mul_pd(rho, _mm_min_pd(_mm_add_pd(s, g), one));
    g = _mm_mul_pd(g, decay);
    const __m128d delta = _mm_mul_pd(transfer, g);
    g = _mm_sub_pd(g, delta);
    s = _mm_add_pd(s, delta);
    s = _mm_add_pd(s, _mm_mul_pd(growth, _mm_sub_pd(_mm_sub_pd(one, s), g)));
    s = _mm_min_pd(s, one);
    g = _mm_min_pd(_mm_sub_pd(one, s), g);
    _mm_storel_pd(s0 + j, s), _mm_storeh_pd(s1 + j, s);
    _mm_storel_pd(g0 + j, g), _mm_storeh_pd(g1 + j, g);
  }
  auto sigma = [&](int j) { return sig[j]; };
  // Burnout's factor (stage_conversion_factor): that function skips the root when B is 0; here
  // it is taken anyway, with the same bits: 1 - loss x 0 is exactly 1 (or NaN for an infinite
  // loss), its own square root.
  __m128d factor = _mm_sub_pd(one, _mm_mul_pd(_mm_set1_pd(P.burnout.conversion_loss), B));
  for (int i = 0; i < w.roots; ++i) factor = _mm_sqrt_pd(factor);
  for (int k = 0; k < w.K; ++k) {
    const Stage& st = P.pipeline.stages[k];
    const __m128d span = _mm_set1_pd(st.conversion.top - st.conversion.floor);
    store(RepPrepass::p + k, _mm_mul_pd(_mm_add_pd(_mm_set1_pd(st.conversion.floor),
                                                   _mm_mul_pd(sigma(st.skill_index), span)),
                                        factor));
  }
  const auto& yield = P.prospecting.yield;
  store(RepPrepass::y, _mm_add_pd(_mm_set1_pd(yield.floor),
                                  _mm_mul_pd(sigma(0), _mm_set1_pd(yield.top - yield.floor))));
}
#endif

}  // namespace

bool prepass_applies(const WeekContext& cx) {
  return !cx.st.territory.segments && !cx.st.territory.quota;
}

void rep_prepass(const WeekContext& cx, RepPrepass& a) {
  const Params& P = cx.P;
  const PathState& st = cx.st;
  const int K = st.reps.K;
  const bool calendar = !cx.model.calendar.hours.empty();  // holidays, vacation (12.6)
  const WeekInputs w{P,
                     st,
                     st.reps.J,
                     K,
                     RepPrepass::p + K,
                     double(P.people.ramp_weeks),
                     P.capacity.max_hours * cx.effort,
                     P.capacity.admin_hours * (1 + P.capacity.control_overhead * (1 - st.a)),
                     st.extra_fixed_hours,
                     calendar ? cx.model.calendar.hours[cx.t] : 1.0,
                     calendar,
                     K == 1   ? 0
                     : K == 2 ? 1
                     : K == 4 ? 2
                     : K == 8 ? 3
                              : -1,
                     cx.scratch.skill_steps.data()};
  a.n = int(st.active_list.size()), a.K = K, a.stride = w.stride;
  a.e = calendar ? cx.effort * w.available : cx.effort;
  if (a.rows.size() < std::size_t(a.n) * a.stride) a.rows.resize(std::size_t(a.n) * a.stride);
  const int* list = st.active_list.data();
  double* rows = a.rows.data();
  int i = 0;
#if defined(__SSE2__)
  if (w.roots >= 0 && w.J <= kMaxSkills)
    for (; i + 2 <= a.n; i += 2)
      two_reps(w, list[i], list[i + 1], rows + std::size_t(i) * w.stride,
               rows + std::size_t(i + 1) * w.stride);
#endif
  for (; i < a.n; ++i) one_rep(w, list[i], rows + std::size_t(i) * w.stride);
}

}  // namespace salesim
