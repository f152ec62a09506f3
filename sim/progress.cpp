#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

#include "sim/distributed.hpp"

namespace sim {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, std::size_t total, bool enabled)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled && stderr_is_terminal() && dist::is_root()) {
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { finish(); }

void Progress::update(std::size_t done) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < 1.0 || now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double frac = total_ ? double(done) / double(total_) : 1.0;
  const int width = 30, filled = int(frac * width);
  const double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
  std::fprintf(stderr, "\r%s [%.*s%*s] %5.1f%%  %zu/%zu  eta %.0fs ", label_.c_str(), filled,
               "##############################", width - filled, "", 100 * frac, done, total_, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::update(std::size_t done, std::size_t total) {
  if (!enabled_) return;
  {
    std::lock_guard lock(mutex_);
    total_ = total;
  }
  update(done);
}

void Progress::set_label(std::string label) {
  std::lock_guard lock(mutex_);
  label_ = std::move(label);
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace sim
