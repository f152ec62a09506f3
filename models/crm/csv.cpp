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

}  // namespace

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
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) i = 3;  // byte-order mark
  std::vector<CsvRow> records;
  CsvRow rec{line, {}};
  std::string field;
  bool quoted = false, any = false;
  auto end_field = [&] {
    rec.fields.push_back(field);
    field.clear();
  };
  auto end_record = [&] {
    end_field();
    // A blank line is not a record (a single empty field).
    if (!(rec.fields.size() == 1 && rec.fields[0].empty() && !any)) records.push_back(rec);
    rec = CsvRow{line, {}};
    any = false;
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
        if (c == '\n') ++line;
        field += c;
      }
      ++i;
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = any = true;
    } else if (c == ',') {
      end_field();
      any = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // CRLF: the LF ends the record
    } else if (c == '\n') {
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
