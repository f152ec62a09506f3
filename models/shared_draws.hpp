#pragma once
// What the plans of a scenario draw alike on one path, kept so that plans run one after another
// on the same path (models/all_plans.hpp) draw it once: every rep's week of draws
// (models/rep_week.hpp) and the starting team's skills and preferences (process `team`). Every
// value is a pure function of its address and of the parameters it is drawn with, and those are
// checked, so a plan reads here exactly what it would have drawn itself: the same bits.
#include <cstdint>
#include <vector>

#include "sim/draw_cache.hpp"
#include "sim/samplers.hpp"

namespace salesim {

// The starting team's draws on one path, with what they were drawn from.
struct TeamDraws {
  bool filled = false;
  std::uint64_t seed = 0, path = 0;
  int reps = 0, J = 0, A = 0;
  std::vector<sim::BetaMeanSd> skill_dist;
  sim::BetaMeanSd preference;
  std::vector<double> skills, prefs;  // [rep * J + j], [rep * A + a]

  bool drawn_from(std::uint64_t seed_, std::uint64_t path_, int reps_, int J_, int A_,
                  const std::vector<sim::BetaMeanSd>& skill_dist_,
                  const sim::BetaMeanSd& preference_) const {
    auto same = [](const sim::BetaMeanSd& a, const sim::BetaMeanSd& b) {
      return a.mean == b.mean && a.sd == b.sd;
    };
    if (!filled || seed != seed_ || path != path_ || reps != reps_ || J != J_ || A != A_ ||
        !same(preference, preference_) || skill_dist.size() != skill_dist_.size())
      return false;
    for (std::size_t j = 0; j < skill_dist.size(); ++j)
      if (!same(skill_dist[j], skill_dist_[j])) return false;
    return true;
  }
};

struct SharedDraws {
  sim::EagerBlockCache<2> rep_weeks;  // process rep_week, entity = rep (rep_week::Draws)
  TeamDraws team;
};

}  // namespace salesim
