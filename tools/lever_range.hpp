#pragma once
// A lever and the interval to search it over, from KEY=LO:HI on the command line
// (goal-seek and optimisation): the key as sweep takes it (models/plan_edit.hpp, list items by
// index or name) and two values inside the key's range, whole numbers for a whole-number key.
#include <string>

#include "models/plan_edit.hpp"

namespace salesim::tools {

struct LeverRange {
  Lever lever;
  double lo = 0, hi = 0;
  bool integer() const { return lever.integer; }
};

// Throws BadInput naming `option`, the key and what was expected.
LeverRange parse_lever_range(const Scenario& sc, const std::string& plan, const std::string& text,
                             const std::string& option);

// The lever `path` names, written with a list item by its index: training[0].efficacy and
// training[targeted-skills].efficacy are one lever (as are hiring[00].count and
// hiring[0].count), so a lever given twice under two names is caught. Other keys are their own
// identity.
std::string lever_identity(const Scenario& sc, const std::string& plan, const std::string& path);

// For a share lever given a percentage without its % (88 for 88%): what to add to the message.
std::string lever_share_hint(const Lever& l, double v);

// A lever value as the file would write it: 12, 0.35, 16000000 ("not set" for a null key).
std::string lever_text(double v);
// v rounded to the power of ten at or below `resolution` (0.014 -> a multiple of 0.01), so a
// searched value reads 11.49, not 11.4921875, and is exactly what the file will say.
double tidy_value(double v, double resolution);

}  // namespace salesim::tools
