#pragma once
// The parallel path runner. It knows nothing of what a path computes: a path function fills
// the output slots of one path index. Paths are grouped in chunks of a fixed size (independent
// of the thread count); TBB spreads chunks over threads; per-week sums are reduced within a
// chunk in path order and across chunks in chunk order, so the results are bit-identical for
// any number of threads.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace sim {

// What each path writes.
struct OutputShape {
  std::size_t weeks = 0;
  std::size_t scalars = 0;        // per-path figures (final value, cost, ...)
  std::size_t kept_series = 0;    // per-path weekly series kept whole (for quantiles)
  std::size_t summed_series = 0;  // weekly series only their sum over paths is kept
};

// The slots of one path, valid during one call of the path function.
struct PathSlots {
  std::span<double> scalars;  // [scalars]
  std::span<double> kept;     // [kept_series * weeks], series-major
  std::span<double> summed;   // [summed_series * weeks], series-major, zeroed before the call
};

// Everything the runner collected, laid out for reading by week.
struct RunOutput {
  OutputShape shape;
  std::size_t paths = 0;
  std::uint64_t first_path = 0;
  std::vector<double> scalars;  // [path][scalar]
  std::vector<double> kept;     // [series][week][path]
  std::vector<double> sums;     // [series][week], summed over paths in a fixed order
  // [chunk][series][week]: each chunk's sums, kept only with RunOptions::keep_chunk_sums so that
  // blocks of paths run apart (by MPI ranks) add up to the same bits (sim/distributed_runner).
  std::vector<double> chunk_sums;

  double scalar(std::size_t path, std::size_t i) const { return scalars[path * shape.scalars + i]; }
  std::span<const double> kept_week(std::size_t series, std::size_t week) const {
    return {kept.data() + (series * shape.weeks + week) * paths, paths};
  }
  double sum(std::size_t series, std::size_t week) const {
    return sums[series * shape.weeks + week];
  }
};

// Per-thread scratch, made once per thread by the factory the caller gives.
struct Scratch {
  virtual ~Scratch() = default;
};

using PathFunction = std::function<void(std::uint64_t path, Scratch& scratch, PathSlots& out)>;
using ScratchFactory = std::function<std::unique_ptr<Scratch>()>;
using ProgressFunction = std::function<void(std::size_t paths_done)>;

struct RunOptions {
  std::size_t paths = 0;
  std::uint64_t first_path = 0;  // path indices first_path .. first_path + paths - 1
  int threads = 0;               // 0: all hardware threads
  std::size_t chunk = 64;        // paths per chunk; fixed so the reduction order is fixed
  ProgressFunction progress;     // called from worker threads; must be thread-safe
  // Keep each chunk's partial sums (and, streaming, its partial moments) in the output.
  bool keep_chunk_partials = false;
};

RunOutput run_paths(const OutputShape& shape, const RunOptions& options, const PathFunction& fn,
                    const ScratchFactory& make_scratch);

// Several outputs of the same weeks filled by one path function, so that work a path's groups
// have in common (their shared random numbers) is done once per path. The function's slots are
// the groups' slots one after another: scalars, kept and summed series each concatenated in
// group order. Each group's output is the one run_paths would give for that group alone.
std::vector<RunOutput> run_path_groups(const std::vector<OutputShape>& groups,
                                       const RunOptions& options, const PathFunction& fn,
                                       const ScratchFactory& make_scratch);
// The shape of the function's slots for those groups (their sums; the weeks of the first).
OutputShape joined_shape(const std::vector<OutputShape>& groups);

// The number of threads `threads` means on this machine (0: all; under mpirun, the cores
// divided by the ranks on this machine, at least one). It is the number a run
// uses: run_paths (and anything holding a ThreadAllowance) lets that many threads run at once,
// also above the number of cores.
int resolve_threads(int threads);

// While it lives, oneTBB may run `threads` threads at once (resolve_threads: 0 is all cores).
// Without it oneTBB caps its workers at the cores minus one, so an arena of more threads than
// cores runs with fewer than it says and oneTBB prints "TBB Warning: The number of workers is
// currently limited to ..." on stderr, even under --quiet. Only a count above the cores changes
// anything (a tbb::global_control of max_allowed_parallelism, which takes the smallest active
// value, so it is never made for fewer threads than the cores: concurrent runs are unaffected).
class ThreadAllowance {
 public:
  explicit ThreadAllowance(int threads);
  ~ThreadAllowance();
  ThreadAllowance(const ThreadAllowance&) = delete;
  ThreadAllowance& operator=(const ThreadAllowance&) = delete;

 private:
  std::shared_ptr<void> control_;  // a tbb::global_control, or nothing
};

}  // namespace sim
