// Faults while writing or reading outputs: a full disk (a file size limit), a read-only folder,
// kill -9 at many moments of `run -o` and `batch`, leftovers of dead processes, truncated and
// bit-flipped results files. Whatever happens, no file under a final name is incomplete or
// corrupt, a damaged file is reported as damaged (never a crash), and the next run leaves no
// temporary file. docs/reliability.md, "Outputs and faults".
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "sim/atomic_file.hpp"
#include "sim/h5.hpp"
#include "sim/interrupt.hpp"
#include "test_support.hpp"
#include "tools/chromium.hpp"
#include "tools/results_h5.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using test::shell;

std::string salesim(const std::string& args) { return test::binary() + " " + args; }
std::string scenario(const char* name) { return test::source_dir() + "/scenarios/" + name; }

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n + (!s.empty() && s.back() != '\n');
}

std::vector<fs::path> temporaries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec))
    if (it->path().filename().string().find(".tmp.") != std::string::npos)
      out.push_back(it->path());
  return out;
}

// Empty when path is a complete salesim results file whose checksum matches its contents.
std::string damage(const fs::path& path) {
  const auto file_damage = tools::results_file_damage(path.string());
  if (!file_damage) return "no file checksum";
  if (!file_damage->empty()) return *file_damage;
  if (!sim::h5::File::is_hdf5(path.string())) return "not an HDF5 file";
  try {
    const auto f = sim::h5::File::open_read(path.string());
    return tools::results_damage(f, true);
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string slurp(const fs::path& p) { return test::read_file(p.string()); }
bool parses(const fs::path& json_file) { return nlohmann::json::accept(slurp(json_file)); }

void spit(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

// Starts `cmd` (through sh, exec'd so the pid is salesim's), output to /dev/null.
pid_t start(const std::string& cmd) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1), dup2(null, 2);
    execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), nullptr);
    _exit(127);
  }
  return pid;
}
int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}
void kill9(pid_t pid) {
  kill(pid, SIGKILL);
  wait_for(pid);
}

class Faults : public ::testing::Test {
 protected:
  fs::path dir;
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("salesim-faults-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  // A real results file: nexacorp, 50 paths (4 plans, per-path data).
  fs::path reference() {
    const fs::path f = dir / "reference.h5";
    if (!fs::exists(f)) {
      std::string out;
      EXPECT_EQ(
          shell(salesim("run " + test::example() + " --paths 50 --quiet -o " + f.string()), &out),
          0)
          << out;
    }
    return f;
  }
};

// ---- A full disk ----------------------------------------------------------------------------

// Runs cmd under a file size limit of `bytes` (in dash's 512-byte blocks), with SIGXFSZ
// ignored as the brief of a full disk asks (salesim ignores it too: see NoTrap below).
std::string limited(std::uint64_t bytes, const std::string& cmd, bool trap = true) {
  return "sh -c \"" + std::string(trap ? "trap '' XFSZ; " : "") + "ulimit -f " +
         std::to_string(std::max<std::uint64_t>(1, bytes / 512)) + "; exec " + cmd + "\"";
}

TEST_F(Faults, FullDiskDuringTheHdf5WriteFailsWithOneLineAndLeavesNothing) {
  const auto full = fs::file_size(reference());
  const fs::path out = dir / "out.h5";
  // Limits that stop the write early, in the middle, and at its very end (the close).
  const std::vector<std::uint64_t> limits = {4096, full / 3, (2 * full) / 3, full - 512};
  for (std::size_t i = 0; i <= limits.size(); ++i) {
    const bool trap = i < limits.size();
    const std::uint64_t limit = trap ? limits[i] : full / 2;
    std::string log;
    const int rc = shell(
        limited(limit, salesim("run " + test::example() + " --paths 50 --quiet -o " + out.string()),
                trap),
        &log);
    SCOPED_TRACE("limit " + std::to_string(limit) + " of " + std::to_string(full) +
                 (trap ? "" : ", SIGXFSZ not ignored by the shell"));
    EXPECT_EQ(rc, 1) << log;
    EXPECT_EQ(count_lines(log), 1) << log;
    EXPECT_NE(log.find("salesim: error: cannot write " + out.string() +
                       ": the file is larger than the system allows (File too large)"),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("HDF5"), std::string::npos) << log;
    EXPECT_FALSE(fs::exists(out));
    EXPECT_TRUE(temporaries(dir).empty()) << temporaries(dir).front();
  }
  // A really full disk: a 64 KiB tmpfs in a private mount namespace, where that is allowed.
  const fs::path small = dir / "small";
  fs::create_directories(small);
  const std::string mount =
      "unshare -m sh -c \"mount -t tmpfs -o size=64k tmpfs " + small.string() + " && exec ";
  if (shell(mount + "true\"") == 0) {
    std::string log;
    const fs::path target = small / "out.h5";
    EXPECT_EQ(
        shell(mount + "sh -c '" +
                  salesim("run " + test::example() + " --paths 50 --quiet -o " + target.string()) +
                  "; echo exit \\$?; ls -A " + small.string() + "'\"",
              &log),
        0)
        << log;
    EXPECT_EQ(log, "salesim: error: cannot write " + target.string() +
                       ": the disk is full (No space left on device)\nexit 1\n");
  } else {
    std::cout << "[ no private mount namespace here: the full disk is a file size limit only ]\n";
  }

  // Without the limit the same command writes a whole file.
  ASSERT_EQ(shell(salesim("run " + test::example() + " --paths 50 --quiet -o " + out.string())), 0);
  EXPECT_EQ(damage(out), "");
}

// optimize's plan, JSON and trace are one set: a write that fails replaces none of them (the
// plan was replaced beside the JSON and trace of the search before), and the answer is printed
// all the same (it was lost).
TEST_F(Faults, AFailedWriteOfOptimizeLeavesTheSetAsItWasAndPrintsTheAnswer) {
  const std::string out = " -o " + (dir / "p.yaml").string() + " --json " +
                          (dir / "p.json").string() + " --csv " + (dir / "p.csv").string();
  const std::string search = "optimize " + test::example() +
                             " --paths 40 --evaluations 8 --plan push-activity --maximize profit "
                             "--threads 2 --quiet";
  ASSERT_EQ(shell(salesim(search + " --lever prospecting.target_hours=8:10" + out)), 0);
  std::map<std::string, std::string> before;
  for (const char* f : {"p.yaml", "p.json", "p.csv"})
    before[f] = test::read_file((dir / f).string());
  std::string log;
  const std::string second = search + " --lever prospecting.target_hours=8:20" + out;
  EXPECT_EQ(shell(limited(2048, salesim(second)) + " 2>&1", &log), 1) << log;
  EXPECT_NE(log.find("cannot write"), std::string::npos) << log;
  for (const char* f : {"p.yaml", "p.json", "p.csv"})
    EXPECT_EQ(test::read_file((dir / f).string()), before[f]) << f;
  EXPECT_TRUE(temporaries(dir).empty()) << temporaries(dir).front();
  // Without --quiet the table comes before the error.
  std::string table;
  shell(limited(2048, salesim(second.substr(0, second.find(" --quiet")) +
                              second.substr(second.find(" --quiet") + 8))),
        &table);
  EXPECT_NE(table.find("Optimism of profit"), std::string::npos) << table;
}

TEST_F(Faults, FullDiskDuringBatchFailsTheFileAndTheResumeRunsItAgain) {
  const auto full = fs::file_size(reference());
  const fs::path out = dir / "out";
  const std::string cmd =
      salesim("batch " + test::example() + " -o " + out.string() + " --paths 50 --quiet");
  std::string log;
  EXPECT_EQ(shell(limited(full / 2, cmd), &log), 1) << log;
  EXPECT_LE(count_lines(log), 3) << log;
  EXPECT_NE(log.find("cannot write " + (out / "nexacorp" / "results.h5").string() +
                     ": the file is larger than the system allows (File too large)"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("HDF5"), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(out / "nexacorp" / "results.h5"));
  EXPECT_FALSE(fs::exists(out / "nexacorp" / "summary.json"));
  EXPECT_TRUE(temporaries(out).empty());

  ASSERT_EQ(
      shell(salesim("batch " + test::example() + " -o " + out.string() + " --paths 50"), &log), 0)
      << log;
  EXPECT_NE(log.find("nexacorp.yaml: ok"), std::string::npos) << log;
  EXPECT_EQ(damage(out / "nexacorp" / "results.h5"), "");
  EXPECT_TRUE(temporaries(out).empty());
}

// ---- A read-only folder ---------------------------------------------------------------------

// Makes `ro` read-only for the commands given to wrap(): a read-only bind mount in a private
// mount namespace where that is allowed, else the immutable attribute, else (not root)
// permission bits. Root ignores permission bits, so without the first two the test is skipped.
struct ReadOnlyFolder {
  fs::path ro;
  std::string how, reason;  // reason: strerror of the failure it gives
  bool immutable = false;

  explicit ReadOnlyFolder(const fs::path& p) : ro(p) {
    fs::create_directories(ro);
    const std::string probe = "touch " + ro.string() + "/.probe 2>/dev/null";
    if (shell(wrap_bind("sh -c '! " + probe + "'")) == 0) {
      how = "a read-only bind mount (unshare -m)", reason = "Read-only file system";
    } else if (shell("chattr +i " + ro.string() + " 2>/dev/null") == 0 &&
               shell("sh -c '! " + probe + "'") == 0) {
      how = "chattr +i", reason = "Operation not permitted", immutable = true;
    } else if (::geteuid() != 0) {
      fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
      how = "permission bits", reason = "Permission denied";
    }
  }
  ~ReadOnlyFolder() {
    if (immutable) shell("chattr -i " + ro.string());
    std::error_code ec;
    fs::permissions(ro, fs::perms::owner_all, ec);
  }
  std::string wrap_bind(const std::string& cmd) const {
    return "unshare -m sh -c \"mount --bind " + ro.string() + " " + ro.string() +
           " && mount -o remount,bind,ro " + ro.string() + " && exec " + cmd + "\"";
  }
  std::string wrap(const std::string& cmd) const {
    return how.rfind("a read-only bind", 0) == 0 ? wrap_bind(cmd) : cmd;
  }
};

TEST_F(Faults, ReadOnlyFolderFailsAtOnceWithTheSystemsReason) {
  const auto ref = reference();
  ReadOnlyFolder folder(dir / "ro");
  if (folder.how.empty()) GTEST_SKIP() << "no way to make a read-only folder here";
  std::cout << "[ read-only folder through " << folder.how << " ]\n";
  const fs::path ro = folder.ro;
  struct Case {
    std::string args, target;
  };
  // 200000 paths would take minutes: failing within the timeout means failing before the run.
  const std::vector<Case> cases = {
      {"run " + test::example() + " --paths 200000 --quiet -o " + (ro / "r.h5").string(),
       (ro / "r.h5").string()},
      {"run " + test::example() + " --paths 200000 --quiet --json " + (ro / "s.json").string(),
       (ro / "s.json").string()},
      {"report " + ref.string() + " -o " + (ro / "r.html").string(), (ro / "r.html").string()},
      {"batch " + test::example() + " -o " + ro.string() + " --paths 200000 --quiet",
       "the results into " + ro.string()},
  };
  for (const auto& c : cases) {
    std::string log;
    const auto t0 = Clock::now();
    const int rc = shell(folder.wrap("timeout 30 " + salesim(c.args)), &log);
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    EXPECT_EQ(rc, 2) << c.args << "\n" << log;
    EXPECT_LT(seconds, 15) << c.args;
    EXPECT_EQ(count_lines(log), 1) << log;
    EXPECT_NE(log.find("salesim: cannot write " + c.target + ": folder "), std::string::npos)
        << log;
    EXPECT_NE(log.find(" is not writable (" + folder.reason + ")"), std::string::npos) << log;
  }
  EXPECT_TRUE(fs::is_empty(ro));
}

// ---- Leftovers of dead processes ------------------------------------------------------------

pid_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  wait_for(pid);
  return pid;
}

TEST_F(Faults, StaleTemporariesOfDeadProcessesAreRemovedThoseOfLiveOnesKept) {
  const fs::path target = dir / "s.json";
  const fs::path dead = target.string() + ".tmp." + std::to_string(dead_pid());
  const fs::path live = target.string() + ".tmp.1";  // init never dies
  const fs::path other = (dir / "other.json").string() + ".tmp." + std::to_string(dead_pid());
  const fs::path not_a_pid = target.string() + ".tmp.x1";
  for (const auto& p : {dead, live, other, not_a_pid}) spit(p, "partial");
  sim::write_text_atomically(target, "{}\n");
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(other));  // another target's: its own next write removes it
  EXPECT_TRUE(fs::exists(not_a_pid));
  EXPECT_EQ(slurp(target), "{}\n");

  // Through the command line, for results.h5.
  const fs::path h5 = dir / "r.h5";
  const fs::path stale = h5.string() + ".tmp." + std::to_string(dead_pid());
  spit(stale, "HDF5 half");
  ASSERT_EQ(shell(salesim("run " + test::example() + " --paths 20 --quiet -o " + h5.string())), 0);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_EQ(damage(h5), "");
}

// ---- kill -9 --------------------------------------------------------------------------------

// Kills `cmd` with SIGKILL either `delay` after its start or, with watch set, `delay` after a
// temporary file appears under `watch` (so the kill lands inside a write). Returns whether
// the process was still running when killed.
bool kill_at(const std::string& cmd, std::chrono::microseconds delay, const fs::path* watch) {
  const pid_t pid = start(cmd);
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  if (watch) {
    while (temporaries(*watch).empty() && Clock::now() < deadline) {
      int status;
      if (waitpid(pid, &status, WNOHANG) == pid) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  std::this_thread::sleep_for(delay);
  int status;
  if (waitpid(pid, &status, WNOHANG) == pid) return false;
  kill9(pid);
  return true;
}

// Ctrl-C or SIGTERM: every command exits 130 saying so (docs/reliability.md: never a signal);
// run, sweep and the others died of it (the shell showed 130 for SIGINT, 143 for SIGTERM).
TEST_F(Faults, InterruptedRunExitsWith130AndLeavesNoOutput) {
  const fs::path out = dir / "r.h5";
  for (int sig : {SIGINT, SIGTERM}) {
    const pid_t pid = start(salesim("run " + test::example() + " --paths 200000 --quiet -o " +
                                    out.string() + " 2>" + (dir / "err.txt").string()));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ASSERT_EQ(kill(pid, sig), 0);
    const int status = wait_for(pid);
    ASSERT_TRUE(WIFEXITED(status)) << "died of signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 130) << sig;
    EXPECT_NE(test::read_file((dir / "err.txt").string()).find("salesim: interrupted"),
              std::string::npos);
    EXPECT_FALSE(fs::exists(out));
  }
}

TEST_F(Faults, KillNineDuringRunNeverLeavesAPartialFileUnderTheFinalName) {
  const fs::path out = dir / "out";
  fs::create_directories(out);
  const fs::path f = out / "results.h5";
  const std::string cmd = salesim("run " + scenario("alignment.yaml") + " --paths 40 --quiet -o " +
                                  f.string() + " --json " + (out / "summary.json").string());
  const auto t0 = Clock::now();
  ASSERT_EQ(shell(cmd), 0);
  const auto full = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
  ASSERT_EQ(damage(f), "");

  int kills = 0, inside_writes = 0;
  auto check = [&](const std::string& when) {
    SCOPED_TRACE(when);
    if (fs::exists(f)) {
      EXPECT_EQ(damage(f), "") << "a partial file under the final name";
    }
    if (fs::exists(out / "summary.json")) {
      EXPECT_TRUE(parses(out / "summary.json"));
    }
    inside_writes += !temporaries(out).empty();
  };
  // Over the whole run, by time...
  for (double frac : {0.3, 0.7, 0.9, 1.0}) {
    fs::remove(f), fs::remove(out / "summary.json");
    kills += kill_at(cmd, std::chrono::microseconds(std::int64_t(frac * full.count())), nullptr);
    check("at " + std::to_string(frac) + " of the run");
  }
  // ...and inside the writes: once a temporary exists, after these delays.
  for (int us : {0, 500, 2000, 5000, 15000}) {
    fs::remove(f), fs::remove(out / "summary.json");
    kills += kill_at(cmd, std::chrono::microseconds(us), &out);
    check(std::to_string(us) + " us into a write");
  }
  std::cout << "[ run -o: " << kills << " kills, " << inside_writes
            << " of them left a temporary file (inside a write) ]\n";
  EXPECT_GE(kills, 5);
  EXPECT_GE(inside_writes, 1);
  // The next run cleans up what the killed ones left.
  ASSERT_EQ(shell(cmd), 0);
  EXPECT_EQ(damage(f), "");
  EXPECT_TRUE(temporaries(out).empty()) << temporaries(out).front();
}

TEST_F(Faults, KillNineDuringBatchNeverLeavesAPartialFileAndTheResumeCleansUp) {
  const fs::path in = dir / "in", out = dir / "out";
  fs::create_directories(in);
  fs::copy_file(scenario("alignment.yaml"), in / "a.yaml");
  fs::copy_file(scenario("alignment.yaml"), in / "b.yaml");
  fs::copy_file(scenario("alignment.yaml"), in / "c.yaml");
  const std::string cmd =
      salesim("batch " + in.string() + " -o " + out.string() + " --paths 40 --quiet --force");
  const auto t0 = Clock::now();
  ASSERT_EQ(shell(cmd), 0);
  const auto full = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);

  int kills = 0, inside_writes = 0;
  auto check = [&](const std::string& when) {
    SCOPED_TRACE(when);
    for (const char* name : {"a", "b", "c"}) {
      const fs::path h5 = out / name / "results.h5", summary = out / name / "summary.json";
      if (fs::exists(h5)) {
        EXPECT_EQ(damage(h5), "") << h5;
      }
      if (fs::exists(summary)) {
        EXPECT_TRUE(fs::exists(h5)) << "summary.json marks " << name << " complete";
        EXPECT_TRUE(parses(summary));
      }
    }
    if (fs::exists(out / "batch.csv")) {
      EXPECT_FALSE(slurp(out / "batch.csv").empty());
    }
    inside_writes += !temporaries(out).empty();
  };
  for (double frac : {0.2, 0.5, 0.8, 1.0}) {
    kills += kill_at(cmd, std::chrono::microseconds(std::int64_t(frac * full.count())), nullptr);
    check("at " + std::to_string(frac) + " of the batch");
  }
  for (int us : {0, 1000, 4000, 12000}) {
    kills += kill_at(cmd, std::chrono::microseconds(us), &out);
    check(std::to_string(us) + " us into a write");
  }
  std::cout << "[ batch: " << kills << " kills, " << inside_writes
            << " of them left a temporary file (inside a write) ]\n";
  EXPECT_GE(kills, 5);
  EXPECT_GE(inside_writes, 1);
  // The resume (without --force, so finished files are reused) completes and cleans up.
  std::string log;
  ASSERT_EQ(shell(salesim("batch " + in.string() + " -o " + out.string() + " --paths 40"), &log), 0)
      << log;
  for (const char* name : {"a", "b", "c"}) EXPECT_EQ(damage(out / name / "results.h5"), "");
  EXPECT_TRUE(fs::exists(out / "batch.csv"));
  EXPECT_TRUE(temporaries(out).empty()) << temporaries(out).front();
}

// ---- Damaged results files ------------------------------------------------------------------

// Where a dataset's raw values lie in the file (contiguous datasets).
std::pair<std::uint64_t, std::uint64_t> raw_range(const fs::path& file, const char* dataset) {
  const auto f = sim::h5::File::open_read(file.string());
  const hid_t ds = H5Dopen2(f.id(), dataset, H5P_DEFAULT);
  const haddr_t at = H5Dget_offset(ds);
  const hsize_t size = H5Dget_storage_size(ds);
  H5Dclose(ds);
  return {at, at + size};
}

TEST_F(Faults, BatchRunsATruncatedOrBitFlippedResultsFileAgain) {
  const fs::path out = dir / "out";
  const std::string cmd =
      salesim("batch " + scenario("alignment.yaml") + " -o " + out.string() + " --paths 50");
  std::string log;
  ASSERT_EQ(shell(cmd, &log), 0) << log;
  const fs::path h5 = out / "alignment" / "results.h5";
  ASSERT_EQ(damage(h5), "");
  const std::string whole = slurp(h5);

  spit(h5, whole.substr(0, whole.size() / 2));  // truncated
  ASSERT_EQ(shell(cmd, &log), 0) << log;
  EXPECT_EQ(log.find("up to date, reused"), std::string::npos) << log;
  EXPECT_NE(log.find(h5.string() + " is damaged"), std::string::npos) << log;
  EXPECT_NE(log.find("alignment.yaml: ok"), std::string::npos) << log;
  EXPECT_EQ(damage(h5), "");

  // One bit flipped in the middle of the baseline's final bookings.
  const auto [from, to] = raw_range(h5, "plans/status-quo/paths/final_bookings");
  ASSERT_GT(to, from);
  std::string flipped = slurp(h5);
  flipped[(from + to) / 2] ^= 0x10;
  spit(h5, flipped);
  ASSERT_EQ(shell(cmd, &log), 0) << log;
  EXPECT_EQ(log.find("up to date, reused"), std::string::npos) << log;
  EXPECT_NE(log.find("checksum does not match"), std::string::npos) << log;
  EXPECT_EQ(damage(h5), "");

  // Whole again: reused.
  ASSERT_EQ(shell(cmd, &log), 0) << log;
  EXPECT_NE(log.find("alignment.yaml: up to date, reused"), std::string::npos) << log;
}

// A value changed through HDF5 itself (the structure intact): both checksums notice.
TEST_F(Faults, ChecksumsCatchAValueChangedThroughHdf5) {
  const fs::path f = dir / "changed.h5";
  fs::copy_file(reference(), f);
  ASSERT_EQ(damage(f), "");
  {
    const hid_t file = H5Fopen(f.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t ds = H5Dopen2(file, "plans/baseline/weekly/cum_bookings_mean", H5P_DEFAULT);
    ASSERT_GE(ds, 0);
    std::vector<double> v(52);
    ASSERT_GE(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0);
    v[20] *= 1.01;
    ASSERT_GE(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0);
    H5Dclose(ds);
    ASSERT_GE(H5Fclose(file), 0);
  }
  EXPECT_NE(tools::results_file_damage(f.string()).value_or("none"), "");
  const auto opened = sim::h5::File::open_read(f.string());
  EXPECT_NE(tools::results_damage(opened, true).find("its checksum does not match its contents"),
            std::string::npos);
  std::string log;
  EXPECT_EQ(shell(salesim("report " + f.string() + " -o " + (dir / "r.html").string()), &log), 2);
  EXPECT_NE(log.find(f.string() + " is damaged: its file checksum does not match its bytes"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("; run salesim run again"), std::string::npos) << log;
}

// Files of formats 1.0 to 1.2 have no checksums and are still read; a 1.3 file must have both.
TEST_F(Faults, OlderFilesWithoutChecksumsAreReadNewerOnesMustHaveThem) {
  if (shell("command -v h5unjam") != 0) GTEST_SKIP() << "h5unjam (hdf5-tools) not installed";
  const fs::path unsealed = dir / "unsealed.h5", old = dir / "old.h5";
  ASSERT_EQ(
      shell("h5unjam -i " + reference().string() + " -o " + unsealed.string() + " -u /dev/null"),
      0);
  ASSERT_FALSE(tools::results_file_damage(unsealed.string()).has_value());
  std::string log;
  EXPECT_EQ(
      shell(salesim("report " + unsealed.string() + " -o " + (dir / "u.html").string()), &log), 2);
  EXPECT_NE(log.find("is damaged: it has no file checksum"), std::string::npos) << log;

  fs::copy_file(unsealed, old);
  {  // what a salesim of format 1.2 wrote: no checksum attribute either
    const hid_t file = H5Fopen(old.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    ASSERT_GE(H5Adelete(file, "checksum"), 0);
    ASSERT_GE(H5Adelete(file, "format_version"), 0);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(file, "format_version", type, space, H5P_DEFAULT, H5P_DEFAULT);
    const char* value = "1.2";
    ASSERT_GE(H5Awrite(a, type, &value), 0);
    H5Aclose(a), H5Sclose(space), H5Tclose(type);
    ASSERT_GE(H5Fclose(file), 0);
  }
  EXPECT_EQ(shell(salesim("report " + old.string() + " -o " + (dir / "o.html").string()), &log), 0)
      << log;
}

TEST_F(Faults, ReportOnTruncatedFilesSaysDamaged) {
  const auto ref = reference();
  const std::string whole = slurp(ref);
  for (double frac : {0.1, 0.5, 0.9, 0.999}) {
    const fs::path t = dir / "truncated.h5";
    spit(t, whole.substr(0, std::size_t(frac * double(whole.size()))));
    std::string log;
    EXPECT_EQ(
        shell("timeout 60 " + salesim("report " + t.string() + " -o " + (dir / "t.html").string()),
              &log),
        2)
        << frac << ": " << log;
    EXPECT_EQ(count_lines(log), 1) << log;
    EXPECT_TRUE(log.find(t.string() + " is damaged: ") != std::string::npos ||
                log.find(t.string() + ": not an HDF5 file") != std::string::npos)
        << log;
    EXPECT_FALSE(fs::exists(dir / "t.html"));
  }
}

TEST_F(Faults, ReportOnBitFlippedFilesNeverCrashes) {
  const auto ref = reference();
  const std::string whole = slurp(ref);
  const std::size_t n = whole.size();
  constexpr int kFlips = 200;
  const fs::path flips = dir / "flips";
  fs::create_directories(flips);
  // 200 offsets spread evenly over the file, each nudged off the grid deterministically, and
  // one bit of the byte there flipped (a different bit each time).
  std::vector<std::size_t> offsets;
  for (int k = 0; k < kFlips; ++k) {
    const std::size_t at = std::min(n - 1, std::size_t(k) * n / kFlips + (k * 7919) % 61);
    offsets.push_back(at);
    std::string copy = whole;
    copy[at] = char(copy[at] ^ (1 << (k % 8)));
    spit(flips / (std::to_string(k) + ".h5"), copy);
  }
  // Two at a time (the machine has 2 cores); each with a timeout, its output and exit code
  // kept: 124 is a timeout, 128 + N death by signal N.
  const std::string script =
      "cd " + flips.string() + " && ls [0-9]*.h5 | xargs -P 2 -I{} sh -c 'timeout 60 " +
      test::binary() + " report {} -o {}.html > {}.log 2>&1; echo $? > {}.rc'";
  const auto t0 = Clock::now();
  ASSERT_EQ(shell(script), 0);
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();

  // How many flips land inside the values of some datasets (the rest hit HDF5's structures).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> data;
  for (const char* ds :
       {"plans/baseline/paths/final_bookings", "plans/baseline/paths/cost",
        "plans/baseline/weekly/cum_bookings_quantiles", "plans/push-activity/weekly/headcount_mean",
        "comparisons/push-activity_vs_baseline/final_bookings_diff"})
    data.push_back(raw_range(ref, ds));
  std::map<int, int> codes;
  int in_data = 0;
  for (int k = 0; k < kFlips; ++k) {
    const fs::path base = flips / (std::to_string(k) + ".h5");
    const int rc = std::stoi(slurp(base.string() + ".rc"));
    const std::string log = slurp(base.string() + ".log");
    ++codes[rc];
    SCOPED_TRACE("bit " + std::to_string(k % 8) + " of byte " + std::to_string(offsets[k]) +
                 " of " + std::to_string(n));
    EXPECT_TRUE(rc == 0 || rc == 1 || rc == 2) << "exit " << rc << ": " << log;
    // The file checksum covers every byte after the user block, which covers itself: every
    // flip is noticed, before HDF5 reads anything.
    EXPECT_EQ(rc, 2) << log;
    EXPECT_EQ(count_lines(log), 1) << log;
    EXPECT_NE(log.find(base.filename().string() + " is damaged: "), std::string::npos) << log;
    EXPECT_EQ(log.find("HDF5-DIAG"), std::string::npos) << log;
    EXPECT_FALSE(fs::exists(base.string() + ".html"));
    for (const auto& [from, to] : data) in_data += offsets[k] >= from && offsets[k] < to;
  }
  std::cout << "[ " << kFlips << " bit flips over " << n << " bytes in " << seconds << " s: ";
  for (const auto& [rc, count] : codes) std::cout << "exit " << rc << " x" << count << "  ";
  std::cout << "(" << in_data << " inside the values of 5 datasets) ]\n";
}

// ---- Interrupted: nothing left behind -------------------------------------------------------

// The processes of process group `group` that are still alive (zombies aside: init reaps them
// late here).
std::vector<pid_t> live_members(pid_t group) {
  std::vector<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    long ppid = 0, pgrp = 0;
    rest >> state >> ppid >> pgrp;
    if (pgrp == group && state != 'Z' && state != 'X') out.push_back(pid_t(std::stol(name)));
  }
  return out;
}

// The processes whose command line names `text` (Chromium's names its profile folder).
int processes_naming(const std::string& text) {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    if (e.path().filename().string().find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = slurp(e.path() / "cmdline");
    n += cmdline.find(text) != std::string::npos && e.path().filename() != std::to_string(getpid());
  }
  return n;
}

bool eventually(const std::function<bool()>& ok, int seconds = 10) {
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while (!ok()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// clean_up() (what the signal handler calls) stops a registered process group, its leader and
// the leader's own child alike, and removes registered files and folders with what is inside;
// what was never registered stays.
TEST_F(Faults, InterruptCleanUpStopsChildGroupsAndRemovesFilesAndFolders) {
  const fs::path file = dir / "partial.h5.tmp.1", kept = dir / "kept.txt";
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  if (child == 0) {
    spit(kept, "mine");
    const sim::interrupt::TemporaryFile f(file);
    spit(file, "half");
    const sim::interrupt::TemporaryFolder folder(dir, "salesim-test");
    fs::create_directories(folder.path() / "a" / "b");
    for (int i = 0; i < 300; ++i) spit(folder.path() / "a" / ("f" + std::to_string(i)), "x");
    spit(folder.path() / "a" / "b" / "deep", "x");
    sim::interrupt::ChildGroup group;
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t leader = 0;
    const char* argv[] = {"sh", "-c", "sleep 60 & sleep 60", nullptr};
    if (posix_spawn(&leader, "/bin/sh", nullptr, &attr, const_cast<char**>(argv), environ) != 0)
      _exit(3);
    group.started(leader);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the leader's child started
    [[maybe_unused]] auto n = write(pipe_fds[1], &leader, sizeof leader);
    sim::interrupt::clean_up();
    _exit(0);
  }
  close(pipe_fds[1]);
  pid_t leader = 0;
  ASSERT_EQ(read(pipe_fds[0], &leader, sizeof leader), ssize_t(sizeof leader));
  close(pipe_fds[0]);
  const int status = wait_for(child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_TRUE(eventually([&] { return live_members(leader).empty(); }))
      << live_members(leader).size() << " processes of the group left running";
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(fs::exists(kept));
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().rfind("salesim-test-", 0), std::string::npos)
        << e.path() << " left";
}

// Interrupted while the report's charts are rendered by Chromium, or while the run that feeds
// the report goes on: exit 130, no Chromium left running, and the temporary folder (TMPDIR) as
// it was: no results file of the report, no Chromium profile, none of Chromium's own files.
TEST_F(Faults, InterruptedReportLeavesNoTemporaryAndNoChromiumRunning) {
  if (tools::find_chromium().empty()) GTEST_SKIP() << "chromium is not installed";
  // A short TMPDIR, as Chromium needs (tools/chromium.cpp): the fixture's folder is too long.
  const fs::path tmp = fs::temp_directory_path() / ("sfi-" + std::to_string(getpid()));
  struct Remove {
    fs::path p;
    ~Remove() { fs::remove_all(p); }
  } remove{tmp};
  for (const char* phase : {"simulating", "rendering"}) {
    SCOPED_TRACE(phase);
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    const bool rendering = std::string(phase) == "rendering";
    const pid_t pid = start(
        "env TMPDIR=" + tmp.string() + " " +
        salesim("run " + test::example() + " --quiet --paths " + (rendering ? "100" : "200000") +
                " --report " + (dir / "r.html").string() + " --pdf " + (dir / "r.pdf").string() +
                " --png --charts " + (dir / "charts").string()));
    // Wait for a Chromium profile folder (rendering) or a moment into the run (simulating).
    if (rendering) {
      ASSERT_TRUE(eventually(
          [&] {
            for (const auto& e : fs::directory_iterator(tmp))
              if (e.path().filename().string().rfind("salesim-chromium-", 0) == 0) return true;
            return false;
          },
          60));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(rendering ? 700 : 1500));
    ASSERT_EQ(kill(pid, SIGTERM), 0);
    // A second signal at once, as an impatient Ctrl-C: taken by another thread, it waits for
    // the first clean-up instead of racing it.
    if (rendering) kill(pid, SIGINT);
    const int status = wait_for(pid);
    ASSERT_TRUE(WIFEXITED(status)) << "died of signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 130);
    EXPECT_TRUE(eventually([&] { return processes_naming(tmp.string()) == 0; }))
        << processes_naming(tmp.string()) << " Chromium processes left running";
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(tmp)) left.push_back(e.path().filename());
    EXPECT_TRUE(left.empty()) << left.size() << " left in TMPDIR, the first " << left.front();
  }
}

// Chromium cannot start with a TMPDIR past about 60 bytes ("Socket path too long"): the PDF is
// printed all the same (Chromium's folder goes to /tmp, tools/chromium.cpp), and nothing of it is
// left in either folder.
TEST_F(Faults, AReportPrintsWithALongTemporaryFolder) {
  if (tools::find_chromium().empty()) GTEST_SKIP() << "chromium is not installed";
  const fs::path tmp =
      fs::temp_directory_path() / ("sfl-" + std::to_string(getpid()) + "-" + std::string(80, 'x'));
  struct Remove {
    fs::path p;
    ~Remove() { fs::remove_all(p); }
  } remove{tmp};
  fs::create_directories(tmp);
  const std::string pdf = (dir / "long.pdf").string();
  std::string out;
  // The shell prints its process id, then becomes salesim (exec): salesim's Chromium folder in
  // /tmp would be salesim-chromium-PID-N (other tests' renders may come and go there meanwhile).
  ASSERT_EQ(shell("echo $$; exec env TMPDIR=" + tmp.string() + " " +
                      salesim("run " + test::example() + " --quiet --paths 20 --report " +
                              (dir / "long.html").string() + " --pdf " + pdf),
                  &out),
            0)
      << out;
  const std::string pid = out.substr(0, out.find('\n'));
  ASSERT_FALSE(pid.empty());
  ASSERT_TRUE(std::all_of(pid.begin(), pid.end(), [](char c) { return std::isdigit(c); })) << out;
  EXPECT_GT(fs::file_size(pdf), 10000u);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(tmp)) left.push_back(e.path().filename());
  EXPECT_TRUE(left.empty()) << left.size() << " left in TMPDIR, the first " << left.front();
  for (const auto& e : fs::directory_iterator("/tmp"))
    EXPECT_NE(e.path().filename().string().rfind("salesim-chromium-" + pid + "-", 0), 0u)
        << e.path() << " left by salesim " << pid;
}

// What a process killed outright leaves (kill -9) is removed by the next one: the results file
// of `run --report` without -o, and Chromium's folders; those of a live process are kept.
TEST_F(Faults, StaleReportAndChromiumTemporariesOfDeadProcessesAreRemoved) {
  const fs::path tmp = dir / "tmp";
  fs::create_directories(tmp);
  const std::string dead = std::to_string(dead_pid()), live = "1";  // init never dies
  const fs::path dead_h5 = tmp / ("salesim-report-" + dead + "-12345.h5");
  const fs::path live_h5 = tmp / ("salesim-report-" + live + "-12345.h5");
  const fs::path dead_folder = tmp / ("salesim-chromium-" + dead + "-0");
  const fs::path live_folder = tmp / ("salesim-chromium-" + live + "-0");
  const fs::path unrelated = tmp / "salesim-chromium-notapid";
  for (const auto& f : {dead_folder, live_folder, unrelated})
    fs::create_directories(f / "profile"), spit(f / "profile" / "x", "x");
  spit(dead_h5, "half"), spit(live_h5, "half");

  EXPECT_EQ(sim::remove_stale_entries(tmp, "salesim-chromium-"), 1u);
  EXPECT_FALSE(fs::exists(dead_folder));
  EXPECT_TRUE(fs::exists(live_folder / "profile" / "x"));
  EXPECT_TRUE(fs::exists(unrelated));

  ASSERT_EQ(shell("env TMPDIR=" + tmp.string() + " " +
                  salesim("run " + test::example() + " --quiet --paths 20 --report " +
                          (dir / "r.html").string())),
            0);
  EXPECT_FALSE(fs::exists(dead_h5));
  EXPECT_TRUE(fs::exists(live_h5));
}

}  // namespace
}  // namespace salesim
