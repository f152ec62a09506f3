#pragma once
// The dictionary of every scalar key of a scenario file: dotted path, type, range, whether a
// plan may `set` it, unit and meaning. The loader reads sections through it, plans' `set`
// overrides resolve through it, and docs/scenario-reference.md is generated from it
// (`salesim validate --reference`), so the three never drift apart.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "models/params.hpp"

namespace salesim {

// Upper bounds shared by keys and list fields: a week has 168 hours; money stays below 1e12 per
// item, so every sum over a run stays exact enough in a double.
inline constexpr double kWeekHours = 168;
inline constexpr double kMaxMoney = 1e12;

using KeyTarget = std::variant<double*, std::int64_t*, bool*, std::optional<double>*,
                               std::uint64_t*, std::string*>;

struct KeyInfo {
  std::string path;
  KeyTarget target;
  double lo = 0, hi = std::numeric_limits<double>::infinity();
  bool hi_open = false;  // the range excludes hi
  bool plan_settable = true;
  // "share" (a fraction of 1: 25% is 0.25), "rate" (a growth written as a fraction or a
  // percentage, which may exceed 100%: 12% is 0.12), "currency", "weeks", ...: see
  // percent_unit() for the two shown in percent.
  const char* unit = "";
  const char* meaning = "";

  std::string range_text() const;  // "[0, 1]", ">= 0", "1..520", ...
  // The range in words, for messages: "a number between 0 and 1", "a whole number from 1 to 520".
  std::string expect_text() const;
  std::string examples() const;  // accepted forms: "0.25 or 25%", "250000, 250k or 0.25M"
  bool percent_ok() const;       // shares, probabilities and rates: 25% is 0.25
  // For a share or rate given as a percentage without its %: share_hint(v, lo, hi, unit), else "".
  std::string percent_hint(double v) const;
  std::string value_text() const;  // current value as YAML text
  const char* type_name() const;
  bool in_range(double v) const;
};

// Whether values of `unit` are written and shown in percent: shares and rates.
bool percent_unit(const std::string& unit);

// Friendly numbers (docs/scenario-reference.md): a plain decimal number, or one with a suffix
// k/K (thousand), m/M (million), b/B/bn (billion), or a trailing % (hundredth) where
// `percent_ok`. The value, or nullopt with `why` saying what is wrong with a form that is
// nearly right ("" when the text is not a number at all).
std::optional<double> parse_number(const std::string& text, bool percent_ok, std::string& why);

// What to add to an out-of-range message when `v` (2 to 100) is a share (or a rate, `noun`)
// written as a percentage without its % (88 for 88%): ": a share is written 0.88 or 88%, not
// 88"; "" when v / 100 would not fit [lo, hi] either.
std::string share_hint(double v, double lo, double hi, const std::string& noun = "share");

// Every scalar key of p, with targets pointing into p (so p must outlive the result).
// Stage keys are named by stage: pipeline.stages.<name>.exit_rate.
std::vector<KeyInfo> scalar_keys(Params& p);

// The valid key nearest to `key` among `candidates`, for "did you mean": one that starts with
// `key`, else one that contains it, else any; the fewest edits among them.
std::string nearest(const std::string& key, const std::vector<std::string>& candidates);

// A stage whose name a file gets wrong is still read, under a name no valid stage has
// ("stages[2]"), so that the file's other problems are reported too. Then a key naming a stage
// that does not exist is most likely the refused stage's: the message for it, else "".
// Why a plan may not set `path` (a key whose plan_settable is false): what all plans share.
std::string not_plan_settable_why(const std::string& path);

std::string unnamed_stage(std::size_t index);
std::string unnamed_stage_key_problem(const std::string& key, const Params& p);

}  // namespace salesim
