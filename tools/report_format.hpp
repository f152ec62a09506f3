#pragma once
// The report's text formats: money, probabilities, weeks and dates, and the figures taken from
// the JSON summary, tagged with their JSON pointer. Internal to tools/report*.cpp.
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tools/charts.hpp"

namespace salesim::tools::report {

// The kinds of figure; data-kind in the HTML, so a reader can parse the text back.
enum class Kind {
  prob,
  prob_se,
  prob_diff,
  money,
  money_se,
  money_diff,
  money_abs,
  week,
  ratio,
  number,
  count,
  number_diff  // a signed difference of counts or levels: "+2.9", "-0.5", "0.0"
};
const char* kind_name(Kind k);

class Fmt {
 public:
  // currency: "" (neutral), a symbol ("$") or a code ("EUR"); start_date: ISO date or "".
  Fmt(std::string currency, const std::string& start_date);

  std::string money(double v) const;           // "€4.94M", "-€531.2k", "EUR 4.94M"
  std::string money_signed(double v) const;    // "+€4.94M"
  static std::string prob(double p);           // "99.9%", ">99.9%", "<0.1%", "100%"
  static std::string ratio_percent(double r);  // "139%": a ratio, not capped at 100% as prob
  static std::string prob_se(double se);       // "±0.5 pt"
  static std::string prob_diff(double d);      // "+94.0 pt"
  static std::string count(double v);          // "2,000"
  // "+0.14", "-0.19" with `digits` decimals; "0.00" (no sign) for what rounds to zero.
  static std::string signed_fixed(double v, int digits);
  std::string text(Kind k, double v, int digits = 1) const;

  // A figure of the summary: <span class="fig" data-json="/plans/1/goal/p_met"
  // data-kind="prob" data-value="0.9985">99.9%</span>; a null figure prints as "n/a".
  std::string fig(const nlohmann::json& summary, const std::string& pointer, Kind k,
                  int digits = 1) const;

  bool has_dates() const { return start_.has_value(); }
  // The last day of week w (weeks are 1-based; week w ends 7w - 1 days after week 0's start).
  std::string week_end_date(double w) const;  // "6 Apr 2025"; "" without a start date
  std::string week(double w) const;           // "week 13 (6 Apr 2025)" or "week 13"
  // An event of the scenario at 0-based t (hires, training, programs): it happens in week t+1.
  std::string event_week(int t) const;             // "week 5 (from 3 Feb 2025)" or "week 5"
  std::string date(const std::string& iso) const;  // "2025-01-06..." -> "6 Jan 2025"
  std::string currency_unit() const;               // for axis labels: "EUR", "$" or "currency"

  // The time axis of weekly charts (x in weeks, 0 = start): month ticks with a start date.
  charts::Axis time_axis(int horizon) const;

 private:
  std::string currency_;
  std::optional<std::chrono::sys_days> start_;
};

// The noun for a count: "week" for 1, else "weeks" ("1 week", "52 weeks", "1 simulated future").
std::string noun(double n, const std::string& singular);

std::string esc(const std::string& s);   // HTML/XML escaping
std::string slug(const std::string& s);  // for ids and file names: [a-z0-9-]

}  // namespace salesim::tools::report
