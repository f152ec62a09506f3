// salesim: the command line. Each subcommand lives in tools/cmd_*.cpp (or beside the code it
// drives) and registers itself here. Exit codes: 0 ok, 1 failure, 2 bad input.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <new>
#include <string>

#include "salesim/version.hpp"
#include "sim/distributed.hpp"
#include "sim/interrupt.hpp"
#include "tools/cli.hpp"

namespace {
// Ctrl-C or SIGTERM: exit 130, saying so, rather than die of the signal (docs/reliability.md).
// Every output is written to a temporary file and renamed, so none is left half-written; the
// temporaries, folders and child processes (Chromium) of the work going on are removed and
// stopped first (sim/interrupt.hpp). Commands that stop more gently take the signals themselves
// (batch finishes its files' records, serve waits for them with sigwait and cancels its runs).
// Under mpirun the signal is as often mpirun ending the job because another rank failed (its
// message is above) as a Ctrl-C: "interrupted" alone, the last line, read as if someone had.
constexpr char kInterrupted[] = "\nsalesim: interrupted; no output was left half-written\n";
constexpr char kStoppedInAJob[] =
    "\nsalesim: stopped by a signal (Ctrl-C, or mpirun ending the job because a rank failed: see "
    "above); no output was left half-written\n";
const char* g_stop_message = kInterrupted;
std::size_t g_stop_length = sizeof kInterrupted - 1;

// Under mpirun every rank reads the same input and checks it the same way, so bad input stops
// every rank alike: rank 0 reports it (the others' output is silenced) and all exit 2
// (sim::dist::settle_bad_input ends the job naming the rank when it did not). Any other
// failure may strike one rank alone while the rest wait for it, so it ends the whole job with
// a message naming the rank (sim::dist::abort).
int failed(int code, const std::string& message, const char* what = "") {
  if (code == 1 && sim::dist::size() > 1) sim::dist::abort(std::string("error: ") + what, 1);
  std::cerr << message;  // silenced on ranks other than 0
  // Said: mpirun ending the job now (another rank exited first) adds no "stopped by a signal".
  g_stop_length = 0;
  if (code == 2) sim::dist::settle_bad_input(message.substr(0, message.size() - 1));
  return code;
}

extern "C" void on_interrupt(int) {
  [[maybe_unused]] const auto n = ::write(2, g_stop_message, g_stop_length);
  sim::interrupt::clean_up();
  ::_exit(130);
}
}  // namespace

int main(int argc, char** argv) {
  using namespace salesim;
  const sim::dist::Session mpi(argc, argv);  // one rank, and no MPI, unless started by mpirun
  if (sim::dist::size() > 1)
    g_stop_message = kStoppedInAJob, g_stop_length = sizeof kStoppedInAJob - 1;
  CLI::App app{
      "salesim: sales-plan simulation and forecasting.\n"
      "Runs each plan of a scenario file as Monte Carlo paths and compares them against "
      "the revenue goal and its checkpoints."};
  app.set_version_flag(
      "--version", fmt::format("salesim {} ({})", sim::build::version, sim::build::git_revision));
  app.require_subcommand(1);

  tools::Commands commands;
  tools::add_run_command(app, commands);
  tools::add_validate_command(app, commands);
  tools::add_bench_command(app, commands);
  tools::add_report_command(app, commands);
  tools::add_crm_commands(app, commands);
  tools::add_sweep_command(app, commands);
  tools::add_sensitivity_command(app, commands);
  tools::add_batch_command(app, commands);
  tools::add_upgrade_command(app, commands);
  tools::add_goalseek_command(app, commands);
  tools::add_optimize_command(app, commands);
  tools::add_serve_command(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (app.exit(e) == 0) return 0;
    // Under mpirun a rank that cannot parse its command line must not leave the others waiting
    // for it (nor wait for them in MPI_Finalize): bad input on every rank, or the job ends.
    sim::dist::settle_bad_input(e.what());
    return 2;
  }
  struct sigaction stop {};
  stop.sa_handler = on_interrupt;
  sigemptyset(&stop.sa_mask);
  // A second Ctrl-C or a SIGTERM on this thread waits for the clean-up; on another thread,
  // clean_up() itself makes it wait.
  sigaddset(&stop.sa_mask, SIGINT);
  sigaddset(&stop.sa_mask, SIGTERM);
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction was {};
    ::sigaction(sig, nullptr, &was);
    if (was.sa_handler != SIG_IGN) ::sigaction(sig, &stop, nullptr);  // a shell's `cmd &` ignores
  }
  const auto parsed =
      std::find_if(commands.begin(), commands.end(), [](const auto& c) { return c.app->parsed(); });
  const std::string command = parsed == commands.end() ? "" : parsed->app->get_name();
  try {
    if (parsed != commands.end()) {
      tools::check_no_empty_values(*parsed->app);
      tools::check_same_options_on_every_rank(*parsed->app);
      return parsed->run();
    }
  } catch (const ScenarioError& e) {
    return failed(2, fmt::format("{}\n{} problem{} found\n", e.what(), e.problems.size(),
                                 e.problems.size() == 1 ? "" : "s"));
  } catch (const tools::BadInput& e) {
    return failed(2, fmt::format("salesim: {}\n", e.what()));
  } catch (const std::bad_alloc&) {
    // What the up-front estimates did not foresee (a memory limit of ulimit -v or a cgroup
    // below what /proc/meminfo says is available). The advice is the command's: `import` takes
    // none of a run's options.
    const bool whole_export = command == "import" || command == "calibrate";
    const bool forecast = command == "forecast" || command == "backtest";
    return failed(
        1,
        fmt::format("salesim: error: out of memory: {} needs more memory than the "
                    "process may use (a limit such as ulimit -v or a container's); {}\n",
                    command.empty() ? "the command" : command,
                    whole_export       ? "it reads the whole export: a smaller one, or more memory"
                    : forecast         ? "use fewer --paths or --weeks"
                    : command == "run" ? "use fewer --paths, --streaming, fewer --threads or a "
                                         "smaller team"
                                       : "use fewer --paths, fewer --threads or a smaller team"),
        "out of memory");
  } catch (const std::exception& e) {
    return failed(1, fmt::format("salesim: error: {}\n", e.what()), e.what());
  }
  return 0;
}
