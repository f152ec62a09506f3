#pragma once
// The report's command-line options, shared by `salesim report` and `salesim run --report`
// (so the two take the same options), and what follows writing the HTML: the message and the
// PDF through headless Chromium.
#include <string>

#include "tools/cli.hpp"
#include "tools/output_paths.hpp"
#include "tools/report.hpp"

namespace salesim::tools {

struct ReportCli {
  std::string pdf, charts_dir;
  bool png = false;  // --png: the charts also as PNG images in charts_dir
  bool no_sensitivity = false;
  ReportOptions options;
  ReportOptions resolved() const;  // options with --no-sensitivity applied
};

// --title --client --logo --currency --charts --png --pdf --no-sensitivity. With `needs` (run's
// --report), each of them needs that option.
void add_report_options(CLI::App* cmd, ReportCli& r, CLI::Option* needs = nullptr);

// Before anything runs: check_outputs (tools/output_paths.hpp) over the command's own inputs
// and files joined with the report's (the HTML, named by html_option, --pdf, --charts and
// --logo), then the logo read once, so that a missing or unreadable logo is refused before a
// run rather than after it (BadInput).
void check_report_outputs(const std::string& html_option, const std::string& html,
                          const ReportCli& r, std::vector<NamedPath> inputs,
                          std::vector<NamedPath> files);

// Prints what was written (unless quiet), renders the charts as PNG and prints the PDF when
// asked; the exit code (1 when those could not be made because Chromium is missing, said on
// stderr even when quiet).
int finish_report(const std::string& html, const std::string& source, const Report& rep,
                  const ReportCli& r, bool quiet = false);

}  // namespace salesim::tools
