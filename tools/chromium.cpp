#include "tools/chromium.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sim/atomic_file.hpp"
#include "sim/interrupt.hpp"

extern char** environ;

namespace salesim::tools {
namespace fs = std::filesystem;

namespace {

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

// Chromium's environment: its own temporary files (a folder per process, with its singleton's
// socket) go into `profile` when the path is short enough, so that an interrupted render leaves
// none of them behind (Chromium removes them when it ends normally, not when it is stopped). A
// socket's path has at most 107 bytes and Chromium adds about 45 to TMPDIR, so a longer folder
// keeps the inherited TMPDIR (where Chromium itself fails past about 60 bytes).
std::vector<std::string> environment_with_short_tmpdir(const fs::path& profile) {
  const fs::path own = profile / "t";
  std::vector<std::string> env;
  const bool short_enough = own.string().size() <= 60 && fs::create_directory(own);
  if (short_enough) env.push_back("TMPDIR=" + own.string());
  for (char** e = environ; *e; ++e)
    if (!short_enough || std::strncmp(*e, "TMPDIR=", 7) != 0) env.emplace_back(*e);
  return env;
}

// Where Chromium's folder goes: the temporary folder (TMPDIR), unless its path is too long for
// the folder's own TMPDIR above (a process id of 7 digits and a count of 3); then /tmp, where
// Chromium can start at all (with a TMPDIR past about 60 bytes it cannot: "Socket path too
// long"), when it is a folder one may write in.
fs::path chromium_parent() {
  const fs::path temp = fs::temp_directory_path();
  if ((temp / "salesim-chromium-4194304-999" / "t").string().size() <= 60) return temp;
  std::error_code ec;
  if (fs::is_directory("/tmp", ec) && ::access("/tmp", W_OK | X_OK) == 0) return "/tmp";
  return temp;
}

// Runs headless Chromium with `args` (after the common ones) on `url`, its output named by
// `output_flag` + a file of extension `ext` in its own profile folder (Chromium picks the
// screenshot's format from the extension), which must exist and not be empty when it ends; then
// copies it to output_file atomically. The folder is removed afterwards; Chromium's messages go
// to a log there, shown on failure. Chromium runs in a process group of its own, so that an
// interrupted salesim stops all of its processes and removes the folder (sim/interrupt.hpp).
void run_headless(const std::string& chromium, const std::vector<std::string>& args,
                  const std::string& output_flag, const std::string& ext, const std::string& url,
                  const std::string& output_file, const std::string& what) {
  // A folder of its own: two renders at once never share one. Its name holds the process id,
  // so that the folders of a salesim killed outright are removed by the next.
  const fs::path temp = chromium_parent();
  sim::remove_stale_entries(temp, "salesim-chromium-");
  const sim::interrupt::TemporaryFolder folder(temp, "salesim-chromium");
  const fs::path& profile = folder.path();
  const fs::path log = profile / "chromium.log", made = profile / ("output" + ext);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{profile};

  std::vector<std::string> all = {chromium,
                                  "--headless",
                                  "--no-sandbox",
                                  "--disable-gpu",
                                  "--no-first-run",
                                  "--disable-extensions",
                                  "--user-data-dir=" + (profile / "profile").string()};
  all.insert(all.end(), args.begin(), args.end());
  all.push_back(output_flag + made.string());
  all.push_back(url);
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text = environment_with_short_tmpdir(profile);
  std::vector<char*> env;
  for (auto& e : env_text) env.push_back(e.data());
  env.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  // A group of its own, led by Chromium, with the default handling of the stop signals and
  // none blocked (this thread blocks them below).
  sigset_t stops, none, was;
  sigemptyset(&stops), sigemptyset(&none);
  sigaddset(&stops, SIGINT), sigaddset(&stops, SIGTERM);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &stops);
  pid_t pid = 0;
  sim::interrupt::ChildGroup stopped_if_interrupted;
  // Between the start and started() an interrupt is taken by another thread, whose clean-up
  // waits for the pid: this one must not be the thread stopped in between.
  pthread_sigmask(SIG_BLOCK, &stops, &was);
  const int rc =
      posix_spawn(&pid, chromium.c_str(), &actions, &attributes, argv.data(), env.data());
  stopped_if_interrupted.started(rc == 0 ? pid : -1);
  pthread_sigmask(SIG_SETMASK, &was, nullptr);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}", chromium));
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);  // the whole group: its renderers too
      ::waitpid(pid, &status, 0);
      throw std::runtime_error(fmt::format("{} did not finish {} within 180 s", chromium, what));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::error_code ec;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(made, ec) ||
      fs::file_size(made, ec) == 0) {
    std::ifstream l(log);
    std::stringstream ss;
    ss << l.rdbuf();
    throw std::runtime_error(fmt::format("{} could not {}:\n{}", chromium, what, ss.str()));
  }
  sim::write_atomically(output_file, [&](const fs::path& tmp) {
    fs::copy_file(made, tmp, fs::copy_options::overwrite_existing);
  });
}

}  // namespace

std::string find_chromium() {
  if (const char* env = std::getenv("SALESIM_CHROMIUM"); env && *env) return on_path(env);
  for (const char* name : {"chromium", "chromium-browser"})
    if (auto p = on_path(name); !p.empty()) return p;
  return "";
}

void print_pdf(const std::string& chromium, const std::string& html_file,
               const std::string& pdf_file) {
  run_headless(chromium, {"--no-pdf-header-footer", "--print-to-pdf-no-header"},
               "--print-to-pdf=", ".pdf", file_url(html_file), pdf_file,
               fmt::format("print {} to PDF", html_file));
}

void render_pngs(const std::string& chromium, const std::vector<PngJob>& jobs) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (std::size_t i; (i = next++) < jobs.size();) {
      const PngJob& j = jobs[i];
      try {
        run_headless(chromium,
                     {"--hide-scrollbars", fmt::format("--force-device-scale-factor={}", j.scale),
                      "--default-background-color=ffffffff",
                      fmt::format("--window-size={},{}", j.width, j.height)},
                     "--screenshot=", ".png", file_url(j.svg_file), j.png_file,
                     fmt::format("render {} as PNG", j.svg_file));
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> workers;
  const std::size_t n =
      std::min<std::size_t>(jobs.size(), std::max(1u, std::thread::hardware_concurrency()));
  for (std::size_t k = 1; k < n; ++k) workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace salesim::tools
