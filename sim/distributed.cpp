#include "sim/distributed.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>

#ifdef SALESIM_MPI
// The C API only: no C++ bindings (deprecated, and a library of their own to link).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace sim::dist {
namespace {

int g_rank = 0, g_size = 1, g_local = 1;
bool g_active = false;  // MPI_Init was called by Session
int g_stderr = STDERR_FILENO;

// Started by a launcher? Open MPI's mpirun, PMIx (srun --mpi=pmix) and Hydra/PMI set these.
bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

void silence_output() {
  std::fflush(stdout);
  std::fflush(stderr);
  g_stderr = ::dup(STDERR_FILENO);
  const int null = ::open("/dev/null", O_WRONLY);
  if (null < 0) return;
  ::dup2(null, STDOUT_FILENO);
  ::dup2(null, STDERR_FILENO);
  ::close(null);
}

#ifdef SALESIM_MPI
// MPI counts are ints: large messages go in pieces of at most 1 GiB.
constexpr std::size_t kPiece = std::size_t(1) << 30;

void send_bytes(const std::string& s, int to) {
  for (std::size_t at = 0; at < s.size(); at += kPiece)
    MPI_Send(s.data() + at, int(std::min(kPiece, s.size() - at)), MPI_BYTE, to, 0, MPI_COMM_WORLD);
}
void recv_bytes(std::string& s, int from) {
  for (std::size_t at = 0; at < s.size(); at += kPiece)
    MPI_Recv(s.data() + at, int(std::min(kPiece, s.size() - at)), MPI_BYTE, from, 0, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
}
void bcast_bytes(std::string& s) {
  std::uint64_t n = s.size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  s.resize(n);
  for (std::size_t at = 0; at < n; at += kPiece)
    MPI_Bcast(s.data() + at, int(std::min<std::size_t>(kPiece, n - at)), MPI_BYTE, 0,
              MPI_COMM_WORLD);
}
#endif

}  // namespace

Session::Session(int& argc, char**& argv) {
#ifdef SALESIM_MPI
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  g_active = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  MPI_Comm local;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
  MPI_Comm_size(local, &g_local);
  MPI_Comm_free(&local);
  if (g_rank != 0) silence_output();
#else
  (void)argc, (void)argv, (void)launched_by_mpi, (void)silence_output;
#endif
}

Session::~Session() {
#ifdef SALESIM_MPI
  if (g_active) MPI_Finalize();
#endif
  g_active = false;
}

bool built_with_mpi() {
#ifdef SALESIM_MPI
  return true;
#else
  return false;
#endif
}

int rank() { return g_rank; }
int size() { return g_size; }
int local_size() { return g_local; }

std::vector<std::string> gather(std::string mine) {
  std::vector<std::string> all;
  if (g_size == 1) {
    all.push_back(std::move(mine));
    return all;
  }
#ifdef SALESIM_MPI
  std::uint64_t n = mine.size();
  std::vector<std::uint64_t> sizes(g_rank == 0 ? g_size : 0);
  MPI_Gather(&n, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (g_rank != 0) {
    send_bytes(mine, 0);
    return all;
  }
  all.resize(g_size);
  all[0] = std::move(mine);
  for (int r = 1; r < g_size; ++r) {  // rank order
    all[r].resize(sizes[r]);
    recv_bytes(all[r], r);
  }
#endif
  return all;
}

std::vector<std::string> all_gather(std::string mine) {
  std::vector<std::string> all = gather(std::move(mine));
  if (g_size == 1) return all;
  all.resize(g_size);
#ifdef SALESIM_MPI
  for (auto& s : all) bcast_bytes(s);
#endif
  return all;
}

std::string broadcast(std::string text) {
#ifdef SALESIM_MPI
  if (g_size > 1) bcast_bytes(text);
#endif
  return text;
}

void barrier() {
#ifdef SALESIM_MPI
  if (g_size > 1) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

void rank_error(const std::string& message) {
  const std::string line = "salesim: rank " + std::to_string(g_rank) + " of " +
                           std::to_string(g_size) + ": " + message + "\n";
  [[maybe_unused]] auto n = ::write(g_stderr, line.data(), line.size());
}

void abort(const std::string& message, int code) {
  rank_error(message);
#ifdef SALESIM_MPI
  if (g_active) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::exit(code);
}

void settle_bad_input(const std::string& message) {
  if (g_size == 1) return;
#ifdef SALESIM_MPI
  // Every failing rank tells rank 0; rank 0 answers all once it has heard from every other
  // rank. A rank that waits in vain (rank 0 or another is busy elsewhere) aborts the job.
  constexpr int kTag = 7302;
  const auto wait_for = [](int count, int from, double seconds) {
    const double until = MPI_Wtime() + seconds;
    int got = 0, one = 0;
    while (got < count && MPI_Wtime() < until) {
      int flag = 0;
      MPI_Iprobe(from, kTag, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
      if (flag) {
        MPI_Recv(&one, 1, MPI_INT, from, kTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        ++got;
      } else {
        ::usleep(5000);
      }
    }
    return got == count;
  };
  int one = 1;
  if (g_rank == 0) {
    if (!wait_for(g_size - 1, MPI_ANY_SOURCE, 5.0))
      abort("bad input here but not on every rank; the job is ended", 2);
    for (int r = 1; r < g_size; ++r) MPI_Send(&one, 1, MPI_INT, r, kTag, MPI_COMM_WORLD);
  } else {
    MPI_Send(&one, 1, MPI_INT, 0, kTag, MPI_COMM_WORLD);
    if (!wait_for(1, 0, 10.0)) abort(message, 2);
  }
#else
  (void)message;
#endif
}

Block block(std::size_t n, std::size_t unit, int r, int ranks) {
  unit = std::max<std::size_t>(1, unit);
  const std::size_t units = (n + unit - 1) / unit, R = std::size_t(std::max(1, ranks));
  const std::size_t u0 = units * std::size_t(r) / R, u1 = units * std::size_t(r + 1) / R;
  return {std::min(n, u0 * unit), std::min(n, u1 * unit)};
}

std::vector<int> deal(std::size_t n, int ranks) {
  std::vector<int> owner(n);
  for (std::size_t i = 0; i < n; ++i) owner[i] = int(i % std::size_t(std::max(1, ranks)));
  return owner;
}

std::vector<int> largest_first(const std::vector<double>& cost, int ranks) {
  std::vector<std::size_t> order(cost.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  std::vector<double> load(std::size_t(std::max(1, ranks)), 0.0);
  std::vector<int> owner(cost.size(), 0);
  for (std::size_t i : order) {
    const auto least = std::min_element(load.begin(), load.end()) - load.begin();
    owner[i] = int(least);
    load[std::size_t(least)] += cost[i];
  }
  return owner;
}

}  // namespace sim::dist
