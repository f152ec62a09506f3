// `salesim report`: a client-ready, self-contained HTML report of a results file, with its
// charts as SVG files for slides and a PDF through headless Chromium (docs/report.md).
#include <fmt/format.h>

#include "tools/cli.hpp"
#include "tools/report_cli.hpp"

namespace salesim::tools {
namespace {

struct ReportArgs {
  std::string results, html;
  ReportCli report;
};

int cmd_report(const ReportArgs& a) {
  check_report_outputs("-o", a.html, a.report, {{"the results file", a.results}}, {});
  ReportOptions o = a.report.resolved();
  o.progress = true;
  const Report r = write_report(a.results, a.html, o, a.report.charts_dir);
  return finish_report(a.html, a.results, r, a.report);
}

}  // namespace

void add_report_command(CLI::App& app, Commands& commands) {
  auto ra = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand(
      "report", "Write a self-contained HTML report of a results file, for a client");
  cmd->footer(
      "The report opens offline anywhere (styles, charts and logo inline) and prints cleanly.\n"
      "Examples:\n"
      "  salesim run scenarios/nexacorp.yaml -o results.h5\n"
      "  salesim report results.h5 -o report.html\n"
      "  salesim report results.h5 -o report.html --title \"FY25 sales plan\" --client "
      "\"NexaCorp\" "
      "--logo logo.png --currency '$' --charts slides/ --pdf report.pdf\n"
      "  salesim report results.h5 -o report.html --no-sensitivity   (skip the assumptions "
      "check)\n"
      "  salesim run scenarios/nexacorp.yaml --report report.html --client NexaCorp   (the same "
      "in one step; run --report takes every option above)");
  cmd->add_option("results", ra->results, "Results file written by `salesim run -o`")->required();
  cmd->add_option("-o,--output", ra->html, "The HTML report to write")->required();
  add_report_options(cmd, ra->report);
  commands.push_back({cmd, [ra] { return cmd_report(*ra); }});
}

}  // namespace salesim::tools
