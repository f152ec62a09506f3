#pragma once
// The command line's shared pieces: each subcommand lives in its own tools/cmd_*.cpp, adds
// itself to the app with an add_* function, and is run by main.cpp when it was parsed.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/scenario.hpp"

namespace salesim::tools {

// Bad input the user can fix: printed as "salesim: <message>", exit code 2.
struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;  // the exit code
};
using Commands = std::vector<Command>;
// BadInput naming the first option or argument of `cmd` given an empty value (`--json ''` from
// an empty shell variable was taken as not given, and the file silently not written), except
// those where empty means something (--currency: no symbol; --title, --client; --plans: all).
void check_no_empty_values(const CLI::App& cmd);

void add_run_command(CLI::App& app, Commands& commands);
void add_validate_command(CLI::App& app, Commands& commands);
void add_bench_command(CLI::App& app, Commands& commands);
void add_report_command(CLI::App& app, Commands& commands);
void add_crm_commands(CLI::App& app, Commands& commands);
void add_sweep_command(CLI::App& app, Commands& commands);
void add_sensitivity_command(CLI::App& app, Commands& commands);
void add_batch_command(CLI::App& app, Commands& commands);
void add_upgrade_command(CLI::App& app, Commands& commands);
void add_goalseek_command(CLI::App& app, Commands& commands);
void add_optimize_command(CLI::App& app, Commands& commands);

// --paths (with `paths_help`), --seed and --threads, as every command that runs paths has them.
void add_run_options(CLI::App* cmd, std::size_t& paths, std::optional<std::uint64_t>& seed,
                     int& threads, const std::string& paths_help);
void add_serve_command(CLI::App& app, Commands& commands);

// "a,b,,c" -> {a, b, c}
std::vector<std::string> split_list(const std::string& s);

// Under mpirun, every rank must run the command with the same options (not counting --threads
// and --quiet, which change no figure): an `mpirun A : B` launch with another --seed, --paths
// or --plans on one rank mixed its paths into rank 0's results without a word. The files named
// (positionals) may differ in path: their contents are checked where they are read
// (load_on_every_rank), and batch takes rank 0's list. BadInput naming the rank otherwise.
void check_same_options_on_every_rank(const CLI::App& cmd);
// Loads a scenario and, when given, overrides the seed of the base and of every plan.
Scenario load_with_seed(const std::string& file, std::optional<std::uint64_t> seed);
// load_with_seed for a command whose ranks (under mpirun) all run the one scenario: each rank
// reads the file itself, possibly another machine's copy, so a rank whose text differs from
// rank 0's is bad input on every rank (the results would mix two models). Collective.
Scenario load_on_every_rank(const std::string& file, std::optional<std::uint64_t> seed);
// Prints the reader's notices and the plan warnings of `sc` to standard error; with `strict`,
// warnings are bad input (exit 2).
// `only`: the plans the command runs (run --plans, sweep --plan, ...); the warnings of plans it
// does not run are left out (models/plan_warnings.hpp), so --strict refuses none for them.
void announce(const Scenario& sc, bool strict = false, const std::vector<std::string>& only = {});
// Fails with BadInput when the folder an output file would go into does not exist.
void require_parent_folder(const std::string& output_file);
// The names of a scenario's plans, checked against `only` (BadInput naming the nearest).
void check_plan_names(const Scenario& sc, const std::vector<std::string>& only,
                      const std::string& option);

// Validators shared by every command (docs/reliability.md, "The command line").
//
// A floating option: a number that is finite. CLI11's Range lets NaN through (every comparison
// with NaN is false) and "inf" parses as a double, so each floating option checks this first.
// On failure CLI11 prints "--option: ..." and main exits 2.
CLI::Validator finite_number();
// A number above 0 (after finite_number), with a short message.
CLI::Validator above_zero();
// --max-paths without --target-se has nothing to limit: said on stderr (not refused: scripts
// that always pass a path limit keep working).
void note_max_paths_alone(const CLI::Option* max_paths, bool target_se, bool quiet);
// A number from lo to hi (after finite_number), the range written as the user would.
CLI::Validator number_between(double lo, double hi);
// A seed: a whole number 0..18446744073709551615 written in decimal digits. CLI11 turns "-1",
// "18446744073709551616" and "1e23" into 2^64-1 silently; this refuses them.
CLI::Validator seed_number();

// A count such as --paths: a whole number written in digits or, as a scenario file may write
// it, with an exponent ("1e6", "2.5e5"), which is rewritten in digits for the option's own
// range check. Anything else (a sign, a fraction, NaN) is refused with what is accepted.
CLI::Validator whole_count();
// A whole number in decimal digits ("010" is ten, not CLI11's octal eight; no "0x10"), for
// integer options that take no 1e6 or 2k forms: threads, weeks, jobs, ports, repeats.
CLI::Validator decimal_whole();
// --currency: a symbol or code ('$', EUR, Swiss francs), at most 16 characters; no digits,
// signs or characters of markup, which would read as part of the figure or enter the page.
CLI::Validator currency_text();

// The memory a non-streaming run keeps until its end, in bytes: per plan, the per-path
// scalars and the kept weekly series (paths x weeks x 8 bytes x the kept series), plus what
// the summary needs while it sorts one week at a time.
double run_memory_bytes(const Scenario& sc, std::size_t paths_per_plan, std::size_t plans);
// "412 MiB", "3.1 GiB", "1.2 TiB": a memory figure for messages.
std::string bytes_text(double bytes);
// MemAvailable of /proc/meminfo in bytes; nullopt when it cannot be read.
std::optional<double> available_memory_bytes();
// BadInput (exit 2) when a run without --streaming would keep more than the memory available:
// names the estimate, the available figure and the --streaming hint. `what` names the run
// ("run", "sweep point"). Does nothing when the available memory cannot be read.
void check_run_memory(const Scenario& sc, std::size_t paths_per_plan, std::size_t plans,
                      const std::string& what, bool streaming_possible = true);
// The reps' state every thread keeps for each of `plans` plans, in bytes: each rep a path can
// have (the team, the scheduled hires of the plan that hires most, and as many backfills), its
// skills, gains, preferences, open counts and the rest, and each starting contract of recurring
// revenue, on every core. It does not grow with
// paths, so --streaming does not shrink it.
double team_memory_bytes(const Scenario& sc, std::size_t plans);
// BadInput (exit 2) when team_memory_bytes is above the memory available, naming the hires
// (check_run_memory checks it too; a streamed run calls this alone).
void check_team_memory(const Scenario& sc, std::size_t plans, const std::string& what);
// Rep-weeks a run steps (reps at the start plus every hire, times weeks, paths and plans):
// the unit of docs/performance.md's throughput figures. The starting contracts of recurring
// revenue count too, each draw and renewal as a tenth of a rep-week (their measured cost).
double run_rep_weeks(const Scenario& sc, std::size_t paths_per_plan, std::size_t plans);
// The throughput assumed for the time estimate, rep-weeks per second per thread: about half
// the slowest form of the step measured (one rep at a time, as with segments or quotas or
// without AVX2: 5.4M rep-weeks/s on one thread, docs/reliability.md), a margin for slower
// machines and larger teams.
inline constexpr double kRepWeeksPerSecondPerThread = 3e6;
// An estimated time in the unit that reads well: "about 40 seconds", "about 12 minutes",
// "about 3.5 hours".
std::string about_duration(double seconds);
// BadInput (exit 2) when the estimated time, rep-weeks / (kRepWeeksPerSecondPerThread x
// threads), is above max_hours; names the estimate and the override option. `threads` is the
// number that can run at once (threads beyond the cores do not make a run faster).
void check_run_time(const Scenario& sc, std::size_t paths_per_plan, std::size_t plans, int threads,
                    double max_hours, const std::string& option);

}  // namespace salesim::tools
