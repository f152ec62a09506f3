#include "models/crm/mapping.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "models/crm/errors.hpp"
#include "models/keys.hpp"
#include "models/yaml_guard.hpp"

namespace salesim::crm {
namespace {

std::vector<std::string> field_names() { return {std::begin(kFields), std::end(kFields)}; }

std::string canonical_field(const std::string& f) {
  static const std::map<std::string, std::string> aliases = {
      {"status", "stage"},      {"engaged", "created"}, {"close", "closed"},
      {"close_date", "closed"}, {"value", "amount"},    {"rep", "owner"}};
  auto it = aliases.find(f);
  return it == aliases.end() ? f : it->second;
}

void check_field(const std::string& field, const std::string& where) {
  const auto names = field_names();
  if (std::find(names.begin(), names.end(), field) == names.end())
    throw InputError(fmt::format("{}: unknown field '{}' (did you mean '{}'? fields are: {})",
                                 where, field, nearest(field, names), fmt::join(names, ", ")));
}

std::vector<std::string> string_list(const YAML::Node& n, const std::string& where) {
  std::vector<std::string> out;
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) throw InputError(where + ": expected a list of stage values");
  for (const auto& v : n) {
    if (!v.IsScalar())  // ([[Won]] threw yaml-cpp's "bad conversion", naming nothing)
      throw InputError(where + ": expected a list of stage values, each a text such as Won");
    out.push_back(v.Scalar());
  }
  return out;
}

SideTable side_table(const YAML::Node& n, const std::string& where,
                     const std::filesystem::path& dir, const char* key, const char* value) {
  SideTable s;
  if (n.IsScalar()) {
    s.file = (dir / n.Scalar()).string();
    return s;
  }
  if (!n.IsMap()) throw InputError(where + ": expected a file name or {file, ...}");
  for (const auto& kv : n) {
    const std::string k = kv.first.Scalar();
    if (k == "file")
      s.file = (dir / kv.second.Scalar()).string();
    else if (k == key)
      s.key_column = kv.second.Scalar();
    else if (k == value)
      s.value_column = kv.second.Scalar();
    else
      throw InputError(
          fmt::format("{}.{}: unknown key (expected file, {}, {})", where, k, key, value));
  }
  if (s.file.empty()) throw InputError(where + ": missing key 'file'");
  return s;
}

}  // namespace

ColumnMapping load_mapping(const std::string& path) {
  ColumnMapping m;
  m.source = path;
  YAML::Node root;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: is a folder; expected the mapping file (YAML)", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the mapping file", path));
  // A mapping is a few lines: more than 1 MB is not one (and /dev/zero would fill the memory).
  constexpr std::size_t kMaxMapping = 1 << 20;
  std::string text(kMaxMapping + 1, '\0');
  in.read(text.data(), std::streamsize(text.size()));
  text.resize(std::size_t(in.gcount()));
  if (text.size() > kMaxMapping)
    throw InputError(fmt::format("{}: larger than 1 MB; expected a mapping file (YAML)", path));
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(fmt::format("{}:{}: {}", path, e.mark.line + 1, e.msg));
  }
  // YAML::Load reads the first document only: a second one would be ignored silently.
  if (const auto second = second_document(text))
    throw InputError(
        fmt::format("{}:{}: a second YAML document starts here; a mapping file is one document",
                    path, second->line + 1));
  if (!root.IsMap()) throw InputError(path + ": expected a map (columns, status, ...)");
  const auto dir = std::filesystem::path(path).parent_path();
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    const std::string where = path + ": " + key;
    if (key == "columns") {
      if (!kv.second.IsMap()) throw InputError(where + ": expected a map field -> column");
      for (const auto& c : kv.second) {
        const std::string f = canonical_field(c.first.Scalar());
        check_field(f, where);
        if (!c.second.IsScalar() || c.second.Scalar().empty())
          throw InputError(
              fmt::format("{}.{}: expected the name of a column of the export, as "
                          "written in its header",
                          where, c.first.Scalar()));
        m.columns[f] = c.second.Scalar();
        m.column_source[f] = path;
      }
    } else if (key == "status") {
      if (!kv.second.IsMap()) throw InputError(where + ": expected {won: [...], lost: [...]}");
      for (const auto& s : kv.second) {
        const std::string k = s.first.Scalar();
        if (k == "won")
          m.won = string_list(s.second, where + ".won");
        else if (k == "lost")
          m.lost = string_list(s.second, where + ".lost");
        else
          throw InputError(fmt::format("{}.{}: unknown key (expected won or lost)", where, k));
      }
    } else if (key == "date_format") {
      auto f = parse_date_format(kv.second.Scalar());
      if (!f)
        throw InputError(
            fmt::format("{}: expected YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY, found '{}'", where,
                        kv.second.Scalar()));
      m.date_format = *f;
    } else if (key == "org_chart") {
      m.org_chart = side_table(kv.second, where, dir, "owner", "manager");
    } else if (key == "price_list") {
      m.price_list = side_table(kv.second, where, dir, "product", "price");
    } else {
      throw InputError(fmt::format(
          "{}: unknown key (did you mean '{}'?)", where,
          nearest(key, {"columns", "status", "date_format", "org_chart", "price_list"})));
    }
  }
  check_status_lists(m);
  return m;
}

void check_status_lists(const ColumnMapping& m) {
  auto lower = [](std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const auto& w : m.won)
    for (const auto& l : m.lost)
      if (lower(w) == lower(l))
        throw InputError(fmt::format(
            "{}: status: the stage value '{}' is listed under both won and lost{}; a stage "
            "means one outcome, remove it from one list",
            m.source.empty() ? "the mapping" : m.source, w,
            w == l ? "" : fmt::format(" (as '{}'; case is ignored)", l)));
}

void apply_map_option(ColumnMapping& m, const std::string& option) {
  std::string item;
  for (char c : option + ",") {
    if (c != ',') {
      item += c;
      continue;
    }
    // "a=x, b=y": the spaces around an item, and around its field's name, are not part of it.
    const auto first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw InputError(fmt::format("--map: expected field=column, found '{}'", item));
    const std::string f = canonical_field(item.substr(0, item.find_last_not_of(" \t", eq - 1) + 1));
    check_field(f, "--map");
    m.columns[f] = item.substr(item.find_first_not_of(" \t", eq + 1));
    m.column_source[f] = "--map";
    item.clear();
  }
  if (m.source.empty()) m.source = "--map";
}

std::map<std::string, int> resolve_columns(const ColumnMapping& m, const CsvTable& t) {
  std::map<std::string, int> out;
  for (const char* f : kFields) {
    auto it = m.columns.find(f);
    if (it == m.columns.end()) {
      out[f] = t.column(f);  // a column named like the field
      continue;
    }
    const int i = t.column(it->second);
    if (i < 0) {
      // Named by --map or by the file: the message says which, so the user edits the right one.
      const auto by = m.column_source.find(f);
      const std::string source = by != m.column_source.end() ? by->second
                                 : m.source.empty()          ? "the mapping"
                                                             : m.source;
      throw InputError(fmt::format(
          "{}: column '{}' (mapped to {} by {}) is not in the header; did you mean '{}'? The "
          "columns are: {}",
          t.file, it->second, f, source, nearest(it->second, t.header), fmt::join(t.header, ", ")));
    }
    out[f] = i;
  }
  // One column for two fields (closed: engage_date beside created: engage_date) made every deal
  // close on the day it was created, without a word.
  for (auto a = out.begin(); a != out.end(); ++a)
    for (auto b = std::next(a); b != out.end(); ++b)
      if (a->second >= 0 && a->second == b->second) {
        // Where each of the two was mapped: --map, the mapping file, or a column named like
        // the field.
        auto from = [&](const std::string& f) {
          const auto it = m.column_source.find(f);
          return it != m.column_source.end() ? it->second : std::string("its name");
        };
        throw InputError(fmt::format(
            "{}: the column '{}' is mapped to two fields, {} (by {}) and {} (by {}); each field "
            "takes a column of its own",
            t.file, t.header[std::size_t(a->second)], a->first, from(a->first), b->first,
            from(b->first)));
      }
  for (const char* f : kRequiredFields)
    if (out[f] < 0)
      throw InputError(fmt::format(
          "{}: no column for the required field '{}'; map one with --map {}=COLUMN or in the "
          "mapping file under columns.{} (the columns are: {})",
          t.file, f, f, f, fmt::join(t.header, ", ")));
  return out;
}

}  // namespace salesim::crm
