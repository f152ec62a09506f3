#include "models/people.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <utility>
#include <vector>

#include "models/rep_week.hpp"
#include "models/segments.hpp"

namespace salesim {
namespace {

// Activates rep r under manager r mod managers. Every rep's manager is its index mod managers:
// ReceiverIndex relies on it (and checks it).
void activate_rep(PathState& st, int r, int managers) {
  Reps& R = st.reps;
  R.manager[r] = r % managers;
  R.active[r] = 1;
  st.active_list.push_back(r);
  ++st.team_size[R.manager[r]];
}

// Rep r's skills from `skill` (one Beta per skill, or per-skill distributions) and preferences
// from team.preference, drawn from stream s.
template <class SkillDist>
void draw_rep(Reps& R, int r, const sim::BetaMeanSd& preference, SkillDist skill_dist,
              sim::Stream& s) {
  for (int j = 0; j < R.J; ++j) R.s(r)[j] = sim::draw_beta(skill_dist(j), s);
  for (int a = 0; a < R.A; ++a) R.prefs(r)[a] = sim::draw_beta(preference, s);
}

sim::BetaMeanSd beta(const BetaSpec& b) { return {b.mean, b.sd}; }

// The hand-over receiver of MODEL.md 3.4.12 is the active rep with the fewest open
// opportunities (lowest index on ties), among the leaver's teammates first, else among all.
// Scanning the active list for each leaver costs reps x leavers per week, which is quadratic
// in the team (100,000 reps: minutes). This index answers the same question in O(1) and is
// kept up to date in O(log team size) per change:
//
// - one min-tree per manager over its reps (rep = manager + k x managers, leaf k), each leaf
//   holding (open total, rep), or (max, max) for a rep that is not active; the root is the
//   lexicographic minimum, which is the rule's "fewest, then lowest index";
// - it is built from the current state at the week's first leaver (most weeks of a small team
//   have none, so most weeks pay nothing), so it never depends on anything before that;
// - from then on, a rep's open opportunities change only while it is stepped (its own
//   pipeline flows and leads, MODEL.md 3.4.7-8) and when it receives a hand-over. attrition()
//   is the last part of every active rep's step once the index exists (the step calls it
//   without a quit only then), so it refreshes that rep's leaf first; the
//   receiver's leaf is refreshed after the hand-over. Every leaf therefore holds the rep's
//   current total at the moment of each hand-over, as the rule requires.
//
// It lives per thread (a path runs on one thread from init to its last week) and is used only
// for the path and week it was built for; anything else (attrition called outside
// step_week, managers not assigned as index mod managers) falls back to the plain scan.
class ReceiverIndex {
 public:
  using Key = std::pair<std::int64_t, int>;  // (open total, rep)
  static constexpr Key kNone{std::numeric_limits<std::int64_t>::max(),
                             std::numeric_limits<int>::max()};

  void rebuild(const PathState& st, int managers) {
    owner_ = &st, path_ = st.path, week_ = st.week;
    const Reps& R = st.reps;
    valid_ = managers > 0;
    for (int o = 0; valid_ && o < R.count; ++o) valid_ = R.manager[o] == o % managers;
    if (!valid_) return;
    managers_ = managers;
    leaves_.assign(managers, 0);
    offset_.assign(managers + 1, 0);
    for (int m = 0; m < managers; ++m) {
      const int reps = R.count > m ? (R.count - m + managers - 1) / managers : 0;
      int p = 1;
      while (p < reps) p *= 2;
      leaves_[m] = p;
      offset_[m + 1] = offset_[m] + 2 * std::size_t(p);
    }
    tree_.assign(offset_[managers], kNone);
    for (int o = 0; o < R.count; ++o)
      if (R.active[o]) leaf(o) = {R.open_total(o), o};
    for (int m = 0; m < managers; ++m) {
      Key* t = &tree_[offset_[m]];
      for (int i = leaves_[m] - 1; i >= 1; --i) t[i] = std::min(t[2 * i], t[2 * i + 1]);
    }
  }

  bool serves(const PathState& st) const {
    return valid_ && owner_ == &st && path_ == st.path && week_ == st.week;
  }

  // Rep o (below the count at the rebuild) now has `key`.
  void set(int o, Key key) {
    const int m = o % managers_;
    Key* t = &tree_[offset_[m]];
    int i = leaves_[m] + o / managers_;
    t[i] = key;
    for (i /= 2; i >= 1; i /= 2) t[i] = std::min(t[2 * i], t[2 * i + 1]);
  }

  // The receiver for a leaver of manager m (already set to kNone): -1 when nobody is active.
  int receiver(int m) const {
    Key best = root(m);
    if (best == kNone)
      for (int k = 0; k < managers_; ++k) best = std::min(best, root(k));
    return best == kNone ? -1 : best.second;
  }

 private:
  Key& leaf(int o) {
    return tree_[offset_[o % managers_] + leaves_[o % managers_] + o / managers_];
  }
  Key root(int m) const { return tree_[offset_[m] + 1]; }

  const PathState* owner_ = nullptr;
  std::uint64_t path_ = 0;
  int week_ = -1, managers_ = 0;
  bool valid_ = false;
  std::vector<int> leaves_;          // leaves per manager's tree (a power of two)
  std::vector<std::size_t> offset_;  // where each tree starts in tree_
  std::vector<Key> tree_;            // per manager: [1] the root, [leaves + k] leaf k
};

thread_local ReceiverIndex receiver_index;

// Teams up to this many active reps find the receiver by the scan: a few hundred loads per
// leaver, where building the index and keeping every later rep's leaf up to date for the rest
// of the week cost more (the same receiver either way; tests/test_people_market.cpp).
std::atomic<std::size_t> scan_team{kHandOverScanTeam};

// The rule by a scan of the active list (the definition; used when the index does not serve).
int receiver_by_scan(const PathState& st, int r) {
  const Reps& R = st.reps;
  int receiver = -1;
  std::int64_t fewest = 0;
  for (int pass = 0; pass < 2 && receiver < 0; ++pass)
    for (int o : st.active_list) {
      if (!R.active[o] || (pass == 0 && R.manager[o] != R.manager[r])) continue;
      const std::int64_t total = R.open_total(o);
      if (receiver < 0 || total < fewest) receiver = o, fewest = total;
    }
  return receiver;
}

}  // namespace

void init_team(const PlanModel& model, PathState& st, TeamDraws* kept) {
  const Params& p = model.base;
  const int managers = int(p.team.managers), reps = int(p.team.reps);
  Reps& R = st.reps;
  const sim::BetaMeanSd preference = beta(p.team.preference);
  const std::uint64_t seed = model.scenario.base.simulation.seed;
  // Another plan on this path drew the same team from the same distributions: read it.
  const bool reuse =
      kept && kept->drawn_from(seed, st.path, reps, R.J, R.A, model.skill_dist, preference);
  for (int i = 0; i < reps; ++i) {
    const int r = R.add();
    if (reuse) {
      std::copy_n(&kept->skills[std::size_t(r) * R.J], R.J, R.s(r));
      std::copy_n(&kept->prefs[std::size_t(r) * R.A], R.A, R.prefs(r));
    } else {
      sim::Stream s = model.stream(st.path, Process::team, r, 0);
      draw_rep(
          R, r, preference, [&](int j) { return model.skill_dist[j]; }, s);
    }
    activate_rep(st, r, managers);
    R.tenure[r] = int(p.team.tenure_weeks);
    for (int k = 0; k < R.K; ++k) R.n(r)[k] = p.pipeline.stages[k].initial_per_rep;
  }
  if (!kept || reuse) return;
  // The starting team holds indices 0 .. reps - 1 (init_path resets the reps first).
  *kept = TeamDraws{true, seed, st.path, reps, R.J, R.A, model.skill_dist, preference, {}, {}};
  kept->skills.assign(R.durable.begin(), R.durable.begin() + std::ptrdiff_t(reps) * R.J);
  kept->prefs.assign(R.pref.begin(), R.pref.begin() + std::ptrdiff_t(reps) * R.A);
}

void join_hires(WeekContext& cx) {
  PathState& st = cx.st;
  const int count = st.pending_hires[cx.t];
  const sim::BetaMeanSd skill = beta(cx.P.people.new_hire_skill);
  for (int i = 0; i < count; ++i) {
    const int r = st.reps.add();
    sim::Stream s = cx.stream(Process::hires, r);
    draw_rep(
        st.reps, r, beta(cx.model.base.team.preference), [&](int) { return skill; }, s);
    activate_rep(st, r, int(cx.model.base.team.managers));
    ++st.tally.hires;
    st.tally.charge(cost::hiring, cx.P.people.hire_cost);
  }
}

namespace {

// Rep r leaves this week (3.4.12): the hand-over of its pipeline and the backfill. Rare (a few
// times a year per team), so kept out of the common path of attrition().
[[gnu::noinline]] void leave(WeekContext& cx, int r, ReceiverIndex* index) {
  PathState& st = cx.st;
  Reps& R = st.reps;
  R.active[r] = 0;
  --st.team_size[R.manager[r]];
  ++st.tally.leavers;
  // The receiver: the active teammate with the fewest open opportunities (lowest index on
  // ties), else any active rep by the same rule. Chosen once, before the hand-over.
  if (index) {
    index->set(r, ReceiverIndex::kNone);
  } else if (st.active_list.size() > scan_team.load(std::memory_order_relaxed)) {
    // The week's first leaver of a large team: the index starts from the team as it is now.
    receiver_index.rebuild(st, int(cx.model.base.team.managers));
    st.receiver_index_week = st.week;
    if (receiver_index.serves(st)) index = &receiver_index;
  }
  const int receiver = st.territory.segments ? segment_receiver(st, r)  // within its segment (12.7)
                       : index               ? index->receiver(R.manager[r])
                                             : receiver_by_scan(st, r);
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
  if (index && receiver >= 0) index->set(receiver, {R.open_total(receiver), receiver});
  const int fill_week = cx.t + int(cx.P.people.time_to_fill_weeks);
  if (cx.P.people.backfill && fill_week < cx.model.horizon) ++st.pending_hires[fill_week];
}

}  // namespace

void set_hand_over_scan_team(std::size_t reps) { scan_team.store(reps, std::memory_order_relaxed); }

void attrition(WeekContext& cx, int r, bool quits) {
  PathState& st = cx.st;
  Reps& R = st.reps;
  // The index exists only from this path's first leaver of the week on (most weeks have none):
  // the path's own mark says so without touching the thread's index, and an index another path
  // or plan left on this thread can never serve (init_path clears the mark).
  ReceiverIndex* index =
      st.receiver_index_week == st.week && receiver_index.serves(st) ? &receiver_index : nullptr;
  // r has just been stepped (this is the last part of its step): its total is final for now.
  if (index) index->set(r, {R.open_total(r), r});
  if (quits) leave(cx, r, index);
}

}  // namespace salesim
