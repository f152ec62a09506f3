// Loads a scenario file: YAML -> Params and plans, with strict keys and every problem of the
// file reported at once (file:line:column: key path: what was expected).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>

#include "models/assumptions_loader.hpp"
#include "models/calendar.hpp"
#include "models/format_upgrade.hpp"
#include "models/funnel.hpp"
#include "models/keys.hpp"
#include "models/plan_warnings.hpp"
#include "models/recurring.hpp"
#include "models/scenario.hpp"
#include "models/territory_loader.hpp"
#include "models/yaml_guard.hpp"
#include "models/yaml_merge.hpp"
#include "sim/utf8.hpp"

namespace salesim {

namespace {

using sim::utf8::invisible;
// Control characters (a terminal escape sequence in a key, say) are shown as \xNN, and the
// other invisible ones (a direction override, say) as \u{NNNN}, never echoed raw to the user's
// terminal.
std::string printable(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const sim::utf8::Char c = sim::utf8::at(s, i);
    const auto u = static_cast<unsigned char>(s[i]);
    if (u < 0x20 || u == 0x7f || (c.code == 0xFFFD && c.len == 1))  // not UTF-8
      out += fmt::format("\\x{:02x}", u);
    else if (invisible(c.code))
      out += fmt::format("\\u{{{:04X}}}", std::uint32_t(c.code));
    else
      out += s.substr(i, c.len);
    i += c.len;
  }
  return out;
}

std::vector<std::string> printable(std::vector<std::string> problems) {
  for (auto& p : problems) p = printable(p);
  return problems;
}

}  // namespace

ScenarioError::ScenarioError(std::vector<std::string> p)
    : std::runtime_error([&] {
        std::string s;
        for (const auto& x : p) s += (s.empty() ? "" : "\n") + printable(x);
        return s;
      }()),
      problems(printable(std::move(p))) {}

namespace {

constexpr std::size_t kMaxNameLength = 64;

bool space(char32_t c) {
  return c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

// Stage names appear in dotted key paths (pipeline.stages.NAME.exit_rate), in the command
// line's KEY=LO:HI and comma-separated key lists, and in tables: any text of 1 to 64 characters
// but for the characters those forms use ('.', '[', ']', '=', ':', ','), slashes, invisible
// characters, and spaces at either end. "discovery call" and "qualifié" are names.
bool is_stage_name(const std::string& s) {
  const std::vector<char32_t> cps = sim::utf8::code_points(s);
  if (cps.empty() || cps.size() > kMaxNameLength || space(cps.front()) || space(cps.back()))
    return false;
  const std::u32string_view forbidden = U".[]=:,/\\";
  return std::none_of(cps.begin(), cps.end(), [&](char32_t c) {
    return invisible(c) || forbidden.find(c) != std::u32string_view::npos;
  });
}

}  // namespace

// Plan names name HDF5 groups and chart files: no '/' or '\\', not '.'-led, no control
// characters, at most kMaxNameLength bytes. The problem, or "" when the name is fine.
std::string plan_name_problem(const std::string& s) {
  if (s.empty()) return "a plan needs a name (empty names cannot be told apart)";
  if (s.size() > kMaxNameLength)
    return fmt::format(
        "a plan name has at most {} bytes of UTF-8 (a letter with an accent takes two), found {}",
        kMaxNameLength, s.size());
  if (s.front() == '.') return "a plan name cannot start with '.', found '" + printable(s) + "'";
  // --plans 'a, b' reads names without the spaces around them, so such a plan could not be named.
  if (s.front() == ' ' || s.back() == ' ')
    return "a plan name cannot start or end with a space, found '" + printable(s) + "'";
  for (char ch : s)
    if (ch == '/' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20)
      return "a plan name cannot contain '/', '\\' or control characters, found '" + printable(s) +
             "'";
  return "";
}

namespace {

struct Ctx {
  std::string file;
  std::vector<std::string> problems;
  int format = kFormatVersion;             // the file's `salesim:` version
  std::vector<std::pair<int, int>> marks;  // line, column of each problem (-1: no place)
  void err(const YAML::Node& n, const std::string& path, const std::string& msg) {
    err_at(n.IsDefined() ? n.Mark() : YAML::Mark::null_mark(), path, msg);
  }
  // A problem at a place in the text rather than at a node (and of no key when `path` is "").
  void err_at(const YAML::Mark& m, const std::string& path, const std::string& msg) {
    const std::string what = path.empty() ? msg : path + ": " + msg;
    if (m.line >= 0)
      problems.push_back(fmt::format("{}:{}:{}: {}", file, m.line + 1, m.column + 1, what));
    else
      problems.push_back(fmt::format("{}: {}", file, what));
    marks.emplace_back(m.line >= 0 ? m.line : -1, m.line >= 0 ? m.column : -1);
  }
  // The problems in the file's line order (sections are read in a fixed order, not the file's),
  // those without a place first.
  std::vector<std::string> in_line_order() const {
    std::vector<std::size_t> idx(problems.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return marks[a] < marks[b]; });
    std::vector<std::string> out;
    for (std::size_t i : idx) out.push_back(problems[i]);
    return out;
  }
};

// Checkpoint labels name HDF5 datasets and CSV columns (p_LABEL and p_LABEL_se, beside the
// goal's p_goal and p_goal_se, in sweep tables) and the metric p_checkpoint:LABEL: a label with
// '/' (a group separator in HDF5) or control characters, or one that gives a column another
// checkpoint or the goal has, would break them.
class CheckpointLabels {
 public:
  void check(Ctx& c, const YAML::Node& at, const std::string& path, const std::string& label,
             bool written) {
    const std::string shown =
        written ? "'" + label + "'" : "'" + label + "' (the label of a checkpoint without one)";
    for (char ch : label)
      if (ch == '/' || static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
        return c.err(at, path,
                     "a checkpoint label cannot contain '/' or control characters, found " + shown +
                         ": labels name HDF5 datasets (where '/' separates groups), CSV "
                         "columns and the metric p_checkpoint:LABEL");
    if (label == "goal" || label == "goal_se")
      return c.err(at, path,
                   "a checkpoint label cannot be 'goal' or 'goal_se': a checkpoint's table "
                   "columns are p_LABEL and p_LABEL_se, and p_goal and p_goal_se are the goal's");
    for (const auto& [other, where] : seen_) {
      if (other == label)
        return c.err(at, path,
                     fmt::format("duplicate checkpoint label {} ({} has it too); labels must "
                                 "be unique: each names an HDF5 dataset, a CSV column and the "
                                 "metric p_checkpoint:LABEL",
                                 shown, where));
      if (other + "_se" == label || label + "_se" == other)
        return c.err(at, path,
                     fmt::format("checkpoint label {} and '{}' ({}) cannot both be used: a "
                                 "checkpoint's table columns are p_LABEL and p_LABEL_se, so "
                                 "the column p_{}_se would be both's",
                                 shown, other, where, label.size() < other.size() ? label : other));
    }
    seen_.emplace_back(label, path.substr(0, path.rfind('.')));
  }

 private:
  std::vector<std::pair<std::string, std::string>> seen_;  // label, goal.checkpoints[i]
};

std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "." + b; }

std::string describe(const YAML::Node& n) {
  if (n.IsMap()) return "a map";
  if (n.IsSequence()) return "a list";
  if (n.IsNull()) return "null";
  return "'" + n.Scalar() + "'";
}

// Reads one scalar into its target, checking type and range. Numbers may be written in the
// friendly forms of keys.hpp (250k, 1.5M, 20% for shares).
void read_scalar(Ctx& c, const YAML::Node& n, const KeyInfo& k, const std::string& path) {
  const std::string expect = "expected " + k.expect_text();
  if (auto* s = std::get_if<std::string*>(&k.target)) {
    if (n.IsNull())
      **s = "";
    else if (n.IsScalar())
      **s = n.Scalar();
    else
      c.err(n, path, "expected text, found " + describe(n));
    return;
  }
  if (auto* o = std::get_if<std::optional<double>*>(&k.target); o && n.IsNull()) {
    **o = std::nullopt;
    return;
  }
  if (!n.IsScalar()) return c.err(n, path, expect + ", found " + describe(n));
  const std::string& text = n.Scalar();
  if (auto* b = std::get_if<bool*>(&k.target)) {
    // YAML's words for a boolean, 1.2's and 1.1's, each in lower, title and upper case.
    static const std::set<std::string> yes = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                              "on",   "On",   "ON",   "y",   "Y"};
    static const std::set<std::string> no = {"false", "False", "FALSE", "no", "No", "NO",
                                             "off",   "Off",   "OFF",   "n",  "N"};
    if (yes.count(text))
      **b = true;
    else if (no.count(text))
      **b = false;
    else
      c.err(n, path, "expected true or false, found '" + text + "'");
    return;
  }
  // Seeds are exact in all 64 bits: decimal digits (base 10: "010" is ten, as for every other
  // key), or a friendly form (1e6, 2.5k) when it is a whole number a double holds exactly. A
  // friendly form is read through a double, so it is refused at 2^53 and above, and with more
  // than 15 significant digits: 9007199254740993.0 would silently be ...992, another seed.
  if (auto* u = std::get_if<std::uint64_t*>(&k.target)) {
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    std::string reason;
    try {
      std::size_t used = 0;
      if (digits) {
        **u = std::stoull(text, &used, 10);
        if (used == text.size()) return;
      } else if (std::string why; auto v = parse_number(text, false, why)) {
        const std::string mantissa = text.substr(0, text.find_first_of("eEkKmMbB"));
        const std::size_t first = mantissa.find_first_of("123456789"),
                          last = mantissa.find_last_of("123456789");
        const std::size_t significant =
            first == std::string::npos
                ? 0
                : std::size_t(std::count_if(mantissa.begin() + long(first),
                                            mantissa.begin() + long(last) + 1,
                                            [](char ch) { return ch >= '0' && ch <= '9'; }));
        if (*v >= 9007199254740992.0 || significant > 15)
          reason =
              ": a seed written in another form than decimal digits is read through a "
              "double, exact only below 2^53 and to 15 digits; write it in digits";
        else if (*v >= 0 && *v == std::floor(*v)) {
          **u = std::uint64_t(*v);
          return;
        }
      }
    } catch (const std::exception&) {
    }
    return c.err(n, path, expect + ", found '" + text + "'" + reason);
  }
  std::string why;
  const std::optional<double> parsed = parse_number(text, k.percent_ok(), why);
  if (!parsed) {
    if (!why.empty()) return c.err(n, path, fmt::format("{}, found '{}': {}", expect, text, why));
    return c.err(n, path,
                 fmt::format("{} (written like {}), found '{}'", expect, k.examples(), text));
  }
  const double v = *parsed;
  // A value read through a suffix is shown with what it stands for: "found 2M (2e+06)".
  const bool plain = text.find_first_of("kKmMbBn%") == std::string::npos;
  const std::string found = plain ? text : fmt::format("{} (= {:g})", text, v);
  if (auto* i = std::get_if<std::int64_t*>(&k.target)) {
    if (v != std::floor(v) || !k.in_range(v)) return c.err(n, path, expect + ", found " + found);
    **i = std::int64_t(v);
    return;
  }
  if (!k.in_range(v))
    return c.err(n, path, expect + ", found " + found + (plain ? k.percent_hint(v) : ""));
  if (auto* d = std::get_if<double*>(&k.target))
    **d = v;
  else if (auto* o2 = std::get_if<std::optional<double>*>(&k.target))
    **o2 = v;
}

// The dictionary of scalar keys, with lookups by path and by prefix.
struct Schema {
  std::vector<KeyInfo> keys;
  std::map<std::string, std::size_t> by_path;
  explicit Schema(Params& p) : keys(scalar_keys(p)) {
    for (std::size_t i = 0; i < keys.size(); ++i) by_path[keys[i].path] = i;
  }
  const KeyInfo* find(const std::string& path) const {
    auto it = by_path.find(path);
    return it == by_path.end() ? nullptr : &keys[it->second];
  }
  bool is_prefix(const std::string& path) const {
    auto it = by_path.lower_bound(path + ".");
    return it != by_path.end() && it->first.rfind(path + ".", 0) == 0;
  }
  std::vector<std::string> children(const std::string& prefix) const {
    std::set<std::string> out;
    const std::string pre = prefix.empty() ? "" : prefix + ".";
    for (const auto& k : keys)
      if (k.path.rfind(pre, 0) == 0)
        out.insert(k.path.substr(pre.size(), k.path.find('.', pre.size()) - pre.size()));
    return {out.begin(), out.end()};
  }
  std::vector<std::string> paths() const {
    std::vector<std::string> out;
    for (const auto& k : keys) out.push_back(k.path);
    return out;
  }
};

void unknown_key(Ctx& c, const YAML::Node& key_node, const std::string& display,
                 const std::string& key, std::vector<std::string> candidates) {
  // A key that is a list or a map (YAML's `? [a, b]`) has no text to suggest from.
  if (!key_node.IsScalar()) {
    std::string where = display;  // the map's path: the key has no name of its own
    if (!where.empty() && where.back() == '.') where.pop_back();
    return c.err(key_node, where.empty() ? "the top level" : where,
                 "a key must be text, found " + describe(key_node) + " used as a key");
  }
  std::string msg = "unknown key";
  if (!candidates.empty()) msg += " (did you mean '" + nearest(key, candidates) + "'?)";
  c.err(key_node, display, msg);
}

// Reads a map of scalar keys (and nested maps of them) through the schema. `special` names
// keys at this level that the caller reads itself.
void read_map(Ctx& c, const YAML::Node& node, const std::string& lookup, const std::string& display,
              const Schema& s, const std::set<std::string>& special = {}) {
  // A section left empty (`org:` followed by nothing, or null) is a section of defaults.
  if (node.IsNull()) return;
  if (!node.IsMap()) {
    // Its keys, so that the form is plain: "goal: 4.2M" wants goal: {revenue: 4.2M, ...}.
    std::vector<std::string> keys = s.children(lookup);
    keys.insert(keys.end(), special.begin(), special.end());
    std::string list;
    for (std::size_t i = 0; i < keys.size() && i < 8; ++i) list += (i ? ", " : "") + keys[i];
    if (keys.size() > 8) list += ", ...";
    return c.err(node, display,
                 "expected a map" + (list.empty() ? "" : " of its keys (" + list + ")") +
                     ", found " + describe(node));
  }
  std::set<std::string> given;  // a key given twice is reported once (check_duplicates) and
                                // read as its first, as yaml-cpp's lookups read it
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    const std::string full = join(lookup, key), disp = join(display, key);
    if (special.count(key) || !given.insert(key).second) continue;
    if (const KeyInfo* k = s.find(full)) {
      // A key left empty keeps its default, but where null is a value of its own (a target
      // of null: no target).
      if (kv.second.IsNull() && !std::holds_alternative<std::optional<double>*>(k->target))
        continue;
      read_scalar(c, kv.second, *k, disp);
    } else if (s.is_prefix(full))
      read_map(c, kv.second, full, disp, s);
    else {
      auto cands = s.children(lookup);
      cands.insert(cands.end(), special.begin(), special.end());
      unknown_key(c, kv.first, disp, key, cands);
    }
  }
}

// The key node of `key` in a map (its line and column, where a value left empty has none of
// its own); an undefined node when the map has no such key or is no map.
YAML::Node key_node_of(const YAML::Node& map, const std::string& key) {
  if (map.IsMap())
    for (const auto& kv : map)
      if (kv.first.Scalar() == key) return kv.first;
  return YAML::Node(YAML::NodeType::Undefined);
}

// Reads the fields of one list item (a map with a fixed set of keys).
class Fields {
 public:
  Fields(Ctx& c, const YAML::Node& n, std::string display)
      : c_(c), n_(n), display_(std::move(display)) {
    ok_ = n.IsMap();
    if (!ok_) c.err(n, display_, "expected a map, found " + describe(n));
  }
  bool ok() const { return ok_; }
  template <class T>
  bool get(const char* key, T& out, double lo = 0, double hi = 1e18, bool required = false,
           const char* unit = "") {
    allowed_.push_back(key);
    if (!ok_) return false;
    const YAML::Node v = n_[key];
    // An optional key left empty (`from_week:` or null) keeps its default, as when left out; a
    // required one is still missing, placed at its key (an empty value's mark is the next line).
    if (!v.IsDefined() || v.IsNull()) {
      if (required && !v.IsDefined())
        c_.err(n_, display_, std::string("missing required key '") + key + "'");
      else if (required)
        c_.err(key_node_of(n_, key), display_ + "." + key,
               std::string("missing required key '") + key + "' (it is left empty)");
      return false;
    }
    const std::string path = display_ + "." + key;
    if constexpr (std::is_same_v<T, int>) {
      std::int64_t tmp = out;
      read_scalar(c_, v, KeyInfo{path, &tmp, lo, hi, false, true, unit}, path);
      out = int(tmp);
    } else {
      read_scalar(c_, v, KeyInfo{path, &out, lo, hi, false, true, unit}, path);
    }
    return true;
  }
  // A share or probability in [0, 1] (so 25% reads as 0.25).
  bool share(const char* key, double& out, bool required = false, double hi = 1) {
    return get(key, out, 0, hi, required, "share");
  }
  const YAML::Node node(const char* key) {
    allowed_.push_back(key);
    return ok_ ? n_[key] : YAML::Node();
  }
  void finish() {
    if (!ok_) return;
    for (const auto& kv : n_) {
      const std::string key = kv.first.Scalar();
      if (std::find(allowed_.begin(), allowed_.end(), key) == allowed_.end())
        unknown_key(c_, kv.first, display_ + "." + key, key, allowed_);
    }
  }

 private:
  Ctx& c_;
  YAML::Node n_;
  std::string display_;
  std::vector<std::string> allowed_;
  bool ok_ = true;
};

template <class F>
void read_list(Ctx& c, const YAML::Node& n, const std::string& display, F item) {
  if (!n.IsDefined() || n.IsNull()) return;
  if (!n.IsSequence()) return c.err(n, display, "expected a list, found " + describe(n));
  for (std::size_t i = 0; i < n.size(); ++i) item(n[i], fmt::format("{}[{}]", display, i));
}

// YAML parsers keep the first of two equal keys in a map; the second would be ignored silently.
// Reports every key given twice in a map; true when one is a merge key `<<`, after which the
// merges cannot be resolved (the reading stops there). Other duplicates are read as yaml-cpp
// reads them (the first), so that the file's other problems are reported with them.
bool check_duplicates(Ctx& c, const YAML::Node& n, const std::string& path) {
  bool merge = false;
  if (n.IsSequence())
    for (std::size_t i = 0; i < n.size(); ++i)
      merge = check_duplicates(c, n[i], fmt::format("{}[{}]", path, i)) || merge;
  if (!n.IsMap()) return merge;
  std::map<std::string, int> first_line;
  for (const auto& kv : n) {
    const std::string key = kv.first.Scalar(), p = join(path, key);
    const auto [it, fresh] = first_line.emplace(key, kv.first.Mark().line + 1);
    if (!fresh) {
      c.err(kv.first, p, fmt::format("duplicate key (first given on line {})", it->second));
      merge = merge || key == "<<";
    } else {
      merge = check_duplicates(c, kv.second, p) || merge;
    }
  }
  return merge;
}

// An event week (MODEL.md 1.1): format 2 counts from 1, format 1 counted from 0; either way
// `out` becomes the 0-based week t of the weekly step.
template <class FieldsT>
void get_event_week(Ctx& c, FieldsT& f, const char* key, int& out, int horizon, bool required) {
  const int first = first_file_week(c.format);
  int w = out + first;
  if (f.get(key, w, first, horizon - 1 + first, required)) out = w - first;
}

// The calendar (docs/model.md 12.6): its scalar through the schema, its lists here.
void read_calendar(Ctx& c, const YAML::Node& n, const Schema& schema, Scenario& sc) {
  read_map(c, n, "calendar", "calendar", schema, {"holidays", "seasonality"});
  if (!n.IsMap()) return;
  CalendarParams& cal = sc.base.calendar;
  const bool dated = !sc.base.simulation.start_date.empty();
  std::set<std::string> listed;  // a search of the list for each date took minutes on 190k dates
  read_list(c, n["holidays"], "calendar.holidays", [&](const YAML::Node& h, const std::string& d) {
    const std::string v = h.IsScalar() ? h.Scalar() : "";
    const std::string bad = h.IsScalar() ? iso_date_problem(v)
                                         : "expected an ISO date YYYY-MM-DD, found " + describe(h);
    if (!bad.empty())
      c.err(h, d, bad);
    else if (!dated)
      c.err(h, d, "a holiday needs simulation.start_date (the date of week 1's first day)");
    else if (!listed.insert(v).second)
      c.err(h, d, "holiday " + v + " is listed twice");
    else
      cal.holidays.push_back(v);
  });
  const YAML::Node s = n["seasonality"];
  if (!s.IsDefined() || s.IsNull()) return;
  Fields f(c, s, "calendar.seasonality");
  const YAML::Node months = f.node("by_month");
  f.finish();
  if (!f.ok()) return;
  if (!months.IsSequence() || months.size() != 12)
    return c.err(months.IsDefined() ? months : s, "calendar.seasonality.by_month",
                 "expected a list of 12 factors, January first, found " +
                     (months.IsDefined() ? describe(months) : std::string("nothing")));
  for (std::size_t i = 0; i < 12; ++i) {
    double v = 1;
    const std::string path = fmt::format("calendar.seasonality.by_month[{}]", i);
    read_scalar(c, months[i], KeyInfo{path, &v, 0, 100, false, false, "ratio"}, path);
    cal.by_month.push_back(v);
  }
  double mean = 0;
  for (double v : cal.by_month) mean += v / 12;
  // The year's weekly mean counts the months from simulation.start_date: a start date that is
  // no date is reported as such, and no mean is taken from it.
  const std::string& start = sc.base.simulation.start_date;
  const bool start_ok = start.empty() || iso_date_problem(start).empty();
  if (!(mean > 0))
    c.err(months, "calendar.seasonality.by_month", "expected factors with a mean above 0");
  else if (!start_ok)
    return;
  else if (const double year = season_normaliser(sc.base);  // what the factors are divided by
           std::fabs(mean - 1) > 1e-9 || std::fabs(year - 1) > 0.01)
    sc.notices.push_back(fmt::format(
        "{}: calendar.seasonality.by_month has a mean of {:.4g}, and over a year's weeks (a "
        "month holds 4 or 5) of {:.4g}; each factor is divided by the latter, so the year's "
        "demand is unchanged and only its timing moves",
        sc.file, mean, year));
}

void read_hiring(Ctx& c, const YAML::Node& n, const std::string& display, int horizon,
                 std::vector<Hire>& out) {
  read_list(c, n, display, [&](const YAML::Node& item, const std::string& d) {
    Fields f(c, item, d);
    Hire h;
    get_event_week(c, f, "week", h.week, horizon, true);
    f.get("count", h.count, 0, 100000, true);
    f.finish();
    if (f.ok()) out.push_back(h);
  });
}

void read_training(Ctx& c, const YAML::Node& n, const std::string& display, int horizon,
                   std::vector<TrainingProgram>& out) {
  read_list(c, n, display, [&](const YAML::Node& item, const std::string& d) {
    Fields f(c, item, d);
    TrainingProgram t;
    f.get("name", t.name);
    get_event_week(c, f, "start_week", t.start_week, horizon, true);
    f.get("weeks", t.weeks, 1, 520);
    f.get("hours_per_week", t.hours_per_week, 0, kWeekHours);
    std::string who = "all", how = "gap";
    if (f.get("participants", who)) {
      if (who == "all")
        t.participants = Participants::all;
      else if (who == "new_hires")
        t.participants = Participants::new_hires;
      else if (who == "bottom_half")
        t.participants = Participants::bottom_half;
      else
        c.err(item["participants"], d + ".participants",
              "expected all, new_hires or bottom_half, found '" + who + "'");
    }
    if (f.get("targeting", how)) {
      if (how == "gap")
        t.targeting = Targeting::gap;
      else if (how == "generic")
        t.targeting = Targeting::generic;
      else
        c.err(item["targeting"], d + ".targeting", "expected gap or generic, found '" + how + "'");
    }
    f.get("focus_skills", t.focus_skills, 1, kMaxFocusSkills);
    f.share("efficacy", t.efficacy);
    f.get("cost_per_person", t.cost_per_person, 0, kMaxMoney, false, "currency");
    f.finish();
    if (t.name.empty()) t.name = fmt::format("training {}", out.size() + 1);
    if (f.ok()) out.push_back(t);
  });
}

void read_programs(Ctx& c, const YAML::Node& n, const std::string& display, int horizon,
                   std::vector<Program>& out) {
  read_list(c, n, display, [&](const YAML::Node& item, const std::string& d) {
    Fields f(c, item, d);
    Program p;
    std::string kind;
    f.get("kind", kind, 0, 0, true);
    f.get("name", p.name);
    get_event_week(c, f, "start_week", p.start_week, horizon, true);
    if (kind == "coach_the_coaches") {
      p.kind = ProgramKind::coach_the_coaches;
      f.share("manager_coaching_skill", p.value, true);
      f.get("cost", p.cost, 0, kMaxMoney, false, "currency");
    } else if (kind == "profiling") {
      p.kind = ProgramKind::profiling;
      f.share("awareness", p.value, true);
      f.get("cost_per_person", p.cost_per_person, 0, kMaxMoney, false, "currency");
    } else if (kind == "alignment") {
      p.kind = ProgramKind::alignment;
      f.share("alignment", p.value, true);
      f.get("hours_per_rep", p.hours_per_rep, 0, kWeekHours);
      f.get("cost", p.cost, 0, kMaxMoney, false, "currency");
    } else if (kind == "coaching_policy") {
      p.kind = ProgramKind::coaching_policy;
      f.get("hours_per_rep", p.value, 0, kWeekHours, true);
    } else if (f.ok() && item["kind"].IsDefined()) {
      c.err(item["kind"], d + ".kind",
            "expected coach_the_coaches, profiling, alignment or coaching_policy, found '" + kind +
                "'");
      return;
    }
    f.finish();
    if (p.name.empty()) p.name = to_string(p.kind);
    if (f.ok()) out.push_back(p);
  });
}

// A constraint that spans keys (floor <= top, max >= sustainable, Beta sd), broken: the key
// path it concerns and what is wrong. Each spans at most two keys of one parent: assumptions
// are checked at the corners of such pairs only (models/assumptions_loader.cpp).
struct CrossProblem {
  std::string path, msg;
  bool operator<(const CrossProblem& o) const {
    return std::tie(path, msg) < std::tie(o.path, o.msg);
  }
};

std::vector<CrossProblem> cross_problems(const Params& p) {
  std::vector<CrossProblem> out;
  auto beta_ok = [&](const BetaSpec& b, const std::string& path) {
    if (b.sd > 0 && !(b.sd < std::sqrt(b.mean * (1 - b.mean))))
      out.push_back({path + ".sd", fmt::format("{} must be below sqrt(mean*(1-mean)) = {:.4g}",
                                               b.sd, std::sqrt(b.mean * (1 - b.mean)))});
  };
  auto order_ok = [&](const Range01& r, const std::string& path) {
    if (r.floor > r.top)
      out.push_back({path, fmt::format("floor ({}) must not exceed top ({})", r.floor, r.top)});
  };
  for (const Stage& s : p.pipeline.stages)
    order_ok(s.conversion, "pipeline.stages." + s.name + ".conversion");
  order_ok(p.prospecting.yield, "prospecting.yield");
  if (p.capacity.max_hours < p.capacity.sustainable_hours)
    out.push_back(
        {"capacity.max_hours", fmt::format("{} must be >= capacity.sustainable_hours ({})",
                                           p.capacity.max_hours, p.capacity.sustainable_hours)});
  for (auto& [path, msg] : recurring_problems(p)) out.push_back({path, msg});
  beta_ok(p.team.preference, "team.preference");
  beta_ok(p.people.new_hire_skill, "people.new_hire_skill");
  for (const auto& [name, b] : p.team.skills) beta_ok(b, "team.skills." + name);
  return out;
}

// The node a dotted key path names in the file (stages by name), or the deepest one found on
// the way, so that a problem can carry a line and column.
YAML::Node locate(const YAML::Node& root, const std::string& path) {
  YAML::Node at = root;
  std::stringstream parts(path);
  std::string part;
  bool in_stages = false;
  while (std::getline(parts, part, '.')) {
    YAML::Node next;
    // An item by its place: a stage read under its placeholder (stages[1], unnamed_stage), as a
    // message names it (pipeline.stages[1].conversion) or as its key path does
    // (pipeline.stages.stages[1].conversion).
    const std::size_t open = part.find('[');
    std::size_t index = 0;
    const bool indexed = open != std::string::npos && part.back() == ']' &&
                         std::sscanf(part.c_str() + open, "[%zu]", &index) == 1;
    if (indexed) {
      const std::string list = part.substr(0, open);
      const YAML::Node seq = in_stages && list == "stages"        ? at
                             : at.IsMap() && at[list].IsDefined() ? at[list]
                                                                  : YAML::Node();
      if (seq.IsDefined() && seq.IsSequence() && index < seq.size()) next.reset(seq[index]);
    } else if (in_stages && at.IsSequence()) {
      for (std::size_t i = 0; i < at.size(); ++i) {
        const YAML::Node item = at[i];
        if (item.IsMap() && item["name"].IsDefined() && item["name"].IsScalar() &&
            item["name"].Scalar() == part)
          next.reset(item);
      }
    } else if (at.IsMap() && at[part].IsDefined()) {
      next.reset(at[part]);
    }
    if (!next.IsDefined()) break;
    in_stages = part == "stages";
    at.reset(next);  // rebind: `at = next` would overwrite the node `at` refers to
  }
  return at;
}

// pipeline.funnel (models/funnel.hpp): the leader's figures, solved into the stage keys the
// file leaves out; keys written under a stage win.
std::optional<FunnelExpansion> expand_funnel(Ctx& c, const YAML::Node& funnel,
                                             const YAML::Node& pipe, const YAML::Node& stages,
                                             Params& p, const std::vector<std::string>& skills) {
  const std::size_t before = c.problems.size();
  Fields f(c, funnel, "pipeline.funnel");
  FunnelExpansion x;
  f.share("win_rate", x.spec.win_rate, true);
  f.get("weeks_to_close", x.spec.weeks_to_close, 0, 520, true, "weeks");
  f.get("skill_lift", x.spec.skill_lift, 0, 100, false, "ratio");
  double deal = 0;
  if (f.get("deal_size", deal, 1e-9, kMaxMoney, false, "currency")) {
    x.spec.deal_size = deal;
    const YAML::Node ds = pipe["deal_size"];
    if (ds.IsDefined() && ds.IsMap() && ds["mean"].IsDefined())
      c.err(funnel["deal_size"], "pipeline.funnel.deal_size",
            "pipeline.deal_size.mean is given too; give the mean deal size once");
  }
  f.node("stages");  // read with the stages
  f.finish();
  if (!f.ok() || c.problems.size() != before) return std::nullopt;
  for (std::size_t k = 0; k < p.pipeline.stages.size(); ++k) {
    const bool written =
        stages.IsDefined() && stages.IsSequence() && k < stages.size() && stages[k].IsMap();
    const YAML::Node st = written ? stages[k] : YAML::Node();
    const YAML::Node conv = written ? st["conversion"] : YAML::Node();
    const bool conv_given = written && conv.IsDefined() && conv.IsMap() &&
                            (conv["floor"].IsDefined() || conv["top"].IsDefined());
    x.given.push_back({written && st["exit_rate"].IsDefined(), conv_given});
  }
  // A stated conversion whose floor exceeds its top is reported with the file's other
  // cross-key problems; solving around it would only add a second, misleading error.
  for (std::size_t k = 0; k < x.given.size(); ++k)
    if (x.given[k].conversion &&
        p.pipeline.stages[k].conversion.floor > p.pipeline.stages[k].conversion.top)
      return std::nullopt;
  x.sigma = starting_sigma(p, skills);
  const std::vector<FunnelProblem> problems = solve_funnel(x.spec, x.given, x.sigma, p.pipeline);
  for (const FunnelProblem& pr : problems) {
    const YAML::Node st = pr.stage >= 0 && stages.IsDefined() && stages.IsSequence()
                              ? stages[std::size_t(pr.stage)]
                              : YAML::Node();
    if (st.IsDefined() && st.IsMap() && st[pr.stage_key].IsDefined())
      c.err(st[pr.stage_key],
            "pipeline.stages." + p.pipeline.stages[std::size_t(pr.stage)].name + "." + pr.stage_key,
            pr.msg);
    else
      c.err(funnel[pr.key].IsDefined() ? funnel[pr.key] : funnel, "pipeline.funnel." + pr.key,
            pr.msg);
  }
  if (!problems.empty()) return std::nullopt;
  return x;
}

// What yaml-cpp's syntax messages leave out: a tab in the indentation (YAML forbids it), and
// that the line it names is where the parser gave up, often after the real slip.
std::string syntax_hint(const std::string& text, const std::string& msg) {
  std::size_t line = 1;
  for (std::size_t i = 0, start = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\n') continue;
    const std::string_view l(text.data() + start, i - start);
    const std::size_t indent_end = l.find_first_not_of(" \t");
    if (l.substr(0, indent_end).find('\t') != std::string_view::npos)
      return fmt::format(
          " (line {} is indented with a tab, which YAML does not allow: indent "
          "with spaces)",
          line);
    start = i + 1, ++line;
  }
  for (const char* m :
       {"illegal map value", "illegal block entry", "end of map not found",
        "end of sequence not found", "end of map flow not found", "end of sequence flow not found"})
    if (msg.find(m) != std::string::npos)
      return " (the slip is often on an earlier line: a key without its ':', a '{' or '[' "
             "not closed, or a line indented differently from its neighbours)";
  return "";
}

}  // namespace

Scenario load_scenario_text(const std::string& text, const std::string& file_label) {
  Ctx c{file_label, {}, kFormatVersion, {}};
  if (auto problems = yaml_structure_problems(text, file_label); !problems.empty())
    throw ScenarioError(std::move(problems));
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(
        {fmt::format("{}:{}:{}: YAML syntax error: {}{}", file_label, e.mark.line + 1,
                     e.mark.column + 1, e.msg, syntax_hint(text, e.msg))});
  }
  // A second document would be ignored: an error, reported with every other problem, whether
  // the load stops early (below) or at its end.
  const std::optional<YAML::Mark> second = second_document(text);
  bool second_reported = false;
  const auto stop_on_problems = [&](bool at_end) {
    if (second && !second_reported && (at_end || !c.problems.empty())) {
      c.err_at(*second, "",
               "a second YAML document starts here; a scenario file is one document, and the "
               "text from here on would be ignored: remove this '---' line (and any '...' "
               "before it) or move that text into a file of its own");
      second_reported = true;
    }
    if (c.problems.empty()) return;
    // A refused stage's keys go by unnamed_stage ("stages[2]"): in messages, by its place.
    for (std::string& m : c.problems)
      for (const auto& [from, to] :
           {std::pair<std::string, std::string>{"pipeline.stages.stages[", "pipeline.stages["},
            {"'stages[", "'pipeline.stages["}})
        for (std::size_t at; (at = m.find(from)) != std::string::npos;)
          m.replace(at, from.size(), to);
    throw ScenarioError(c.in_line_order());
  };
  if (!root.IsMap()) {
    c.err_at(YAML::Mark::null_mark(), "", "expected a YAML map at the top level");
    stop_on_problems(true);
  }
  // Before the merges, which take one `<<` of a map.
  if (check_duplicates(c, root, "")) stop_on_problems(false);
  for (const MergeProblem& m : resolve_merge_keys(root, MergedValues::shared))
    c.err_at(m.mark, m.key, m.msg);

  Scenario sc;
  sc.file = file_label;
  sc.text = text;
  Params& p = sc.base;

  // Stages first: their names are part of the key paths. They are written in full under
  // pipeline.stages, or named only under pipeline.funnel.stages (each a default stage).
  const YAML::Node pipe = root["pipeline"];
  const YAML::Node stages = pipe.IsMap() ? pipe["stages"] : YAML::Node();
  const YAML::Node funnel = pipe.IsMap() ? pipe["funnel"] : YAML::Node();
  // (A missing key is an invalid node: ask IsDefined before anything else.)
  const YAML::Node funnel_stages =
      funnel.IsDefined() && funnel.IsMap() ? funnel["stages"] : YAML::Node();
  const bool full_stages = stages.IsDefined() && !stages.IsNull();
  const bool named_stages = funnel_stages.IsDefined() && !funnel_stages.IsNull();
  std::set<std::string> stage_names;
  std::vector<bool> unnamed;  // the stages read under unnamed_stage(i)
  // nm: the stage's name, an invalid node when it has none; stage: its node, the map of a
  // stage written in full (nullptr for a name in pipeline.funnel.stages).
  auto add_stage = [&](const YAML::Node& nm, const std::string& d, const YAML::Node* stage) {
    Stage s;
    s.name = nm.IsDefined() && nm.IsScalar() ? nm.Scalar() : "";
    if (stage && !stage->IsMap()) {
      // No name to check: reading the stage says it is no map, but for an empty item (`- ` or
      // `~`), which a section may be and a stage may not.
      if (!stage->IsDefined() || stage->IsNull())
        c.err(*stage, d.substr(0, d.rfind('.')),
              "expected a stage, a map with its name and keys, found nothing");
    } else if (!nm.IsDefined()) {  // (Stage's default name would otherwise stand in for it)
      c.err(*stage, d, "missing required key (every stage needs a name, unique in the pipeline)");
    } else if (!is_stage_name(s.name))
      c.err(nm, d,
            fmt::format("expected a stage name: 1 to {} characters, none of . [ ] = : , / \\ "
                        "and no invisible characters or spaces at either end, found '{}'",
                        kMaxNameLength,
                        // cut at a character, never inside one (the message stays UTF-8)
                        sim::utf8::length(s.name) > kMaxNameLength
                            ? sim::utf8::first(s.name, 20) + "..."
                            : s.name));
    else if (!stage_names.insert(s.name).second)
      c.err(nm, d, "duplicate stage name '" + s.name + "' (stage names must be unique)");
    else {
      p.pipeline.stages.push_back(s);
      unnamed.push_back(false);
      return;
    }
    // The file is refused, but the rest of it is still read so that every problem is reported
    // at once. The stage's keys go by a name no valid stage can have (brackets are refused), so
    // they cannot collide with another stage's.
    s.name = unnamed_stage(p.pipeline.stages.size());
    p.pipeline.stages.push_back(s);
    unnamed.push_back(true);
  };
  // Reading a stage's map sets its name again, from its `name`: a refused one is put back.
  const auto keep_unnamed = [&] {
    for (std::size_t i = 0; i < p.pipeline.stages.size(); ++i)
      if (unnamed[i]) p.pipeline.stages[i].name = unnamed_stage(i);
  };
  if (full_stages && named_stages) {
    c.err(funnel_stages, "pipeline.funnel.stages",
          "pipeline.stages is given too; name the stages once: here (names only) or in "
          "pipeline.stages (in full)");
  } else if (full_stages) {
    if (!stages.IsSequence() || stages.size() == 0) {
      c.err(stages, "pipeline.stages", "expected a non-empty list of stages");
    } else {
      for (std::size_t i = 0; i < stages.size(); ++i) {
        const YAML::Node stage = stages[i];
        add_stage(stage.IsMap() ? stage["name"] : YAML::Node(),
                  fmt::format("pipeline.stages[{}].name", i), &stage);
      }
    }
  } else if (named_stages) {
    if (!funnel_stages.IsSequence() || funnel_stages.size() == 0) {
      c.err(funnel_stages, "pipeline.funnel.stages",
            "expected a non-empty list of stage names, like [qualify, demo, proposal, close]");
    } else {
      for (std::size_t i = 0; i < funnel_stages.size(); ++i)
        add_stage(funnel_stages[i], fmt::format("pipeline.funnel.stages[{}]", i), nullptr);
    }
  } else {
    p.pipeline.stages.push_back(Stage{});
  }
  // Without a list of stages nothing below can be read: stop here. A stage whose name alone is
  // wrong is read under another name (add_stage), and the rest of the file with it.
  if (p.pipeline.stages.empty()) stop_on_problems(false);

  Schema schema(p);
  static const std::vector<std::string> top = {
      "salesim",  "name",  "description",  "simulation",  "goal",      "market",
      "pipeline", "team",  "capacity",     "prospecting", "burnout",   "people",
      "skills",   "org",   "compensation", "costs",       "hiring",    "training",
      "programs", "plans", "assumptions",  "revenue",     "customers", "calendar"};
  static const std::vector<std::string> territory_top = {"segments", "territories"};  // 12.7
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    if (std::find(top.begin(), top.end(), key) == top.end() &&
        std::find(territory_top.begin(), territory_top.end(), key) == territory_top.end()) {
      // A key of a section written at the top level (checkpoints, reps, stages): its place.
      std::string nested;
      for (const char* n : {"goal.checkpoints", "pipeline.stages", "pipeline.funnel", "team.skills",
                            "team.quota", "compensation.accelerators"})
        if (std::string(n).substr(std::string(n).find('.') + 1) == key) nested = n;
      for (const KeyInfo& k : schema.keys)
        if (nested.empty() && k.path.size() > key.size() + 1 &&
            k.path.compare(k.path.size() - key.size() - 1, key.size() + 1, "." + key) == 0 &&
            std::count(k.path.begin(), k.path.end(), '.') == 1)
          nested = k.path;
      if (!nested.empty()) {
        c.err(
            kv.first, key,
            fmt::format("unknown key at the top level; it belongs under its section: {}", nested));
        continue;
      }
      std::vector<std::string> all = top;
      all.insert(all.end(), territory_top.begin(), territory_top.end());
      unknown_key(c, kv.first, key, key, all);
    }
  }

  // Format version (read first: it says how event weeks count) and name.
  if (!root["salesim"].IsDefined()) {
    c.err(root, "salesim",
          fmt::format("missing required key (the format version: salesim: {})", kFormatVersion));
  } else if (root["salesim"].IsScalar() && root["salesim"].Scalar() == "1") {
    c.format = 1;
    sc.notices.push_back(fmt::format(
        "{}: format 1 file: its event weeks counted from 0, so each is read as one week later "
        "(format 2 counts every week from 1); `salesim upgrade {} -o NEW.yaml` converts the file",
        file_label, file_label));
  } else if (!root["salesim"].IsScalar() ||
             root["salesim"].Scalar() != std::to_string(kFormatVersion)) {
    c.err(root["salesim"], "salesim",
          fmt::format("unsupported format version {}; expected {} (or 1, still read)",
                      describe(root["salesim"]), kFormatVersion));
  }
  sc.format = c.format;
  if (root["name"].IsDefined() && !root["name"].IsNull() && !root["name"].IsScalar())
    c.err(root["name"], "name",
          "expected text (the scenario's name), found " + describe(root["name"]));
  else if (!root["name"].IsDefined() || !root["name"].IsScalar() || root["name"].Scalar().empty())
    c.err(root["name"].IsDefined() ? root["name"] : root, "name",
          "missing required key (the scenario's name)");
  else
    sc.name = root["name"].Scalar();
  if (const YAML::Node d = root["description"]; d.IsDefined() && d.IsScalar())
    sc.description = d.Scalar();
  else if (d.IsDefined() && !d.IsNull())
    c.err(d, "description", "expected text (the scenario's description), found " + describe(d));

  // Sections of scalars, simulation first (the horizon bounds the lists).
  if (root["simulation"].IsDefined())
    read_map(c, root["simulation"], "simulation", "simulation", schema);
  const int horizon = int(p.simulation.horizon_weeks);
  if (!p.simulation.start_date.empty())
    if (const std::string bad = iso_date_problem(p.simulation.start_date); !bad.empty())
      c.err(root["simulation"]["start_date"], "simulation.start_date", bad);
  for (const char* section : {"market", "capacity", "prospecting", "burnout", "people", "skills",
                              "org", "compensation", "costs", "revenue", "customers"})
    if (root[section].IsDefined())
      read_map(c, root[section], section, section, schema,
               std::string(section) == "compensation" ? std::set<std::string>{"accelerators"}
                                                      : std::set<std::string>{});
  // The revenue keys act on contracts, which only the recurring model makes: written without it
  // they were read and ignored.
  if (const YAML::Node rev = root["revenue"]; rev.IsMap() && p.revenue.model == "bookings")
    for (const auto& kv : rev)
      if (kv.first.IsScalar() && kv.first.Scalar() != "model" && kv.first.Scalar() != "<<" &&
          !kv.second.IsNull())  // a key left empty keeps its default: nothing written
        c.err(kv.first, "revenue." + kv.first.Scalar(),
              "recurring revenue is off (revenue.model is bookings), so there are no contracts "
              "and this key would change nothing; set revenue.model: recurring, or leave the "
              "key out");
  if (root["calendar"].IsDefined()) read_calendar(c, root["calendar"], schema, sc);
  if (pipe.IsDefined()) {
    read_map(c, pipe, "pipeline", "pipeline", schema, {"stages", "funnel"});
    if (stages.IsDefined() && stages.IsSequence() && !named_stages) {
      for (std::size_t i = 0; i < stages.size(); ++i)
        read_map(c, stages[i], "pipeline.stages." + p.pipeline.stages[i].name,
                 fmt::format("pipeline.stages[{}]", i), schema);
      keep_unnamed();
    }
  }

  // Skills in index order: prospecting, then the stages' skills in stage order.
  auto add_skill = [&](const std::string& s) {
    auto it = std::find(sc.skills.begin(), sc.skills.end(), s);
    if (it == sc.skills.end()) sc.skills.push_back(s);
  };
  add_skill(p.prospecting.skill);
  for (const Stage& s : p.pipeline.stages) add_skill(s.skill);
  for (Stage& s : p.pipeline.stages)
    s.skill_index = int(std::find(sc.skills.begin(), sc.skills.end(), s.skill) - sc.skills.begin());

  // Team, with its map of skill distributions.
  if (root["team"].IsDefined()) {
    read_map(c, root["team"], "team", "team", schema, {"skills", "quota"});
    const YAML::Node sk = root["team"].IsMap() ? root["team"]["skills"] : YAML::Node();
    if (sk.IsDefined() && !sk.IsNull()) {
      if (!sk.IsMap())
        c.err(sk, "team.skills", "expected a map of skill -> {mean, sd}, found " + describe(sk));
      else
        for (const auto& kv : sk) {
          const std::string name = kv.first.Scalar(), d = "team.skills." + name;
          if (std::find(sc.skills.begin(), sc.skills.end(), name) == sc.skills.end()) {
            std::string in_use;
            for (const auto& s : sc.skills) in_use += (in_use.empty() ? "" : ", ") + s;
            // The nearest skill in use may be the stage's typo ('presentng' for 'presenting'):
            // then the stage is named, with its line, as the place to correct.
            const std::string near = nearest(name, sc.skills);
            std::string where_used;
            if (stages.IsDefined() && stages.IsSequence())
              for (std::size_t i = 0; i < stages.size() && where_used.empty(); ++i)
                if (stages[i].IsMap() && stages[i]["skill"].IsDefined() &&
                    stages[i]["skill"].IsScalar() && stages[i]["skill"].Scalar() == near)
                  where_used = fmt::format(
                      "; stage '{}' uses '{}' (line {}): if that is a typo, correct it there, "
                      "else rename this entry",
                      p.pipeline.stages[i].name, near, stages[i]["skill"].Mark().line + 1);
            c.err(kv.first, d,
                  "no stage or prospecting uses skill '" + name + "' (skills in use: " + in_use +
                      (where_used.empty() ? "; did you mean '" + near + "'?)" : ")" + where_used));
            continue;
          }
          Fields f(c, kv.second, d);
          BetaSpec b;  // a key left out keeps the default of a skill without an entry
          f.share("mean", b.mean);
          f.share("sd", b.sd, false, 0.5);
          f.finish();
          p.team.skills.emplace_back(name, b);
        }
    }
  }

  // The funnel's figures become stage keys here, before anything reads those. A funnel left
  // empty is not a section of defaults: its figures are required.
  // (pipe["funnel"] of a pipeline that is not a map is a default node: null and "defined".)
  const YAML::Node funnel_key = key_node_of(pipe, "funnel");
  if (funnel_key.IsDefined() && funnel.IsNull())
    c.err(funnel_key, "pipeline.funnel",
          "the funnel is left empty: it needs its figures, at least win_rate and weeks_to_close "
          "(or leave pipeline.funnel out to state the stages in full)");
  else if (funnel_key.IsDefined())
    expand_funnel(c, funnel, pipe, stages, p, sc.skills);

  // Goal and checkpoints.
  if (root["goal"].IsDefined()) {
    read_map(c, root["goal"], "goal", "goal", schema, {"checkpoints"});
    if (p.goal.by_week &&
        (*p.goal.by_week != std::floor(*p.goal.by_week) || *p.goal.by_week > horizon))
      c.err(root["goal"]["by_week"], "goal.by_week",
            fmt::format("expected a whole number from 1 to {} (the horizon), found {}", horizon,
                        *p.goal.by_week));
    const YAML::Node cps = root["goal"].IsMap() ? root["goal"]["checkpoints"] : YAML::Node();
    std::optional<int> last_week;  // of the last checkpoint with a valid week
    CheckpointLabels labels;
    read_list(c, cps, "goal.checkpoints", [&](const YAML::Node& item, const std::string& d) {
      Fields f(c, item, d);
      Checkpoint cp;
      const std::size_t before = c.problems.size();
      // A week that is missing or out of range is reported once, not also as out of order.
      const bool week_ok = f.get("week", cp.week, 1, horizon, true) && c.problems.size() == before;
      f.get("revenue", cp.revenue, 0, kMaxMoney * 1e3, true, "currency");
      const std::size_t before_label = c.problems.size();
      const bool labelled = f.get("label", cp.label) && !cp.label.empty();
      const bool label_ok = c.problems.size() == before_label;
      f.finish();
      if (week_ok && last_week && cp.week <= *last_week)
        c.err(item, d + ".week",
              fmt::format("checkpoint weeks must be strictly increasing ({} follows {})", cp.week,
                          *last_week));
      if (week_ok) last_week = cp.week;
      if (!labelled && week_ok && label_ok) cp.label = fmt::format("week {}", cp.week);
      if (!cp.label.empty())
        labels.check(c, labelled ? item["label"] : item, d + ".label", cp.label, labelled);
      if (f.ok()) p.goal.checkpoints.push_back(cp);
    });
    // Bookings checkpoints count the running total: one below the one before it, or above the
    // goal before the goal's week, is almost surely a slip (a quarter's own figure, 31M for
    // 3.1M). Said, not refused: the run is still well defined. (ARR can fall: not checked.)
    const auto& list = p.goal.checkpoints;
    // As the file may write it: 31M, 900k.
    const auto amount = [](double v) {
      return std::abs(v) >= 1e6   ? fmt::format("{:.6g}M", v / 1e6)
             : std::abs(v) >= 1e3 ? fmt::format("{:.6g}k", v / 1e3)
                                  : fmt::format("{:g}", v);
    };
    if (p.goal.metric != "arr")
      for (std::size_t i = 0; i < list.size(); ++i) {
        const Checkpoint& cp = list[i];
        if (i > 0 && cp.revenue < list[i - 1].revenue)
          sc.notices.push_back(fmt::format(
              "{}: goal.checkpoints[{}] ({}): {} by week {} is below {}'s {}; checkpoints "
              "count the running total of bookings, so it is met whenever {} is (write the "
              "total to that week, not the quarter's own)",
              file_label, i, cp.label, amount(cp.revenue), cp.week, list[i - 1].label,
              amount(list[i - 1].revenue), list[i - 1].label));
        if (p.goal.revenue && cp.revenue > *p.goal.revenue &&
            cp.week <= (p.goal.by_week ? int(*p.goal.by_week) : horizon))
          sc.notices.push_back(fmt::format(
              "{}: goal.checkpoints[{}] ({}): {} by week {} is above the goal, {}, which "
              "comes later; a typo?",
              file_label, i, cp.label, amount(cp.revenue), cp.week, amount(*p.goal.revenue)));
      }
  }

  read_hiring(c, root["hiring"], "hiring", horizon, p.hiring);
  read_training(c, root["training"], "training", horizon, p.training);
  read_programs(c, root["programs"], "programs", horizon, p.programs);
  // Segments, territories, quotas and accelerators (docs/model.md 12.7-12.8).
  const ReportProblem report = [&](const YAML::Node& at, const std::string& path,
                                   const std::string& msg) { c.err(at, path, msg); };
  read_territory_keys(root, p, report);
  const std::vector<CrossProblem> base_cross = cross_problems(p);
  for (const CrossProblem& x : base_cross) c.err(locate(root, x.path), x.path, x.msg);

  // Plans.
  const YAML::Node plans = root["plans"];
  if (!plans.IsDefined() || !plans.IsSequence() || plans.size() == 0) {
    c.err(plans.IsDefined() ? plans : root, "plans",
          "expected a non-empty list of plans (the first is the baseline)");
  } else {
    std::set<std::string> names;
    for (std::size_t i = 0; i < plans.size(); ++i) {
      const YAML::Node item = plans[i];
      PlanSpec plan;
      plan.params = p;
      // Name the plan in every message about its fields, as in "plans[1] (push).from_week".
      std::string shown = fmt::format("plans[{}]", i);
      if (item.IsMap() && item["name"].IsDefined() && item["name"].IsScalar() &&
          plan_name_problem(item["name"].Scalar()).empty())
        shown += " (" + item["name"].Scalar() + ")";
      Fields f(c, item, shown);
      const bool named = f.get("name", plan.name, 0, 0, true);
      const std::string d = fmt::format("plans[{}] ({})", i, plan.name);
      if (named)
        if (const std::string why = plan_name_problem(plan.name); !why.empty())
          c.err(item["name"], fmt::format("plans[{}].name", i), why);
      if (f.ok() && !plan.name.empty() && !names.insert(plan.name).second)
        c.err(item["name"], d + ".name",
              "duplicate plan name '" + plan.name + "' (plan names must be unique)");
      f.get("description", plan.description);
      get_event_week(c, f, "from_week", plan.from_week, horizon, false);
      Schema plan_schema(plan.params);
      const YAML::Node set = f.node("set");
      // Flatten nested maps into dotted paths, so {a: {b: 1}} and {a.b: 1} both work.
      std::vector<std::pair<std::string, YAML::Node>> plan_set_nodes;
      if (set.IsDefined() && !set.IsNull()) {
        auto& flat = plan_set_nodes;
        std::function<void(const YAML::Node&, const std::string&)> walk =
            [&](const YAML::Node& n, const std::string& pre) {
              std::set<std::string> given;  // a literal duplicate: reported, read as the first
              for (const auto& kv : n) {
                if (!given.insert(kv.first.Scalar()).second) continue;
                const std::string k = join(pre, kv.first.Scalar());
                if (kv.second.IsMap() && !plan_schema.find(k))
                  walk(kv.second, k);
                else
                  flat.emplace_back(k, kv.second);
              }
            };
        if (!set.IsMap())
          c.err(set, d + ".set", "expected a map of dotted key -> value, found " + describe(set));
        else
          walk(set, "");
        // A key written once dotted and once nested is the same key twice: the later one would
        // win without a word, as YAML's own duplicate check cannot see across the two forms.
        std::map<std::string, const YAML::Node*> seen_path;
        for (const auto& [path, value] : flat)
          if (const auto [it, fresh] = seen_path.emplace(path, &value); !fresh)
            c.err(value, d + ".set." + path,
                  fmt::format("given twice in the set (also on line {}, spelt another way: "
                              "dotted or nested); keep one",
                              it->second->Mark().line + 1));
        for (const auto& [path, value] : flat) {
          const KeyInfo* k = plan_schema.find(path);
          const std::string where = d + ".set." + path;
          if (!k) {
            const std::string instead = funnel_key_instead(path, p.pipeline);
            const std::string refused_stage = unnamed_stage_key_problem(path, p);
            const std::string head = path.substr(0, path.find_first_of(".["));
            const bool list = head == "hiring" || head == "training" || head == "programs" ||
                              head == "territories";
            // Keys of the file that are no scalar key of a plan: named as such, not as a typo
            // of the nearest key ("did you mean 'customers.count'?").
            const std::string shared =
                head == "segments"
                    ? "a plan cannot set a segment's keys: the segments are the same for every "
                      "plan; a plan moves reps between them with `territories: [...]` beside "
                      "`set` (docs/model.md 12.7)"
                : path.starts_with("team.quota") || path.starts_with("compensation.accelerators")
                    ? "a plan cannot set the quota or the accelerators (team.quota, "
                      "compensation.accelerators): they are the same for every plan, so that "
                      "attainment compares (docs/model.md 12.8)"
                    : "";
            c.err(value, where,
                  list ? fmt::format("{} is a list of the plan, written beside `set`, not in "
                                     "it: `{}: [...]` under the plan (docs/scenario-reference.md)",
                                     head, head)
                  : !shared.empty()        ? shared
                  : !refused_stage.empty() ? refused_stage
                  : instead.empty()
                      ? "no such key (did you mean '" + nearest(path, plan_schema.paths()) + "'?)"
                      : "the funnel's figures are solved into the stage keys once, when the file "
                        "is read, so a plan's value would change nothing; set " +
                            instead);
          } else if (!k->plan_settable) {
            c.err(value, where, "a plan cannot set this key: " + not_plan_settable_why(path));
          } else {
            read_scalar(c, value, *k, where);
            // A boolean as read, not as written (ON, y): what the report describes it by.
            const auto* b = std::get_if<bool*>(&k->target);
            plan.overrides.emplace_back(path, b                  ? (**b ? "true" : "false")
                                              : value.IsScalar() ? value.Scalar()
                                                                 : "null");
            plan.sets_alignment |= path == "org.alignment";
            plan.sets_awareness |= path == "org.awareness";
            plan.sets_coaching_skill |= path == "org.manager_coaching_skill";
            plan.sets_coaching_policy |= path == "org.coaching_hours_per_rep";
          }
        }
      }
      read_hiring(c, f.node("hiring"), d + ".hiring", horizon, plan.params.hiring);
      read_training(c, f.node("training"), d + ".training", horizon, plan.params.training);
      read_programs(c, f.node("programs"), d + ".programs", horizon, plan.params.programs);
      const YAML::Node territories = f.node("territories");
      read_plan_territories(territories, d + ".territories", plan.params, report);
      plan.changes_anything = !plan.overrides.empty() ||
                              plan.params.hiring.size() > p.hiring.size() ||
                              plan.params.training.size() > p.training.size() ||
                              plan.params.programs.size() > p.programs.size() ||
                              (territories.IsDefined() && !territories.IsNull());
      f.finish();
      // A plan's own cross-key problems only: the baseline's are reported once, above.
      for (const CrossProblem& x : cross_problems(plan.params)) {
        if (std::find_if(base_cross.begin(), base_cross.end(), [&](const CrossProblem& b) {
              return b.path == x.path && b.msg == x.msg;
            }) != base_cross.end())
          continue;
        YAML::Node at = item;
        for (const auto& [path, value] : plan_set_nodes)
          if (path == x.path || path.rfind(x.path + ".", 0) == 0) at.reset(value);
        c.err(at, d + ": " + x.path, x.msg);
      }
      sc.plans.push_back(std::move(plan));
    }
  }
  // Uncertain assumptions (docs/model.md 12.4), checked against the baseline and every plan.
  read_assumptions(
      root["assumptions"], sc,
      [&](const YAML::Node& n, const std::string& path, const std::string& msg) {
        c.err(n, path, msg);
      },
      [](const Params& q) {
        std::vector<std::pair<std::string, std::string>> out;
        for (const CrossProblem& x : cross_problems(q)) out.emplace_back(x.path, x.msg);
        return out;
      });
  stop_on_problems(true);
  sc.warnings = plan_warnings(sc);
  return sc;
}

std::optional<FunnelExpansion> funnel_expansion(const Scenario& sc) {
  const YAML::Node root = load_scenario_yaml(sc.text);
  const YAML::Node pipe = root["pipeline"];
  if (!pipe.IsDefined() || !pipe.IsMap()) return std::nullopt;
  const YAML::Node funnel = pipe["funnel"];
  if (!funnel.IsDefined() || funnel.IsNull()) return std::nullopt;
  Ctx c{sc.file, {}, kFormatVersion, {}};
  Params p = sc.base;  // solved again from the same figures and stated keys: the same values
  return expand_funnel(c, funnel, pipe, pipe["stages"], p, sc.skills);
}

std::string read_scenario_text(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ScenarioError({path + ": is a folder; give a scenario file (YAML)"});
  std::ifstream f(path, std::ios::binary);
  if (!f)
    throw ScenarioError({path + ": cannot open the file (does it exist and is it readable?)"});
  constexpr std::size_t kMaxScenario = std::size_t(64) << 20;
  std::string text(kMaxScenario + 1, '\0');
  f.read(text.data(), std::streamsize(text.size()));
  text.resize(std::size_t(f.gcount()));
  if (text.size() > kMaxScenario)
    throw ScenarioError({path + ": larger than 64 MB; a scenario file (YAML) is far smaller"});
  return text;
}

Scenario load_scenario_file(const std::string& path) {
  return load_scenario_text(read_scenario_text(path), path);
}

const char* to_string(ProgramKind k) {
  switch (k) {
    case ProgramKind::coach_the_coaches:
      return "coach_the_coaches";
    case ProgramKind::profiling:
      return "profiling";
    case ProgramKind::alignment:
      return "alignment";
    case ProgramKind::coaching_policy:
      return "coaching_policy";
  }
  return "?";
}
const char* to_string(Participants p) {
  switch (p) {
    case Participants::all:
      return "all";
    case Participants::new_hires:
      return "new_hires";
    case Participants::bottom_half:
      return "bottom_half";
  }
  return "?";
}
const char* to_string(Targeting t) { return t == Targeting::gap ? "gap" : "generic"; }

}  // namespace salesim
