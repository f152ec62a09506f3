// `salesim upgrade`: a format 1 scenario file as format 2 (event weeks from 1), comments and
// layout kept. The converted text is re-read and checked to run the same model before it is
// written anywhere.
#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "models/format_upgrade.hpp"
#include "sim/atomic_file.hpp"
#include "tools/cli.hpp"
#include "tools/output_paths.hpp"

namespace salesim::tools {
namespace {

struct UpgradeArgs {
  std::string file, out;
};

int cmd_upgrade(const UpgradeArgs& a) {
  // As every command reads a scenario: a folder is named as one (an ifstream reads it as empty).
  std::error_code ec;
  const std::string text = read_scenario_text(a.file);
  // -o may be FILE itself (in place); a folder or a missing folder is refused before converting.
  if (!a.out.empty()) check_outputs({}, {{"-o", a.out}});
  const std::string upgraded = upgrade_scenario_text(text, a.file);
  const bool changed = upgraded != text;
  // A format 2 file converted "in place" is left untouched rather than rewritten.
  const bool in_place = !a.out.empty() && std::filesystem::equivalent(a.file, a.out, ec);
  if (a.out.empty()) {
    // The converted text is the product: a full disk or a closed pipe is an error, not success.
    errno = 0;
    ::signal(SIGPIPE, SIG_IGN);  // a closed pipe is EPIPE, said below, not a silent death
    std::cout << upgraded << std::flush;
    if (!std::cout)
      throw std::runtime_error(fmt::format(
          "writing the converted text of {} to standard output failed: {}; nothing else was "
          "written (give -o FILE)",
          a.file, errno ? sim::io_error_reason(errno) : std::string("the stream refused it")));
  } else if (changed || !in_place) {
    sim::write_text_atomically(a.out, upgraded);
  }
  const std::string copied = a.out.empty() || in_place ? "" : "; copied to " + a.out;
  std::cerr << (changed ? fmt::format("{}: converted from format 1 to format {}{}\n", a.file,
                                      kFormatVersion, a.out.empty() ? "" : " in " + a.out)
                        : fmt::format("{}: already format {}, nothing to change{}\n", a.file,
                                      kFormatVersion, copied));
  return 0;
}

}  // namespace

void add_upgrade_command(CLI::App& app, Commands& commands) {
  auto a = std::make_shared<UpgradeArgs>();
  auto* cmd = app.add_subcommand(
      "upgrade", "Convert a format 1 scenario file to format 2 (event weeks counted from 1)");
  cmd->footer(
      "Only the `salesim:` line and the event weeks (hiring week, training and program "
      "start_week, plan from_week) change; comments and layout are kept. The result is re-read "
      "and checked to run the same model before it is written.\n\n"
      "Examples:\n"
      "  salesim upgrade old.yaml                 # the format 2 text on standard output\n"
      "  salesim upgrade old.yaml -o new.yaml\n"
      "  salesim upgrade old.yaml -o old.yaml     # in place");
  cmd->add_option("file", a->file, "Scenario file (YAML), format 1 or 2")->required();
  cmd->add_option("-o,--output", a->out,
                  "Write the format 2 file here (may be FILE itself); default: standard output");
  commands.push_back({cmd, [a] { return cmd_upgrade(*a); }});
}

}  // namespace salesim::tools
