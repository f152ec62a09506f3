#pragma once
// The state of one simulated path (MODEL.md section 2), as structure-of-arrays. Buffers are
// sized once per thread and reused from path to path, so the weekly loop does not allocate
// once a thread has seen its largest team.
#include <array>
#include <cstdint>
#include <vector>

#include "models/contracts.hpp"
#include "models/cost_parts.hpp"
#include "models/shared_draws.hpp"
#include "models/skills.hpp"
#include "models/territory_state.hpp"
#include "sim/runner.hpp"

namespace salesim {

struct Reps {
  int count = 0;            // reps created so far (indices 0..count-1)
  int J = 0, A = 0, K = 0;  // skills, activities, stages
  std::vector<std::uint8_t> active;
  std::vector<int> manager, tenure;
  std::vector<double> burnout;
  std::vector<double> durable, gain;   // [rep * J + j]
  std::vector<double> pref;            // [rep * A + activity]; activity 0 is prospecting
  std::vector<std::int64_t> open;      // [rep * K + k]
  std::vector<double> training_hours;  // this week's T, per rep

  void reset(int skills, int activities, int stages);
  int add();  // a new rep at the next index, with zeroed state; returns its index
  double* s(int r) { return &durable[std::size_t(r) * J]; }
  double* g(int r) { return &gain[std::size_t(r) * J]; }
  double* prefs(int r) { return &pref[std::size_t(r) * A]; }
  std::int64_t* n(int r) { return &open[std::size_t(r) * K]; }
  std::int64_t open_total(int r) const {
    const std::int64_t* p = &open[std::size_t(r) * K];
    std::int64_t total = 0;
    for (int k = 0; k < K; ++k) total += p[k];
    return total;
  }
};

// A participant of a training program and the skills it trains (bit j set: skill j).
struct Enrolment {
  int rep;
  std::uint64_t skills;
};

// Weekly tallies of one path, reset each week (MODEL.md 3.7).
struct WeekTally {
  double bookings = 0, costs = 0, hours_sum = 0;
  int stepped = 0, leavers = 0, hires = 0;
  std::int64_t created = 0, won = 0, lost = 0;
  std::array<double, cost::part_count> cost_parts{};  // `costs` split by what it pays for
  // A one-off charge (3.2): to the week's costs and to its part.
  void charge(cost::Part part, double amount) {
    costs += amount;
    cost_parts[part] += amount;
  }
};

struct PathState {
  std::uint64_t path = 0;
  int week = 0;
  double x = 0, M = 1;             // demand factor (log) and multiplier
  double a = 0, w = 0, c_pol = 0;  // alignment, awareness, coaching policy
  std::vector<double> m;           // coaching skill per manager
  Reps reps;
  std::vector<int> active_list;    // active reps in index order
  std::vector<int> team_size;      // active reps per manager
  std::vector<double> coaching;    // hours received this week, per manager's team
  std::vector<int> pending_hires;  // hires joining at each week (explicit and backfills)
  std::vector<std::vector<Enrolment>> enrolled;  // per training program
  double extra_fixed_hours = 0;                  // alignment programs' hours this week
  WeekTally tally;
  double cumulative = 0;
  bool uses_plan_params = false;
  int receiver_index_week = -1;  // the week this path built the hand-over index (people.cpp)
  ContractBook contracts;        // recurring revenue only (docs/model.md 12.5)
  TerritoryState territory;      // docs/model.md 12.7-12.8; untouched without those extensions
};

// A week's won deals whose sizes are drawn together at the end of the reps' loop
// (hold_wins / book_held_wins, models/pipeline_flow.hpp): each deal's uniform, and how many
// deals each rep won, in the order the reps were stepped.
struct HeldWins {
  std::vector<double> u, size;
  std::vector<std::int64_t> per_rep;
  void clear() { u.clear(), per_rep.clear(); }
  // Room for a week of `reps` reps winning up to eight deals each on average, so that the
  // weekly loop does not allocate (init_path).
  void reserve(std::size_t reps) {
    per_rep.reserve(reps);
    u.reserve(8 * reps);
    size.reserve(8 * reps);
  }
};

// Per-thread scratch for the runner.
struct PathScratch : sim::Scratch {
  PathState state;
  std::vector<double> sigma, p, tmp;               // per-rep work arrays (J, K, ...)
  std::vector<std::int64_t> worked, exits, stale;  // per stage (K)
  std::vector<SkillStep> skill_steps;              // this week's, per manager's team
  HeldWins held_wins;                              // this week's (step_reps_in_lanes)
  std::vector<std::pair<double, int>> order;       // for bottom_half selection
  // Draws this path shares with the other plans run on it by the same thread (none: each plan
  // draws its own; models/shared_draws.hpp). Not owned.
  SharedDraws* shared = nullptr;
};

}  // namespace salesim
