#include "models/calendar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>

namespace salesim {
namespace {

constexpr int kWorkingDays = 5;  // Monday to Friday

std::chrono::sys_days to_sys(int days) { return std::chrono::sys_days(std::chrono::days(days)); }

}  // namespace

int iso_days(const std::string& d) {
  using namespace std::chrono;
  const year_month_day ymd{year(std::stoi(d.substr(0, 4))),
                           month(unsigned(std::stoi(d.substr(5, 2)))),
                           day(unsigned(std::stoi(d.substr(8, 2))))};
  return int(sys_days(ymd).time_since_epoch().count());
}

std::string iso_date_problem(const std::string& s) {
  using namespace std::chrono;
  bool form = s.size() == 10 && s[4] == '-' && s[7] == '-';
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    form = form && std::isdigit(static_cast<unsigned char>(s[std::size_t(i)]));
  if (!form) return "expected an ISO date YYYY-MM-DD, found '" + s + "'";
  const int y = std::stoi(s.substr(0, 4));
  const unsigned m = unsigned(std::stoi(s.substr(5, 2))), d = unsigned(std::stoi(s.substr(8, 2)));
  if (m < 1 || m > 12) return fmt::format("not a date: {} (a year has months 01 to 12)", s);
  static const char* const kMonths[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
  const unsigned length = unsigned(year_month_day_last(year(y) / month(m) / last).day());
  if (d >= 1 && d <= length) return "";
  if (d == 0) return fmt::format("not a date: {} (days count from 01)", s);
  return fmt::format("not a date: {} ({} has {} days{})", s, kMonths[m - 1], length,
                     m == 2 ? fmt::format(" in {}", y) : "");
}

namespace {

// Week t covers days start + 7t .. start + 6 + 7t; without a start date the weeks start on
// 1 January (of 2001, a Monday in a year that is not a leap year) for the months.
int first_day(const Params& p) {
  const std::string& start = p.simulation.start_date;
  return start.empty() ? iso_days("2001-01-01") : iso_days(start);
}

// The month (0 for January) of week t's middle day (Thursday for a week from Monday).
unsigned month_of_week(int day0, int t) {
  const std::chrono::year_month_day ymd{to_sys(day0 + 7 * t + 3)};
  return unsigned(ymd.month()) - 1;
}

}  // namespace

double season_normaliser(const Params& p) {
  const std::vector<double>& f = p.calendar.by_month;
  if (f.size() != 12) return 1.0;
  const int day0 = first_day(p);
  double sum = 0;
  for (int t = 0; t < 52; ++t) sum += f[month_of_week(day0, t)];
  return sum / 52;
}

WeekCalendar week_calendar(const Params& p, int weeks) {
  WeekCalendar c;
  const CalendarParams& cal = p.calendar;
  const int day0 = first_day(p);

  if (!cal.holidays.empty() || cal.vacation_weeks_per_rep > 0) {
    std::vector<int> lost(std::size_t(weeks), 0);  // weekday holidays per week
    for (const std::string& h : cal.holidays) {
      const int d = iso_days(h), t = (d - day0) / 7;
      const unsigned wd = std::chrono::weekday(to_sys(d)).c_encoding();  // 0 Sunday
      if (d >= day0 && t < weeks && wd >= 1 && wd <= 5) ++lost[std::size_t(t)];
    }
    // The same date listed twice is one holiday: the loader refuses duplicates.
    const double vacation = cal.vacation_weeks_per_rep / 52.0;
    for (int t = 0; t < weeks; ++t)
      c.hours.push_back(std::max(
          0.0,
          1.0 - double(std::min(lost[std::size_t(t)], kWorkingDays)) / kWorkingDays - vacation));
  }
  if (!cal.by_month.empty()) {
    const double year = season_normaliser(p);
    for (int t = 0; t < weeks; ++t) c.season.push_back(cal.by_month[month_of_week(day0, t)] / year);
  }
  return c;
}

}  // namespace salesim
