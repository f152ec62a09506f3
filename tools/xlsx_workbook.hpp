#pragma once
// Excel workbooks (--xlsx FILE on run, sweep, batch and sensitivity) through libxlsxwriter:
// a sheet per table, a bold frozen header row, column widths from the contents and number
// formats per column (money, percent, counts). Text cells are always written as text, never
// as formulas, so a plan named "=1+1" stays a name. The file is written atomically.
#include <map>
#include <string>
#include <vector>

#include "tools/table_file.hpp"

namespace salesim::tools {

enum class NumberFormat {
  general,  // as the number is
  money,    // #,##0 (no currency symbol: the scenario file has none, as in the report)
  percent,  // 0.0%
  whole,    // 0: paths, weeks, ranks
  count,    // #,##0.0: means of counts (leavers, headcount)
  decimal,  // 0.00: ratios (ROI), burnout
};
// The Excel format code of f ("" for general).
const char* format_code(NumberFormat f);

// The format a column gets from its name, for tables whose columns follow salesim's naming:
// dotted names (scenario keys) are general; paths, point, rank, week and *_week(s) whole
// numbers; p_*, *share*, *retention*, *attainment*, *win_rate*, *coverage*, *p_better* and
// *bin_width* percent; *per_extra_cost* a decimal; arr_*, *bookings*, *cost*, *profit*,
// *shortfall*, *run_rate*, *value*, *target*, *revenue*, *salaries*, *commission* and
// *accelerators* money; leavers, hires, headcount, won, lost, created, reps, accounts,
// customers, cooling and opportunities counts; roi and burnout decimals; anything else general.
NumberFormat column_format(const std::string& name);

struct Sheet {
  std::string name;  // at most 31 characters, none of []:*?/\ (Excel's rule)
  Table table;
  std::vector<NumberFormat> formats;  // per column
  std::string empty_note;             // written in A1 when the table has no rows: why not
};

// A sheet of `table` with formats from column_format, but for the columns named in overrides.
Sheet table_sheet(const std::string& name, Table table,
                  const std::map<std::string, NumberFormat>& overrides = {});

// Writes the sheets in order to path, atomically; a failure throws sim::WriteError naming path.
void write_xlsx(const std::string& path, const std::vector<Sheet>& sheets);

}  // namespace salesim::tools
