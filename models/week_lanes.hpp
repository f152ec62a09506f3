#pragma once
// The parts of one rep's weekly step (MODEL.md 3.4) that models/week.cpp puts together, and
// steps 1-6 for four reps at once in AVX2 lanes. docs/performance.md, "Steps 1-6 in lanes".
#include <cstdint>

#include "models/rep_week.hpp"
#include "models/week_context.hpp"

namespace salesim {

// One rep's week between the parts of its step (3.4): what steps 1-6 give the rest.
struct RepWeek {
  int r = 0;
  double rho = 0;
  double prospecting = 0, y = 0;  // step 8's inputs: the one-rep step forms its mean late (12.7)
  double lead_rate = 0;           // step 8's mean, formed by before_flows4
  double burnout = 0;     // step 9's: it needs only steps 1-6, so it is known before the flows
  bool quits = false;     // step 12's draw, which needs only step 9's burnout
  rep_week::Draws draws;  // the rep's week of draws (rep_week.hpp)
};

// Rep r's week of draws into `draws`: computed, or read where an earlier plan on this path
// computed them (models/shared_draws.hpp).
inline void reset_rep_week_draws(WeekContext& cx, int r, rep_week::Draws& draws) {
  const sim::Address address = cx.model.address(cx.st.path, Process::rep_week, r, cx.t);
  draws.reset(address, cx.scratch.shared ? cx.scratch.shared->rep_weeks.words(address) : nullptr);
}

// Steps 1-6 of 3.4 (before_flows in models/week.cpp) for the active reps reps[0 .. count - 1]
// (count 1 to 4, consecutive in the active list), a rep per lane; without segments or quotas,
// on a CPU with AVX2. Rep i's conversions and worked opportunities go to p[i * K ..] and
// worked[i * K ..], the rest to out[i]. A rep that quits ends the block: its hand-over may
// change the reps after it, so their lanes are dropped and the return value m is the number of
// reps taken (up to and including the first that quits). The week's tallies get the m reps'
// hours in index order: the same bits as before_flows rep by rep. It also gives step 8's mean
// (lead_rate, whose inbound part is split among the week's n_active reps).
int before_flows4(WeekContext& cx, int n_active, const int* reps, int count, double* p,
                  std::int64_t* worked, RepWeek* out);

}  // namespace salesim
