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

void add_run_command(CLI::App& app, Commands& commands);
void add_validate_command(CLI::App& app, Commands& commands);
void add_bench_command(CLI::App& app, Commands& commands);
void add_report_command(CLI::App& app, Commands& commands);
void add_crm_commands(CLI::App& app, Commands& commands);
void add_sweep_command(CLI::App& app, Commands& commands);
void add_sensitivity_command(CLI::App& app, Commands& commands);
void add_batch_command(CLI::App& app, Commands& commands);
void add_upgrade_command(CLI::App& app, Commands& commands);

// "a,b,,c" -> {a, b, c}
std::vector<std::string> split_list(const std::string& s);
// Loads a scenario and, when given, overrides the seed of the base and of every plan.
Scenario load_with_seed(const std::string& file, std::optional<std::uint64_t> seed);
// Prints the reader's notices and the plan warnings of `sc` to standard error; with `strict`,
// warnings are bad input (exit 2).
void announce(const Scenario& sc, bool strict = false);
// Fails with BadInput when the folder an output file would go into does not exist.
void require_parent_folder(const std::string& output_file);
// The names of a scenario's plans, checked against `only` (BadInput naming the nearest).
void check_plan_names(const Scenario& sc, const std::vector<std::string>& only,
                      const std::string& option);

}  // namespace salesim::tools
