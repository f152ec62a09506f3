// The deterministic mutation test (docs/fuzzing.md, "The mutation test"): thousands of mutants
// of the example scenarios, the bad-scenario catalogue and CRM exports, made with a fixed-seed
// PRNG, must each be loaded or rejected as bad input, never crash, hang or fail otherwise:
//
// - in-process, every mutant: the scenario loader loads or throws ScenarioError; the export
//   import (parse_csv, the mapping, the quality report and its JSON) succeeds or throws
//   crm::InputError. Each check runs in a forked child under a 10 s watchdog, so a crash or a
//   hang is reported with the mutant that caused it instead of killing the test binary;
// - through the command line, a sample: `salesim validate FILE` and `salesim import FILE` exit
//   0 or 2 (never 1 for bad input, never a signal, never 124 = timed out after 10 s);
// - every reproducer in fuzz/crashes/ (the fuzzers' findings) goes through the same checks.
//
// A failure is a test failure unless it matches kKnownFailures: bugs found and written down
// (with a reproducer under fuzz/crashes/) but not fixed yet, which are reported on every run.
// The mutants do not change from run to run; they change only when the seed files do.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

#include "models/crm/errors.hpp"
#include "models/crm/export.hpp"
#include "models/crm/mapping.hpp"
#include "models/crm/report.hpp"
#include "test_support.hpp"
#include "tools/cli.hpp"
#include "tools/report.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kScenarioMutants = 2400;
constexpr std::size_t kExportMutants = 2400;
constexpr std::size_t kCliSample = 320;  // of each kind
constexpr int kDeadlineSeconds = 10;
constexpr int kCliWorkers = 2;  // command lines run two at a time
constexpr std::uint64_t kSeed = 0x5a1e5131'2025'0001ULL;

// ---------------------------------------------------------------------------------------------
// Known failures: found by this test or the fuzzers, written down with a reproducer, not fixed
// yet (in files this test does not own). A failure of the entry's reproducer, or of a mutant
// whose failure description contains the entry's `signature`, is reported as known (with the
// explanation) and does not fail the test; every other failure does. Remove an entry when its
// fix lands (the test says when an entry no longer matches anything).
struct KnownFailure {
  const char* id;
  const char* owner;       // the file to fix
  const char* reproducer;  // fuzz/crashes/<target>/<file>: its replays are this failure
  const char* signature;   // "" or a substring of the failure description of a mutant
  const char* explanation;
};

// Empty: every finding so far is fixed (fuzz/crashes/README.md says how each was).
const std::vector<KnownFailure> kKnownFailures = {};

// ---------------------------------------------------------------------------------------------
// A fixed PRNG (SplitMix64): the same mutants on every platform and standard library.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n ? std::size_t(next() % n) : 0; }
  bool chance(int percent) { return int(below(100)) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
};

enum class Kind { yaml, csv };

// Extreme numbers (the brief's list and a few more that sit on edges of ranges and parsers).
const std::vector<std::string> kExtremeNumbers = {"1e308",
                                                  "-1",
                                                  "nan",
                                                  "0",
                                                  "1e-300",
                                                  "99999999999",
                                                  "010",
                                                  "1e15",
                                                  "-0",
                                                  "1e309",
                                                  "-1e308",
                                                  "inf",
                                                  "-inf",
                                                  ".inf",
                                                  "0x10",
                                                  "1_000",
                                                  "9223372036854775808",
                                                  "18446744073709551616",
                                                  "-9223372036854775809",
                                                  "4.9e-324",
                                                  "0.0000001",
                                                  "1e",
                                                  "+5",
                                                  "5.",
                                                  ".5",
                                                  "1,5",
                                                  "NaN",
                                                  "2147483648",
                                                  "-2147483649",
                                                  "00",
                                                  "0e0",
                                                  "1e-5"};

// Values that are not scalars, or are scalars the loader may not expect.
const std::vector<std::string> kYamlValues = {"[1, 2]",
                                              "{a: 1}",
                                              "[]",
                                              "{}",
                                              "[[1]]",
                                              "{name: x, hours: 1}",
                                              "null",
                                              "~",
                                              "\"\"",
                                              "true",
                                              "no",
                                              "*undefined_anchor",
                                              "!!binary aGk=",
                                              "!custom x",
                                              "[{}]",
                                              "'quoted'",
                                              "\"\\u0000\"",
                                              "\"\\x1b[31m\"",
                                              "? complex\n",
                                              "-",
                                              "- a",
                                              "{a: [1, {b: 2}]}",
                                              "@",
                                              "`",
                                              "|\n  block text",
                                              ">-\n  folded",
                                              "2025-02-30",
                                              "0000-00-00",
                                              "9999-12-31"};

const std::vector<std::string> kCsvFields = {"",
                                             "\"\"",
                                             "\"",
                                             "\"a\"\"b\"",
                                             "\"a,b\"",
                                             "\"line\nbreak\"",
                                             "$1,234",
                                             "1.2.3",
                                             "$",
                                             "-",
                                             "2017-02-30",
                                             "2017-13-01",
                                             "0000-00-00",
                                             "9999-12-31",
                                             "99999999-01-01",
                                             "2017-6-5",
                                             "06/30/2017",
                                             "30/06/2017",
                                             "2017-06-30T12:00:00",
                                             "1900-01-01",
                                             "Won",
                                             "Lost",
                                             "won",
                                             "Closed Won",
                                             " Won ",
                                             "\xEF\xBB\xBF",
                                             "\xff\xfe",
                                             "\x01",
                                             "[1, 2]",
                                             "{a: 1}",
                                             "=1+1",
                                             "1e308",
                                             "-1",
                                             "nan",
                                             "inf",
                                             "99999999999",
                                             "010",
                                             "1e15",
                                             "1e-300",
                                             "0"};

const std::string kStructuralBytes = ":-[]{}&*,\"'\n\t #|>!%@`?\\\r";

struct Span {
  std::size_t at, len;
};

std::vector<Span> number_spans(const std::string& t) {
  std::vector<Span> out;
  for (std::size_t i = 0; i < t.size();) {
    const bool digit = std::isdigit(static_cast<unsigned char>(t[i]));
    const bool prev_word = i > 0 && (std::isalnum(static_cast<unsigned char>(t[i - 1])) ||
                                     t[i - 1] == '_' || t[i - 1] == '.');
    if (!digit || prev_word) {
      ++i;
      continue;
    }
    std::size_t a = i, b = i;
    if (a > 0 && t[a - 1] == '-') --a;
    while (b < t.size() &&
           (std::isdigit(static_cast<unsigned char>(t[b])) || t[b] == '.' || t[b] == 'e' ||
            t[b] == 'E' || ((t[b] == '-' || t[b] == '+') && (t[b - 1] == 'e' || t[b - 1] == 'E'))))
      ++b;
    out.push_back({a, b - a});
    i = b;
  }
  return out;
}

// Scalar values after "key: " (block or flow), up to the end of the value.
std::vector<Span> yaml_value_spans(const std::string& t) {
  std::vector<Span> out;
  for (std::size_t i = 0; i + 2 < t.size(); ++i) {
    if (t[i] != ':' || t[i + 1] != ' ') continue;
    std::size_t a = i + 2;
    while (a < t.size() && t[a] == ' ') ++a;
    if (a >= t.size() || t[a] == '\n' || t[a] == '#' || t[a] == '[' || t[a] == '{') continue;
    std::size_t b = a;
    while (b < t.size() && t[b] != '\n' && t[b] != ',' && t[b] != '}' && t[b] != ']' &&
           !(t[b] == '#' && t[b - 1] == ' '))
      ++b;
    while (b > a && t[b - 1] == ' ') --b;
    if (b > a) out.push_back({a, b - a});
  }
  return out;
}

// Fields of a CSV text, approximately (quotes are not followed): spans between separators.
std::vector<Span> csv_field_spans(const std::string& t) {
  std::vector<Span> out;
  std::size_t a = 0;
  for (std::size_t i = 0; i <= t.size(); ++i)
    if (i == t.size() || t[i] == ',' || t[i] == '\n') {
      out.push_back({a, i - a});
      a = i + 1;
    }
  return out;
}

std::vector<Span> line_spans(const std::string& t) {
  std::vector<Span> out;
  std::size_t a = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i] == '\n') {
      out.push_back({a, i + 1 - a});
      a = i + 1;
    }
  if (a < t.size()) out.push_back({a, t.size() - a});
  return out;
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string nested_value(Rng& r) {
  static const std::vector<std::size_t> depths = {8, 63, 64, 65, 100, 1000, 20000};
  const std::size_t d = r.pick(depths);
  switch (r.below(4)) {
    case 0:
      return repeat("[", d) + "1" + repeat("]", d);
    case 1:
      return repeat("{a: ", d) + "1" + repeat("}", d);
    case 2:
      return repeat("[", d);  // never closed
    default: {                // block style: one more indentation per level
      std::string s;
      const std::size_t n = std::min<std::size_t>(d, 300);
      for (std::size_t i = 0; i < n; ++i) s += "\n" + std::string(2 * (i + 1), ' ') + "k:";
      return s + " 1";
    }
  }
}

std::string long_text(Rng& r) {
  // Mostly around the limits of names and lines; rarely a megabyte (a megabyte takes the YAML
  // parser about a second, so more of them would only make the test slow).
  static const std::vector<std::size_t> lengths = {65, 256, 4096, 65536};
  const std::size_t n = r.chance(2) ? 1000000 : r.pick(lengths);
  static const std::vector<std::string> units = {"x", "\xc3\xa9", "ab", "1", " ", ","};
  return repeat(r.pick(units), n);
}

// Alias mutations: an anchor on one value and aliases to it elsewhere, merges, cycles, growth.
void alias_mutation(std::string& t, Rng& r) {
  auto vals = yaml_value_spans(t);
  switch (r.below(5)) {
    case 0:
      if (vals.size() >= 2) {  // &m on a value, *m on a later one
        std::size_t i = r.below(vals.size() - 1), j = i + 1 + r.below(vals.size() - i - 1);
        t.replace(vals[j].at, vals[j].len, "*m");
        t.insert(vals[i].at, "&m ");
        return;
      }
      break;
    case 1: {  // a merge key from an anchored map
      const std::string defaults = "defaults: &d {reps: 3, hours: 1}\n";
      if (!vals.empty()) {
        const Span s = r.pick(vals);
        t.replace(s.at, s.len, "{<<: *d}");
      }
      t = defaults + t;
      return;
    }
    case 2:  // an alias of a node inside itself
      if (!vals.empty()) {
        const Span s = r.pick(vals);
        t.replace(s.at, s.len, "&self [1, *self]");
        return;
      }
      break;
    case 3: {  // exponential growth just below or above the guard's limit
      const std::size_t width = 4 + r.below(6), levels = 4 + r.below(6);
      std::string block = "l0: &l0 [" + repeat("x, ", width - 1) + "x]\n";
      for (std::size_t k = 1; k < levels; ++k)
        block += "l" + std::to_string(k) + ": &l" + std::to_string(k) + " [" +
                 repeat("*l" + std::to_string(k - 1) + ", ", width - 1) + "*l" +
                 std::to_string(k - 1) + "]\n";
      if (!vals.empty() && r.chance(50)) {
        const Span s = r.pick(vals);
        t.replace(s.at, s.len, "*l" + std::to_string(levels - 1));
        t = block + t;
      } else {
        t = block + t;
      }
      return;
    }
    default:  // an alias to an anchor defined later, or never
      if (!vals.empty()) {
        const Span s = r.pick(vals);
        t.replace(s.at, s.len, r.chance(50) ? "*later" : "*m");
        t += "\nlater: &later 5\n";
        return;
      }
  }
  t.insert(r.below(t.size() + 1), "*m");
}

void mutate_once(std::string& t, Kind kind, Rng& r, const std::vector<std::string>& others) {
  const std::size_t op = r.below(kind == Kind::yaml ? 15 : 14);
  switch (op) {
    case 0:  // flip a bit
      if (!t.empty()) t[r.below(t.size())] ^= char(1u << r.below(8));
      return;
    case 1:  // insert a byte: any, or one that means something to the format
      t.insert(
          r.below(t.size() + 1), 1,
          r.chance(50) ? char(r.below(256)) : kStructuralBytes[r.below(kStructuralBytes.size())]);
      return;
    case 2:  // delete bytes
      if (!t.empty()) {
        const std::size_t at = r.below(t.size());
        t.erase(at, 1 + r.below(8));
      }
      return;
    case 3: {  // duplicate a line (in place, or somewhere else)
      const auto lines = line_spans(t);
      if (lines.empty()) return;
      const Span s = r.pick(lines);
      const std::string line = t.substr(s.at, s.len) + (t[s.at + s.len - 1] == '\n' ? "" : "\n");
      const std::size_t times = r.chance(90) ? 1 : 1 + r.below(200);
      const auto& to = r.chance(50) ? s : r.pick(lines);
      t.insert(to.at, repeat(line, times));
      return;
    }
    case 4: {  // delete a line or a few
      const auto lines = line_spans(t);
      if (lines.empty()) return;
      const std::size_t i = r.below(lines.size());
      const std::size_t n = std::min(lines.size() - i, 1 + (r.chance(80) ? 0 : r.below(5)));
      t.erase(lines[i].at, lines[i + n - 1].at + lines[i + n - 1].len - lines[i].at);
      return;
    }
    case 5:
    case 6: {  // a number for an extreme one (twice as likely as the others)
      const auto nums = number_spans(t);
      if (nums.empty()) return mutate_once(t, kind, r, others);
      const Span s = r.pick(nums);
      t.replace(s.at, s.len, r.pick(kExtremeNumbers));
      return;
    }
    case 7:  // truncate
      t.resize(r.below(t.size() + 1));
      return;
    case 8: {  // a long string in place of a value or field, or a long line
      auto spans = kind == Kind::yaml ? yaml_value_spans(t) : csv_field_spans(t);
      const std::string s = long_text(r);
      if (spans.empty() || r.chance(20)) {
        t.insert(r.below(t.size() + 1), s);
      } else {
        const Span sp = r.pick(spans);
        t.replace(sp.at, sp.len, s);
      }
      return;
    }
    case 9: {  // splice: a piece of another seed
      const std::string& o = r.pick(others);
      if (o.empty()) return;
      const std::size_t a = r.below(o.size()),
                        n = 1 + r.below(std::min<std::size_t>(400, o.size() - a));
      t.insert(r.below(t.size() + 1), o.substr(a, n));
      return;
    }
    case 10: {  // swap two lines
      const auto lines = line_spans(t);
      if (lines.size() < 2) return;
      const std::size_t i = r.below(lines.size() - 1);
      const std::string a = t.substr(lines[i].at, lines[i].len);
      const std::string b = t.substr(lines[i + 1].at, lines[i + 1].len);
      if (a.empty() || a.back() != '\n' || b.empty() || b.back() != '\n') return;
      t.replace(lines[i].at, a.size() + b.size(), b + a);
      return;
    }
    default:
      break;
  }
  if (kind == Kind::yaml) {
    switch (op) {
      case 11: {  // a value for a list, a map, or another odd thing
        const auto vals = yaml_value_spans(t);
        if (vals.empty()) return;
        const Span s = r.pick(vals);
        t.replace(s.at, s.len, r.pick(kYamlValues));
        return;
      }
      case 12: {  // deep nesting in place of a value
        const auto vals = yaml_value_spans(t);
        const std::string n = nested_value(r);
        if (vals.empty()) {
          t += "\nnested: " + n + "\n";
        } else {
          const Span s = r.pick(vals);
          t.replace(s.at, s.len, n);
        }
        return;
      }
      case 13:
        return alias_mutation(t, r);
      default: {  // indentation and keys: a tab, a shifted line, a key renamed or doubled
        const auto lines = line_spans(t);
        if (lines.empty()) return;
        const Span s = r.pick(lines);
        switch (r.below(4)) {
          case 0:
            t.insert(s.at, "\t");
            return;
          case 1:
            t.insert(s.at, std::string(1 + r.below(4), ' '));
            return;
          case 2:
            if (t.compare(s.at, 2, "  ") == 0) t.erase(s.at, 2);
            return;
          default: {
            const std::size_t colon = t.find(':', s.at);
            if (colon != std::string::npos && colon < s.at + s.len)
              t.insert(colon, r.chance(50) ? "x" : "." + t.substr(s.at, colon - s.at));
            return;
          }
        }
      }
    }
  }
  switch (op) {  // CSV
    case 11: {   // a field for an odd one
      const auto fields = csv_field_spans(t);
      if (fields.empty()) return;
      const Span s = r.pick(fields);
      t.replace(s.at, s.len, r.pick(kCsvFields));
      return;
    }
    case 12: {  // line ends and separators: CRLF, lone CR, blank lines, a BOM, many columns
      switch (r.below(6)) {
        case 0: {
          std::string o;
          for (char c : t) o += c == '\n' ? std::string("\r\n") : std::string(1, c);
          t = o;
          return;
        }
        case 1:
          std::replace(t.begin(), t.end(), '\n', '\r');
          return;
        case 2:
          t.insert(r.below(t.size() + 1), "\n\n\n");
          return;
        case 3:
          t = "\xEF\xBB\xBF" + t;
          return;
        case 4:
          t.insert(r.below(t.size() + 1), repeat(",", 1 + r.below(20000)));
          return;
        default:
          t.insert(r.below(t.size() + 1), std::string(1, '\0'));
          return;
      }
    }
    default: {  // quotes: an unbalanced one, a field quoted, quotes doubled
      const auto fields = csv_field_spans(t);
      if (fields.empty()) return;
      const Span s = r.pick(fields);
      switch (r.below(3)) {
        case 0:
          t.insert(s.at, "\"");
          return;
        case 1:
          t.replace(s.at, s.len, "\"" + t.substr(s.at, s.len) + "\"");
          return;
        default:
          t.insert(s.at + s.len, "\"\"x\"");
          return;
      }
    }
  }
}

struct Mutant {
  std::string seed;  // the seed file, relative to the source folder
  std::string role;  // exports: export, org_chart or price_list (which file it replaces)
  std::string text;
};

std::vector<Mutant> make_mutants(const std::vector<std::pair<std::string, std::string>>& seeds,
                                 Kind kind, std::size_t n, std::uint64_t stream,
                                 const std::function<std::string(Rng&, std::size_t&)>& choose) {
  std::vector<std::string> texts;
  for (const auto& s : seeds) texts.push_back(s.second);
  std::vector<Mutant> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Rng r{kSeed ^ (stream * 0x100000001b3ULL) ^ (i * 0x9e3779b97f4a7c15ULL)};
    std::size_t which = 0;
    const std::string role = choose(r, which);
    std::string t = seeds[which].second;
    const std::size_t steps = 1 + (r.chance(60) ? 0 : r.below(4));
    for (std::size_t k = 0; k < steps; ++k) mutate_once(t, kind, r, texts);
    out.push_back({seeds[which].first, role, std::move(t)});
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> files_in(const std::vector<std::string>& dirs,
                                                          const std::string& ext) {
  std::vector<std::string> names;
  for (const auto& d : dirs)
    for (const auto& e : fs::directory_iterator(test::source_dir() + "/" + d))
      if (e.is_regular_file() && e.path().extension() == ext)
        names.push_back(d + "/" + e.path().filename().string());
  std::sort(names.begin(), names.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& n : names) out.push_back({n, test::read_file(test::source_dir() + "/" + n)});
  return out;
}

const std::vector<Mutant>& scenario_mutants() {
  static const std::vector<Mutant> m = [] {
    // Half the mutants from the example scenarios (which load before mutation), half from the
    // catalogue of bad files (which do not).
    const auto good = files_in({"scenarios"}, ".yaml");
    auto seeds = good;
    for (auto& b : files_in({"tests/bad_scenarios"}, ".yaml")) seeds.push_back(std::move(b));
    return make_mutants(seeds, Kind::yaml, kScenarioMutants, 1, [&](Rng& r, std::size_t& w) {
      w = r.chance(50) ? r.below(good.size()) : good.size() + r.below(seeds.size() - good.size());
      return std::string("scenario");
    });
  }();
  return m;
}

// Exports: the cut of the Maven pipeline (tests/mutation_seeds/pipeline_cut.csv) as the export,
// the sample's other tables as exports (wrong columns), and its org chart and price list mutated
// beside an intact export.
const std::vector<std::pair<std::string, std::string>>& export_seeds() {
  static const auto s = [] {
    std::vector<std::pair<std::string, std::string>> out;
    for (const char* n : {"tests/mutation_seeds/pipeline_cut.csv", "data/crm-maven/sales_teams.csv",
                          "data/crm-maven/products.csv", "data/crm-maven/accounts.csv",
                          "data/crm-maven/data_dictionary.csv"})
      out.push_back({n, test::read_file(test::source_dir() + "/" + n)});
    return out;
  }();
  return s;
}

const std::vector<Mutant>& export_mutants() {
  static const std::vector<Mutant> m = [] {
    return make_mutants(export_seeds(), Kind::csv, kExportMutants, 2, [](Rng& r, std::size_t& w) {
      const std::size_t p = r.below(100);
      if (p < 60) return w = 0, std::string("export");
      if (p < 75) return w = 1, std::string("org_chart");
      if (p < 90) return w = 2, std::string("price_list");
      w = 3 + r.below(2);
      return std::string("export");
    });
  }();
  return m;
}

// ---------------------------------------------------------------------------------------------
// Outcomes, and running checks in forked children under a watchdog.
enum class Verdict : std::uint8_t { loaded = 0, rejected = 1, failure = 2 };

struct Outcome {
  Verdict verdict = Verdict::failure;
  std::string what;    // for failures: what happened
  double seconds = 0;  // how long the check took
};

std::string one_line(std::string s, std::size_t max = 300) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

std::string signal_text(int sig) {
  const char* d = strsignal(sig);
  return "killed by signal " + std::to_string(sig) + " (" + (d ? d : "?") + ")";
}

// Runs check(i) for every i in [0, n) in forked children, several checks per child; a child
// that dies or stays silent for kDeadlineSeconds is charged to the check it was on, and a new
// child goes on with the next one.
std::vector<Outcome> run_isolated(std::size_t n, const std::function<Outcome(std::size_t)>& check) {
  std::vector<Outcome> out(n);
  std::size_t next = 0;
  while (next < n) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    std::cout.flush();
    std::cerr.flush();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      close(fds[0]);
      for (std::size_t i = next; i < n; ++i) {
        Outcome o;
        const auto t0 = Clock::now();
        try {
          o = check(i);
        } catch (const std::exception& e) {
          o = {Verdict::failure, std::string("uncaught ") + typeid(e).name() + ": " + e.what()};
        } catch (...) {
          o = {Verdict::failure, "uncaught exception of unknown type"};
        }
        const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        const std::string w = one_line(o.what, 2000);
        const std::uint64_t idx = i;
        const std::uint32_t len = std::uint32_t(w.size());
        std::string rec(reinterpret_cast<const char*>(&idx), 8);
        rec += char(o.verdict);
        rec.append(reinterpret_cast<const char*>(&secs), 8);
        rec.append(reinterpret_cast<const char*>(&len), 4);
        rec += w;
        for (std::size_t done = 0; done < rec.size();) {
          const ssize_t k = write(fds[1], rec.data() + done, rec.size() - done);
          if (k <= 0) _exit(3);
          done += std::size_t(k);
        }
      }
      close(fds[1]);
      _exit(0);
    }
    close(fds[1]);
    std::string buf;
    bool hung = false;
    for (;;) {
      pollfd p{fds[0], POLLIN, 0};
      const int ready = poll(&p, 1, kDeadlineSeconds * 1000);
      if (ready == 0) {
        hung = true;
        break;
      }
      if (ready < 0) {
        if (errno == EINTR) continue;
        break;
      }
      char chunk[65536];
      const ssize_t k = read(fds[0], chunk, sizeof chunk);
      if (k <= 0) break;
      buf.append(chunk, std::size_t(k));
      constexpr std::size_t head = 8 + 1 + 8 + 4;  // index, verdict, seconds, length
      while (buf.size() >= head) {
        std::uint64_t idx;
        double secs;
        std::uint32_t len;
        std::memcpy(&idx, buf.data(), 8);
        std::memcpy(&secs, buf.data() + 9, 8);
        std::memcpy(&len, buf.data() + 17, 4);
        if (buf.size() < head + std::size_t(len)) break;
        out[idx] = {Verdict(buf[8]), buf.substr(head, len), secs};
        next = idx + 1;
        buf.erase(0, head + std::size_t(len));
      }
    }
    close(fds[0]);
    if (hung) kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (next >= n) break;
    if (hung)
      out[next] = {Verdict::failure,
                   "hang: no result within " + std::to_string(kDeadlineSeconds) + " s"};
    else if (WIFSIGNALED(status))
      out[next] = {Verdict::failure, "crash: " + signal_text(WTERMSIG(status))};
    else
      out[next] = {Verdict::failure, "the checking process exited with status " +
                                         std::to_string(WEXITSTATUS(status))};
    ++next;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The checks.
Outcome check_scenario(const std::string& text, const std::string& label) {
  try {
    (void)load_scenario_text(text, label);
    return {Verdict::loaded, ""};
  } catch (const ScenarioError& e) {
    if (e.problems.empty()) return {Verdict::failure, "ScenarioError without a problem"};
    return {Verdict::rejected, ""};
  } catch (const std::exception& e) {
    return {Verdict::failure,
            std::string("load_scenario_text threw ") + typeid(e).name() + ": " + e.what()};
  }
}

struct ExportFixture {
  fs::path dir;  // mapping.yaml, sales_teams.csv, products.csv, export.csv of the Maven sample
  crm::ColumnMapping mapping;
  std::string pipeline;  // the intact export
};

const ExportFixture& export_fixture(const fs::path& dir) {
  static std::map<std::string, ExportFixture> cache;
  auto it = cache.find(dir.string());
  if (it != cache.end()) return it->second;
  fs::create_directories(dir);
  const std::string src = test::source_dir() + "/data/crm-maven/";
  for (const char* f : {"mapping.yaml", "sales_teams.csv", "products.csv"})
    fs::copy_file(src + f, dir / f, fs::copy_options::overwrite_existing);
  ExportFixture fx;
  fx.dir = dir;
  fx.mapping = crm::load_mapping((dir / "mapping.yaml").string());
  fx.pipeline = export_seeds()[0].second;
  return cache.emplace(dir.string(), std::move(fx)).first->second;
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
}

Outcome check_export(const ExportFixture& fx, const std::string& role, const std::string& text,
                     const fs::path& scratch) {
  crm::ColumnMapping m = fx.mapping;
  std::string export_text = text;
  if (role != "export") {
    const fs::path side = scratch / (role + ".csv");
    write_file(side, text);
    (role == "org_chart" ? m.org_chart : m.price_list).file = side.string();
    export_text = fx.pipeline;
  }
  try {
    const crm::Export e = crm::import_export_text(export_text, "export.csv", m);
    (void)crm::format_quality(e.quality);
    (void)crm::quality_json(e.quality).dump(2);  // what `salesim import --json` writes
    return {Verdict::loaded, ""};
  } catch (const crm::InputError&) {
    return {Verdict::rejected, ""};
  } catch (const std::exception& e) {
    return {Verdict::failure,
            std::string("the import threw ") + typeid(e).name() + ": " + e.what()};
  }
}

Outcome check_results(const std::string& file) {
  try {
    const tools::ReportData d = tools::read_report_data(file);
    (void)tools::render_report(d, {});
    return {Verdict::loaded, ""};
  } catch (const tools::BadInput&) {
    return {Verdict::rejected, ""};
  } catch (const std::exception& e) {
    return {Verdict::failure, std::string("read_report_data/render_report threw ") +
                                  typeid(e).name() + ": " + e.what()};
  }
}

// The exit code of a command line: 0 or 2, or what went wrong.
Outcome check_exit(const std::string& cmd) {
  std::string output;
  const auto t0 = Clock::now();
  const int rc =
      test::shell("timeout -k 2 " + std::to_string(kDeadlineSeconds) + " " + cmd, &output);
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  if (rc == 0) return {Verdict::loaded, "", secs};
  if (rc == 2) return {Verdict::rejected, "", secs};
  std::string what;
  if (rc == 124 || rc == 137)
    what = "timed out after " + std::to_string(kDeadlineSeconds) + " s";
  else if (rc > 128)
    what = signal_text(rc - 128);
  else
    what = "exit code " + std::to_string(rc);
  return {Verdict::failure, what + ": " + one_line(output.substr(0, 400)), secs};
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

// ---------------------------------------------------------------------------------------------
// Tallies and reporting.
struct Failure {
  std::string where;  // which mutant or file, and what to rerun
  std::string what;
};

// A failure is known when it comes from the entry's reproducer, or says what the entry's
// signature says (a mutant that runs into the same bug).
const KnownFailure* known(const std::string& where, const std::string& what) {
  for (const auto& k : kKnownFailures) {
    if (*k.reproducer && where.rfind(k.reproducer, 0) == 0) return &k;
    if (*k.signature && what.find(k.signature) != std::string::npos) return &k;
  }
  return nullptr;
}

std::map<std::string, int>& known_hits() {
  static std::map<std::string, int> m;
  return m;
}

struct Tally {
  explicit Tally(std::string n) : name(std::move(n)) {}
  std::string name;
  std::size_t loaded = 0, rejected = 0;
  std::vector<Failure> failures, known_failures;
  double slowest = 0;
  std::string slowest_where;
  void add(const Outcome& o, const std::string& where) {
    if (o.seconds > slowest) slowest = o.seconds, slowest_where = where;
    if (o.verdict == Verdict::loaded) ++loaded;
    if (o.verdict == Verdict::rejected) ++rejected;
    if (o.verdict != Verdict::failure) return;
    if (const KnownFailure* k = known(where, o.what)) {
      ++known_hits()[k->id];
      known_failures.push_back({where, "known failure '" + std::string(k->id) + "': " + o.what});
    } else {
      failures.push_back({where, o.what});
    }
  }
  void report(Clock::time_point start) const {
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    std::cout << "[mutation] " << name << ": "
              << loaded + rejected + failures.size() + known_failures.size() << " checked, "
              << loaded << " loaded, " << rejected << " rejected, " << failures.size()
              << " failures, " << known_failures.size() << " known failures, " << fmt_seconds(s)
              << " (slowest: " << fmt_seconds(slowest, 3) << ", " << slowest_where << ")\n";
    std::size_t shown = 0;
    for (const auto& f : known_failures)
      if (shown++ < 20) std::cout << "[mutation]   " << f.where << ": " << f.what << "\n";
    if (known_failures.size() > 20)
      std::cout << "[mutation]   ... and " << known_failures.size() - 20 << " more known\n";
    for (const auto& f : failures) ADD_FAILURE() << name << ": " << f.where << ": " << f.what;
  }
  static std::string fmt_seconds(double s, int digits = 1) {
    std::ostringstream o;
    o.precision(digits);
    o << std::fixed << s << " s";
    return o.str();
  }
};

fs::path scratch_dir(const std::string& what) {
  const fs::path d =
      fs::temp_directory_path() / ("salesim-mutation-" + std::to_string(getpid()) + "-" + what);
  fs::create_directories(d);
  return d;
}

struct RemoveDir {
  fs::path p;
  ~RemoveDir() {
    std::error_code ec;
    fs::remove_all(p, ec);
  }
};

// Where to find a mutant again: seed, index and the first bytes, so it can be rebuilt by
// running this test and written out with SALESIM_MUTATION_DUMP=DIR.
std::string describe(const char* kind, std::size_t i, const Mutant& m) {
  return std::string(kind) + " mutant #" + std::to_string(i) + " of " + m.seed +
         (m.role == "export" || m.role == "scenario" ? "" : " (as the " + m.role + ")") + ", " +
         std::to_string(m.text.size()) + " bytes";
}

// With SALESIM_MUTATION_DUMP=DIR, failing mutants are written to DIR for a closer look.
void dump(const std::string& name, const std::string& text) {
  const char* d = std::getenv("SALESIM_MUTATION_DUMP");
  if (!d || !*d) return;
  fs::create_directories(d);
  write_file(fs::path(d) / name, text);
}

std::vector<std::size_t> cli_sample(std::size_t n) {
  std::vector<std::size_t> out;
  const std::size_t step = std::max<std::size_t>(1, n / kCliSample);
  for (std::size_t i = 0; i < n && out.size() < kCliSample; i += step) out.push_back(i);
  return out;
}

// Runs job(k, worker) for every k in [0, n) on kCliWorkers threads (the command-line checks
// spend their time starting processes); the outcomes in the order of k.
std::vector<Outcome> on_workers(std::size_t n,
                                const std::function<Outcome(std::size_t, int)>& job) {
  std::vector<Outcome> out(n);
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kCliWorkers; ++w)
    threads.emplace_back([&, w] {
      for (std::size_t k; (k = next++) < n;) out[k] = job(k, w);
    });
  for (auto& t : threads) t.join();
  return out;
}

// ---------------------------------------------------------------------------------------------
TEST(MutationScenario, LoaderLoadsOrRejectsEveryMutant) {
  const auto start = Clock::now();
  const auto& mutants = scenario_mutants();
  ASSERT_GE(mutants.size(), 2000u);
  const auto outcomes = run_isolated(mutants.size(), [&](std::size_t i) {
    return check_scenario(mutants[i].text, "mutant.yaml");
  });
  Tally t{"scenario mutants, in-process (load_scenario_text)"};
  for (std::size_t i = 0; i < mutants.size(); ++i) {
    t.add(outcomes[i], describe("scenario", i, mutants[i]));
    if (outcomes[i].verdict == Verdict::failure)
      dump("scenario-" + std::to_string(i) + ".yaml", mutants[i].text);
  }
  t.report(start);
  EXPECT_GT(t.loaded, 100u) << "too few mutants load: are the example scenarios there?";
  EXPECT_GT(t.rejected, 100u);
}

TEST(MutationScenario, ValidateExitsZeroOrTwo) {
  const auto start = Clock::now();
  const auto& mutants = scenario_mutants();
  const fs::path dir = scratch_dir("validate");
  RemoveDir cleanup{dir};
  const auto sample = cli_sample(mutants.size());
  const auto outcomes = on_workers(sample.size(), [&](std::size_t k, int) {
    const fs::path f = dir / ("mutant-" + std::to_string(sample[k]) + ".yaml");
    write_file(f, mutants[sample[k]].text);
    const Outcome o = check_exit(test::binary() + " validate " + quote(f.string()));
    fs::remove(f);
    return o;
  });
  Tally t{"scenario mutants, `salesim validate FILE`"};
  for (std::size_t k = 0; k < sample.size(); ++k) {
    const std::size_t i = sample[k];
    t.add(outcomes[k], describe("scenario", i, mutants[i]) + ": salesim validate");
    if (outcomes[k].verdict == Verdict::failure)
      dump("validate-" + std::to_string(i) + ".yaml", mutants[i].text);
  }
  t.report(start);
  EXPECT_GE(sample.size(), 300u);
}

TEST(MutationExport, ImportLoadsOrRejectsEveryMutant) {
  const auto start = Clock::now();
  const auto& mutants = export_mutants();
  ASSERT_GE(mutants.size(), 2000u);
  const fs::path dir = scratch_dir("import");
  RemoveDir cleanup{dir};
  const ExportFixture& fx = export_fixture(dir / "fixture");
  const auto outcomes = run_isolated(mutants.size(), [&](std::size_t i) {
    return check_export(fx, mutants[i].role, mutants[i].text, dir);
  });
  Tally t{"export mutants, in-process (import_export_text, quality report and JSON)"};
  for (std::size_t i = 0; i < mutants.size(); ++i) {
    t.add(outcomes[i], describe("export", i, mutants[i]));
    if (outcomes[i].verdict == Verdict::failure)
      dump("export-" + std::to_string(i) + "-" + mutants[i].role + ".csv", mutants[i].text);
  }
  t.report(start);
  EXPECT_GT(t.loaded, 100u);
  EXPECT_GT(t.rejected, 100u);
}

// `salesim import FILE` with the Maven mapping, org chart and price list beside the export;
// every other mutant also with `--json` (the quality report as JSON).
TEST(MutationExport, ImportExitsZeroOrTwo) {
  const auto start = Clock::now();
  const auto& mutants = export_mutants();
  const fs::path dir = scratch_dir("import-cli");
  RemoveDir cleanup{dir};
  std::vector<const ExportFixture*> fixtures;  // one folder per worker
  for (int w = 0; w < kCliWorkers; ++w)
    fixtures.push_back(&export_fixture(dir / ("maven-" + std::to_string(w))));
  const std::string teams = test::read_file((fixtures[0]->dir / "sales_teams.csv").string());
  const std::string prices = test::read_file((fixtures[0]->dir / "products.csv").string());
  const auto sample = cli_sample(mutants.size());
  const auto outcomes = on_workers(sample.size(), [&](std::size_t k, int w) {
    const Mutant& m = mutants[sample[k]];
    const ExportFixture& fx = *fixtures[w];
    const fs::path f = fx.dir / "export.csv";
    write_file(f, m.role == "export" ? m.text : fx.pipeline);
    if (m.role == "org_chart") write_file(fx.dir / "sales_teams.csv", m.text);
    if (m.role == "price_list") write_file(fx.dir / "products.csv", m.text);
    const bool json = k % 2 == 1;
    const Outcome o = check_exit(test::binary() + " import " + quote(f.string()) +
                                 (json ? " --json " + quote((fx.dir / "q.json").string()) : ""));
    write_file(fx.dir / "sales_teams.csv", teams);
    write_file(fx.dir / "products.csv", prices);
    return o;
  });
  Tally t{"export mutants, `salesim import FILE`"};
  for (std::size_t k = 0; k < sample.size(); ++k) {
    const Mutant& m = mutants[sample[k]];
    t.add(outcomes[k],
          describe("export", sample[k], m) + ": salesim import" + (k % 2 == 1 ? " --json" : ""));
    if (outcomes[k].verdict == Verdict::failure)
      dump("import-" + std::to_string(sample[k]) + "-" + m.role + ".csv", m.text);
  }
  t.report(start);
  EXPECT_GE(sample.size(), 300u);
}

// The fuzzers' findings (fuzz/crashes/<target>/...), through the checks above: in-process and
// through the command line.
// A damaged number type claiming gigabytes a number is refused before HDF5 reads it: H5Dread
// allocated a conversion buffer of 1.9 GB for it (fuzz/crashes/README.md).
TEST(MutationCrashes, ANumberTypeOfGigabytesIsRefusedBeforeItIsRead) {
  const std::string file =
      test::source_dir() + "/fuzz/crashes/results/hdf5-number-size-gigabytes-forged-seal.h5";
  try {
    (void)tools::read_report_data(file);
    ADD_FAILURE() << "the damaged file was read";
  } catch (const tools::BadInput& e) {
    EXPECT_NE(std::string(e.what()).find("has numbers of 1952542066 bytes"), std::string::npos)
        << e.what();
  }
}

TEST(MutationCrashes, ReplayEveryReproducer) {
  const auto start = Clock::now();
  const fs::path root = fs::path(test::source_dir()) / "fuzz" / "crashes";
  std::vector<std::pair<std::string, fs::path>> files;  // target, file
  if (fs::exists(root))
    for (const auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file() && e.path().filename().string()[0] != '.' &&
          e.path().filename() != "README.md")
        files.push_back({e.path().parent_path().filename().string(), e.path()});
  std::sort(files.begin(), files.end());
  const fs::path dir = scratch_dir("replay");
  RemoveDir cleanup{dir};
  const ExportFixture& fx = export_fixture(dir / "maven");
  Tally t{"fuzz/crashes reproducers"};
  const auto in_process = run_isolated(files.size(), [&](std::size_t i) {
    const auto& [target, file] = files[i];
    const std::string text = test::read_file(file.string());
    if (target == "scenario") return check_scenario(text, file.filename().string());
    if (target == "csv") return check_export(fx, "export", text, dir);
    if (target == "results") return check_results(file.string());
    return Outcome{Verdict::failure, "unknown target folder '" + target + "'"};
  });
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& [target, file] = files[i];
    const std::string rel = fs::relative(file, test::source_dir()).string();
    t.add(in_process[i], rel + " (in-process)");
    std::string cmd;
    if (target == "scenario") cmd = test::binary() + " validate " + quote(file.string());
    if (target == "csv") {
      fs::copy_file(file, fx.dir / "export.csv", fs::copy_options::overwrite_existing);
      cmd = test::binary() + " import " + quote((fx.dir / "export.csv").string());
    }
    if (target == "results")
      cmd = test::binary() + " report " + quote(file.string()) + " -o " +
            quote((dir / "report.html").string());
    if (!cmd.empty()) t.add(check_exit(cmd), rel + " (command line)");
  }
  t.report(start);
  for (const auto& k : kKnownFailures)
    if (known_hits().count(k.id))
      std::cout << "[mutation] known failure '" << k.id << "' (to fix in " << k.owner
                << "): " << k.explanation << "\n";
  for (const auto& k : kKnownFailures)
    if (!known_hits().count(k.id))
      std::cout << "[mutation] known failure '" << k.id << "' (" << k.owner
                << ") did not occur in this run: if it is fixed, remove it from kKnownFailures "
                   "in tests/test_mutation.cpp\n";
}

}  // namespace
}  // namespace salesim
