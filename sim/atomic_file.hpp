#pragma once
// Outputs are written to a temporary file beside the target, flushed to the disk (fsync) and
// renamed into place, and the folder is flushed after the rename, so neither an interrupted run
// nor a crash or power loss right after it ever leaves a half-written file under the final
// name. Temporaries are named TARGET.tmp.PID; an interrupted process removes its own
// (sim/interrupt.hpp), and those left behind by a process that was killed (kill -9, a crash)
// are removed by the next write of the same target.
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sim {

// An output that cannot be written: "cannot write FILE: REASON" (exit code 1).
struct WriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a failed write's errno means, for a message: "the disk is full (No space left on
// device)", "the file system is read-only (Read-only file system)", or strerror's text.
std::string io_error_reason(int err);

// Calls write(tmp_path), flushes tmp_path to the disk, renames it to path and flushes the
// folder. Before that, removes stale temporaries of path (see remove_stale_temporaries). On an
// exception the temporary file is removed and the exception goes on; the target is untouched.
// Failures of the flush or the rename throw WriteError naming path and the system's reason.
// A path that is a symbolic link to a file replaces the file it points to (the link stays); a
// path that exists and is neither a file nor a folder (a pipe, /dev/stdout, a device) is
// written in place by write(path), as there is nothing to replace. A protected input
// (protect_input) is never written: WriteError.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path& tmp)>& write);
// The file write_atomically replaces for `path`: path itself, the file a symbolic link to a
// file points to, or empty when path is written in place (a pipe, a device, /dev/stdout).
std::filesystem::path replaced_file(const std::filesystem::path& path);
// Writes text to path atomically; a failed write throws WriteError with the system's reason.
void write_text_atomically(const std::filesystem::path& path, const std::string& text);
// Writes a set of files that belong together (a plan and the report of its search): every
// temporary is written before any file is replaced, so a write that fails (a full disk, a file
// size limit) leaves each file of the set as it was, none of them mixed with this run's. The
// renames come last, the later files first: one that fails after others succeeded (an
// immutable file) leaves the set mixed; the WriteError names the file.
void write_texts_atomically(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files);

// The temporary name write_atomically uses for path in this process: path + ".tmp." + pid.
std::filesystem::path temporary_name(const std::filesystem::path& path);
// Removes the files named path.tmp.PID beside path whose PID is not a running process (kill(PID,
// 0) fails with ESRCH); never those of a live process. Returns how many were removed.
std::size_t remove_stale_temporaries(const std::filesystem::path& path);
// Removes the files and folders of `folder` named prefix + PID or prefix + PID + "-" + anything
// (a temporary folder of mkdtemp, a results file of one run) whose PID is not a running process;
// folders with everything in them. Returns how many were removed.
std::size_t remove_stale_entries(const std::filesystem::path& folder, const std::string& prefix);

// 0 when a file can be created (and removed again) in folder, else the errno of the failure.
int folder_write_error(const std::filesystem::path& folder);

// Marks a file this process reads: write_atomically refuses to replace it for the rest of the
// process (WriteError), however the output's path names it (another spelling, a symbolic or
// hard link), so no output ever overwrites the input it was made from.
void protect_input(const std::filesystem::path& path);
// Whether a and b name the same file: the same file on the disk when both exist, else the same
// absolute path once every symbolic link and "." or ".." is resolved.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace sim
