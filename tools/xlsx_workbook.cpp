#include "tools/xlsx_workbook.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/atomic_file.hpp"

namespace salesim::tools {
namespace {

bool has(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }
bool ends_with(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

constexpr std::size_t kFormats = 6;

}  // namespace

const char* format_code(NumberFormat f) {
  switch (f) {
    case NumberFormat::general:
      return "";
    case NumberFormat::money:
      return "#,##0";
    case NumberFormat::percent:
      return "0.0%";
    case NumberFormat::whole:
      return "0";
    case NumberFormat::count:
      return "#,##0.0";
    case NumberFormat::decimal:
      return "0.00";
  }
  return "";
}

NumberFormat column_format(const std::string& name) {
  // A probability first: a checkpoint's label may hold a dot or end in "_week" (p_Fin.).
  if (name.rfind("p_", 0) == 0) return NumberFormat::percent;
  if (has(name, ".")) return NumberFormat::general;  // a scenario key's value, as it is
  if (name == "paths" || name == "point" || name == "rank" || name == "week" ||
      ends_with(name, "_week") || ends_with(name, "weeks"))
    return NumberFormat::whole;
  // Ratios read as percentages: retention (NRR, GRR), quota attainment, win rates, coverage.
  for (const char* percent : {"share", "retention", "attainment", "win_rate", "coverage",
                              "p_better", "p_beats", "p_ties", "fail_rate", "bin_width"})
    if (has(name, percent)) return NumberFormat::percent;
  if (has(name, "hours")) return NumberFormat::count;  // hours per rep-week: one decimal
  if (ends_with(name, "_found")) return NumberFormat::whole;
  if (ends_with(name, "_r2") || name == "r2" || name == "coef" || ends_with(name, "_coef") ||
      name == "se")  // (the drivers' coefficient's error, beside coef)
    return NumberFormat::decimal;
  if (name == "accounts") return NumberFormat::whole;  // a segment's accounts, as written
  if (has(name, "per_extra_cost")) return NumberFormat::decimal;  // ARR per unit of extra cost
  if (name.rfind("arr_", 0) == 0) return NumberFormat::money;     // batch's arr_final_p50, ...
  for (const char* money : {"bookings", "cost", "profit", "shortfall", "run_rate", "value",
                            "target", "revenue", "salaries", "commission", "accelerators"})
    if (has(name, money)) return NumberFormat::money;
  for (const char* count : {"leavers", "hires", "headcount", "won", "lost", "created", "reps",
                            "accounts", "customers", "cooling", "opportunities"})
    if (has(name, count)) return NumberFormat::count;
  if (has(name, "roi") || has(name, "burnout")) return NumberFormat::decimal;
  return NumberFormat::general;
}

Sheet table_sheet(const std::string& name, Table table,
                  const std::map<std::string, NumberFormat>& overrides) {
  Sheet s{name, std::move(table), {}, {}};
  for (const auto& c : s.table.columns()) {
    const auto it = overrides.find(c);
    s.formats.push_back(it != overrides.end() ? it->second : column_format(c));
  }
  return s;
}

void write_xlsx(const std::string& path, const std::vector<Sheet>& sheets) {
  sim::write_atomically(path, [&](const std::filesystem::path& tmp) {
    lxw_workbook* wb = workbook_new(tmp.c_str());
    if (!wb)
      throw sim::WriteError(fmt::format("cannot write {}: cannot create the workbook", path));
    // Closing frees the workbook, so every error path below closes it first.
    auto fail = [&](const std::string& why) {
      workbook_close(wb);
      throw sim::WriteError(fmt::format("cannot write {}: {}", path, why));
    };
    lxw_format* header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_bottom(header, LXW_BORDER_THIN);
    lxw_format* formats[kFormats] = {};
    for (std::size_t f = 0; f < kFormats; ++f) {
      const char* code = format_code(NumberFormat(f));
      if (!*code) continue;
      formats[f] = workbook_add_format(wb);
      format_set_num_format(formats[f], code);
    }
    for (const Sheet& sheet : sheets) {
      lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
      if (!ws) fail(fmt::format("'{}' is not a valid sheet name", sheet.name));
      const Table& t = sheet.table;
      const auto& cols = t.columns();
      if (t.rows() == 0 && !sheet.empty_note.empty())
        worksheet_write_string(ws, 0, 0, sheet.empty_note.c_str(), nullptr);
      if (t.rows() + 1 > LXW_ROW_MAX || cols.size() > LXW_COL_MAX)
        fail(fmt::format("sheet '{}' has more rows or columns than Excel allows", sheet.name));
      for (std::size_t c = 0; c < cols.size(); ++c) {
        worksheet_write_string(ws, 0, lxw_col_t(c), cols[c].c_str(), header);
        std::size_t width = cols[c].size();
        lxw_format* number = formats[std::size_t(sheet.formats.at(c))];
        for (std::size_t r = 0; r < t.rows(); ++r) {
          const Cell& cell = t.at(r, c);
          const auto row = lxw_row_t(r + 1);
          if (const auto* text = std::get_if<std::string>(&cell)) {
            if (!text->empty())
              worksheet_write_string(ws, row, lxw_col_t(c), text->c_str(), nullptr);
            width = std::max(width, text->size());
          } else {
            const double v = std::get<double>(cell);
            if (!std::isfinite(v)) continue;  // no figure (NaN) or never (+inf): an empty cell
            worksheet_write_number(ws, row, lxw_col_t(c), v, number);
            width = std::max<std::size_t>(width, 12);
          }
        }
        worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c),
                             double(std::min<std::size_t>(width, 60) + 2), nullptr);
      }
      worksheet_freeze_panes(ws, 1, 0);
    }
    if (const lxw_error err = workbook_close(wb); err != LXW_NO_ERROR)
      throw sim::WriteError(fmt::format("cannot write {}: {}", path, lxw_strerror(err)));
  });
}

}  // namespace salesim::tools
