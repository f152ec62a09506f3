#include "models/crm/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "models/crm/errors.hpp"

namespace salesim::crm {
namespace {

std::string trim_lower(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  std::string out = s.substr(a, b - a);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
std::size_t utf8_sequence(const std::string& s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // no overlong forms
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else
    return 0;
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}

// Whether the first record of text (from `from`) ends in a CR that no LF follows. Quotes are
// read as parse_csv reads them: one opens a quoted field only where the field is still empty.
bool first_line_ends_in_cr(const std::string& text, std::size_t from) {
  bool quoted = false, empty_field = true;
  for (std::size_t i = from; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && (i + 1 == text.size() || text[i + 1] != '"')) {
        quoted = false;
      } else {
        if (c == '"') ++i;  // a doubled quote
        empty_field = false;
      }
    } else if (c == '"' && empty_field) {
      quoted = true;
    } else if (c == '\n') {
      return false;
    } else if (c == '\r') {
      if (i + 1 == text.size() || text[i + 1] != '\n') return true;
    } else {
      empty_field = c == ',';
    }
  }
  return false;
}

}  // namespace

std::string one_line(const std::string& s) {
  std::string out;
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out;
}

std::size_t repair_utf8(std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  if (i == s.size()) return 0;  // ASCII: the common case
  std::string out = s.substr(0, i);
  std::size_t bad = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++bad;
      ++i;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  if (bad) s = std::move(out);
  return bad;
}

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return int(i);
  const std::string want = trim_lower(name);
  for (std::size_t i = 0; i < header.size(); ++i)
    if (trim_lower(header[i]) == want) return int(i);
  return -1;
}

CsvTable parse_csv(const std::string& text, const std::string& file_label) {
  CsvTable t;
  t.file = file_label;
  std::size_t i = 0, line = 1;
  // UTF-16 (Excel's "Unicode text"): every other byte of a Latin header is 0, and messages
  // quoting it were cut at the first one. Said as such; the file is not read.
  if (text.rfind("\xFF\xFE", 0) == 0 || text.rfind("\xFE\xFF", 0) == 0 ||
      (text.size() >= 4 && (text[1] == '\0' || text[0] == '\0')))
    throw InputError(fmt::format(
        "{}: the file is UTF-16 (saved as \"Unicode text\"?); salesim reads CSV in UTF-8: save "
        "the export as \"CSV UTF-8 (comma delimited)\"",
        file_label));
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) i = 3;  // byte-order mark
  // Excel's first line "sep=;" names the separator; salesim reads commas only.
  if (text.compare(i, 4, "sep=") == 0 || text.compare(i, 4, "SEP=") == 0)
    throw InputError(fmt::format(
        "{}:1: the file starts with Excel's separator line ('{}'); remove that line{}", file_label,
        one_line(text.substr(i, std::min<std::size_t>(5, text.size() - i))),
        text.size() > i + 4 && text[i + 4] != ','
            ? fmt::format(" and save the export with commas: salesim reads comma-separated CSV")
            : ""));
  std::vector<CsvRow> records;
  CsvRow rec{line, {}};
  std::string field;
  bool quoted = false, any = false, quoted_any = false;  // quoted_any: a "" field counts
  auto end_field = [&] {
    if (repair_utf8(field)) t.invalid_utf8.push_back({rec.line, rec.fields.size()});
    rec.fields.push_back(field);
    field.clear();
  };
  auto end_record = [&] {
    end_field();
    // A blank line is not a record (a single empty field), nor a line of separators alone
    // (",,,,,,,", as spreadsheets leave below the data): it has no value to count.
    const bool blank = std::all_of(rec.fields.begin(), rec.fields.end(),
                                   [](const std::string& f) { return f.empty(); }) &&
                       !quoted_any;
    if (!blank) records.push_back(rec);
    rec = CsvRow{line, {}};
    any = quoted_any = false;
  };
  // Lines end in LF or CRLF, or in CR alone in a file whose first line does (old Mac OS and
  // some spreadsheets write such files); a CR elsewhere is a character of its field.
  const bool cr_lines = first_line_ends_in_cr(text, i);
  const auto lone_cr = [&](std::size_t k) {
    return text[k] == '\r' && (k + 1 == text.size() || text[k + 1] != '\n');
  };
  while (i < text.size()) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n' || (cr_lines && lone_cr(i))) ++line;
        field += c;
      }
      ++i;
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = any = quoted_any = true;
    } else if (c == ',') {
      end_field();
      any = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // CRLF: the LF ends the record
    } else if (c == '\n' || (cr_lines && c == '\r')) {
      ++line;
      end_record();
      rec.line = line;
    } else {
      field += c;
      any = true;
    }
    ++i;
  }
  if (quoted)
    throw InputError(fmt::format("{}:{}: a quoted field is not closed (a '\"' is missing)",
                                 file_label, rec.line));
  if (any || !field.empty() || !rec.fields.empty()) end_record();
  if (records.empty())
    throw InputError(fmt::format("{}: no header line (the file is empty)", file_label));
  t.header = records.front().fields;
  for (auto& h : t.header) {
    std::size_t a = 0, b = h.size();
    while (a < b && std::isspace(static_cast<unsigned char>(h[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(h[b - 1]))) --b;
    h = h.substr(a, b - a);
  }
  // One column for a header written with another separator: said, with what salesim reads.
  if (t.header.size() == 1)
    for (const char sep : {';', '\t', '|'})
      if (t.header[0].find(sep) != std::string::npos)
        throw InputError(fmt::format(
            "{}:1: the header is one column, separated by {}; salesim reads comma-separated "
            "CSV: save the export with commas",
            file_label, sep == '\t' ? std::string("tabs") : "'" + std::string(1, sep) + "'"));
  // A column named twice makes every lookup of that name ambiguous: an error, not a guess;
  // names that differ only in case too, as a mapping finds a column ignoring case.
  // (Unnamed columns, such as the empty ones after a trailing comma, are not compared.)
  for (std::size_t a = 0; a < t.header.size(); ++a)
    for (std::size_t b = a + 1; b < t.header.size(); ++b)
      if (!t.header[a].empty() && trim_lower(t.header[a]) == trim_lower(t.header[b]))
        throw InputError(fmt::format(
            "{}:1: the header names the column '{}' twice (columns {} and {}{}); rename one so "
            "that each name says which column it is",
            file_label, t.header[a], a + 1, b + 1,
            t.header[a] == t.header[b] ? "" : ", as '" + t.header[b] + "': case is ignored"));
  t.rows.assign(records.begin() + 1, records.end());
  return t;
}

CsvTable read_csv(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(fmt::format("{}: cannot open the file", path));
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_csv(ss.str(), path);
}

}  // namespace salesim::crm
