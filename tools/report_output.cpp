// The report's files: the HTML and the charts (written atomically) and the embedded logo (the
// PDF and the charts' PNGs are headless Chromium's, tools/chromium.cpp).
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "sim/atomic_file.hpp"
#include "sim/interrupt.hpp"
#include "tools/cli.hpp"
#include "tools/report_sections.hpp"
#include "tools/results_h5.hpp"

namespace salesim::tools {
namespace fs = std::filesystem;

namespace {

std::string base64(const std::string& in) {
  static constexpr char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v =
        (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = (unsigned char)in[i] << 16;
    out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
  }
  return out;
}

// The media type of an image from its first bytes, or "" when it is none we embed.
std::string image_type(const std::string& b) {
  if (b.rfind("\x89PNG\r\n\x1a\n", 0) == 0) return "image/png";
  if (b.rfind("\xFF\xD8\xFF", 0) == 0) return "image/jpeg";
  if (b.rfind("GIF87a", 0) == 0 || b.rfind("GIF89a", 0) == 0) return "image/gif";
  if (b.size() > 12 && b.rfind("RIFF", 0) == 0 && b.compare(8, 4, "WEBP") == 0) return "image/webp";
  if (b.find("<svg", 0) != std::string::npos && b.find("<svg") < 4096) return "image/svg+xml";
  return "";
}

}  // namespace

namespace report {
std::string logo_img(const std::string& file) {
  // A folder opens as a stream and fails on the first read, with the library's words (exit 1).
  std::error_code ec;
  if (fs::is_directory(file, ec))
    throw BadInput(fmt::format(
        "--logo {}: is a folder; expected an image file (PNG, JPEG, GIF, WebP or SVG)", file));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BadInput(fmt::format("--logo {}: cannot read the file", file));
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string type = image_type(bytes);
  if (type.empty())
    throw BadInput(
        fmt::format("--logo {}: not an image; expected PNG, JPEG, GIF, WebP or SVG", file));
  return fmt::format(R"(<img class="logo" alt="logo" src="data:{};base64,{}">)", type,
                     base64(bytes));
}

std::string results_source(const ReportData& d) {
  return d.file == kUnsavedResults ? std::string(kUnsavedResults)
                                   : "<code>" + esc(d.file) + "</code>";
}
}  // namespace report

Report write_report(const std::string& results_file, const std::string& html_file,
                    const ReportOptions& o, const std::string& charts_dir) {
  return write_report(read_report_data(results_file), html_file, o, charts_dir);
}

Report write_report(ReportData d, const std::string& html_file, const ReportOptions& o,
                    const std::string& charts_dir) {
  if (o.sensitivity && !d.sensitivity) check_sensitivity(d, o);
  Report r = render_report(d, o);
  // The charts' names are known only now: one of them could replace the report just written.
  if (!charts_dir.empty())
    for (const auto& chart : r.charts)
      if (sim::same_file(fs::path(charts_dir) / chart.first, html_file))
        throw BadInput(fmt::format(
            "{}: --charts {} writes a chart of that name, which would replace the report; give "
            "the report another name or the charts another folder",
            html_file, charts_dir));
  sim::write_text_atomically(html_file, r.html);
  if (!charts_dir.empty()) {
    fs::create_directories(charts_dir);
    for (const auto& [name, svg] : r.charts)
      sim::write_text_atomically(fs::path(charts_dir) / name,
                                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg + "\n");
  }
  return r;
}

Report write_run_report(const std::string& html_file, const std::string& results_file,
                        const Scenario& sc, const ScenarioResults& res,
                        const std::string& summary_json, const ReportOptions& o,
                        const std::string& charts_dir) {
  if (!results_file.empty()) return write_report(results_file, html_file, o, charts_dir);
  // The report is made from a results file, written to the temporary folder and removed after,
  // also when the run is interrupted; those of processes killed outright are removed here.
  const fs::path folder = fs::temp_directory_path();
  sim::remove_stale_entries(folder, "salesim-report-");
  const fs::path tmp =
      folder / fmt::format("salesim-report-{}-{}.h5", ::getpid(),
                           std::chrono::steady_clock::now().time_since_epoch().count());
  const sim::interrupt::TemporaryFile removed_if_interrupted(tmp);
  struct Remove {
    fs::path p;
    ~Remove() {
      std::error_code ec;
      fs::remove(p, ec);
    }
  } remove{tmp};
  write_results_h5(tmp.string(), sc, res, sc.base.simulation.seed, summary_json);
  ReportData d = read_report_data(tmp.string(), true);
  d.file = report::kUnsavedResults;
  return write_report(std::move(d), html_file, o, charts_dir);
}

}  // namespace salesim::tools
