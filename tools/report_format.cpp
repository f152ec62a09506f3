#include "tools/report_format.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdio>

namespace salesim::tools::report {
namespace {

using namespace std::chrono;

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<sys_days> parse_date(const std::string& iso) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (iso.size() < 10 || std::sscanf(iso.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return {};
  const year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) return {};
  return sys_days{ymd};
}

// "-0.0" (a small negative rounded to zero) reads as a loss of nothing: shown without the sign.
std::string unsigned_zero(std::string s) {
  if (!s.empty() && s[0] == '-' && s.find_first_of("123456789") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string date_text(sys_days t) {
  const year_month_day ymd{t};
  return fmt::format("{} {} {}", unsigned(ymd.day()), kMonths[unsigned(ymd.month()) - 1],
                     int(ymd.year()));
}

// A code or a name in letters (EUR, Swiss francs) is followed by a space: "EUR 16M".
bool is_code(const std::string& c) {
  return !c.empty() && std::isalpha(static_cast<unsigned char>(c.front())) &&
         std::all_of(c.begin(), c.end(),
                     [](unsigned char ch) { return std::isalpha(ch) || ch == ' '; });
}

}  // namespace

const char* kind_name(Kind k) {
  constexpr const char* names[] = {"prob",     "prob_se",    "prob_diff", "money",
                                   "money_se", "money_diff", "money_abs", "week",
                                   "ratio",    "number",     "count",     "number_diff"};
  return names[int(k)];
}

std::string esc(const std::string& s) { return charts::xml_escape(s); }

std::string noun(double n, const std::string& singular) {
  return n == 1 ? singular : singular + "s";
}

std::string slug(const std::string& s) {
  std::string o;
  for (unsigned char c : s)
    if (std::isalnum(c))
      o += char(std::tolower(c));
    else if (!o.empty() && o.back() != '-')
      o += '-';
  while (!o.empty() && o.back() == '-') o.pop_back();
  return o.empty() ? "x" : o;
}

Fmt::Fmt(std::string currency, const std::string& start_date)
    : currency_(std::move(currency)), start_(parse_date(start_date)) {}

std::string Fmt::money(double v) const {
  if (!std::isfinite(v)) return "n/a";
  const std::string cur = is_code(currency_) ? currency_ + " " : currency_;
  return unsigned_zero((v < 0 ? "-" : "") + cur + charts::compact_number(std::fabs(v)));
}
std::string Fmt::money_signed(double v) const {
  if (!std::isfinite(v)) return "n/a";
  return (v > 0 ? "+" : "") + money(v);
}
std::string Fmt::prob(double p) {
  if (!std::isfinite(p)) return "n/a";
  if (p <= 0) return "0%";
  if (p >= 1) return "100%";
  if (p < 0.0005) return "<0.1%";
  if (p >= 0.9995) return ">99.9%";
  return fmt::format("{:.1f}%", 100 * p);
}
std::string Fmt::ratio_percent(double r) {
  if (!std::isfinite(r)) return "n/a";
  return unsigned_zero(fmt::format("{:.0f}%", 100 * r));
}
std::string Fmt::prob_se(double se) {
  if (!std::isfinite(se)) return "n/a";
  // A standard error above 0 never reads "±0.0 pt" (a probability of 0.05% has one of 0.05 pt).
  return se > 0 && 100 * se < 0.05 ? "±<0.1 pt" : fmt::format("±{:.1f} pt", 100 * se);
}
std::string Fmt::prob_diff(double d) {
  return std::isfinite(d) ? signed_fixed(100 * d, 1) + " pt" : "n/a";
}
std::string Fmt::signed_fixed(double v, int digits) {
  if (!std::isfinite(v)) return "n/a";
  const std::string s = fmt::format("{:+.{}f}", v, digits);
  return s.find_first_of("123456789") == std::string::npos ? s.substr(1) : s;
}
std::string Fmt::count(double v) {
  if (!std::isfinite(v)) return "n/a";
  std::string digits = fmt::format("{:.0f}", std::fabs(v)), o;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) o += ',';
    o += digits[i];
  }
  return unsigned_zero((v < 0 ? "-" : "") + o);
}

std::string Fmt::text(Kind k, double v, int digits) const {
  if (!std::isfinite(v)) return "n/a";
  switch (k) {
    case Kind::prob:
      return prob(v);
    case Kind::prob_se:
      return prob_se(v);
    case Kind::prob_diff:
      return prob_diff(v);
    case Kind::money:
      return money(v);
    case Kind::money_se:
      return "±" + money(v);
    case Kind::money_diff:
      return money_signed(v);
    case Kind::money_abs:
      return money(std::fabs(v));
    case Kind::week:
      return week(v);
    case Kind::ratio:
      return fmt::format("{:.2f}", v);
    case Kind::number:
      return unsigned_zero(fmt::format("{:.{}f}", v, digits));
    case Kind::count:
      return count(v);
    case Kind::number_diff:
      return signed_fixed(v, digits);
  }
  return {};
}

std::string Fmt::fig(const nlohmann::json& summary, const std::string& pointer, Kind k,
                     int digits) const {
  const nlohmann::json::json_pointer ptr(pointer);
  const nlohmann::json v = summary.contains(ptr) ? summary.at(ptr) : nlohmann::json();
  const std::string shown = v.is_number() ? text(k, v.get<double>(), digits) : "n/a";
  return fmt::format(R"(<span class="fig" data-json="{}" data-kind="{}" data-value="{}">{}</span>)",
                     esc(pointer), kind_name(k), esc(v.dump()), esc(shown));
}

std::string Fmt::week_end_date(double w) const {
  if (!start_ || !std::isfinite(w)) return {};
  return date_text(*start_ + days(7 * long(std::ceil(w)) - 1));
}
std::string Fmt::week(double w) const {
  if (!std::isfinite(w)) return "never";
  const std::string n = w == std::round(w) ? fmt::format("{:.0f}", w) : fmt::format("{:.1f}", w);
  return start_ ? fmt::format("week {} ({})", n, week_end_date(w)) : "week " + n;
}
std::string Fmt::event_week(int t) const {
  return start_ ? fmt::format("week {} (from {})", t + 1, date_text(*start_ + days(7 * t)))
                : fmt::format("week {}", t + 1);
}
std::string Fmt::date(const std::string& iso) const {
  const auto t = parse_date(iso);
  return t ? date_text(*t) : iso;
}
std::string Fmt::currency_unit() const { return currency_.empty() ? "currency" : currency_; }

charts::Axis Fmt::time_axis(int horizon) const {
  charts::Axis a;
  a.min = 0.0;
  a.max = double(horizon);
  if (!start_) {
    a.label = "Week";
    a.format = charts::Axis::Format::integer;
    return a;
  }
  a.label = "Date (week 1 starts " + date_text(*start_) + ")";  // the file's week numbers
  const sys_days end = *start_ + days(7 * horizon);
  const year_month_day first{*start_};
  year_month m = first.year() / first.month();
  if (first.day() != day{1}) m += months(1);
  // Monthly ticks up to about 13 of them, else quarters, half years or years.
  const int n_months = int((end - *start_).count() / 30.4);
  const int raw = (n_months + 12) / 13;
  const int step = raw <= 1 ? 1 : raw <= 3 ? 3 : raw <= 6 ? 6 : 12;
  while ((unsigned(m.month()) - 1) % step != 0) m += months(1);
  for (;; m += months(step)) {  // the year on January only: the axis label has the start
    const sys_days t{m / day{1}};
    if (t > end) break;
    const bool year_label = m.month() == January;
    a.ticks.push_back({(t - *start_).count() / 7.0,
                       year_label
                           ? fmt::format("{} {}", kMonths[unsigned(m.month()) - 1], int(m.year()))
                           : kMonths[unsigned(m.month()) - 1]});
  }
  // A horizon of a few weeks holds fewer than three months' firsts (one week had none and took
  // the axis's own fractional ticks): the weeks' first days instead, at most nine of them.
  if (a.ticks.size() < 3) {
    a.ticks.clear();
    const int every = (horizon + 7) / 8;
    for (int w = 0; w <= horizon; w += every) {
      const year_month_day d{*start_ + days(7 * w)};
      a.ticks.push_back(
          {double(w), fmt::format("{} {}", unsigned(d.day()), kMonths[unsigned(d.month()) - 1])});
    }
  }
  return a;
}

}  // namespace salesim::tools::report
