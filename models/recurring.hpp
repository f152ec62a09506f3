#pragma once
// Recurring revenue (docs/model.md 12.5): won deals become contracts worth their size a year
// (ACV), which renew, expand or churn at each anniversary; with a starting base of contracts.
// Off unless revenue.model is recurring.
#include <string>
#include <utility>
#include <vector>

#include "models/params.hpp"
#include "models/week_context.hpp"

namespace salesim {

// The contract term and the billing ramp in weeks (a month is 52/12 weeks).
int term_weeks(const RevenueParams& r);
double ramp_weeks(const RevenueParams& r);
// Share of a year's ACV billed in a contract's first 12 months under the linear ramp.
double first_year_share(const RevenueParams& r);

// (key path, problem) pairs for the loader: values a key's range alone cannot check.
std::vector<std::pair<std::string, std::string>> recurring_problems(const Params& p);

// The starting base at week 1 (contracts 0..count-1) and an empty book.
void init_contracts(const PlanModel& model, ContractBook& book, std::uint64_t path);
// Week t, after the reps' week: anniversaries (renew and expand, or churn), then the week's
// won deals join as new contracts; ARR, MRR and the quarter's bridge are brought up to date.
void step_contracts(WeekContext& cx);
// The week's amount that commission is paid on (compensation.on).
double commissionable(const WeekContext& cx);
// The path's recurring scalars (arr_out::Scalar) at the end of the run.
void write_contracts(const PlanModel& model, const ContractBook& book, double* S);

}  // namespace salesim
