#pragma once
// Calendars (docs/model.md 12.6): the share of each week's working days a rep has (holidays
// and vacation), and the seasonality factor of each week's month. Computed once per plan from
// the file; the weekly step only reads them. Off (empty) unless the file has a calendar.
#include <string>
#include <vector>

#include "models/params.hpp"

namespace salesim {

struct WeekCalendar {
  std::vector<double> hours;   // per week: share of working days available (1: none lost)
  std::vector<double> season;  // per week: the seasonality factor of the week's month
  bool empty() const { return hours.empty() && season.empty(); }
};

// The calendar of a parameter set over `weeks` weeks (empty vectors for what is not used).
WeekCalendar week_calendar(const Params& p, int weeks);

// What the seasonality factors are divided by: their mean over the 52 weeks from the start, each
// week weighted as its month (a month holds 4 or 5 weeks, so the plain mean of the twelve would
// not keep a year's demand; docs/model.md 12.6). 1 without seasonality.
double season_normaliser(const Params& p);

// Days since 1970-01-01 of an ISO date YYYY-MM-DD (already checked by the loader).
int iso_days(const std::string& date);

// What is wrong with `text` as an ISO date YYYY-MM-DD of the (proleptic Gregorian) calendar, or
// "" when it is one: "expected an ISO date YYYY-MM-DD, found '...'" for another form, and for a
// day that does not exist "not a date: 2025-02-30 (February has 28 days in 2025)".
std::string iso_date_problem(const std::string& text);

}  // namespace salesim
