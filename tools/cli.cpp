#include "tools/cli.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include "models/keys.hpp"
#include "models/outputs.hpp"
#include "models/plan_edit.hpp"
#include "models/plan_warnings.hpp"
#include "models/recurring.hpp"
#include "models/recurring_layout.hpp"
#include "sim/atomic_file.hpp"  // require_parent_folder
#include "sim/distributed.hpp"
#include "sim/hash.hpp"
#include "sim/runner.hpp"  // resolve_threads
#include "sim/utf8.hpp"

namespace salesim::tools {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      // "a, b" is how lists are written in prose: the spaces around an item are not part of it.
      const auto first = cur.find_first_not_of(" \t"), last = cur.find_last_not_of(" \t");
      if (first != std::string::npos) out.push_back(cur.substr(first, last - first + 1));
      cur.clear();
    } else
      cur += c;
  }
  return out;
}

void add_run_options(CLI::App* cmd, std::size_t& paths, std::optional<std::uint64_t>& seed,
                     int& threads, const std::string& paths_help) {
  cmd->add_option("--paths", paths, paths_help)
      ->transform(whole_count())
      ->check(CLI::Range(std::size_t(1), std::size_t(1000000000)));
  cmd->add_option("--seed", seed, "Seed (default: the file's simulation.seed)")
      ->check(seed_number());
  cmd->add_option("--threads", threads, "Threads (default: all)")
      ->transform(decimal_whole())
      ->check(CLI::Range(0, 4096));
}

Scenario load_with_seed(const std::string& file, std::optional<std::uint64_t> seed) {
  Scenario sc = load_scenario_file(file);
  if (seed) {
    sc.base.simulation.seed = *seed;
    for (auto& p : sc.plans) p.params.simulation.seed = *seed;
  }
  return sc;
}

void check_same_options_on_every_rank(const CLI::App& cmd) {
  if (sim::dist::size() == 1) return;
  std::string mine;
  for (const CLI::Option* o : cmd.get_options()) {
    if (o->get_positional() || o->count() == 0) continue;
    const std::string name = o->get_name();
    if (name == "--threads" || name == "--quiet" || name == "--help") continue;
    mine += " " + name;
    for (const std::string& v : o->results()) mine += " " + v;
  }
  const std::vector<std::string> all = sim::dist::all_gather(mine);
  for (std::size_t r = 1; r < all.size(); ++r)
    if (all[r] != all[0])
      throw BadInput(
          fmt::format("every rank of the job must run `salesim {}` with the same options "
                      "(--threads and --quiet aside): rank {} has {}, rank 0 {}",
                      cmd.get_name(), r, all[r].empty() ? "none" : "`" + all[r].substr(1) + "`",
                      all[0].empty() ? "none" : "`" + all[0].substr(1) + "`"));
}

Scenario load_on_every_rank(const std::string& file, std::optional<std::uint64_t> seed) {
  Scenario sc = load_with_seed(file, seed);
  if (sim::dist::size() == 1) return sc;
  sim::Fnv1a64 h;
  h.add(sc.text);
  const std::vector<std::string> all = sim::dist::all_gather(fmt::format("{:016x}", h.value()));
  for (std::size_t r = 1; r < all.size(); ++r)
    if (all[r] != all[0])
      throw BadInput(fmt::format(
          "{}: rank {} read a file that differs from rank 0's (FNV-1a {} against {}); every rank "
          "must read the same scenario: copy the file to every machine of the job",
          file, r, all[r], all[0]));
  return sc;
}

void announce(const Scenario& sc, bool strict, const std::vector<std::string>& only) {
  for (const auto& n : sc.notices) std::cerr << "salesim: notice: " << n << "\n";
  const std::vector<std::string> warnings = only.empty() ? sc.warnings : plan_warnings(sc, only);
  if (strict && !warnings.empty()) {
    std::string all;
    for (const auto& w : warnings) all += (all.empty() ? "" : "\n") + w;
    throw BadInput(fmt::format("{} (--strict: warnings are errors)", all));
  }
  for (const auto& w : warnings) std::cerr << "salesim: warning: " << w << "\n";
}

void require_parent_folder(const std::string& output_file) {
  if (output_file.empty()) return;
  // The folder where the temporary file goes: the link's target's for a symbolic link; none
  // for a pipe or a device (/proc/self/fd/1), which is written in place.
  const std::filesystem::path replaced = sim::replaced_file(output_file);
  if (replaced.empty()) return;
  auto parent = std::filesystem::absolute(replaced).parent_path();
  if (!std::filesystem::is_directory(parent))
    throw BadInput(std::filesystem::exists(parent)
                       ? fmt::format("cannot write {}: {} is a file, not a folder", output_file,
                                     parent.string())
                       : fmt::format("cannot write {}: folder {} does not exist", output_file,
                                     parent.string()));
  // Before the run, not after it: try creating (and removing) a file there.
  if (const int err = sim::folder_write_error(parent))
    throw BadInput(fmt::format("cannot write {}: folder {} is not writable ({})", output_file,
                               parent.string(),
                               std::error_code(err, std::generic_category()).message()));
}

void check_plan_names(const Scenario& sc, const std::vector<std::string>& only,
                      const std::string& option) {
  std::vector<std::string> names;
  for (const auto& p : sc.plans) names.push_back(p.name);
  for (auto it = only.begin(); it != only.end(); ++it) {
    if (std::find(names.begin(), names.end(), *it) == names.end())
      throw BadInput(fmt::format("{}: {}", option, no_plan_message(sc, *it)));
    if (std::find(only.begin(), it, *it) != it)
      throw BadInput(fmt::format("{}: plan '{}' is named twice; name each plan once", option, *it));
  }
}

// --- validators (docs/reliability.md, "The command line") ---

CLI::Validator finite_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // CLI11 converts with std::stod-like rules afterwards; here only whether the text is a
        // finite number. from_chars takes no leading '+' or blanks: strtod does, so use it.
        const char* b = text.c_str();
        char* end = nullptr;
        const double v = std::strtod(b, &end);
        if (text.empty() || end == b || *end != '\0')
          return "expected a number, found '" + text + "'";
        if (!std::isfinite(v))
          return "expected a finite number, found '" + text + "' (NaN and infinities are refused)";
        return {};
      },
      "FINITE", "finite number");
}

CLI::Validator above_zero() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // After finite_number: the text is a finite number. CLI::PositiveNumber would name
        // its range as 0 to DBL_MAX written out in full, 300 digits.
        if (!(std::strtod(text.c_str(), nullptr) > 0))
          return "expected a number above 0, found '" + text + "'";
        return {};
      },
      "POSITIVE", "positive");
}

void note_max_paths_alone(const CLI::Option* max_paths, bool target_se, bool quiet) {
  if (max_paths->count() > 0 && !target_se && !quiet)
    std::cerr << "salesim: notice: --max-paths limits the paths --target-se adds; without "
                 "--target-se it has no effect\n";
}

CLI::Validator number_between(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        // After finite_number. CLI::Range names a floating range with six decimals
        // ("0.000000 to 1000000000000.000000").
        const double v = std::strtod(text.c_str(), nullptr);
        // As a user writes them: 1e15 and 1e-6, not 1e+15 and 1e-06.
        const auto written = [](double x) {
          std::string t = fmt::format("{:g}", x);
          if (const auto e = t.find('e'); e != std::string::npos) {
            std::string exp = t.substr(e + 1);
            const bool minus = exp[0] == '-';
            exp = exp.substr(exp.find_first_not_of("+-0"));
            t = t.substr(0, e + 1) + (minus ? "-" : "") + exp;
          }
          return t;
        };
        if (!(v >= lo && v <= hi))
          return fmt::format("expected a number from {} to {}, found {}", written(lo), written(hi),
                             text);
        return {};
      },
      fmt::format("{:g}..{:g}", lo, hi), "number_between");
}

CLI::Validator seed_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const std::string accepted =
            "expected a whole number 0..18446744073709551615 written in decimal digits (no sign, "
            "exponent or fraction), found '" +
            text + "'";
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          return accepted;
        std::uint64_t v = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || ptr != text.data() + text.size()) return accepted;
        return {};
      },
      "0..2^64-1", "seed");
}

CLI::Validator whole_count() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const std::string accepted =
            "expected a whole number such as 2000 or 1e6, found '" + text + "'";
        if (text.empty() || text.find_first_not_of("0123456789eE.+") != std::string::npos)
          return accepted;
        if (text.find_first_not_of("0123456789") == std::string::npos)
          return decimal_whole()(text);  // "010" is ten, not CLI11's octal eight
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (*end != '\0' || !std::isfinite(v) || v != std::floor(v)) return accepted;
        if (v > 1e18) return "expected at most 1e18, found '" + text + "'";
        text = fmt::format("{:.0f}", v);
        return {};
      },
      "COUNT", "whole count");
}

CLI::Validator currency_text() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // UTF-8, with nothing invisible (a direction override would reorder every figure).
        for (std::size_t i = 0; i < text.size();) {
          const sim::utf8::Char ch = sim::utf8::at(text, i);
          if (ch.code == 0xFFFD && ch.len == 1 && text.compare(i, 3, "\xEF\xBF\xBD") != 0)
            return "expected a currency symbol or code in UTF-8, found bytes that are not";
          if (sim::utf8::invisible(ch.code))
            return "expected a currency symbol or code, found a control or invisible character "
                   "in it";
          i += ch.len;
        }
        std::size_t chars = 0;
        for (unsigned char c : text) {
          chars += (c & 0xC0) != 0x80;  // code points, not bytes
          if (std::isdigit(c) || std::strchr("+-<>&\"'`=\\", c))
            return fmt::format(
                "expected a currency symbol or code such as '$', EUR or 'Swiss francs', found "
                "'{}': no digits, signs (+ -) or the characters < > & \" ' ` = \\",
                text);
        }
        if (chars > 16)
          return fmt::format(
              "expected a currency symbol or code of at most 16 characters, found "
              "{} ('{}')",
              chars, text);
        if (!text.empty() && (text.front() == ' ' || text.back() == ' '))
          return "expected a currency symbol or code without spaces at either end, found '" + text +
                 "'";
        return {};
      },
      "", "currency symbol or code");
}

CLI::Validator decimal_whole() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // CLI11 reads integers in C's base 0: "0x10" as 16 and "010" as 8 (eight threads or
        // weeks for ten); a scenario file reads "010" as ten. Decimal digits only, as there.
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          return "expected a whole number in decimal digits, found '" + text + "'";
        text = text.substr(std::min(text.find_first_not_of('0'), text.size() - 1));
        return {};
      },
      "", "decimal whole number");
}

void check_no_empty_values(const CLI::App& cmd) {
  static const std::vector<std::string> may_be_empty = {"--currency", "--title", "--client",
                                                        "--plans"};
  for (const CLI::Option* opt : cmd.get_options()) {
    if (opt->count() == 0) continue;
    const auto& values = opt->results();
    if (std::none_of(values.begin(), values.end(), [](const auto& v) { return v.empty(); }))
      continue;
    const std::string name = opt->get_name();
    if (std::find(may_be_empty.begin(), may_be_empty.end(), name) != may_be_empty.end()) continue;
    if (!opt->nonpositional()) {
      std::string what = opt->get_description();
      if (!what.empty()) what[0] = char(std::tolower((unsigned char)what[0]));
      throw BadInput(fmt::format("the {} argument is empty (''); expected {}", name,
                                 what.empty() ? "a value" : "the " + what));
    }
    std::string names;  // as the user may have typed it: -o/--output
    for (const auto& n : opt->get_snames()) names += (names.empty() ? "-" : "/-") + n;
    for (const auto& n : opt->get_lnames()) names += (names.empty() ? "--" : "/--") + n;
    throw BadInput(fmt::format("{}: expected a value, found an empty one ('')", names));
  }
}

double run_memory_bytes(const Scenario& sc, std::size_t paths_per_plan, std::size_t plans) {
  const sim::OutputShape shape = out::shape(sc);
  // Kept until the end: [path][scalar] and [series][week][path] (sim/runner.hpp RunOutput).
  const double kept_per_path = double(shape.scalars) + double(shape.kept_series * shape.weeks);
  // While the summary is made: a column or a week of paths copied and sorted at a time, and
  // the paired differences of each plan with the first (a few paths x 8 bytes).
  const double transient_per_path = 4;
  return double(paths_per_plan) * 8.0 * (double(plans) * kept_per_path + transient_per_path);
}

std::optional<double> available_memory_bytes() {
  std::ifstream f("/proc/meminfo");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream in(line.substr(13));
    double kib = 0;
    if (in >> kib && kib > 0) return kib * 1024.0;
    return std::nullopt;
  }
  return std::nullopt;
}

std::string bytes_text(double b) {
  if (b >= 1024.0 * 1024 * 1024 * 1024) return fmt::format("{:.1f} TiB", b / std::pow(1024, 4));
  if (b >= 1024.0 * 1024 * 1024) return fmt::format("{:.1f} GiB", b / std::pow(1024, 3));
  return fmt::format("{:.0f} MiB", b / std::pow(1024, 2));
}

namespace {
// The most reps any plan schedules to hire.
double most_hires(const Scenario& sc) {
  double hires = 0;
  for (const auto& p : sc.plans) {
    double h = 0;
    for (const auto& hire : p.params.hiring) h += double(hire.count);
    hires = std::max(hires, h);
  }
  return hires;
}
// The starting base of recurring revenue (docs/model.md 12.5), 0 without it.
double customers(const Scenario& sc) {
  return arr_out::on(sc) ? double(std::max<std::int64_t>(0, sc.base.customers.count)) : 0.0;
}

// A starting contract's steps on a path: its ACV drawn, then a renewal draw every term.
double contract_steps(const Scenario& sc) {
  if (customers(sc) == 0) return 0;
  return customers(sc) * (1 + double(sc.horizon()) / double(term_weeks(sc.base.revenue)));
}

// What a contract step costs in rep-weeks: 11-30 ns against about 110 for a rep-week on the
// host of docs/reliability.md ("Runs longer than a day"), so a tenth of one.
constexpr double kRepWeeksPerContractStep = 0.1;
}  // namespace

double team_memory_bytes(const Scenario& sc, std::size_t plans) {
  const double reps = 2 * (double(sc.base.team.reps) + most_hires(sc));  // and a backfill each
  const double J = double(sc.skills.size()), K = double(sc.base.pipeline.stages.size());
  // Skills and gains (J each), preferences (K + 1), open counts (K), burnout and training
  // hours, 8 bytes each; manager, tenure and the active flag.
  const double per_rep = 8 * (2 * J + 2 * K + 3) + 9;
  // A contract: its ACV and its cohort's (8 bytes each), the week signed and its place in the
  // anniversary lists (4 each), with the vectors' spare room.
  const double per_contract = 32;
  return double(sim::resolve_threads(0)) * double(plans) *
         (reps * per_rep + customers(sc) * per_contract);
}

void check_team_memory(const Scenario& sc, std::size_t plans, const std::string& what) {
  const auto available = available_memory_bytes();
  if (!available) return;
  const double need = team_memory_bytes(sc, plans);
  if (need <= *available) return;
  const bool contracts = customers(sc) > 0;
  throw BadInput(fmt::format(
      "{}: {} reps with up to {:.0f} hires (and a backfill for each leaver){} would keep about {} "
      "of {} state on {} thread{}, more than the {} available (MemAvailable in "
      "/proc/meminfo); {} in {}",
      what, sc.base.team.reps, most_hires(sc),
      contracts ? fmt::format(" and {:.0f} customers' contracts", customers(sc)) : "",
      bytes_text(need), contracts ? "reps' and contracts'" : "reps'", sim::resolve_threads(0),
      sim::resolve_threads(0) == 1 ? "" : "s", bytes_text(*available),
      contracts ? "hire fewer reps or start with fewer customers" : "hire fewer reps", sc.file));
}

void check_run_memory(const Scenario& sc, std::size_t paths_per_plan, std::size_t plans,
                      const std::string& what, bool streaming_possible) {
  const auto available = available_memory_bytes();
  if (!available) return;
  check_team_memory(sc, plans, what);
  const double need = run_memory_bytes(sc, paths_per_plan, plans);
  if (need <= *available) return;
  throw BadInput(fmt::format(
      "{}: {} paths x {} weeks for {} {}{} would keep about {} in memory, more than the {} "
      "available (MemAvailable in /proc/meminfo); {}",
      what, paths_per_plan, sc.horizon(), plans, streaming_possible ? "plan" : "run",
      plans == 1           ? ""
      : streaming_possible ? "s"
                           : "s kept at a time",
      bytes_text(need), bytes_text(*available),
      streaming_possible ? "use --streaming (memory does not grow with paths) or fewer --paths"
                         : "use fewer --paths"));
}

double run_rep_weeks(const Scenario& sc, std::size_t paths_per_plan, std::size_t plans) {
  // The largest team any plan can have: the starting team plus every scheduled hire (of the
  // plan with the most), stepped every week (backfills only replace leavers).
  return ((double(sc.base.team.reps) + most_hires(sc)) * double(sc.horizon()) +
          kRepWeeksPerContractStep * contract_steps(sc)) *
         double(paths_per_plan) * double(plans);
}

// (A small limit such as --max-hours 0.001 printed "about 0.0 hours".)
std::string about_duration(double seconds) {
  if (seconds < 90) return fmt::format("about {:.0f} seconds", seconds);
  if (seconds < 90 * 60) return fmt::format("about {:.0f} minutes", seconds / 60);
  return fmt::format("about {:.1f} hours", seconds / 3600);
}

void check_run_time(const Scenario& sc, std::size_t paths_per_plan, std::size_t plans, int threads,
                    double max_hours, const std::string& option) {
  const double rep_weeks = run_rep_weeks(sc, paths_per_plan, plans);
  const double seconds = rep_weeks / (kRepWeeksPerSecondPerThread * std::max(1, threads));
  if (seconds <= max_hours * 3600) return;
  throw BadInput(fmt::format(
      "this run steps about {:.3g} rep-weeks ({} paths x {} weeks x {} plan{}, up to {:.0f} "
      "reps{}), {} at {:.2g} rep-weeks per second per thread on {} thread{}; "
      "more than the {:g} hours allowed: use fewer --paths, or raise {} if you mean it",
      rep_weeks, paths_per_plan, sc.horizon(), plans, plans == 1 ? "" : "s",
      double(sc.base.team.reps) + most_hires(sc),
      customers(sc) > 0
          ? fmt::format("; {:.0f} customers' contract renewals count a tenth of a rep-week each",
                        customers(sc))
          : "",
      about_duration(seconds), kRepWeeksPerSecondPerThread, std::max(1, threads),
      threads == 1 ? "" : "s", max_hours, option));
}

}  // namespace salesim::tools
