#pragma once
// What a run reports for segments and quotas (docs/model.md 12.7-12.8), from the per-path
// figures of territory_outputs.hpp: per segment its bookings, opportunities, win rate and the
// accounts left fresh (coverage); per plan the attainment of the reps counted.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "sim/stats.hpp"

namespace salesim {

struct SegmentFigure {
  std::string name;
  std::int64_t accounts = 0;
  sim::MeanSe bookings, created, won, lost, fresh, customers, cooling, reps;  // per path
  std::optional<double> win_rate;  // won / (won + lost), over all paths; null with none resolved
  double coverage_left = 0;        // mean fresh accounts at the horizon / accounts
};

struct AttainmentGroup {
  double reps = 0;                                // reps counted per path (mean)
  std::optional<double> share_at_or_above, mean;  // over the reps of all paths; null with none
};

struct QuotaFigure {
  AttainmentGroup all, new_hires, tenured;
  std::optional<double> share_se;  // standard error of all.share_at_or_above (paths as clusters)
  std::optional<double> p10, p50, p90;  // of attainment over reps and paths; null above the top bin
  std::vector<double> histogram;        // share of reps per bin (territory_outputs.hpp bins)
  sim::MeanSe accelerators;             // accelerator pay per path
};

struct TerritoryFigures {
  std::vector<SegmentFigure> segments;  // empty without segments
  std::optional<QuotaFigure> quota;     // without a quota: none
};

// Where the per-path figures come from: a scalar's mean with its standard error, and (when the
// run kept them) its per-path column.
struct ScalarSource {
  std::function<sim::MeanSe(std::size_t)> mean;
  std::function<std::optional<std::vector<double>>(std::size_t)> column;
  std::size_t paths = 0;
};

TerritoryFigures territory_figures(const Scenario& sc, const ScalarSource& src);

}  // namespace salesim
