#pragma once
// A small table of named columns (numbers or text), one row per run of a sweep, a sensitivity
// analysis or a batch, written as CSV, as an HDF5 group of column datasets, or as text.
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace salesim::tools {

using Cell = std::variant<double, std::string>;
using Row = std::vector<std::pair<std::string, Cell>>;

class Table {
 public:
  // The first row fixes the columns; later rows must have the same names in the same order.
  void add(Row row);
  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t rows() const { return rows_.size(); }
  const Cell& at(std::size_t row, std::size_t col) const { return rows_[row][col]; }
  std::vector<double> numbers(std::size_t col) const;  // NaN for text
  // RFC 4180 CSV; numbers with 17 significant digits at most (round-trip), empty for NaN;
  // text cells and column names through spreadsheet_safe.
  std::string csv() const;
  // Fixed-width text of the chosen columns (those that exist), for the terminal.
  std::string text(const std::vector<std::vector<std::string>>& column_groups) const;
  std::string text(const std::vector<std::string>& a, const std::vector<std::string>& b,
                   const std::vector<std::string>& c) const {
    return text(std::vector<std::vector<std::string>>{a, b, c});
  }

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<Cell>> rows_;
};

std::string csv_field(const std::string& s);
// A text cell as a spreadsheet should show it: text beginning with '=', '+', '-', '@', a tab
// or a carriage return would be evaluated as a formula (CSV injection), so it gets a leading
// single quote, as OWASP advises. Text that is a number as a whole ("-5", "+0.25") is left as
// it is: it is a number. Numeric cells (double) never pass through here.
std::string spreadsheet_safe(const std::string& s);
std::string format_number(double v);  // shortest text that reads back the same; "" for NaN

// Writes the table as /table/<column> datasets (with a `columns` list giving their order),
// text attributes on the root, `keys` (the varied keys) and the scenario text, atomically.
void write_table_h5(const std::string& path, const Table& t,
                    const std::vector<std::pair<std::string, std::string>>& attrs,
                    const std::vector<std::string>& keys, const std::string& scenario_text);

}  // namespace salesim::tools
