#include "sim/isolated.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

namespace sim {

std::string IsolatedOutcome::describe() const {
  switch (kind) {
    case Kind::finished:
      return "it finished";
    case Kind::signalled:
      return "it ended with signal " + std::to_string(signal) + ", " + strsignal(signal);
    case Kind::exited_abnormally:
      return "it ended abnormally (exit code " + std::to_string(exit_code) + ")";
    case Kind::timed_out:
      return "it did not end within " + (deadline.count() % 1000
                                             ? std::to_string(deadline.count()) + " ms"
                                             : std::to_string(deadline.count() / 1000) + " s");
    case Kind::failed_to_start:
      return "it could not be started (fork failed)";
  }
  return "";
}

IsolatedOutcome run_isolated(const std::function<void()>& work,
                             std::chrono::milliseconds deadline) {
  IsolatedOutcome out;
  out.deadline = deadline;
  const pid_t pid = ::fork();
  if (pid < 0) {
    out.kind = IsolatedOutcome::Kind::failed_to_start;
    return out;
  }
  if (pid == 0) {
    // The child: no output of its own, and _exit so that nothing of the parent's (stdio
    // buffers, atexit handlers, temporary files) is flushed or removed twice.
    try {
      work();
    } catch (...) {
    }
    ::_exit(0);
  }
  // Poll rather than block, so the deadline holds; the work is usually far shorter than a poll
  // interval, which grows from 1 ms to 50 ms.
  const auto until = std::chrono::steady_clock::now() + deadline;
  auto pause = std::chrono::milliseconds(1);
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {  // reaped elsewhere: nothing is known, treat as finished
      return out;
    }
    if (std::chrono::steady_clock::now() >= until) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      out.kind = IsolatedOutcome::Kind::timed_out;
      return out;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  if (WIFSIGNALED(status)) {
    out.kind = IsolatedOutcome::Kind::signalled;
    out.signal = WTERMSIG(status);
  } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    // Only an abnormal end (a sanitizer's report, abort turned into exit) gets here.
    out.kind = IsolatedOutcome::Kind::exited_abnormally;
    out.exit_code = WEXITSTATUS(status);
  }
  return out;
}

}  // namespace sim
