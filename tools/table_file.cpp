#include "tools/table_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "salesim/version.hpp"
#include "sim/atomic_file.hpp"
#include "sim/h5.hpp"
#include "tools/terminal.hpp"

namespace salesim::tools {

void Table::add(Row row) {
  if (rows_.empty() && columns_.empty())
    for (const auto& [name, cell] : row) columns_.push_back(name);
  if (row.size() != columns_.size())
    throw std::logic_error("Table::add: a row with a different number of columns");
  std::vector<Cell> cells;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (row[i].first != columns_[i])
      throw std::logic_error("Table::add: column '" + row[i].first + "' where '" + columns_[i] +
                             "' was expected");
    cells.push_back(std::move(row[i].second));
  }
  rows_.push_back(std::move(cells));
}

std::vector<double> Table::numbers(std::size_t col) const {
  std::vector<double> v;
  for (const auto& r : rows_)
    v.push_back(std::holds_alternative<double>(r[col]) ? std::get<double>(r[col]) : std::nan(""));
  return v;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string spreadsheet_safe(const std::string& s) {
  if (s.empty() || std::string_view("=+-@\t\r").find(s.front()) == std::string_view::npos) return s;
  // A number as a whole stays a number: "-5" is minus five, not a formula.
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() + s.size() && std::isfinite(v) && s.front() != '\t' && s.front() != '\r' &&
      s.find_first_of("xXpP") == std::string::npos)  // no hex floats ("-0x1p3")
    return s;
  return "'" + s;
}

std::string format_number(double v) { return std::isnan(v) ? "" : fmt::format("{}", v); }

namespace {
std::string cell_text(const Cell& c) {
  return std::holds_alternative<double>(c) ? format_number(std::get<double>(c))
                                           : std::get<std::string>(c);
}
}  // namespace

std::string Table::csv() const {
  std::string out;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (i) out += ',';
    out += csv_field(spreadsheet_safe(columns_[i]));
  }
  out += "\n";
  for (const auto& r : rows_) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (i) out += ',';
      out += csv_field(std::holds_alternative<double>(r[i])
                           ? format_number(std::get<double>(r[i]))
                           : spreadsheet_safe(std::get<std::string>(r[i])));
    }
    out += "\n";
  }
  return out;
}

std::string Table::text(const std::vector<std::vector<std::string>>& groups) const {
  std::vector<std::size_t> cols;
  for (const auto& g : groups)
    for (const auto& name : g) {
      auto it = std::find(columns_.begin(), columns_.end(), name);
      if (it != columns_.end()) cols.push_back(std::size_t(it - columns_.begin()));
    }
  auto shown = [](const Cell& c) {
    if (!std::holds_alternative<double>(c)) return std::get<std::string>(c);
    const double v = std::get<double>(c);
    if (std::isnan(v)) return std::string("-");
    if (v == std::round(v) && std::abs(v) < 1e4) return fmt::format("{:.0f}", v);
    if (std::abs(v) >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
    if (std::abs(v) >= 1e4) return fmt::format("{:.1f}k", v / 1e3);
    return fmt::format("{:.4g}", v);
  };
  std::vector<std::size_t> width;
  for (auto c : cols) {
    std::size_t w = text_width(columns_[c]);  // columns, as fmt pads (a key may be UTF-8)
    for (const auto& r : rows_) w = std::max(w, text_width(shown(r[c])));
    width.push_back(w);
  }
  std::string out;
  for (std::size_t i = 0; i < cols.size(); ++i)
    out += fmt::format("{:>{}}  ", columns_[cols[i]], width[i]);
  out += "\n";
  for (const auto& r : rows_) {
    for (std::size_t i = 0; i < cols.size(); ++i)
      out += fmt::format("{:>{}}  ", shown(r[cols[i]]), width[i]);
    out += "\n";
  }
  return out;
}

void write_table_h5(const std::string& path, const Table& t,
                    const std::vector<std::pair<std::string, std::string>>& attrs,
                    const std::vector<std::string>& keys, const std::string& scenario_text) {
  sim::write_atomically(path, [&](const std::filesystem::path& tmp) {
    try {
      auto f = sim::h5::File::create(tmp.string());
      f.attr("format_version", std::string("1.0"));
      f.attr("format_major", std::int64_t(1));
      f.attr("salesim_version", std::string(sim::build::version));
      f.attr("git_revision", std::string(sim::build::git_revision));
      for (const auto& [k, v] : attrs) f.attr(k, v);
      f.write_strings("keys", keys);
      f.write_string("scenario_text", scenario_text);
      {
        auto g = f.group("table");
        g.write_strings("columns", t.columns());
        for (std::size_t c = 0; c < t.columns().size(); ++c) {
          bool text = false;
          for (std::size_t r = 0; r < t.rows(); ++r)
            text |= std::holds_alternative<std::string>(t.at(r, c));
          if (text) {
            std::vector<std::string> v;
            for (std::size_t r = 0; r < t.rows(); ++r) v.push_back(cell_text(t.at(r, c)));
            g.write_strings(t.columns()[c], v);
          } else {
            const auto v = t.numbers(c);
            g.write(t.columns()[c], v, {v.size()});
          }
        }
      }  // the group is closed before the file, so the close is the last write and is checked
      f.close();
    } catch (const sim::h5::Error& e) {
      throw sim::WriteError("cannot write " + path + ": " +
                            (e.reason().empty() ? std::string(e.what()) : e.reason()));
    }
  });
}

}  // namespace salesim::tools
