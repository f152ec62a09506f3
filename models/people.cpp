#include "models/people.hpp"

#include <algorithm>

namespace salesim {
namespace {

// Activates rep r under manager r mod managers with skills from `skill` (one Beta per skill, or
// per-skill distributions) and preferences from team.preference, drawing from stream s.
template <class SkillDist>
void draw_rep(PathState& st, int r, int managers, const sim::BetaMeanSd& preference,
              SkillDist skill_dist, sim::Stream& s) {
  Reps& R = st.reps;
  for (int j = 0; j < R.J; ++j) R.s(r)[j] = sim::draw_beta(skill_dist(j), s);
  for (int a = 0; a < R.A; ++a) R.prefs(r)[a] = sim::draw_beta(preference, s);
  R.manager[r] = r % managers;
  R.active[r] = 1;
  st.active_list.push_back(r);
  ++st.team_size[R.manager[r]];
}

sim::BetaMeanSd beta(const BetaSpec& b) { return {b.mean, b.sd}; }

}  // namespace

void init_team(const PlanModel& model, PathState& st) {
  const Params& p = model.base;
  const int managers = int(p.team.managers);
  for (int i = 0; i < p.team.reps; ++i) {
    const int r = st.reps.add();
    sim::Stream s = model.stream(st.path, Process::team, r, 0);
    draw_rep(
        st, r, managers, beta(p.team.preference), [&](int j) { return model.skill_dist[j]; }, s);
    st.reps.tenure[r] = int(p.team.tenure_weeks);
    for (int k = 0; k < st.reps.K; ++k) st.reps.n(r)[k] = p.pipeline.stages[k].initial_per_rep;
  }
}

void join_hires(WeekContext& cx) {
  PathState& st = cx.st;
  const int count = st.pending_hires[cx.t];
  const sim::BetaMeanSd skill = beta(cx.P.people.new_hire_skill);
  for (int i = 0; i < count; ++i) {
    const int r = st.reps.add();
    sim::Stream s = cx.stream(Process::hires, r);
    draw_rep(
        st, r, int(cx.model.base.team.managers), beta(cx.model.base.team.preference),
        [&](int) { return skill; }, s);
    ++st.tally.hires;
    st.tally.costs += cx.P.people.hire_cost;
  }
}

void attrition(WeekContext& cx, int r) {
  PathState& st = cx.st;
  Reps& R = st.reps;
  const double B = R.burnout[r];
  const double q = std::min(1.0, cx.D.weekly_hazard + cx.P.burnout.attrition * B * B);
  if (q <= 0 || cx.stream(Process::attrition, r).uniform_at(0) >= q) return;

  R.active[r] = 0;
  --st.team_size[R.manager[r]];
  ++st.tally.leavers;
  // The receiver: the active teammate with the fewest open opportunities (lowest index on
  // ties), else any active rep by the same rule. Chosen once, before the hand-over.
  int receiver = -1;
  std::int64_t fewest = 0;
  for (int pass = 0; pass < 2 && receiver < 0; ++pass)
    for (int o : st.active_list) {
      if (!R.active[o] || (pass == 0 && R.manager[o] != R.manager[r])) continue;
      const std::int64_t total = R.open_total(o);
      if (receiver < 0 || total < fewest) receiver = o, fewest = total;
    }
  sim::Stream s = cx.stream(Process::handover, r);
  for (int k = 0; k < R.K; ++k) {
    std::int64_t& n = R.n(r)[k];
    if (n == 0) continue;
    const std::int64_t lost = sim::binomial_inv(n, cx.P.people.handover_loss, s.uniform_at(k));
    const std::int64_t kept = receiver >= 0 ? n - lost : 0;
    st.tally.lost += n - kept;
    if (receiver >= 0) R.n(receiver)[k] += kept;
    n = 0;
  }
  const int fill_week = cx.t + int(cx.P.people.time_to_fill_weeks);
  if (cx.P.people.backfill && fill_week < cx.model.horizon) ++st.pending_hires[fill_week];
}

}  // namespace salesim
