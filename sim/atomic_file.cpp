#include "atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include "sim/interrupt.hpp"

namespace sim {
namespace {

namespace fs = std::filesystem;

// A file over the process's size limit (ulimit -f) must fail with EFBIG, reported like any
// other write failure, rather than kill the process with SIGXFSZ halfway through a write.
void ignore_file_size_signal() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGXFSZ, SIG_IGN); });
}

[[noreturn]] void fail(const fs::path& path, int err) {
  throw WriteError("cannot write " + path.string() + ": " + io_error_reason(err));
}

// fsync of a file or folder; EINVAL means the file system does not support it (not an error).
int sync_path(const fs::path& p, bool folder) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
  if (fd < 0) return errno;
  int err = 0;
  while (::fsync(fd) != 0) {
    if (errno == EINTR) continue;
    if (errno != EINVAL && errno != EROFS) err = errno;
    break;
  }
  ::close(fd);
  return err;
}

fs::path folder_of(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

}  // namespace

std::string io_error_reason(int err) {
  const std::string sys = std::strerror(err);
  switch (err) {
    case ENOSPC:
      return "the disk is full (" + sys + ")";
    case EDQUOT:
      return "the disk quota is used up (" + sys + ")";
    case EFBIG:
      return "the file is larger than the system allows (" + sys + ")";
    case EROFS:
      return "the file system is read-only (" + sys + ")";
    case EIO:
      return "the device reported an error (" + sys + ")";
    default:
      return sys;
  }
}

fs::path temporary_name(const fs::path& path) {
  fs::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  return tmp;
}

namespace {

// Removes the entries of `folder` named prefix + PID + `tail` (tail "" or starting with '-')
// whose process PID is gone (kill(PID, 0) fails with ESRCH); never those of a live process or
// of this one. With whole_name the name ends at the PID (TARGET.tmp.PID).
std::size_t remove_entries_of_dead_processes(const fs::path& folder, const std::string& prefix,
                                             bool whole_name) {
  std::error_code ec;
  fs::directory_iterator it(folder, ec), end;
  std::size_t removed = 0;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string digits = name.substr(prefix.size());
    const std::size_t dash = digits.find('-');
    if (!whole_name && dash != std::string::npos) digits.resize(dash);
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      continue;
    const long pid = std::stol(digits);
    if (pid <= 0 || pid == long(::getpid())) continue;
    if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to judge)
    std::error_code rm;
    // A temporary of write_atomically is a file: never take a folder for one.
    if (whole_name ? fs::remove(it->path(), rm) : fs::remove_all(it->path(), rm) > 0) ++removed;
  }
  return removed;
}

}  // namespace

std::size_t remove_stale_temporaries(const fs::path& path) {
  return remove_entries_of_dead_processes(folder_of(path), path.filename().string() + ".tmp.",
                                          true);
}

std::size_t remove_stale_entries(const fs::path& folder, const std::string& prefix) {
  return remove_entries_of_dead_processes(folder, prefix, false);
}

int folder_write_error(const fs::path& folder) {
  const fs::path probe = (folder.empty() ? fs::path(".") : folder) /
                         (".salesim-write-check." + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return errno == EEXIST ? 0 : errno;
  ::close(fd);
  ::unlink(probe.c_str());
  return 0;
}

namespace {

std::mutex inputs_mutex;
std::vector<fs::path>& protected_inputs() {
  static std::vector<fs::path> inputs;
  return inputs;
}

}  // namespace

void protect_input(const fs::path& path) {
  if (path.empty()) return;
  const std::lock_guard lock(inputs_mutex);
  protected_inputs().push_back(path);
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) {
    const bool same = fs::equivalent(a, b, ec);
    if (!ec) return same;
  }
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return ca == cb;
}

fs::path replaced_file(const fs::path& given) {
  std::error_code ec;
  const fs::file_status status = fs::status(given, ec);  // links followed
  const std::string absolute = fs::absolute(given, ec).lexically_normal().string();
  const bool system = absolute.rfind("/dev/", 0) == 0 || absolute.rfind("/proc/", 0) == 0;
  // A pipe, a terminal or a device, or /dev/stdout however the shell redirected it: written in
  // place, as a rename would put a regular file where it was.
  if (fs::is_other(status) || (system && fs::is_regular_file(status))) return {};
  // A symbolic link to a file: the file is replaced, the link kept.
  if (fs::is_regular_file(status) && fs::is_symlink(fs::symlink_status(given, ec))) {
    const fs::path target = fs::canonical(given, ec);
    if (!ec) return target;
  }
  return given;
}

void write_atomically(const fs::path& given,
                      const std::function<void(const fs::path& tmp)>& write) {
  {
    const std::lock_guard lock(inputs_mutex);
    for (const fs::path& in : protected_inputs())
      if (same_file(given, in))
        throw WriteError("cannot write " + given.string() + ": it is " + in.string() +
                         ", a file this command reads; choose another output name");
  }
  const fs::path path = replaced_file(given);
  if (path.empty()) {
    ignore_file_size_signal();
    write(given);
    return;
  }
  if (path.has_parent_path() && !fs::exists(path.parent_path()))
    throw WriteError("cannot write " + path.string() + ": folder " + path.parent_path().string() +
                     " does not exist");
  if (path.has_parent_path() && !fs::is_directory(path.parent_path()))
    throw WriteError("cannot write " + path.string() + ": " + path.parent_path().string() +
                     " is a file, not a folder");
  ignore_file_size_signal();
  remove_stale_temporaries(path);
  const fs::path tmp = temporary_name(path);
  const interrupt::TemporaryFile removed_if_interrupted(tmp);
  try {
    write(tmp);
    // The data on the disk before the name: a crash after the rename finds a whole file.
    if (int err = sync_path(tmp, false)) fail(path, err);
    // A file replaced keeps its permission bits: a private (0600) scenario upgraded in place
    // must not come back readable by everyone (the temporary is created 0666 less the umask).
    // Only the read, write and execute bits: the set-user-ID and set-group-ID bits of a file
    // owned by another user must not pass to this process's own.
    if (struct stat old; ::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode))
      if (::chmod(tmp.c_str(), old.st_mode & 0777) != 0) fail(path, errno);
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail(path, errno);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  // The rename on the disk too. The file is complete under its name whatever happens here, so
  // a failure only means the rename may not survive a power loss; it is not reported.
  sync_path(folder_of(path), true);
}

namespace {
// Writes text to tmp; a failure names path, the file it stands for.
void write_text_to(const fs::path& path, const fs::path& tmp, const std::string& text) {
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fail(path, errno);
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      fail(path, err);
    }
    p += n, left -= std::size_t(n);
  }
  if (::close(fd) != 0) fail(path, errno);
}

// Files i.. of the set: file i's temporary is written, then the later files in full (written and
// renamed), then file i is renamed. So every temporary is written before any file is replaced,
// and a failure in any of them leaves every file of the set as it was.
void write_set_from(const std::vector<std::pair<fs::path, std::string>>& files, std::size_t i) {
  if (i == files.size()) return;
  write_atomically(files[i].first, [&](const fs::path& tmp) {
    write_text_to(files[i].first, tmp, files[i].second);
    write_set_from(files, i + 1);
  });
}
}  // namespace

void write_text_atomically(const fs::path& path, const std::string& text) {
  write_atomically(path, [&](const fs::path& tmp) { write_text_to(path, tmp, text); });
}

void write_texts_atomically(const std::vector<std::pair<fs::path, std::string>>& files) {
  write_set_from(files, 0);
}

}  // namespace sim
