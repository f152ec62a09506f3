// `salesim report`: a client-ready, self-contained HTML report of a results file, with its
// charts as SVG files for slides and a PDF through headless Chromium (docs/report.md).
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "tools/cli.hpp"
#include "tools/report.hpp"

namespace salesim::tools {
namespace {

struct ReportArgs {
  std::string results, html, pdf, charts_dir;
  ReportOptions options;
};

int cmd_report(const ReportArgs& a) {
  for (const auto& out : {a.html, a.pdf}) require_parent_folder(out);
  const Report r = write_report(a.results, a.html, a.options, a.charts_dir);
  std::cout << fmt::format("{}: report of {} with {} charts{}\n", a.html, a.results,
                           r.charts.size(),
                           a.charts_dir.empty() ? "" : ", each also as SVG in " + a.charts_dir);
  if (a.pdf.empty()) return 0;
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    if (const char* env = std::getenv("SALESIM_CHROMIUM"); env && *env)
      std::cerr << fmt::format("salesim: SALESIM_CHROMIUM={} is not an executable.\n", env);
    std::cerr << fmt::format(
        "salesim: --pdf needs headless Chromium, and neither chromium nor chromium-browser is "
        "on PATH. Install it with `sudo apt-get install chromium` (Debian; the package is "
        "chromium-browser on Ubuntu) and run the command again, or open {} in a browser and "
        "print it to PDF. The HTML report was written; {} was not.\n",
        a.html, a.pdf);
    return 1;
  }
  print_pdf(chromium, a.html, a.pdf);
  std::cout << fmt::format("{}: printed by {}\n", a.pdf, chromium);
  return 0;
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
      "  salesim run scenarios/nexacorp.yaml --report report.html   (the same in one step)");
  cmd->add_option("results", ra->results, "Results file written by `salesim run -o`")->required();
  cmd->add_option("-o,--output", ra->html, "The HTML report to write")->required();
  cmd->add_option("--title", ra->options.title,
                  "Title (default: the scenario's name and the question)");
  cmd->add_option("--client", ra->options.client, "Client name, shown as 'Prepared for ...'");
  cmd->add_option("--logo", ra->options.logo_file,
                  "Logo image to embed (PNG, JPEG, GIF, WebP, SVG)");
  cmd->add_option("--currency", ra->options.currency,
                  "Currency symbol or code for money figures, e.g. '$' or EUR (default: none)");
  cmd->add_option("--charts", ra->charts_dir,
                  "Also write every chart as an SVG file into this folder");
  cmd->add_option("--pdf", ra->pdf, "Also print the report to this PDF (needs Chromium)");
  commands.push_back({cmd, [ra] { return cmd_report(*ra); }});
}

}  // namespace salesim::tools
