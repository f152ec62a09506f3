#pragma once
// The processes of one job launched by mpirun (ranks), and the little that passes between
// them: byte strings gathered to rank 0 (or to every rank) in rank order, a broadcast from
// rank 0, and an abort that names the failing rank. Built without MPI (SALESIM_MPI off), or
// started without a launcher, the job is one rank and every call is the identity, so callers
// have no #ifdefs. Only the main thread calls these (MPI_THREAD_FUNNELED).
#include <cstddef>
#include <string>
#include <vector>

namespace sim::dist {

// Initialises MPI for the life of main when the process was started by an MPI launcher
// (mpirun/mpiexec, srun): standalone runs never touch MPI, so they start as fast as before.
// On ranks other than 0 standard output and error go to /dev/null (rank 0 alone speaks);
// rank_error still reaches the real standard error.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

bool built_with_mpi();
int rank();        // 0 .. size() - 1
int size();        // ranks in the job; 1 without MPI
int local_size();  // ranks on this machine (they share its cores)
inline bool is_root() { return rank() == 0; }

// Every rank passes its bytes; rank 0 gets size() strings in rank order, the others none.
std::vector<std::string> gather(std::string mine);
// As gather, but every rank gets the size() strings.
std::vector<std::string> all_gather(std::string mine);
// Rank 0's `text` on every rank.
std::string broadcast(std::string text);
// Waits until every rank reaches it.
void barrier();

// Writes "salesim: rank R of N: <message>" to the real standard error (also on ranks whose
// output is silenced).
void rank_error(const std::string& message);
// Ends the whole job (every rank) with `code` after rank_error(message); with one rank it
// simply exits.
[[noreturn]] void abort(const std::string& message, int code);

// After bad input on this rank (rank 0 has reported it): returns when every rank met bad input
// too (the usual case: they all read the same input), so that each exits quietly with code 2;
// when some rank did not (input that differs between machines, such as a file missing on one),
// ends the job with code 2 and `message` under this rank's name, so that no rank waits forever.
void settle_bad_input(const std::string& message);

// Items [begin, end) of a contiguous split.
struct Block {
  std::size_t begin = 0, end = 0;
  std::size_t size() const { return end - begin; }
};
// Rank `r`'s block of n items split into size contiguous blocks of whole units of `unit`
// items (the last unit may be short), as equal as the units allow, in rank order.
Block block(std::size_t n, std::size_t unit, int r, int ranks);
// The owner rank of each of n items, dealt in turn (item i to rank i mod ranks): items of
// unequal cost that vary smoothly along the list (a grid's points) spread evenly.
std::vector<int> deal(std::size_t n, int ranks);
// The owner rank of each item, largest cost first to the least loaded rank (ties: lower
// rank, then lower index): the longest-processing-time rule for items of known cost.
std::vector<int> largest_first(const std::vector<double>& cost, int ranks);

}  // namespace sim::dist
