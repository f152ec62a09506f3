#include "models/crm/export.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "models/crm/csv.hpp"
#include "models/crm/errors.hpp"
#include "models/keys.hpp"

namespace salesim::crm {
namespace {

// Spaces and invisible characters a cell can carry at either end that no one typed as part of
// the value: ASCII white space, and in UTF-8 the no-break spaces (U+00A0, U+202F), the spaces
// U+2000-200A, the zero-width ones (U+200B-200D, U+2060), U+3000 and a stray byte-order mark.
// ("Won" followed by a no-break space was read as an open stage.)
std::size_t blank_at(const std::string& s, std::size_t i, bool backwards) {
  static const char* const wide[] = {"\xC2\xA0",     "\xE2\x80\xAF", "\xE2\x80\x80", "\xE2\x80\x81",
                                     "\xE2\x80\x82", "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85",
                                     "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89",
                                     "\xE2\x80\x8A", "\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D",
                                     "\xE2\x81\xA0", "\xE3\x80\x80", "\xEF\xBB\xBF"};
  if (std::isspace(static_cast<unsigned char>(backwards ? s[i - 1] : s[i]))) return 1;
  for (const char* w : wide) {
    const std::size_t n = std::strlen(w);
    if (backwards ? i >= n && s.compare(i - n, n, w) == 0 : s.compare(i, n, w) == 0) return n;
  }
  return 0;
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  for (std::size_t n; a < b && (n = blank_at(s, a, false)) > 0;) a += n;
  for (std::size_t n; b > a && (n = blank_at(s, b, true)) > 0;) b -= n;
  return s.substr(a, b - a);
}

// An amount written as digit groups after dots, "4.514" or "1.054.300" (no other characters
// but a currency sign or spaces around): a German or Brazilian export's thousands.
bool dot_groups(const std::string& text) {
  std::size_t a = 0, b = text.size();
  while (a < b && !std::isdigit(static_cast<unsigned char>(text[a]))) ++a;
  while (b > a && !std::isdigit(static_cast<unsigned char>(text[b - 1]))) --b;
  const std::string t = text.substr(a, b - a);
  const std::size_t first = t.find('.');
  if (first == std::string::npos || first == 0 || first > 3 || t[0] == '0') return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool dot_place = i >= first && (i - first) % 4 == 0;
    if (dot_place ? t[i] != '.' : !std::isdigit(static_cast<unsigned char>(t[i]))) return false;
  }
  return (t.size() - first) % 4 == 0;
}

// A stage value that reads like a closed one ("Closed - Won", "lost"): one that the mapping's
// status lists leave open is most likely missing from them.
bool looks_closed(const std::string& stage) {
  std::string word;
  for (std::size_t i = 0; i <= stage.size(); ++i) {
    const unsigned char c = i < stage.size() ? static_cast<unsigned char>(stage[i]) : ' ';
    if (std::isalpha(c)) {
      word += char(std::tolower(c));
      continue;
    }
    if (word == "won" || word == "lost" || word == "closed" || word == "win" || word == "loss")
      return true;
    word.clear();
  }
  return false;
}

// Product names compared ignoring case, spaces and punctuation ("GTXPro" ~ "GTX Pro").
std::string loose(const std::string& s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool equal_nocase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Whether s is a plain decimal number: an optional sign, digits with an optional fraction and
// an optional exponent ("1054", "-3.5", ".5", "1.2e6"), or inf, infinity or nan (any case).
// Not hexadecimal ("0x10", "0X1p4"), which strtod would take, nor anything else.
bool is_decimal_number(const std::string& s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::string rest = s.substr(i);
  for (const char* word : {"inf", "infinity", "nan"})
    if (equal_nocase(rest, word)) return true;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i - from;
  };
  std::size_t mantissa = digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// Whether the separators of an amount's whole part are thousands separators, of one kind:
// groups of three after a first of one to three ("1,054,000", "1 054"), or the Indian grouping,
// pairs between a first of one or two and a last of three ("10,54,000", "1,00,000").
bool thousands_grouped(const std::string& whole) {
  const std::size_t first = whole.find_first_of(", ");
  if (first == std::string::npos) return true;
  const char sep = whole[first];
  std::vector<std::size_t> groups{0};
  for (std::size_t i = 0; i < whole.size(); ++i) {
    const char c = whole[i];
    if (c == sep)
      groups.push_back(0);
    else if (c >= '0' && c <= '9')
      ++groups.back();
    else if (!(i == 0 && (c == '-' || c == '+')))
      return false;  // the other separator, or anything else
  }
  const std::size_t n = groups.size();
  if (groups[0] == 0 || groups[0] > 3 || groups[n - 1] != 3) return false;
  const bool western =
      std::all_of(groups.begin() + 1, groups.end(), [](std::size_t g) { return g == 3; });
  const bool indian = groups[0] <= 2 && std::all_of(groups.begin() + 1, groups.end() - 1,
                                                    [](std::size_t g) { return g == 2; });
  return western || indian;
}

// An amount as written, finite or not ("1e400" is +inf): a plain decimal number, which may carry
// the currency sign '$' and the thousands separators ',' and ' ' ("$1,054", "1 054") between
// groups of three digits. nullopt for any other text, "0x10", "1_000" and a comma used as the
// decimal mark ("1054,5", "1.054,50") included: counted as unparseable by the import, never
// read as another number.
std::optional<double> parse_any_number(const std::string& raw) {
  std::string t;
  for (char c : trim(raw))
    if (c != '$') t += c;  // "$1,054"
  t = trim(t);
  const std::size_t whole_end = std::min(t.find('.'), t.find_first_of("eE"));
  const std::string whole = t.substr(0, whole_end);
  if (whole_end != std::string::npos && t.find_first_of(", ", whole_end) != std::string::npos)
    return std::nullopt;  // a separator after the decimal point or in the exponent
  if (!thousands_grouped(whole)) return std::nullopt;
  std::string s;
  for (char c : t)
    if (c != ',' && c != ' ') s += c;
  if (s.empty() || !is_decimal_number(s)) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (!end || *end != '\0') return std::nullopt;
  return v;
}

std::optional<double> parse_number(const std::string& raw) {
  const auto v = parse_any_number(raw);
  if (!v || !std::isfinite(*v)) return std::nullopt;
  return v;
}

// Amounts above this are not money a deal can be worth: a unit error or a placeholder.
constexpr double kMaxAmount = 1e12;

// Today, as a Day (UTC).
Day today() {
  using namespace std::chrono;
  return Day(floor<days>(system_clock::now()).time_since_epoch().count());
}

// The fixed list of checks; the report shows every one, with 0 when nothing was found.
enum Check {
  c_fields,
  c_owner,
  c_stage,
  c_created_missing,
  c_created_bad,
  c_closed_bad,
  c_no_close,
  c_close_before,
  c_date_window,
  c_amount_absurd,
  c_duplicate,  // the excluded ones above, the kept ones below
  c_won_no_amount,
  c_amount_bad,
  c_no_product,
  c_product_unpriced,
  c_open_with_close,
  c_no_manager,
  c_invalid_utf8,
  c_amount_zero,
  c_unassigned,
  c_stage_looks_closed,
  c_amount_outlier,
  c_stray_quote,  // excluded, though after the kept ones (the order is the JSON's)
  c_amount_dot_groups,
  c_count
};
const char* kReasons[c_count] = {
    "wrong number of fields",
    "missing owner (won or lost; an open lead is kept, unassigned)",
    "missing stage",
    "missing created/engaged date",
    "unparseable created/engaged date",
    "unparseable close date",
    "won or lost without a close date",
    "closes before engagement",
    "date outside the plausible window",  // completed at import
    "amount not finite or above 1e12",
    "duplicate id (the first row with the id is kept)",
    "won without an amount (kept; not used for deal sizes)",
    "unparseable or negative amount (kept; amount treated as missing)",
    "missing product (kept; sized from all products)",
    "product missing from the price list (kept)",
    "open with a close date (kept; the date is ignored)",
    "owner missing from the org chart (kept)",
    "bytes that are not UTF-8, replaced by U+FFFD (kept unless "
    "excluded for another reason)",
    "won or open with an amount of 0 (kept; amount treated as missing)",
    "open without an owner (kept in the unassigned pool)",
    "stage reads like won or lost but is in neither status list of the mapping (kept, as open)",
    "amount over 1000 times its product's typical one (the median of its won deals, or its "
    "list price), or 10000 times the export's without a product (kept; amount treated as "
    "missing)",
    "a quoted field running over lines that hold whole rows: a stray quote; those rows are in "
    "this one",
    "amounts with a dot have it before groups of three digits (4.514, nearly all of them): if "
    "the dot separates thousands, they are read a thousand times too small (kept as read; save "
    "the export without thousands separators)"};

const char* date_format_name(DateFormat f) {
  switch (f) {
    case DateFormat::day_month_year:
      return "DD/MM/YYYY";
    case DateFormat::month_day_year:
      return "MM/DD/YYYY";
    case DateFormat::iso:
      break;
  }
  return "YYYY-MM-DD";
}

// The error of an export whose every row was excluded. The report that would show why is not
// printed when the import fails, so the message gives the reasons itself: each check that
// excluded rows, most rows first, with its first example.
std::string no_usable_rows(const QualityReport& q, DateFormat date_format) {
  if (q.rows_read == 0)
    return fmt::format("{}: no usable rows (the file has a header and no rows)", q.file);
  std::vector<const QualityCheck*> reasons;
  for (const auto& c : q.checks)
    if (c.excluded && c.rows > 0) reasons.push_back(&c);
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const QualityCheck* a, const QualityCheck* b) { return a->rows > b->rows; });
  std::string s =
      fmt::format("{}: no usable rows ({} read, all excluded); the reasons:", q.file, q.rows_read);
  bool dates = false;
  for (const QualityCheck* c : reasons) {
    s += fmt::format("\n  {:>7}  {}", c->rows, c->reason);
    if (!c->examples.empty()) s += fmt::format(", e.g. {}", c->examples.front());
    dates = dates || c == &q.checks[c_created_bad] || c == &q.checks[c_closed_bad];
  }
  if (dates)
    s += fmt::format(
        "\n  The dates are read as {} (date_format in the mapping, or --date-format): is that "
        "the layout of the export's dates?",
        date_format_name(date_format));
  return s;
}

struct Side {
  CsvTable t;
  int key = -1, value = -1;
};

Side read_side(const SideTable& s, const char* what, const char* value_hint) {
  // ("nonexist.csv: cannot open the file" said neither which file it was meant to be.)
  if (!std::filesystem::is_regular_file(s.file))
    throw InputError(fmt::format("{}: cannot open the {} ({}, {}: --{} or {} in the mapping){}",
                                 s.file, std::string(what) == "owner" ? "org chart" : "price list",
                                 what, value_hint,
                                 std::string(what) == "owner" ? "org-chart" : "price-list",
                                 std::string(what) == "owner" ? "org_chart" : "price_list",
                                 std::filesystem::is_directory(s.file) ? ": it is a folder" : ""));
  Side out{read_csv(s.file)};
  const CsvTable& t = out.t;
  auto find = [&](const std::string& name, const char* role) {
    const int i = t.column(name);
    if (i < 0)
      throw InputError(
          fmt::format("{}: the {} column '{}' is not in the header (did you mean "
                      "'{}'?)",
                      t.file, role, name, nearest(name, t.header)));
    return i;
  };
  out.key = s.key_column.empty() ? 0 : find(s.key_column, what);
  if (!s.value_column.empty()) {
    out.value = find(s.value_column, value_hint);
  } else {
    for (std::size_t i = 0; i < t.header.size(); ++i)
      if (int(i) != out.key && loose(t.header[i]).find(value_hint) != std::string::npos)
        out.value = int(i);
    if (out.value < 0 && t.header.size() >= 2) out.value = out.key == 0 ? 1 : 0;
    if (out.value < 0)
      throw InputError(fmt::format("{}: no {} column; name it in the mapping", t.file, value_hint));
  }
  return out;
}

// Amounts far above their product's typical one are placeholders or typing errors (99999999
// on a 550 product made a forecast 19 times too high): counted, and treated as missing. The
// typical amount is the median of the product's won amounts (5 or more), else its list price;
// without a product, the median of every won amount (20 or more), at a wider margin.
// 1000 times: a lognormal deal size of cv 2 lands there about once in 40 million deals (at 50
// times, with cv 1.5, once in 6,000: real deals of skewed products were dropped), while a
// placeholder (99999999 on a product of 550) or a few zeros too many lie far beyond.
constexpr double kOutlier = 1000;

void flag_outlying_amounts(Export& e, QualityCheck& k) {
  auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  std::map<std::string, std::vector<double>> won_amounts;
  std::vector<double> all;
  for (const Opportunity& o : e.deals)
    if (o.outcome == Outcome::won && o.amount) {
      won_amounts[o.product].push_back(*o.amount);
      all.push_back(*o.amount);
    }
  std::map<std::string, double> typical;
  for (auto& [product, v] : won_amounts)
    if (!product.empty() && v.size() >= 5) typical[product] = median(v);
  for (const auto& [product, price] : e.list_price)
    if (price > 0) typical.emplace(product, price);  // (a product's own median first)
  const double overall = all.size() >= 20 ? median(all) : 0;
  for (Opportunity& o : e.deals) {
    if (!o.amount) continue;
    const auto it = o.product.empty() ? typical.end() : typical.find(o.product);
    const double limit = it != typical.end()                ? kOutlier * it->second
                         : o.product.empty() && overall > 0 ? 10 * kOutlier * overall
                                                            : INFINITY;
    if (*o.amount <= limit) continue;
    ++k.rows;
    if (k.examples.size() < 3)
      k.examples.push_back(fmt::format("line {}{}: '{}' ({} typical: {})", o.line,
                                       o.id.empty() ? "" : " (id " + o.id + ")", *o.amount,
                                       o.product.empty() ? "export" : "'" + o.product + "'",
                                       limit / (it != typical.end() ? kOutlier : 10 * kOutlier)));
    o.amount.reset();
  }
}

}  // namespace

Export import_export_text(const std::string& csv_text, const std::string& label,
                          const ColumnMapping& m) {
  Export e;
  const CsvTable t = parse_csv(csv_text, label);
  check_status_lists(m);
  const auto col = resolve_columns(m, t);
  e.file = label;
  QualityReport& q = e.quality;
  q.file = label;
  for (int c = 0; c < c_count; ++c)
    q.checks.push_back(
        {kReasons[c],
         c < c_won_no_amount || c == c_stray_quote,
         0,
         {},
         c == c_stage_looks_closed || c == c_amount_outlier || c == c_amount_dot_groups});

  // Bytes that are not UTF-8 were replaced when the files were read; each repaired field is
  // counted here (one row per line), with the file, the line and the column.
  std::set<std::pair<std::string, std::size_t>> repaired_lines;
  auto count_repairs = [&](const CsvTable& table, bool is_export) {
    for (const auto& bad : table.invalid_utf8) {
      QualityCheck& k = q.checks[c_invalid_utf8];
      if (repaired_lines.insert({table.file, bad.line}).second) ++k.rows;
      if (k.examples.size() < 3) {
        const std::string column = bad.column < table.header.size() && bad.line > 1
                                       ? "'" + table.header[bad.column] + "'"
                                       : fmt::format("{}", bad.column + 1);
        k.examples.push_back(fmt::format("{}line {}, column {}", is_export ? "" : table.file + " ",
                                         bad.line, column));
      }
    }
  };
  count_repairs(t, true);

  if (!m.org_chart.file.empty()) {
    Side s = read_side(m.org_chart, "owner", "manager");
    count_repairs(s.t, false);
    std::map<std::string, std::size_t> line_of;  // owner -> the org chart line naming it
    for (const auto& r : s.t.rows) {
      if (int(r.fields.size()) <= std::max(s.key, s.value)) continue;
      const std::string owner = trim(r.fields[s.key]), manager = trim(r.fields[s.value]);
      // A row without an owner or a manager places nobody under anyone: skipped (the owner
      // then counts as missing from the org chart), never a manager or an owner named "".
      if (owner.empty() || manager.empty()) continue;
      const auto [at, fresh] = e.manager_of.emplace(owner, manager);
      if (!fresh && at->second != manager)
        throw InputError(fmt::format(
            "{}:{}: column '{}': the owner '{}' is under '{}' here and under '{}' on line {}; "
            "the split by manager needs one manager per owner: keep one of the rows",
            s.t.file, r.line, s.t.header[s.value], owner, manager, at->second, line_of[owner]));
      line_of.emplace(owner, r.line);
    }
  }
  std::map<std::string, std::string> by_loose;  // loose name -> price-list name
  if (!m.price_list.file.empty()) {
    Side s = read_side(m.price_list, "product", "price");
    count_repairs(s.t, false);
    std::map<std::string, std::size_t> price_line;  // product -> the price list line naming it
    for (const auto& r : s.t.rows) {
      if (int(r.fields.size()) <= std::max(s.key, s.value)) continue;
      const auto price = parse_number(r.fields[s.value]);
      if (!price || *price < 0 || *price > kMaxAmount)
        throw InputError(
            fmt::format("{}:{}: column '{}': expected a price from 0 to 1e12, found '{}'", s.t.file,
                        r.line, s.t.header[s.value], r.fields[s.value]));
      const std::string name = trim(r.fields[s.key]);
      if (name.empty()) continue;  // a price of no product
      // The same product at two prices: a deal's size would depend on the row order.
      const auto [at, fresh] = e.list_price.emplace(name, *price);
      if (!fresh && at->second != *price)
        throw InputError(fmt::format(
            "{}:{}: column '{}': the product '{}' costs {} here and {} on line {}; a product "
            "has one list price: keep one of the rows",
            s.t.file, r.line, s.t.header[s.value], name, r.fields[s.value], at->second,
            price_line[name]));
      price_line.emplace(name, r.line);
      by_loose[loose(name)] = name;
    }
  }

  auto note = [&](Check c, const CsvRow& r, const std::string& id, const std::string& text) {
    QualityCheck& k = q.checks[c];
    ++k.rows;
    if (k.examples.size() < 3)
      k.examples.push_back(
          fmt::format("line {}{}: '{}'", r.line, id.empty() ? "" : " (id " + id + ")", text));
  };
  auto field = [&](const CsvRow& r, const char* f) -> std::string {
    const int i = col.at(f);
    return i < 0 ? std::string() : trim(r.fields[i]);
  };

  // The plausible window of dates. Up to 1970-01-01 is a placeholder (Excel's 1900, the epoch
  // itself, which a zero timestamp exports as);
  // after it, a date more than a year past the 99th percentile of the export's dates (when it
  // has 100 or more) or more than five years past today is a typing error or a placeholder
  // such as 9999-12-31. Such a date would move the export's last date (the default as-of day)
  // and every deal's age, so its row is excluded, never used.
  const Day window_lo = 1;  // 1970-01-02: the epoch is a zero, not a date
  Day window_hi = today() + 5 * 365 + 1;
  {
    std::vector<Day> dates;
    for (const CsvRow& r : t.rows) {
      if (r.fields.size() != t.header.size()) continue;
      for (const char* f : {"created", "closed"})
        if (auto d = parse_date(field(r, f), m.date_format)) dates.push_back(*d);
    }
    if (dates.size() >= 100) {
      const std::size_t k = (dates.size() * 99 + 99) / 100 - 1;  // nearest rank
      std::nth_element(dates.begin(), dates.begin() + std::ptrdiff_t(k), dates.end());
      window_hi = std::min(window_hi, dates[k] + 366);
    }
  }
  q.checks[c_date_window].reason =
      fmt::format("created or close date outside the plausible window {} .. {}",
                  format_date(window_lo), format_date(window_hi));
  const auto plausible = [&](Day d) { return d >= window_lo && d <= window_hi; };

  std::set<std::string> seen_ids, owners;
  std::size_t amounts_given = 0, dot_grouped_rows = 0;  // with a dot; for c_amount_dot_groups
  std::vector<std::string> dot_grouped;
  std::map<std::string, std::size_t> unpriced_rows;
  for (const CsvRow& r : t.rows) {
    ++q.rows_read;
    const auto excluded = [&](Check c, const std::string& id, const std::string& text) {
      note(c, r, id, text);
      ++q.rows_excluded;
    };
    if (r.fields.size() != t.header.size()) {
      excluded(c_fields, "",
               fmt::format("{} fields, the header has {}", r.fields.size(), t.header.size()));
      continue;
    }
    // A quote opened and never closed where it should be (`"Acme` on one line, `Beta"` ten lines
    // on) makes one record of the lines between: its id from the first, its stage and dates
    // from the last, the rows between gone. A field holding a line with a whole row's
    // separators is that; the record is excluded, naming the lines.
    if (const std::string* stray = [&]() -> const std::string* {
          for (const std::string& f : r.fields)
            for (std::size_t at = f.find('\n'); at != std::string::npos;
                 at = f.find('\n', at + 1)) {
              const std::size_t end = f.find('\n', at + 1);
              const auto commas = std::count(
                  f.begin() + std::ptrdiff_t(at),
                  end == std::string::npos ? f.end() : f.begin() + std::ptrdiff_t(end), ',');
              if (t.header.size() > 2 && std::size_t(commas) + 1 >= t.header.size()) return &f;
            }
          return nullptr;
        }()) {
      excluded(
          c_stray_quote, "",
          fmt::format("{} lines, to line {}", 1 + std::count(stray->begin(), stray->end(), '\n'),
                      r.line + std::size_t(std::count(stray->begin(), stray->end(), '\n'))));
      continue;
    }
    Opportunity o;
    o.line = r.line;
    o.id = field(r, "id");
    o.owner = field(r, "owner");
    o.stage = field(r, "stage");
    o.product = field(r, "product");
    if (o.stage.empty()) {
      excluded(o.owner.empty() ? c_owner : c_stage, o.id, "");
      continue;
    }
    // The mapping's values trimmed as the cells are ("Won" + a no-break space written in the
    // mapping, as the export wrote it, matched before the cells were trimmed).
    for (const auto& w : m.won)
      if (equal_nocase(o.stage, trim(w))) o.outcome = Outcome::won;
    for (const auto& l : m.lost)
      if (equal_nocase(o.stage, trim(l))) o.outcome = Outcome::lost;
    // In a funnel most open leads have no owner yet: they are kept, in the unassigned pool. A
    // closed deal without one cannot be credited to anyone's rates.
    if (o.owner.empty()) {
      if (o.outcome != Outcome::open) {
        excluded(c_owner, o.id, "");
        continue;
      }
      o.unassigned = true;
      o.owner = kUnassigned;
    }
    const std::string created = field(r, "created"), closed = field(r, "closed");
    if (created.empty()) {
      excluded(c_created_missing, o.id, "");
      continue;
    }
    const auto cd = parse_date(created, m.date_format);
    if (!cd) {
      excluded(c_created_bad, o.id, created);
      continue;
    }
    if (!plausible(*cd)) {
      excluded(c_date_window, o.id, "created " + created);
      continue;
    }
    o.created = *cd;
    std::optional<Day> zd;
    if (!closed.empty()) {
      zd = parse_date(closed, m.date_format);
      // An open deal's close date is ignored, so it is not read either: an expected close
      // such as "TBD" or "Q3 2024" does not lose the deal.
      if (!zd && o.outcome != Outcome::open) {
        excluded(c_closed_bad, o.id, closed);
        continue;
      }
    }
    if (o.outcome != Outcome::open) {
      if (!zd) {
        excluded(c_no_close, o.id, o.stage);
        continue;
      }
      if (!plausible(*zd)) {
        excluded(c_date_window, o.id, "closed " + closed);
        continue;
      }
      if (*zd < o.created) {
        excluded(c_close_before, o.id, created + " > " + closed);
        continue;
      }
      o.closed = zd;
    }
    // An amount that is a number but not money (inf, nan, 1e308) would make every sum of
    // amounts infinite: the row is excluded. Text that is no number is only treated as missing.
    const std::string amount = field(r, "amount");
    const auto amount_value = amount.empty() ? std::nullopt : parse_any_number(amount);
    if (amount_value && amount.find('.') != std::string::npos) {  // read, so read too small
      ++amounts_given;
      if (dot_groups(amount)) {
        if (dot_grouped.size() < 3)
          dot_grouped.push_back(fmt::format("line {}: '{}'", r.line, amount));
        ++dot_grouped_rows;
      }
    }
    if (amount_value && (!std::isfinite(*amount_value) || *amount_value > kMaxAmount)) {
      excluded(c_amount_absurd, o.id, amount);
      continue;
    }
    if (!o.id.empty() && !seen_ids.insert(o.id).second) {
      excluded(c_duplicate, o.id, o.id);
      continue;
    }
    // Kept from here on; what follows are problems that do not exclude the row.
    QualityReport::StageValue& stage = q.stages[o.stage];
    ++stage.rows;
    stage.outcome = o.outcome;
    if (o.unassigned) note(c_unassigned, r, o.id, "");
    if (!closed.empty() && o.outcome == Outcome::open) note(c_open_with_close, r, o.id, closed);
    // An amount of 0 is how many funnels leave a field nobody filled in: a deal worth nothing
    // is not a deal size. It is missing; a lost deal's 0 is common and its amount is unused.
    if (!amount.empty()) {
      if (!amount_value || *amount_value < 0)
        note(c_amount_bad, r, o.id, amount);
      else if (*amount_value == 0) {
        if (o.outcome != Outcome::lost) note(c_amount_zero, r, o.id, amount);
      } else
        o.amount = amount_value;
    }
    if (o.outcome == Outcome::won && !o.amount && col.at("amount") >= 0)
      note(c_won_no_amount, r, o.id, amount);
    if (col.at("product") >= 0 && o.product.empty()) note(c_no_product, r, o.id, "");
    if (!o.product.empty() && !e.list_price.empty() && !e.list_price.count(o.product)) {
      ++unpriced_rows[o.product];
      auto it = by_loose.find(loose(o.product));
      if (it != by_loose.end()) {
        q.product_matches[o.product] = it->second;
        o.product = it->second;
      }
    }
    if (!o.unassigned) {
      if (!e.manager_of.empty() && !e.manager_of.count(o.owner))
        note(c_no_manager, r, o.id, o.owner);
      owners.insert(o.owner);
    }
    switch (o.outcome) {
      case Outcome::won:
        ++q.won;
        break;
      case Outcome::lost:
        ++q.lost;
        break;
      case Outcome::open:
        ++q.open;
        break;
    }
    auto widen = [](std::optional<Day>& lo, std::optional<Day>& hi, Day d) {
      if (!lo || d < *lo) lo = d;
      if (!hi || d > *hi) hi = d;
    };
    widen(q.first_created, q.last_created, o.created);
    if (o.closed) widen(q.first_closed, q.last_closed, *o.closed);
    e.deals.push_back(std::move(o));
  }
  q.rows_kept = e.deals.size();
  // Said only when nearly every amount with a dot looks so (a few 4.514-like amounts among
  // 1054.50 and 220.75 are plain decimals).
  if (dot_grouped_rows >= 20 && 10 * dot_grouped_rows >= 9 * amounts_given) {
    q.checks[c_amount_dot_groups].rows = dot_grouped_rows;
    q.checks[c_amount_dot_groups].examples = dot_grouped;
  }
  for (const auto& [value, v] : q.stages)
    if (v.outcome == Outcome::open && looks_closed(value)) {
      QualityCheck& k = q.checks[c_stage_looks_closed];
      k.rows += v.rows;
      if (k.examples.size() < 3)  // as every check's (1,621 values printed 1,621 lines)
        k.examples.push_back(
            fmt::format("'{}': {} rows; add it to status: won: or lost: in the "
                        "mapping if it is a closed stage",
                        value, v.rows));
    }
  flag_outlying_amounts(e, q.checks[c_amount_outlier]);
  for (const auto& [name, n] : unpriced_rows) {
    QualityCheck& k = q.checks[c_product_unpriced];
    k.rows += n;
    auto it = q.product_matches.find(name);
    if (it != q.product_matches.end())
      k.examples.push_back(
          fmt::format("'{}': {} rows; the price list has '{}' (same name "
                      "ignoring spaces and case: matched)",
                      name, n, it->second));
    else {
      q.products_unpriced.push_back(name);
      std::vector<std::string> names;
      for (const auto& [p, price] : e.list_price) names.push_back(p);
      k.examples.push_back(
          fmt::format("'{}': {} rows; not matched (nearest in the price list: "
                      "'{}')",
                      name, n, nearest(name, names)));
    }
  }
  for (const auto& [owner, mgr] : e.manager_of)
    if (!owners.count(owner)) q.org_owners_without_deals.push_back(owner);
  for (const auto& o : owners)
    if (!e.manager_of.empty() && !e.manager_of.count(o)) q.owners_without_manager.push_back(o);
  if (e.deals.empty()) throw InputError(no_usable_rows(q, m.date_format));
  e.export_date = std::max(*q.last_created, q.last_closed.value_or(*q.last_created));
  return e;
}

Export import_export(const std::string& path, const ColumnMapping& m) {
  if (std::filesystem::is_directory(path))  // (it read as "no header line (the file is empty)")
    throw InputError(fmt::format("{}: is a folder; expected the export (CSV)", path));
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(fmt::format("{}: cannot open the export", path));
  std::stringstream ss;
  ss << f.rdbuf();
  return import_export_text(ss.str(), path, m);
}

std::string format_quality(const QualityReport& q) {
  std::string s = fmt::format("Import of {}\n", q.file);
  s += fmt::format(
      "  rows read      {:>7}\n  rows kept      {:>7}   (won {}, lost {}, open {})\n"
      "  rows excluded  {:>7}\n",
      q.rows_read, q.rows_kept, q.won, q.lost, q.open, q.rows_excluded);
  if (q.first_created)
    s += fmt::format("  created        {} .. {}\n", format_date(*q.first_created),
                     format_date(*q.last_created));
  if (q.first_closed)
    s += fmt::format("  closed         {} .. {}\n", format_date(*q.first_closed),
                     format_date(*q.last_closed));
  if (!q.stages.empty()) {
    // How each stage value was read: a closed stage missing from the mapping shows as open.
    std::string list;
    std::size_t shown = 0;
    for (const auto& [value, v] : q.stages)
      if (++shown <= 12)
        list += fmt::format("{}'{}' {} {}", list.empty() ? "" : ", ", value, v.rows,
                            v.outcome == Outcome::won    ? "won"
                            : v.outcome == Outcome::lost ? "lost"
                                                         : "open");
    if (q.stages.size() > 12)
      list += fmt::format(" and {} more (every one in --json's stages)", q.stages.size() - 12);
    s += "  stages         " + one_line(list) + "\n";
  }
  s += "\nChecks (rows; excluded rows are used nowhere):\n";
  for (const auto& c : q.checks) {
    s += fmt::format("  {:>6}  {:<9} {}\n", c.rows, c.excluded ? "excluded" : "", c.reason);
    for (const auto& ex : c.examples) s += "                    " + one_line(ex) + "\n";
  }
  if (!q.org_owners_without_deals.empty())
    s += fmt::format("\nIn the org chart without any opportunity: {} ({})\n",
                     q.org_owners_without_deals.size(),
                     one_line(fmt::format("{}", fmt::join(q.org_owners_without_deals, ", "))));
  return s;
}

}  // namespace salesim::crm
