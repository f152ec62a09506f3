#pragma once
// The keys of `salesim sweep`: each --vary KEY=VALUES, with the --with keys moved in step with
// it, checked against the plan's keys and their ranges before anything runs.
#include <string>
#include <utility>
#include <vector>

#include "models/plan_edit.hpp"
#include "sim/design.hpp"

namespace salesim::tools {

// A varied key and the keys moved in step with it (--with): its i-th value goes with their i-th.
struct SweepKey {
  sim::Factor factor;
  Lever lever;
  std::vector<sim::Factor> with;
};

struct SweepKeyArgs {
  std::vector<std::string> vary, with;
  std::vector<std::size_t> with_vary;  // the --vary each --with follows (its index)
  bool lhs = false;                    // --design lhs: ranges, no --with
  bool quiet = false;                  // --quiet: no notices
};

// Throws BadInput naming the option, the key and what was expected: an unknown key, a value
// outside its range (or not whole on a grid), a key given twice, a --with whose values do not
// match its --vary's one for one.
std::vector<SweepKey> read_sweep_keys(const Scenario& sc, const std::string& plan,
                                      const SweepKeyArgs& a);

std::vector<sim::Factor> factors_of(const std::vector<SweepKey>& keys);
// Every key's name in the table's order: each varied key, then the keys tied to it.
std::vector<std::string> key_names(const std::vector<SweepKey>& keys);
// A point's keys and values (`point`: one value per varied key), the tied keys at the level of
// the key they follow.
std::vector<std::pair<std::string, double>> point_values(const std::vector<SweepKey>& keys,
                                                         const std::vector<double>& point);
// A value as a table or a message shows it.
std::string level_text(double v);

}  // namespace salesim::tools
