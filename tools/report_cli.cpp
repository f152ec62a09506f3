#include "tools/report_cli.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "sim/atomic_file.hpp"  // same_file
#include "tools/chromium.hpp"
#include "tools/report_sections.hpp"  // report::logo_img

namespace salesim::tools {
namespace fs = std::filesystem;

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
                      "Currency symbol or code for the report's money figures, e.g. '$' or EUR")
          ->check(currency_text()),
      cmd->add_option("--charts", r.charts_dir,
                      "Also write every chart of the report as an SVG file into this folder"),
      cmd->add_flag("--png", r.png,
                    "With --charts, also write each chart as a PNG image at twice its size, for "
                    "slide tools that take no SVG (needs Chromium)"),
      cmd->add_option("--pdf", r.pdf, "Also print the report to this PDF (needs Chromium)"),
      cmd->add_flag("--no-sensitivity", r.no_sensitivity,
                    "Skip the report's check of how much its answer depends on the key "
                    "assumptions (the leading plan re-run with each moved by +-20%)")};
  if (needs)
    for (auto* o : opts) o->needs(needs);
  opts[5]->needs(opts[4]);  // --png needs --charts
}

void check_report_outputs(const std::string& html_option, const std::string& html,
                          const ReportCli& r, std::vector<NamedPath> inputs,
                          std::vector<NamedPath> files) {
  inputs.push_back({"--logo", r.options.logo_file});
  files.push_back({html_option, html});
  files.push_back({"--pdf", r.pdf});
  check_outputs(inputs, files, {{"--charts", r.charts_dir}});
  // The charts' names are known only once the report is made, but every PNG is a .png in the
  // charts folder: an output or input (a --logo) there with that extension could be replaced.
  std::vector<NamedPath> named = files;
  named.insert(named.end(), inputs.begin(), inputs.end());
  if (r.png)
    for (const NamedPath& f : named)
      if (!f.path.empty() && fs::path(f.path).extension() == ".png" &&
          sim::same_file(fs::absolute(f.path).parent_path(), r.charts_dir))
        throw BadInput(fmt::format(
            "{} {}: --charts {} --png writes the charts there as .png files, which could replace "
            "it; give it another name or the charts another folder",
            f.option, f.path, r.charts_dir));
  if (!r.options.logo_file.empty()) report::logo_img(r.options.logo_file);
}

namespace {

// The width and height attributes of a chart's <svg> element (tools/charts.cpp writes both).
std::pair<int, int> svg_size(const std::string& svg) {
  auto attr = [&](const char* name) {
    const auto at = svg.find(fmt::format(" {}=\"", name));
    return at == std::string::npos ? 0 : std::atoi(svg.c_str() + at + std::strlen(name) + 3);
  };
  return {attr("width"), attr("height")};
}

// What needs Chromium and cannot be made without it: said on stderr, with how to get it, what
// to do instead and what was and was not written.
void no_chromium(const std::string& option, const std::string& instead,
                 const std::string& written) {
  if (const char* env = std::getenv("SALESIM_CHROMIUM"); env && *env)
    std::cerr << fmt::format("salesim: SALESIM_CHROMIUM={} is not an executable.\n", env);
  std::cerr << fmt::format(
      "salesim: {} needs headless Chromium, and neither chromium nor chromium-browser is on "
      "PATH. Install it with `sudo apt-get install chromium` (Debian; the package is "
      "chromium-browser on Ubuntu) and run the command again{}. {}.\n",
      option, instead, written);
}

}  // namespace

int finish_report(const std::string& html, const std::string& source, const Report& rep,
                  const ReportCli& r, bool quiet) {
  if (!quiet)
    std::cout << fmt::format("{}: report of {} with {} charts{}\n", html, source, rep.charts.size(),
                             r.charts_dir.empty() ? ""
                             : r.png              ? ", each also as SVG and PNG in " + r.charts_dir
                                                  : ", each also as SVG in " + r.charts_dir);
  if (r.pdf.empty() && !r.png) return 0;
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    if (r.png)
      no_chromium(r.pdf.empty() ? "--png" : "--png (and --pdf)", "",
                  fmt::format("The HTML report and the charts' SVG files were written; their PNG "
                              "files were not{}",
                              r.pdf.empty() ? "" : ", nor " + r.pdf));
    else
      no_chromium("--pdf", fmt::format(", or open {} in a browser and print it to PDF", html),
                  fmt::format("The HTML report was written; {} was not", r.pdf));
    return 1;
  }
  if (r.png) {
    std::vector<PngJob> jobs;
    for (const auto& [name, svg] : rep.charts) {
      const auto [width, height] = svg_size(svg);
      const fs::path svg_file = fs::path(r.charts_dir) / name;
      jobs.push_back({svg_file.string(), fs::path(svg_file).replace_extension(".png").string(),
                      width, height, 2});
    }
    render_pngs(chromium, jobs);
    if (!quiet)
      std::cout << fmt::format("{}: {} charts as PNG (twice their size), rendered by {}\n",
                               r.charts_dir, rep.charts.size(), chromium);
  }
  if (r.pdf.empty()) return 0;
  print_pdf(chromium, html, r.pdf);
  if (!quiet) std::cout << fmt::format("{}: printed by {}\n", r.pdf, chromium);
  return 0;
}

}  // namespace salesim::tools
