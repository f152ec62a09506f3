#pragma once
// A small RFC 4180 reader: comma-separated fields, double-quoted fields that may hold commas,
// doubled quotes and line breaks, LF or CRLF line ends, an optional UTF-8 byte-order mark.
// Exports from CRMs and spreadsheets are this dialect; nothing more is needed.
#include <cstddef>
#include <string>
#include <vector>

namespace salesim::crm {

struct CsvRow {
  std::size_t line = 0;  // 1-based line of the file where the record starts, for messages
  std::vector<std::string> fields;
};

struct CsvTable {
  std::string file;  // as given, for messages
  std::vector<std::string> header;
  std::vector<CsvRow> rows;  // records after the header; blank lines are skipped
  // Index of a column by its header name (exact, then ignoring case and surrounding blanks);
  // -1 if absent.
  int column(const std::string& name) const;
};

// Parses CSV text; throws InputError (crm/errors.hpp) on an unterminated quoted field.
CsvTable parse_csv(const std::string& text, const std::string& file_label);
// Reads and parses a file; throws InputError when it cannot be opened or has no header.
CsvTable read_csv(const std::string& path);

}  // namespace salesim::crm
