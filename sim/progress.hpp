#pragma once
// A progress bar on stderr, drawn only when stderr is a terminal and the work takes more than
// about a second, and under mpirun only by rank 0. Thread-safe: update() may be called from worker
// threads.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace sim {

class Progress {
 public:
  Progress(std::string label, std::size_t total, bool enabled);
  ~Progress();
  void update(std::size_t done);
  void update(std::size_t done, std::size_t total);  // when the total grows as work goes on
  void finish();
  void set_label(std::string label);

 private:
  std::string label_;
  std::size_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
  std::mutex mutex_;
};

bool stderr_is_terminal();

}  // namespace sim
