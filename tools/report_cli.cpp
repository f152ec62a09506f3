#include "tools/report_cli.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "tools/report_sections.hpp"  // report::logo_img

namespace salesim::tools {

ReportOptions ReportCli::resolved() const {
  ReportOptions o = options;
  o.sensitivity = !no_sensitivity;
  return o;
}

void add_report_options(CLI::App* cmd, ReportCli& r, CLI::Option* needs) {
  std::vector<CLI::Option*> opts = {
      cmd->add_option("--title", r.options.title,
                      "Report title (default: the scenario's name and the question)"),
      cmd->add_option("--client", r.options.client, "Client name, shown as 'Prepared for ...'"),
      cmd->add_option("--logo", r.options.logo_file,
                      "Logo image to embed in the report (PNG, JPEG, GIF, WebP, SVG)"),
      cmd->add_option("--currency", r.options.currency,
                      "Currency symbol or code for the report's money figures, e.g. '$' or EUR"),
      cmd->add_option("--charts", r.charts_dir,
                      "Also write every chart of the report as an SVG file into this folder"),
      cmd->add_option("--pdf", r.pdf, "Also print the report to this PDF (needs Chromium)"),
      cmd->add_flag("--no-sensitivity", r.no_sensitivity,
                    "Skip the report's check of how much its answer depends on the key "
                    "assumptions (the leading plan re-run with each moved by +-20%)")};
  if (needs)
    for (auto* o : opts) o->needs(needs);
}

void check_report_outputs(const std::string& html_option, const std::string& html,
                          const ReportCli& r, std::vector<NamedPath> inputs,
                          std::vector<NamedPath> files) {
  inputs.push_back({"--logo", r.options.logo_file});
  files.push_back({html_option, html});
  files.push_back({"--pdf", r.pdf});
  check_outputs(inputs, files, {{"--charts", r.charts_dir}});
  if (!r.options.logo_file.empty()) report::logo_img(r.options.logo_file);
}

int finish_report(const std::string& html, const std::string& source, const Report& rep,
                  const ReportCli& r, bool quiet) {
  if (!quiet)
    std::cout << fmt::format("{}: report of {} with {} charts{}\n", html, source, rep.charts.size(),
                             r.charts_dir.empty() ? "" : ", each also as SVG in " + r.charts_dir);
  if (r.pdf.empty()) return 0;
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    if (const char* env = std::getenv("SALESIM_CHROMIUM"); env && *env)
      std::cerr << fmt::format("salesim: SALESIM_CHROMIUM={} is not an executable.\n", env);
    std::cerr << fmt::format(
        "salesim: --pdf needs headless Chromium, and neither chromium nor chromium-browser is "
        "on PATH. Install it with `sudo apt-get install chromium` (Debian; the package is "
        "chromium-browser on Ubuntu) and run the command again, or open {} in a browser and "
        "print it to PDF. The HTML report was written; {} was not.\n",
        html, r.pdf);
    return 1;
  }
  print_pdf(chromium, html, r.pdf);
  if (!quiet) std::cout << fmt::format("{}: printed by {}\n", r.pdf, chromium);
  return 0;
}

}  // namespace salesim::tools
