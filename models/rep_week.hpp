#pragma once
// The draws of one rep's week (MODEL.md section 5): every small draw of 3.4.7, 3.4.8 and
// 3.4.12 comes from one stream, process `rep_week`, entity = the rep, week = t, read by 32-bit
// slots (eight to a Philox block), so a rep's week costs about two blocks instead of a stream
// per process. Each draw's slot is fixed by what it is, never by which draws came before, so
// plans share every draw (common random numbers) and a draw skipped for a zero count moves no
// other draw.
#include "sim/random.hpp"

namespace salesim::rep_week {

// A rep's week of draws: its first two blocks (sixteen 32-bit slots: every draw of a 4-stage
// funnel and two deal sizes) are computed at once.
using Draws = sim::EagerStream32<2>;

inline int exits(int k) { return 3 * k; }         // E of stage k
inline int advances(int k) { return 3 * k + 1; }  // V of stage k
inline int stale(int k) { return 3 * k + 2; }     // S of stage k
// New opportunities, prospected and inbound together: their sum is Poisson with the sum of
// the two means, so one draw gives the same distribution as two.
inline int new_opportunities(int stages) { return 3 * stages; }
inline int attrition(int stages) { return 3 * stages + 1; }
inline int deal(int stages, long i) { return 3 * stages + 2 + int(i); }  // i-th won deal's size

}  // namespace salesim::rep_week
