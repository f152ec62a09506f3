// The report's files: the HTML and the charts (written atomically), the embedded logo, and the
// PDF printed by headless Chromium.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/atomic_file.hpp"
#include "tools/cli.hpp"
#include "tools/report_sections.hpp"
#include "tools/results_h5.hpp"

extern char** environ;

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

std::string file_url(const fs::path& p) {
  std::string url = "file://";
  for (unsigned char c : fs::absolute(p).lexically_normal().string())
    url += std::isalnum(c) || std::string_view("/-._~").find(char(c)) != std::string_view::npos
               ? std::string(1, char(c))
               : fmt::format("%{:02X}", c);
  return url;
}

bool executable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::string on_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return executable(name) ? name : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && executable(fs::path(dir) / name)) return (fs::path(dir) / name).string();
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
  const fs::path tmp = fs::temp_directory_path() /
                       fmt::format("salesim-report-{}-{}.h5", ::getpid(),
                                   std::chrono::steady_clock::now().time_since_epoch().count());
  struct Remove {
    fs::path p;
    ~Remove() {
      std::error_code ec;
      fs::remove(p, ec);
    }
  } remove{tmp};
  write_results_h5(tmp.string(), sc, res, sc.base.simulation.seed, summary_json);
  ReportData d = read_report_data(tmp.string(), true);
  d.file = "not saved (salesim run --report without -o)";
  return write_report(std::move(d), html_file, o, charts_dir);
}

std::string find_chromium() {
  if (const char* env = std::getenv("SALESIM_CHROMIUM"); env && *env) return on_path(env);
  for (const char* name : {"chromium", "chromium-browser"})
    if (auto p = on_path(name); !p.empty()) return p;
  return "";
}

void print_pdf(const std::string& chromium, const std::string& html_file,
               const std::string& pdf_file) {
  const fs::path profile = fs::temp_directory_path() /
                           fmt::format("salesim-chromium-{}-{}", ::getpid(),
                                       std::chrono::steady_clock::now().time_since_epoch().count());
  fs::create_directories(profile);
  const fs::path log = profile / "chromium.log";
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{profile};

  sim::write_atomically(pdf_file, [&](const fs::path& tmp) {
    std::vector<std::string> args = {chromium,
                                     "--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--no-first-run",
                                     "--disable-extensions",
                                     "--no-pdf-header-footer",
                                     "--print-to-pdf-no-header",
                                     "--user-data-dir=" + profile.string(),
                                     "--print-to-pdf=" + fs::absolute(tmp).string(),
                                     file_url(html_file)};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, chromium.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}", chromium));
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        throw std::runtime_error(fmt::format("{} did not finish printing within 180 s", chromium));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::error_code ec;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(tmp, ec) ||
        fs::file_size(tmp, ec) == 0) {
      std::ifstream l(log);
      std::stringstream ss;
      ss << l.rdbuf();
      throw std::runtime_error(
          fmt::format("{} could not print {} to PDF:\n{}", chromium, html_file, ss.str()));
    }
  });
}

}  // namespace salesim::tools
