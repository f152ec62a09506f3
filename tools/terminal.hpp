#pragma once
// What `salesim run` prints: a compact table per plan, the paired comparisons, and with
// --explain the pipeline's absorbing-chain figures beside the simulated ones.
#include <string>

#include "models/simulate.hpp"

namespace salesim::tools {

// Money as the terminal prints it: 4.49M, 771k, 950; "-" when not finite.
std::string money(double v);
// A figure with its standard error, "4.49M ±12k" and "12.3% ±1.4"; a standard error that does
// not exist (NaN: one path) is left out, not shown as 0.
std::string money_se(double v, double se);
// A share as a percentage with one decimal; one strictly between 0 and 1 never reads 0.0% or
// 100.0% ("<0.1%", ">99.9%"), as the report's Fmt::prob.
std::string share(double p);
// A standard error in percentage points, "±0.9"; one above 0 that rounds to 0.0 is "±<0.1".
std::string points_se(double se);
std::string percent_se(const sim::MeanSe& m);
// A figure with `digits` decimals; "-" when it does not exist (no reps at the end), not "nan".
std::string fixed(double v, int digits, const char* suffix = "");
// Text's width in a terminal's columns, as fmt pads it: a character is one column, an East
// Asian wide character or an emoji two.
std::size_t text_width(const std::string& s);
// The longest start of `s` at most `n` columns wide, never cutting a UTF-8 character in two.
std::string clip(const std::string& s, std::size_t n);

std::string format_table(const Scenario& sc, const ScenarioResults& res);
std::string format_explain(const Scenario& sc, const ScenarioResults& res);
// With --detail: the cost breakdown, the bookings per checkpoint period and the state at the
// horizon (exit run-rate, open pipeline value, ramped headcount), a table each.
std::string format_detail(const Scenario& sc, const ScenarioResults& res);
// With --explain-diff: each plan's paired difference in final bookings from the first plan,
// split into heads, activity, conversion, deal size and timing (models/drivers.hpp).
std::string format_drivers(const ScenarioResults& res);
// With --conditional: per plan, P(goal) given each checkpoint met or missed, and after a miss the
// share that still got there, the expected shortfall and each later checkpoint.
std::string format_conditional(const Scenario& sc, const ScenarioResults& res);
// One CSV row per plan with the headline figures, then the cost parts, the checkpoint
// probabilities and the state at the horizon (columns added at the end, never renamed).
std::string format_csv(const Scenario& sc, const ScenarioResults& res);

}  // namespace salesim::tools
