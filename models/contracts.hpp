#pragma once
// The recurring-revenue state of one path (docs/model.md 12.5): every contract signed so far,
// live or churned, indexed by creation order (the starting base 0..count-1, then won deals in
// the order they were won), and the contracts due for renewal grouped by week of the term.
#include <cstdint>
#include <vector>

namespace salesim {

struct ContractBook {
  std::vector<double> acv;            // annual contract value now (0 once churned)
  std::vector<double> cohort_acv;     // ACV at the start of the retention window (0: not in it)
  std::vector<int> signed_week;       // t of signature (the starting base: fully ramped)
  std::vector<std::vector<int>> due;  // live contracts by anniversary week mod term_weeks
  std::vector<double> won_acv;        // deals won this week, in the order they were won
  std::vector<double> bridge;         // per quarter: new, expansion, churn
  std::size_t first_ramping = 0;      // contracts before this one bill in full
  double arr = 0, mrr = 0, arr_start = 0, cohort_arr = 0;
  double week_new = 0, week_expansion = 0, week_churn = 0;  // this week's ARR movements
};

}  // namespace salesim
