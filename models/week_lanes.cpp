// Steps 1-6 of the weekly step for four reps at once: before_flows (models/week.cpp) with a rep
// per AVX2 lane, line for line in MODEL.md's order. Every lane does the scalar code's operations
// in the scalar code's order, without fused multiply-adds (target "avx2" only), so each lane
// gives the bits before_flows gives that rep; tests/test_flow_lanes.cpp runs whole scenarios
// both ways. The few parts with no exact vector form (a cube or fifth root, a stage that does not
// fit in the hours left) are finished lane by lane by the scalar expressions.
#include "models/week_lanes.hpp"

#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "models/burnout.hpp"
#include "models/people.hpp"
#include "models/pipeline_flow_lanes.hpp"

namespace salesim {

namespace {

#define LANES __attribute__((target("avx2"), always_inline)) inline
using V = __m256d;

LANES V set1(double x) { return _mm256_set1_pd(x); }
LANES V add(V a, V b) { return _mm256_add_pd(a, b); }
LANES V sub(V a, V b) { return _mm256_sub_pd(a, b); }
LANES V mul(V a, V b) { return _mm256_mul_pd(a, b); }
LANES V divide(V a, V b) { return _mm256_div_pd(a, b); }
// std::min(a, b) and std::max(a, b), each lane: a unless b is strictly smaller (larger), which
// is also what they give for equal values, signed zeros and NaN.
LANES V min_of(V a, V b) { return _mm256_min_pd(b, a); }
LANES V max_of(V a, V b) { return _mm256_max_pd(b, a); }
LANES V clamp01(V v) { return min_of(max_of(v, set1(0.0)), set1(1.0)); }  // std::clamp's order

// of(rep) for the four lanes' reps.
template <class Of>
LANES V column(const int* r, Of&& of) {
  return _mm256_setr_pd(of(r[0]), of(r[1]), of(r[2]), of(r[3]));
}

struct Lanes {
  alignas(32) double v[4];
};
LANES Lanes lanes_of(V x) {
  Lanes l;
  _mm256_store_pd(l.v, x);
  return l;
}

// The slack of 3.4.5: max(0, sustainable_hours e - F - the open pipeline's hours).
LANES V slack(const Params& P, V e, V F, const V* open_d) {
  const auto& stages = P.pipeline.stages;
  V pipeline_hours = set1(0.0);
  for (std::size_t k = 0; k < stages.size(); ++k)
    pipeline_hours = add(pipeline_hours, mul(open_d[k], set1(stages[k].hours)));
  return max_of(set1(0.0), sub(sub(mul(set1(P.capacity.sustainable_hours), e), F), pipeline_hours));
}

// Effective skill j of the lanes' reps, rho * min(1, s[j] + g[j]) (effective_skills).
LANES V sigma(Reps& R, const int* r, V rho, int j) {
  return mul(rho, min_of(set1(1.0), column(r, [&](int q) { return R.s(q)[j] + R.g(q)[j]; })));
}

// allocate_hours (models/capacity.hpp) in lanes: open[k] and open_d[k] are stage k's counts
// (as integers and as doubles); fills worked[k] and worked_d[k] and returns the prospecting
// hours.
__attribute__((target("avx2"))) V allocate_hours4(const Params& P, V H, V F, V e,
                                                  V pref_prospecting, double awareness,
                                                  const std::int64_t* const* open, const V* open_d,
                                                  std::int64_t (*worked)[4], V* worked_d) {
  const auto& stages = P.pipeline.stages;
  const int K = int(stages.size());
  const ProspectingParams& pr = P.prospecting;
  const V zero = set1(0.0);
  V remaining = max_of(zero, sub(H, F));

  V demand;
  if (!pr.target_hours)
    demand = slack(P, e, F, open_d);
  else if (pr.mandatory)
    demand = mul(set1(*pr.target_hours),
                 sub(set1(1.0), mul(mul(set1(pr.avoidance), sub(set1(1.0), pref_prospecting)),
                                    set1(1 - awareness))));
  else
    demand = max_of(slack(P, e, F, open_d), set1(*pr.target_hours));

  V prospecting = zero;
  if (pr.mandatory) {
    prospecting = min_of(demand, remaining);
    remaining = sub(remaining, prospecting);
  }
  for (int k = K - 1; k >= 0; --k) {  // stages from the last to the first
    const double h = stages[k].hours;
    for (int i = 0; i < 4; ++i) worked[k][i] = open[i][k];
    worked_d[k] = open_d[k];
    if (h == 0) continue;
    const V fits = _mm256_cmp_pd(mul(open_d[k], set1(h)), remaining, _CMP_LE_OQ);
    if (_mm256_movemask_pd(fits) != 0xf) {  // a lane whose stage does not all fit
      const Lanes rem = lanes_of(remaining), fit = lanes_of(fits);
      alignas(32) double wd[4];
      for (int i = 0; i < 4; ++i) {
        if (fit.v[i] == 0)
          worked[k][i] = std::min<std::int64_t>(open[i][k], std::int64_t(std::floor(rem.v[i] / h)));
        wd[i] = double(worked[k][i]);
      }
      worked_d[k] = _mm256_load_pd(wd);
    }
    remaining = sub(remaining, mul(worked_d[k], set1(h)));
  }
  if (!pr.mandatory) prospecting = min_of(demand, max_of(zero, remaining));
  return prospecting;
}

}  // namespace

__attribute__((target("avx2"))) int before_flows4(WeekContext& cx, int n_active, const int* reps,
                                                  int count, double* p, std::int64_t* worked,
                                                  RepWeek* out) {
  const Params& P = cx.P;
  PathState& st = cx.st;
  Reps& R = st.reps;
  const int K = R.K;
  // Lanes past `count` repeat the last rep; their results are not used.
  int r[4];
  for (int i = 0; i < 4; ++i) r[i] = reps[std::min(i, count - 1)];
  const V one = set1(1.0), zero = set1(0.0);
  const V B = column(r, [&](int q) { return R.burnout[q]; });
  const V c = column(r, [&](int q) { return st.coaching[R.manager[q]]; });

  V rho = one;  // 1
  if (P.people.ramp_weeks != 0)
    rho = min_of(one, divide(column(r, [&](int q) { return double(R.tenure[q] + 1); }),
                             set1(double(P.people.ramp_weeks))));
  const double e = cx.effort;  // 2, the same for every rep without quotas
  V H = mul(set1(P.capacity.max_hours * e), sub(one, mul(set1(P.burnout.capacity_loss), B)));  // 3
  const V F =
      add(add(add(set1(P.capacity.admin_hours * (1 + P.capacity.control_overhead * (1 - st.a))),
                  column(r, [&](int q) { return R.training_hours[q]; })),
              c),
          set1(st.extra_fixed_hours));
  V hours_e = set1(e);
  if (!cx.model.calendar.hours.empty()) {  // holidays and vacation (docs/model.md 12.6)
    const double available = cx.model.calendar.hours[cx.t];
    H = mul(H, set1(available));
    hours_e = set1(e * available);
  }
  const V pref0 = column(r, [&](int q) { return R.prefs(q)[0]; });

  // 4: a stage's conversion from its skill's effective value.
  const V whole = sub(one, mul(set1(P.burnout.conversion_loss), B));
  V per_stage = whole;  // stage_conversion_factor, whose B == 0 case is `whole` as well
  if (K == 2 || K == 4) {
    per_stage = _mm256_sqrt_pd(whole);
    if (K == 4) per_stage = _mm256_sqrt_pd(per_stage);
    per_stage = _mm256_blendv_pd(per_stage, whole, _mm256_cmp_pd(B, zero, _CMP_EQ_OQ));
  } else if (K != 1) {
    const Lanes b = lanes_of(B);
    per_stage = _mm256_setr_pd(stage_conversion_factor(P.burnout, b.v[0], K),
                               stage_conversion_factor(P.burnout, b.v[1], K),
                               stage_conversion_factor(P.burnout, b.v[2], K),
                               stage_conversion_factor(P.burnout, b.v[3], K));
  }
  const auto& stages = P.pipeline.stages;
  for (int k = 0; k < K; ++k) {
    const Stage& s = stages[k];
    const Lanes pk = lanes_of(
        mul(add(set1(s.conversion.floor),
                mul(sigma(R, r, rho, s.skill_index), set1(s.conversion.top - s.conversion.floor))),
            per_stage));
    for (int i = 0; i < 4; ++i) p[i * K + k] = pk.v[i];
  }
  const auto& yield = P.prospecting.yield;
  const V y = add(set1(yield.floor), mul(sigma(R, r, rho, 0), set1(yield.top - yield.floor)));

  // 5
  const std::int64_t* open[4] = {R.n(r[0]), R.n(r[1]), R.n(r[2]), R.n(r[3])};
  V open_d[kLaneStages], worked_d[kLaneStages];
  std::int64_t worked_k[kLaneStages][4];
  for (int k = 0; k < K; ++k)
    open_d[k] = _mm256_setr_pd(double(open[0][k]), double(open[1][k]), double(open[2][k]),
                               double(open[3][k]));
  const V prospecting =
      allocate_hours4(P, H, F, hours_e, pref0, st.w, open, open_d, worked_k, worked_d);
  for (int k = 0; k < K; ++k)
    for (int i = 0; i < 4; ++i) worked[i * K + k] = worked_k[k][i];

  V disliked = mul(prospecting, sub(one, pref0));  // 6
  V W = add(F, prospecting);
  for (int k = 0; k < K; ++k) {
    const V h = mul(worked_d[k], set1(stages[k].hours));
    W = add(W, h);
    disliked = add(disliked, mul(h, sub(one, column(r, [&](int q) { return R.prefs(q)[k + 1]; }))));
  }
  const double sustainable = P.capacity.sustainable_hours;
  const V load = divide(W, set1(sustainable));
  // next_burnout (models/burnout.hpp), term by term.
  const BurnoutParams& b = P.burnout;
  const V next =
      sub(add(add(B, mul(set1(b.accumulation), max_of(zero, sub(load, set1(b.onset_load))))),
              divide(mul(set1(b.discomfort * (1 - st.w)), disliked), set1(sustainable))),
          mul(set1(b.recovery), B));
  const V burnout = clamp01(next);
  // 12's quit chance, as quits() (models/people.hpp) forms it.
  const V q =
      min_of(one, add(set1(cx.D.weekly_hazard), mul(mul(set1(b.attrition), burnout), burnout)));
  // 8's mean, as lead_rate (models/lead_generation.cpp) forms it without segments: prospected
  // plus inbound. Its draw is made with the block's flows.
  const double M = st.M;
  const V prospected =
      mul(mul(mul(set1(M), prospecting), y), set1(1 + P.prospecting.icp_lift * st.a));
  const double inbound =
      M * cx.market.lead_quality * cx.market.inbound_leads_per_week / double(n_active);
  const Lanes quit_chance = lanes_of(q), hours = lanes_of(W), rho_l = lanes_of(rho),
              burnout_l = lanes_of(burnout), lead_rate = lanes_of(add(prospected, set1(inbound)));

  // The reps' draws, then the block: up to and including the first rep that quits.
  int m = 0;
  while (m < count) {
    RepWeek& w = out[m];
    w.r = r[m];
    reset_rep_week_draws(cx, w.r, w.draws);
    w.rho = rho_l.v[m], w.lead_rate = lead_rate.v[m], w.burnout = burnout_l.v[m];
    const double qm = quit_chance.v[m];
    w.quits = qm > 0 && w.draws.uniform32_at(rep_week::attrition(K)) < qm;
    st.tally.hours_sum += hours.v[m];
    ++st.tally.stepped;
    if (out[m++].quits) break;
  }
  return m;
}

}  // namespace salesim
