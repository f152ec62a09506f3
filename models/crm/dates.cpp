#include "models/crm/dates.hpp"

#include <fmt/format.h>

#include <cctype>
#include <chrono>

namespace salesim::crm {
namespace {

using namespace std::chrono;

std::optional<Day> make(int y, int m, int d) {
  const year_month_day ymd{year{y}, month{unsigned(m)}, day{unsigned(d)}};
  if (!ymd.ok() || m < 1 || d < 1) return std::nullopt;
  return Day(sys_days{ymd}.time_since_epoch().count());
}

// Splits "a?b?c" where ? is one separator character; every part must be digits.
bool three_numbers(const std::string& s, char sep_hint, int& a, int& b, int& c, int& la, int& lc) {
  int parts[3] = {0, 0, 0}, lens[3] = {0, 0, 0}, k = 0;
  char sep = 0;
  for (char ch : s) {
    if (std::isdigit(static_cast<unsigned char>(ch))) {
      if (lens[k] >= 4) return false;
      parts[k] = parts[k] * 10 + (ch - '0');
      ++lens[k];
    } else if (ch == '/' || ch == '.' || ch == '-') {
      if ((sep && ch != sep) || k == 2 || lens[k] == 0) return false;
      if (sep_hint == '-' && ch != '-') return false;
      sep = ch;
      ++k;
    } else {
      return false;
    }
  }
  if (k != 2 || lens[2] == 0) return false;
  a = parts[0], b = parts[1], c = parts[2], la = lens[0], lc = lens[2];
  return true;
}

}  // namespace

std::optional<Day> parse_date(const std::string& raw, DateFormat f) {
  std::string s = raw;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t a0 = 0;
  while (a0 < s.size() && std::isspace(static_cast<unsigned char>(s[a0]))) ++a0;
  s = s.substr(a0);
  if (f == DateFormat::iso) {
    const std::size_t t = s.find_first_of("T ");
    if (t != std::string::npos) s = s.substr(0, t);
  }
  int a = 0, b = 0, c = 0, la = 0, lc = 0;
  if (!three_numbers(s, f == DateFormat::iso ? '-' : 0, a, b, c, la, lc)) return std::nullopt;
  switch (f) {
    case DateFormat::iso:
      if (la != 4) return std::nullopt;
      return make(a, b, c);
    case DateFormat::day_month_year:
      if (lc != 4) return std::nullopt;
      return make(c, b, a);
    case DateFormat::month_day_year:
      if (lc != 4) return std::nullopt;
      return make(c, a, b);
  }
  return std::nullopt;
}

std::optional<DateFormat> parse_date_format(const std::string& name) {
  if (name == "YYYY-MM-DD" || name == "iso") return DateFormat::iso;
  if (name == "DD/MM/YYYY") return DateFormat::day_month_year;
  if (name == "MM/DD/YYYY") return DateFormat::month_day_year;
  return std::nullopt;
}

std::string format_date(Day d) {
  const year_month_day ymd{sys_days{days{d}}};
  return fmt::format("{:04d}-{:02d}-{:02d}", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()));
}

Day quarter_start(Day d) {
  const year_month_day ymd{sys_days{days{d}}};
  const unsigned m = unsigned(ymd.month());
  const unsigned first = (m - 1) / 3 * 3 + 1;
  return *make(int(ymd.year()), int(first), 1);
}

int month_of_quarter(Day d) {
  const year_month_day ymd{sys_days{days{d}}};
  return int((unsigned(ymd.month()) - 1) % 3) + 1;
}

int month_number(Day d) {
  const year_month_day ymd{sys_days{days{d}}};
  return 12 * int(ymd.year()) + int(unsigned(ymd.month())) - 1;
}

Day month_start(Day d) {
  const year_month_day ymd{sys_days{days{d}}};
  return *make(int(ymd.year()), int(unsigned(ymd.month())), 1);
}

}  // namespace salesim::crm
