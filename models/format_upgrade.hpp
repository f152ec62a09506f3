#pragma once
// Format 1 -> format 2 of a scenario file (MODEL.md 1.1): format 1 counted event weeks from 0,
// format 2 counts them from 1. The conversion edits the text in place, so comments, layout and
// key order survive: only the `salesim:` value and each event-week value change.
#include <string>

#include "models/scenario.hpp"

namespace salesim {

// File week w is the weekly step's week t = w - first_file_week(format) (the loader and the
// list-item keys of sweeps map weeks through it).
constexpr int first_file_week(int format) { return format == 1 ? 0 : 1; }

// The format 2 text of a format 1 file (`text` unchanged when it is format 2 already).
// Throws ScenarioError when the file does not load or a week cannot be rewritten in place
// (a YAML alias, say); the result is re-read and checked to describe the same model.
std::string upgrade_scenario_text(const std::string& text, const std::string& file_label);

// A canonical text of everything a scenario runs (every plan's parameters and event lists,
// with 0-based weeks): two scenarios that give it equal run the same model on the same draws.
std::string model_fingerprint(const Scenario& sc);

}  // namespace salesim
