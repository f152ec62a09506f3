#pragma once
// Segments of a finite market and territories (docs/model.md 12.7). Each rep works one segment
// at a time, so an opportunity's segment is the segment of the rep that holds it; hand-overs
// stay within a segment. Each segment's accounts are fresh, in the pipeline, customers (won)
// or cooling (lost, fresh again after cooling_weeks); expected new opportunities scale with
// the segment's fresh share. Every function here is called only when the scenario has segments.
#include <vector>

#include "models/week_context.hpp"

namespace salesim {

// Reps per segment for a team of `reps`, given each segment's share of the team: rep i (in
// index order) goes to the segment furthest below its share, share x (i + 1) - count, lowest
// segment on ties; a segment with share 0 gets nobody.
std::vector<int> segment_counts(const std::vector<double>& shares, int reps);

// After init_team: the starting reps' segments (by the baseline's territories) and each
// segment's accounts (the starting pipeline is taken from its fresh accounts).
void init_segments(const PlanModel& model, PathState& st);
// In 3.2, after the hires: cooled accounts return, new reps get a segment, a plan's
// territories rebalance the team at its from_week; then the reps and the fresh share of each
// segment for this week's 3.4.
void segments_week_start(WeekContext& cx);

// 3.4.4: p[k] times the rep's segment's conversion_multiplier (capped at 1).
void scale_conversions(const WeekContext& cx, int r, double* p, int stages);
// 3.4.8: the rates of new opportunities for rep r in its segment.
void segment_lead_rates(const WeekContext& cx, int r, double& prospected, double& inbound);
// 3.4.7: the deal size distribution of rep r's segment.
const sim::Lognormal& segment_deal(const WeekContext& cx, int r);

// Around a rep's flows: note the tallies before (3.4.7), take the accounts of its new
// opportunities from the fresh pool (after 3.4.8; a rep cannot open more than there are),
// and settle the week's wins (customers) and losses (cooling) after 3.4.12.
void before_rep_flows(WeekContext& cx);
void take_accounts(WeekContext& cx, int r);
void settle_accounts(WeekContext& cx, int r);

// The hand-over receiver of a leaver r (3.4.12) within its segment: the active rep of the same
// segment with the fewest open opportunities, teammates (same manager) first, lowest index on
// ties; -1 when the segment has nobody else.
int segment_receiver(const PathState& st, int r);

}  // namespace salesim
