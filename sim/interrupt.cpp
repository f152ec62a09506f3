#include "sim/interrupt.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>

namespace sim::interrupt {
namespace {

enum Kind : int { kFree = 0, kFilling, kFile, kFolder, kGroup };

// A slot holds its path in place: the handler reads it without allocating, and a slot is only
// reused after its guard released it. A path too long for a slot, or more registrations than
// slots, are simply not registered: the stale sweeps still find them later.
struct Slot {
  std::atomic<int> kind{kFree};
  std::atomic<unsigned> generation{0};  // changes whenever the slot is claimed
  std::atomic<pid_t> pid{0};            // a group's leader; 0 while it is being started
  char path[1024] = {};
};
constexpr int kSlots = 128;
Slot slots[kSlots];
std::atomic<bool> stopping{false};

void sleep_ms(long ms) {
  timespec t{0, ms * 1000000L};
  while (::nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

int claim(Kind kind, const char* path) {
  // The clean-up has begun: nothing new may be made; the process ends in a moment.
  while (stopping.load()) sleep_ms(1000);
  const std::size_t n = path ? std::strlen(path) : 0;
  if (n >= sizeof slots[0].path) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (!slots[i].kind.compare_exchange_strong(expected, kFilling)) continue;
    slots[i].generation.fetch_add(1);
    if (path) std::memcpy(slots[i].path, path, n + 1);
    slots[i].pid.store(0);
    slots[i].kind.store(kind, std::memory_order_release);
    return i;
  }
  return -1;
}

// Once the clean-up has begun no slot is given back, so none is claimed again and rewritten
// while the clean-up reads it.
void release(int slot) {
  if (slot >= 0 && !stopping.load()) slots[slot].kind.store(kFree, std::memory_order_release);
}

// Removes `name` in the folder `dir_fd` and, if it is a folder, everything in it, with system
// calls only. Entries removed while the folder is read may shift the listing, so a folder is
// listed again from its start until it is empty (or nothing more can be removed).
bool remove_entry(int dir_fd, const char* name, int depth) {
  if (::unlinkat(dir_fd, name, 0) == 0 || errno == ENOENT) return true;
  if (depth > 24) return false;
  const int fd = ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  // Another pass only when this one removed something: an entry that cannot be removed must
  // not keep the handler listing the folder again and again.
  for (int pass = 0; pass < 64; ++pass) {
    bool any = false;
    ::lseek(fd, 0, SEEK_SET);
    alignas(8) char buffer[2048];
    for (ssize_t n; (n = ::getdents64(fd, buffer, sizeof buffer)) > 0;) {
      for (ssize_t at = 0; at < n;) {
        const auto* e = reinterpret_cast<const dirent64*>(buffer + at);
        at += e->d_reclen;
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
        any |= remove_entry(fd, e->d_name, depth + 1);
      }
    }
    if (!any) break;
  }
  ::close(fd);
  return ::unlinkat(dir_fd, name, AT_REMOVEDIR) == 0;
}

// SIGTERM to every group, two seconds for their leaders to end (Chromium removes its own files
// when it ends), then SIGKILL to whatever is left of each group. A group whose leader is being
// started is waited for half a second (the thread starting it may be the one interrupted).
void stop_groups() {
  for (int waited = 0; waited < 500; waited += 10) {
    bool starting = false;
    for (Slot& s : slots)
      starting |= s.kind.load(std::memory_order_acquire) == kGroup && s.pid.load() == 0;
    if (!starting) break;
    sleep_ms(10);
  }
  bool any = false;
  for (Slot& s : slots)
    if (s.kind.load(std::memory_order_acquire) == kGroup && s.pid.load() > 0)
      ::kill(-s.pid.load(), SIGTERM), any = true;
  if (!any) return;
  for (int waited = 0; waited < 2000; waited += 20) {
    bool running = false;
    for (Slot& s : slots)
      if (s.kind.load(std::memory_order_acquire) == kGroup && s.pid.load() > 0 &&
          ::waitpid(s.pid.load(), nullptr, WNOHANG) == 0)
        running = true;
    if (!running) break;
    sleep_ms(20);
  }
  for (Slot& s : slots)
    if (s.kind.load(std::memory_order_acquire) == kGroup && s.pid.load() > 0) {
      ::kill(-s.pid.load(), SIGKILL);
      ::waitpid(s.pid.load(), nullptr, WNOHANG);
    }
}

}  // namespace

TemporaryFile::TemporaryFile(const std::filesystem::path& path)
    : slot_(claim(kFile, path.c_str())) {}
TemporaryFile::~TemporaryFile() { release(slot_); }

TemporaryFolder::TemporaryFolder(const std::filesystem::path& parent, const std::string& prefix) {
  static std::atomic<unsigned> count{0};
  for (int tries = 0; tries < 1000; ++tries) {
    path_ = parent / (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
    slot_ = claim(kFolder, path_.c_str());
    if (::mkdir(path_.c_str(), 0700) == 0) return;
    const int err = errno;
    release(slot_);
    slot_ = -1;
    if (err != EEXIST)
      throw std::runtime_error("cannot make the folder " + path_.string() + ": " +
                               std::strerror(err));
  }
  throw std::runtime_error("cannot make a new folder " + prefix + "-... in " + parent.string());
}
TemporaryFolder::~TemporaryFolder() { release(slot_); }

ChildGroup::ChildGroup() : slot_(claim(kGroup, nullptr)) {}
ChildGroup::~ChildGroup() { release(slot_); }
void ChildGroup::started(pid_t leader) {
  if (slot_ >= 0) slots[slot_].pid.store(leader > 0 ? leader : -1);
}

void clean_up() noexcept {
  // One clean-up: a second signal, taken by another thread while this one runs, waits for
  // this one's exit instead of racing it (and killing a process group whose leader it reaped).
  if (stopping.exchange(true))
    for (;;) ::pause();
  const int saved = errno;
  stop_groups();
  for (Slot& s : slots) {
    // The path is copied and used only if the slot was not claimed anew meanwhile (a claim
    // that began just before the clean-up).
    const unsigned generation = s.generation.load();
    const int kind = s.kind.load(std::memory_order_acquire);
    if (kind != kFile && kind != kFolder) continue;
    char path[sizeof s.path];
    std::memcpy(path, s.path, sizeof path);
    path[sizeof path - 1] = 0;
    if (s.generation.load() != generation || s.kind.load() != kind) continue;
    if (kind == kFile) ::unlink(path);
    if (kind == kFolder) remove_entry(AT_FDCWD, path, 0);
  }
  errno = saved;
}

}  // namespace sim::interrupt
