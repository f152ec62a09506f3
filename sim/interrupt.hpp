#pragma once
// What an interrupted process (Ctrl-C, SIGTERM) must not leave behind: temporary files, folders
// of its own and child processes. Each is registered while it exists (an RAII guard) and the
// process's signal handler calls clean_up() before it exits, so an interrupted run leaves the
// temporary folder and the output folders as it found them and no child running on. clean_up()
// is async-signal-safe: a fixed table of slots, no allocation, no locks, system calls only.
// Each guard is made before what it guards is created, and once clean_up() has begun a new
// guard waits for the process to end: no thread can create anything after the clean-up has
// looked (but for the instant between a guard and the creation it guards).
// Whatever a kill -9 leaves is for the stale sweeps (remove_stale_temporaries and
// remove_stale_entries in sim/atomic_file.hpp).
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace sim::interrupt {

// A file removed on interrupt (a temporary that is renamed or removed when all goes well).
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& path);
  ~TemporaryFile();
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

 private:
  int slot_;
};

// A new folder parent/PREFIX-PID-N (N counts this process's folders), made by the constructor
// (mode 0700; std::runtime_error naming it when it cannot be made) and removed with everything
// in it on interrupt. The process id in the name lets remove_stale_entries(parent, PREFIX + "-")
// find those of a process killed outright. The caller removes it when done.
class TemporaryFolder {
 public:
  TemporaryFolder(const std::filesystem::path& parent, const std::string& prefix);
  ~TemporaryFolder();
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  int slot_ = -1;
  std::filesystem::path path_;
};

// A child process that leads its own process group (posix_spawn with POSIX_SPAWN_SETPGROUP and
// group 0), stopped on interrupt: SIGTERM to the group, up to two seconds to end, then SIGKILL;
// stopped before any file or folder is removed, so it cannot write into one again. Made before
// the child is started and told its process id by started(): an interrupt in between waits for
// it, so a child is never started unseen.
class ChildGroup {
 public:
  ChildGroup();
  ~ChildGroup();
  void started(pid_t leader);
  ChildGroup(const ChildGroup&) = delete;
  ChildGroup& operator=(const ChildGroup&) = delete;

 private:
  int slot_;
};

// Stops every registered child group, then removes every registered file and folder.
// Async-signal-safe; meant for the signal handler just before _exit.
void clean_up() noexcept;

}  // namespace sim::interrupt
