// The weekly step, in MODEL.md's order. Each mechanism lives in its own file; this one only
// says in which order they run.
#include "models/week.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "models/burnout.hpp"
#include "models/capacity.hpp"
#include "models/coaching.hpp"
#include "models/lead_generation.hpp"
#include "models/market.hpp"
#include "models/outputs.hpp"
#include "models/people.hpp"
#include "models/pipeline_flow.hpp"
#include "models/pipeline_flow_lanes.hpp"
#include "models/programs.hpp"
#include "models/quota.hpp"
#include "models/recurring.hpp"
#include "models/segments.hpp"
#include "models/skills.hpp"
#include "models/training.hpp"
#include "models/week_lanes.hpp"

namespace salesim {

void init_path(const PlanModel& model, PathScratch& scratch, std::uint64_t path) {
  PathState& st = scratch.state;
  const Params& p = model.base;
  const int managers = int(p.team.managers);
  st.path = path;
  st.week = 0;
  st.uses_plan_params = false;
  st.receiver_index_week = -1;
  st.cumulative = 0;
  st.a = p.org.alignment, st.w = p.org.awareness, st.c_pol = p.org.coaching_hours_per_rep;
  st.m.assign(managers, p.org.manager_coaching_skill);
  st.team_size.assign(managers, 0);
  st.coaching.assign(managers, 0.0);
  st.active_list.clear();
  st.pending_hires.assign(model.horizon, 0);
  for (const Hire& h : model.plan.params.hiring) st.pending_hires[h.week] += h.count;
  st.enrolled.resize(model.plan.params.training.size());
  for (auto& e : st.enrolled) e.clear();
  st.reps.reset(model.J, model.A, model.K);
  // Room for the reps a path usually has: the team and its hires, each with a backfill (a week
  // past that grows the buffers once, as any other scratch).
  std::size_t reps = std::size_t(p.team.reps);
  for (const Hire& h : model.plan.params.hiring) reps += std::size_t(h.count);
  scratch.held_wins.reserve(2 * reps + 16);
  scratch.sigma.resize(model.J);
  scratch.p.resize(4 * std::size_t(model.K));  // four reps' (step_reps_in_lanes)
  scratch.worked.resize(4 * std::size_t(model.K));
  scratch.exits.resize(model.K);
  scratch.stale.resize(model.K);
  init_demand(model, st);
  if (scratch.shared)  // draws another plan made on this path are read, not drawn again
    scratch.shared->rep_weeks.start(model.scenario.base.simulation.seed, path,
                                    std::uint32_t(Process::rep_week), model.horizon);
  init_team(model, st, scratch.shared ? &scratch.shared->team : nullptr);
  if (model.recurring) init_contracts(model, st.contracts, path);
  // Extensions (docs/model.md 12.7-12.8), off without their keys.
  st.territory.segments = p.segments.on();
  st.territory.quota = p.quota.on(p.segments);
  if (st.territory.segments) init_segments(model, st);
  if (st.territory.quota) init_quota(st);
}

namespace {

// Steps 1-6 of 3.4 for active rep r, its draws and its burnout after step 9; p and worked get
// the stages' conversions and worked opportunities.
[[gnu::always_inline]] inline void before_flows(WeekContext& cx, int r, double* p,
                                                std::int64_t* worked, RepWeek& w) {
  const Params& P = cx.P;
  PathState& st = cx.st;
  Reps& R = st.reps;
  PathScratch& sc = cx.scratch;
  const double B = R.burnout[r];
  const double c = st.coaching[R.manager[r]];
  w.r = r;

  const double rho = w.rho = ramp(P, R.tenure[r]);                          // 1
  const bool segments = st.territory.segments, quota = st.territory.quota;  // 12.7-12.8
  const double e = quota ? rep_effort(cx, r) : cx.effort;                   // 2
  if (quota) accrue_quota(cx, r, rho);
  HoursInput hours;  // 3
  hours.H = P.capacity.max_hours * e * (1 - P.burnout.capacity_loss * B);
  hours.F = P.capacity.admin_hours * (1 + P.capacity.control_overhead * (1 - st.a)) +
            R.training_hours[r] + c + st.extra_fixed_hours;
  hours.e = e;
  if (!cx.model.calendar.hours.empty()) {  // holidays and vacation (docs/model.md 12.6)
    const double available = cx.model.calendar.hours[cx.t];
    hours.H *= available;
    hours.e *= available;  // the slack of 3.4.5 shrinks with the working days
  }
  hours.pref_prospecting = R.prefs(r)[0];
  hours.awareness = st.w;

  double* sigma = sc.sigma.data();  // 4
  effective_skills(R, r, rho, sigma);
  const auto& stages = P.pipeline.stages;
  const double per_stage = stage_conversion_factor(P.burnout, B, R.K);
  for (int k = 0; k < R.K; ++k) {
    const Stage& s = stages[k];
    p[k] = (s.conversion.floor + sigma[s.skill_index] * (s.conversion.top - s.conversion.floor)) *
           per_stage;
  }
  if (segments) scale_conversions(cx, r, p, R.K);
  const auto& yield = P.prospecting.yield;
  w.y = yield.floor + sigma[0] * (yield.top - yield.floor);

  w.prospecting = allocate_hours(P, hours, R.n(r), worked);  // 5

  double disliked = w.prospecting * (1 - R.prefs(r)[0]);  // 6
  double W = hours.F + w.prospecting;
  for (int k = 0; k < R.K; ++k) {
    const double h = double(worked[k]) * stages[k].hours;
    W += h;
    disliked += h * (1 - R.prefs(r)[k + 1]);
  }
  const double load = W / P.capacity.sustainable_hours;
  st.tally.hours_sum += W;
  ++st.tally.stepped;
  w.burnout = next_burnout(P.burnout, B, load, disliked, P.capacity.sustainable_hours, st.w);

  reset_rep_week_draws(cx, r, w.draws);
  w.quits = quits(cx, w.burnout, w.draws);
}

// The rest of the step once step 7's counts are drawn: its tallies and bookings, then 8-12.
// `created`: step 8's draw if already made (step_reps_in_lanes), else null to draw it here,
// after the bookings (with segments the lead rates read them, docs/model.md 12.7). In lanes the
// wins are held and booked at the end of the reps' loop (hold_wins).
[[gnu::always_inline]] inline void after_flows(WeekContext& cx, RepWeek& w, const Flowed& flowed,
                                               int n_active, const std::int64_t* created) {
  PathState& st = cx.st;
  Reps& R = st.reps;
  const int r = w.r;
  const bool segments = st.territory.segments;
  if (!created) {
    book_flows(cx, r, flowed, w.draws);  // 7
  } else {
    st.tally.lost += flowed.lost;
    if (flowed.won > 0) hold_wins(cx, flowed.won, w.draws);
  }
  add_leads(cx, r,  // 8
            created ? *created
                    : draw_leads(lead_rate(cx, r, w.prospecting, w.y, n_active), R.K, w.draws));
  if (segments) take_accounts(cx, r);
  R.burnout[r] = w.burnout;                                                                // 9
  update_skills(cx.P.skills, cx.scratch.skill_steps[R.manager[r]], w.rho, R.s(r), R.g(r),  // 10
                R.J);
  ++R.tenure[r];  // 11
  // 12. Without a quit, attrition() only updates the hand-over index, which exists from the
  // week's first leaver on (people.cpp): most rep-weeks need no call.
  if (w.quits || st.receiver_index_week == st.week) attrition(cx, r, w.quits);
  if (segments) settle_accounts(cx, r);
}

// 3.4 for one active rep r; w is reused from rep to rep.
void step_rep(WeekContext& cx, int r, int n_active, RepWeek& w) {
  PathScratch& sc = cx.scratch;
  before_flows(cx, r, sc.p.data(), sc.worked.data(), w);
  if (cx.st.territory.segments) before_rep_flows(cx);
  const Flowed flowed = stage_flows(cx.D, cx.st.reps.K, cx.st.reps.n(r), sc.p.data(),
                                    sc.worked.data(), w.draws, sc.exits.data(), sc.stale.data());
  after_flows(cx, w, flowed, n_active, nullptr);
}

// 3.4 for the active reps, up to four at a time in lanes: steps 1-6 (before_flows4,
// models/week_lanes.hpp), step 7's counts (stage_flows4) and step 8's draws, then the rest of
// the step rep by rep. A block ends at a rep that quits: its hand-over may go to any rep not
// yet stepped, so the reps after it start their steps after the hand-over, as one at a time.
// Nothing else a block's reps share changes inside the loop (without segments or quotas), and
// every sum is still taken in index order (hours in before_flows4, bookings in
// book_held_wins, which books the week's deals rep by rep after the loop): the same bits as
// step_rep.
void step_reps_in_lanes(WeekContext& cx, int n_active) {
  PathScratch& sc = cx.scratch;
  Reps& R = cx.st.reps;
  const int K = R.K;
  const std::vector<int>& active = cx.st.active_list;
  RepWeek block[4];
  RepFlows in[4];
  Flowed flowed[4];
  for (int i = 0; i < n_active;) {
    const int m = before_flows4(cx, n_active, &active[i], std::min(4, n_active - i), sc.p.data(),
                                sc.worked.data(), block);
    for (int j = 0; j < m; ++j)
      in[j] = RepFlows{R.n(block[j].r), sc.worked.data() + j * K, sc.p.data() + j * K,
                       block[j].draws.words()};
    if (m == 1)
      flowed[0] = stage_flows(cx.D, K, in[0].n, in[0].p, in[0].worked, block[0].draws,
                              sc.exits.data(), sc.stale.data());
    else
      stage_flows4(*cx.D.lanes, cx.D, K, in, m, flowed);
    // Step 8's draws: their means are fixed for the week here (no segments), so they can be
    // drawn before any of the block's bookings.
    double rate[4];
    rep_week::Draws* draws[4];
    std::int64_t created[4];
    for (int j = 0; j < m; ++j) {
      rate[j] = block[j].lead_rate;
      draws[j] = &block[j].draws;
    }
    draw_leads4(rate, draws, K, m, created);
    for (int j = 0; j < m; ++j) after_flows(cx, block[j], flowed[j], n_active, &created[j]);
    i += m;
  }
  book_held_wins(cx);  // step 7's deal sizes, all at once, booked in the reps' order
}

}  // namespace

void step_week(const PlanModel& model, PathScratch& scratch, int t) {
  PathState& st = scratch.state;
  st.week = t;
  st.tally = WeekTally{};
  st.extra_fixed_hours = 0;

  // 3.1 Demand, with the market parameters in force before this week's plan events; they stay
  // in force for the whole week (MODEL.md 3.2: a plan's market.* applies from week t + 1).
  const MarketParams& market = model.params(st.uses_plan_params).market;
  update_demand(model, market, st, t);
  if (!model.calendar.season.empty()) st.M *= model.calendar.season[t];  // docs/model.md 12.6

  // 3.2 Plan and calendar events: overrides, hires, programs, training enrolment.
  if (t == model.plan.from_week && !st.uses_plan_params) {
    st.uses_plan_params = true;
    const OrgParams& org = model.plan.params.org;
    if (model.plan.sets_alignment) st.a = org.alignment;
    if (model.plan.sets_awareness) st.w = org.awareness;
    if (model.plan.sets_coaching_skill)
      std::fill(st.m.begin(), st.m.end(), org.manager_coaching_skill);
    if (model.plan.sets_coaching_policy) st.c_pol = org.coaching_hours_per_rep;
  }
  const Params& in_force = model.params(st.uses_plan_params);
  WeekContext cx{model,   st,
                 scratch, in_force,
                 market,  model.derived(st.uses_plan_params),
                 t,       effort(in_force, model.commission_baseline)};
  join_hires(cx);
  start_programs(cx);
  enrol_training(cx);
  set_training_hours(cx);
  if (st.territory.segments) segments_week_start(cx);  // 12.7: accounts, territories
  if (st.territory.quota) quota_week_start(cx);        // 12.8

  allot_coaching(cx);  // 3.3
  // What that coaching does for skills (3.4.10) is the same for a whole team this week.
  scratch.skill_steps.resize(st.coaching.size());
  for (std::size_t m = 0; m < st.coaching.size(); ++m)
    scratch.skill_steps[m] = skill_step(in_force.skills, st.coaching[m], st.m[m]);

  // 3.4 Each active rep, in index order. Leavers are flagged inactive at once and dropped
  // from the list after the loop, so the loop sees the list as it was at the start.
  // Four reps at a time where the lanes can run: not with segments or quotas (12.7-12.8), whose
  // territory the step reads and writes rep by rep.
  const int n_active = int(st.active_list.size());
  if (cx.D.lanes && flow_lanes_enabled() && !st.territory.segments && !st.territory.quota)
    step_reps_in_lanes(cx, n_active);
  else {
    RepWeek w;
    for (int i = 0; i < n_active; ++i) step_rep(cx, st.active_list[i], n_active, w);
  }
  std::erase_if(st.active_list, [&](int r) { return !st.reps.active[r]; });

  complete_training(cx);                    // 3.5
  if (model.recurring) step_contracts(cx);  // renewals and new contracts (docs/model.md 12.5)

  // 3.6 Costs (active reps counted after attrition).
  const Params& P = cx.P;
  const double salaries = P.team.salary * double(st.active_list.size()) / 52.0,
               managers = P.team.manager_salary * double(P.team.managers) / 52.0,
               commission = P.compensation.commission_rate * commissionable(cx),
               marketing = P.costs.marketing_per_week;
  st.tally.costs += salaries + managers + commission + marketing;
  std::array<double, cost::part_count>& parts = st.tally.cost_parts;
  parts[cost::rep_salaries] += salaries, parts[cost::managers] += managers;
  parts[cost::commission] += commission, parts[cost::marketing] += marketing;
  st.cumulative += st.tally.bookings;
}

void run_path(const PlanModel& model, PathScratch& scratch, std::uint64_t path,
              sim::PathSlots& out) {
  init_path(model, scratch, path);
  PathState& st = scratch.state;
  const Scenario& sc = model.scenario;
  const GoalParams& goal = sc.base.goal;
  const int weeks = model.horizon, goal_week = sc.goal_week();
  const double inf = std::numeric_limits<double>::infinity();
  double* S = out.scalars.data();
  std::fill(out.scalars.begin(), out.scalars.end(), 0.0);
  S[out::goal_week] = inf;
  double hours_weeks = 0, hours_sum = 0;
  std::size_t next_cp = 0;
  double* period = S + out::first_period(sc);
  const int run_rate_from = weeks - out::run_rate_weeks(weeks);
  double run_rate_sum = 0;
  const bool on_arr = goal.metric == "arr";
  // ARR's weekly series, when the slots have room for them (a stored run's, and a streamed
  // run's since its layout keeps them too; salesim run still refuses --streaming for
  // recurring revenue, whose summaries need every path's column).
  const bool keep_arr =
      model.recurring && out.kept.size() >= (out::kept_count + arr_out::kept_parts) * weeks;

  for (int t = 0; t < weeks; ++t) {
    step_week(model, scratch, t);
    const WeekTally& w = st.tally;
    const Reps& R = st.reps;
    // 3.7 Recorded each week.
    out.kept[out::cum_bookings * weeks + t] = st.cumulative;
    out.kept[out::weekly_bookings * weeks + t] = w.bookings;
    if (keep_arr) {
      out.kept[(out::kept_count + arr_out::arr) * weeks + t] = st.contracts.arr;
      out.kept[(out::kept_count + arr_out::mrr) * weeks + t] = st.contracts.mrr;
    }
    double burnout = 0;
    int burnt = 0;
    std::int64_t open = 0;
    for (int r : st.active_list) {
      burnout += R.burnout[r];
      burnt += R.burnout[r] > 0.7;
      open += R.open_total(r);
    }
    const double n = double(st.active_list.size());
    auto rec = [&](std::size_t series, double v) { out.summed[series * weeks + t] = v; };
    rec(out::s_bookings, w.bookings);
    rec(out::s_costs, w.costs);
    rec(out::s_active, n);
    rec(out::s_burnout_mean, n > 0 ? burnout / n : 0.0);
    rec(out::s_has_reps, n > 0);
    rec(out::s_burnt_out, burnt);
    rec(out::s_leavers, w.leavers);
    rec(out::s_hires, w.hires);
    rec(out::s_created, double(w.created));
    rec(out::s_won, double(w.won));
    rec(out::s_lost, double(w.lost));
    rec(out::s_open_count, double(open));
    rec(out::s_open_value, double(open) * model.params(st.uses_plan_params).pipeline.deal_mean);
    rec(out::s_hours_per_rep, w.stepped > 0 ? w.hours_sum / w.stepped : 0.0);
    rec(out::s_has_stepped, w.stepped > 0);

    S[out::cost] += w.costs;
    for (std::size_t k = 0; k < cost::part_count; ++k)
      S[out::first_cost_part + k] += w.cost_parts[k];
    period[next_cp] += w.bookings;  // the period that ends at the next checkpoint
    if (t >= run_rate_from) run_rate_sum += w.bookings;
    S[out::leavers] += w.leavers;
    S[out::hires] += w.hires;
    S[out::created] += double(w.created);
    S[out::won] += double(w.won);
    S[out::lost] += double(w.lost);
    S[out::rep_weeks] += w.stepped;
    if (w.stepped > 0) hours_sum += w.hours_sum / w.stepped, ++hours_weeks;
    // What the goal counts: cumulative bookings, or ARR at the week (goal.metric: arr).
    const double reached = on_arr ? st.contracts.arr : st.cumulative;
    if (goal.revenue && std::isinf(S[out::goal_week]) && reached >= *goal.revenue)
      S[out::goal_week] = t + 1;
    if (goal.revenue && t + 1 == goal_week) S[out::goal_met] = reached >= *goal.revenue;
    while (next_cp < goal.checkpoints.size() && goal.checkpoints[next_cp].week == t + 1) {
      S[out::first_checkpoint + next_cp] = reached >= goal.checkpoints[next_cp].revenue;
      ++next_cp;
    }
  }

  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Reps& R = st.reps;
  S[out::final_bookings] = st.cumulative;
  S[out::exit_run_rate] = weeks > 0 ? run_rate_sum * (52.0 / out::run_rate_weeks(weeks)) : 0.0;
  if (!goal.revenue) S[out::goal_met] = nan, S[out::goal_week] = nan;
  S[out::all_checkpoints] = goal.checkpoints.empty() ? nan : 1.0;
  for (std::size_t i = 0; i < goal.checkpoints.size(); ++i)
    if (S[out::first_checkpoint + i] == 0) S[out::all_checkpoints] = 0;
  const double n = double(st.active_list.size());
  double burnout = 0, burnt = 0;
  std::int64_t open = 0;
  const Params& in_force = model.params(st.uses_plan_params);
  for (int r : st.active_list) {
    burnout += R.burnout[r], burnt += R.burnout[r] > 0.7;
    open += R.open_total(r);
    S[out::ramped_headcount] += ramp(in_force, R.tenure[r]) >= 1.0;
  }
  S[out::open_pipeline_value] = double(open) * in_force.pipeline.deal_mean;
  S[out::headcount_final] = n;
  S[out::burnout_final] = n > 0 ? burnout / n : nan;
  S[out::burnt_out_share_final] = n > 0 ? burnt / n : nan;
  S[out::hours_per_rep_week] = hours_weeks > 0 ? hours_sum / hours_weeks : nan;
  if (model.recurring) write_contracts(model, st.contracts, S + out::first_recurring(sc));
  const out::territory::Layout L = out::territory_layout(sc);  // 12.7-12.8
  if (L.count() > 0) out::territory::write_path_figures(sc, st, L, S);
}

}  // namespace salesim
