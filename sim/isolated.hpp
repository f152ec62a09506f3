#pragma once
// Runs a piece of work in a forked child process, so that a crash or a hang inside it (for
// example in a third-party library reading a damaged file) is observed instead of taking the
// caller down. The child shares nothing back but how it ended: use it as a rehearsal of work
// the caller then does itself once it is known to end.
#include <chrono>
#include <functional>
#include <string>

namespace sim {

struct IsolatedOutcome {
  enum class Kind { finished, signalled, exited_abnormally, timed_out, failed_to_start };
  Kind kind = Kind::finished;
  int signal = 0;     // for signalled
  int exit_code = 0;  // for exited_abnormally (a sanitizer's report, for example)
  bool finished() const { return kind == Kind::finished; }
  // "it ended with signal 11, Segmentation fault", "it did not end within 5 s", ...
  std::string describe() const;
  std::chrono::milliseconds deadline{0};
};

// Calls work() in a child process and waits up to deadline. An exception thrown by work counts
// as finishing (the caller meets it again when it does the work itself). A child that is still
// running at the deadline is killed. Where fork fails, work is not rehearsed and the outcome is
// failed_to_start. The caller must not hold locks that work needs (fork copies one thread).
IsolatedOutcome run_isolated(const std::function<void()>& work, std::chrono::milliseconds deadline);

}  // namespace sim
