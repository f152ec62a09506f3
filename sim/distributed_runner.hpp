#pragma once
// The path runners (sim/runner.hpp, sim/stream_runner.hpp) over the ranks of an MPI job
// (sim/distributed.hpp). Each rank runs one contiguous block of paths, cut at whole chunks,
// and keeps its per-chunk partials; they are gathered in rank order, so in path order, and
// reduced chunk by chunk exactly as one process reduces them. The result has the same bits
// as run_paths / stream_paths in one process, for any number of ranks and threads.
#include "sim/runner.hpp"
#include "sim/stream_runner.hpp"

namespace sim {

enum class PathSplit {
  none,            // this rank runs every path (the caller splits something else, or one rank)
  gather_to_root,  // paths split over the ranks; only rank 0 gets the result
  gather_to_all,   // paths split over the ranks; every rank gets the result
};

// Whether this rank holds the whole result of a run with `split` (the others get an output
// with no paths).
bool holds_results(PathSplit split);
// The ranks a run with `split` is spread over.
int ranks_of(PathSplit split);

RunOutput run_paths_split(const OutputShape& shape, const RunOptions& options,
                          const PathFunction& fn, const ScratchFactory& make_scratch,
                          PathSplit split);

// run_path_groups over the ranks, in the same way.
std::vector<RunOutput> run_path_groups_split(const std::vector<OutputShape>& groups,
                                             const RunOptions& options, const PathFunction& fn,
                                             const ScratchFactory& make_scratch, PathSplit split);

// With `sink` (stream_paths's): split over the ranks, each rank sends its chunks' kept series
// to rank 0 as it folds them, one gather per chunk, and rank 0 hands them to its sink, so rank
// 0 holds one chunk per rank at a time. Chunks then come in chunk order within each rank's
// block but interleaved between blocks (first_row says where each goes). Every rank must give
// a sink, as every rank takes part in the gathers; only rank 0's is called.
StreamOutput stream_paths_split(const OutputShape& shape, const StreamSpec& spec,
                                const RunOptions& options, const PathFunction& fn,
                                const ScratchFactory& make_scratch, PathSplit split,
                                const KeptSink& sink = {});

}  // namespace sim
