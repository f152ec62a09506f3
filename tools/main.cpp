// salesim: the command line. Each subcommand lives in tools/cmd_*.cpp (or beside the code it
// drives) and registers itself here. Exit codes: 0 ok, 1 failure, 2 bad input.
#include <fmt/format.h>

#include <iostream>

#include "salesim/version.hpp"
#include "tools/cli.hpp"

int main(int argc, char** argv) {
  using namespace salesim;
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
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    for (const auto& c : commands)
      if (c.app->parsed()) return c.run();
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    std::cerr << fmt::format("{} problem{} found\n", e.problems.size(),
                             e.problems.size() == 1 ? "" : "s");
    return 2;
  } catch (const tools::BadInput& e) {
    std::cerr << "salesim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "salesim: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
