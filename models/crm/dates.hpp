#pragma once
// Calendar days as whole numbers (days since 1970-01-01), so that ages and windows are
// integer arithmetic. Exports write dates in one of a few layouts; the mapping names which.
#include <optional>
#include <string>

namespace salesim::crm {

using Day = int;

enum class DateFormat { iso, day_month_year, month_day_year };

// "YYYY-MM-DD" (a time after it, "T..." or " ...", is ignored), "DD/MM/YYYY" or "MM/DD/YYYY"
// (separators '/', '.' or '-'). nullopt when the text is not a valid date in that layout.
std::optional<Day> parse_date(const std::string& text, DateFormat f = DateFormat::iso);
// The layout named in a mapping: YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY; nullopt otherwise.
std::optional<DateFormat> parse_date_format(const std::string& name);
std::string format_date(Day d);  // YYYY-MM-DD

// The first day of the calendar quarter holding d, and the month of the quarter (1, 2, 3).
Day quarter_start(Day d);
int month_of_quarter(Day d);
// Calendar months as whole numbers (12 * year + month - 1), and the first day of d's month.
int month_number(Day d);
Day month_start(Day d);

}  // namespace salesim::crm
