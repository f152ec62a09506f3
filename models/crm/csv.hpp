#pragma once
// A small RFC 4180 reader: comma-separated fields, double-quoted fields that may hold commas,
// doubled quotes and line breaks, LF or CRLF line ends (or CR alone, as old Mac OS wrote them,
// when the header line ends so), an optional UTF-8 byte-order mark.
// Exports from CRMs and spreadsheets are this dialect; nothing more is needed.
#include <cstddef>
#include <string>
#include <vector>

namespace salesim::crm {

struct CsvRow {
  std::size_t line = 0;  // 1-based line of the file where the record starts, for messages
  std::vector<std::string> fields;
};

// A field whose bytes were not valid UTF-8: each invalid byte was replaced by U+FFFD.
struct CsvInvalidUtf8 {
  std::size_t line = 0;    // the record's line (1: the header)
  std::size_t column = 0;  // 0-based field index
};

struct CsvTable {
  std::string file;  // as given, for messages
  std::vector<std::string> header;
  std::vector<CsvRow> rows;                  // records after the header; blank lines are skipped
  std::vector<CsvInvalidUtf8> invalid_utf8;  // every field repaired, in file order
  // Index of a column by its header name (exact, then ignoring case and surrounding blanks);
  // -1 if absent.
  int column(const std::string& name) const;
};

// Parses CSV text; throws InputError (crm/errors.hpp) on an unterminated quoted field and on a
// header that names a column twice. Every field is valid UTF-8 afterwards: a byte that is not
// part of a valid UTF-8 sequence is replaced by U+FFFD and the field listed in invalid_utf8.
CsvTable parse_csv(const std::string& text, const std::string& file_label);
// Reads and parses a file; throws InputError when it cannot be opened or has no header.
CsvTable read_csv(const std::string& path);

// Replaces every byte of `s` that is not part of a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF included) by U+FFFD; returns how many.
std::size_t repair_utf8(std::string& s);

// A field's text for one line of a terminal table or a YAML comment: a quoted field may hold
// line breaks and other control characters, shown as '?' so the line holds.
std::string one_line(const std::string& s);

}  // namespace salesim::crm
