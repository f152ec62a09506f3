#pragma once
// The figures goal-seek and optimisation aim at or bound, by name, each with its standard
// error: p_goal, p_checkpoint:LABEL, final_bookings_mean, final_bookings_p50 (p5..p95), profit,
// cost, burnt_out_share, arr_final (with recurring revenue), ... and conditions on them
// ("p_goal>=0.8", "cost<=7.2M").
#include <string>
#include <vector>

#include "models/results.hpp"
#include "sim/stats.hpp"

namespace salesim::tools {

struct Outcome {
  std::string name;                // as the user wrote it (canonical spelling)
  std::size_t scalar = 0;          // the per-path figure (models/outputs.hpp)
  std::optional<double> quantile;  // a percentile of it instead of its mean
  bool proportion = false;         // a 0/1 figure: its mean is a probability
  bool higher_is_better = true;    // cost, leavers and burnout are better lower
};

// The outcome `name` names in `sc`. Throws std::invalid_argument listing the names accepted.
Outcome parse_outcome(const std::string& name, const Scenario& sc);
// Its value on a run of one plan, with standard error. A percentile's standard error is half
// the distance between the order statistics one binomial standard deviation either side of it.
sim::MeanSe evaluate(const Outcome& o, const PlanResult& r);
// Its per-path figure (for a percentile, the figure whose percentile it is).
std::vector<double> outcome_column(const Outcome& o, const PlanResult& r);
// For the terminal: a probability to 4 places, money and counts in fixed decimals of millions or
// thousands ("12.413M", "140.2k"); with its standard error, "12.413M (SE 140.2k)".
std::string outcome_text(const Outcome& o, double v);
std::string outcome_text(const Outcome& o, const sim::MeanSe& m);
// Every name parse_outcome accepts for `sc`, for messages and --help.
std::string outcome_names(const Scenario& sc);

// A bound on an outcome: "p_goal>=0.8", "cost<=7.2M". With `plain_ok`, "METRIC=VALUE" is read as
// reaching VALUE: at least VALUE, or at most it for a figure that is better lower.
struct Condition {
  Outcome outcome;
  bool at_least = true;  // >= (else <=)
  double value = 0;
  bool met(double v) const { return at_least ? v >= value : v <= value; }
  // How far v is on the wrong side of the bound (<= 0 when met).
  double excess(double v) const { return at_least ? value - v : v - value; }
  std::string text() const;  // "p_goal>=0.8"
};
// Throws std::invalid_argument saying what was expected.
Condition parse_condition(const std::string& text, const Scenario& sc, bool plain_ok);

}  // namespace salesim::tools
