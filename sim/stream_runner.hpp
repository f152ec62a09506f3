#pragma once
// The path runner's streaming mode: each path's slots are folded into accumulators instead of
// being stored, so memory depends on the threads, the chunk and the output shape, not on the
// number of paths. Means and standard errors come from Moments folded per chunk in path order
// and across chunks in chunk order (fixed bits for any thread count, equal to run_paths's up to
// rounding); quantiles come from QuantileSketch, whose merges are exact. Summed series are
// reduced exactly as run_paths reduces them (same bits).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/moments.hpp"
#include "sim/runner.hpp"
#include "sim/sketch.hpp"

namespace sim {

// What streaming keeps beyond moments (every scalar and every kept series at every week gets
// a Moments).
struct StreamSpec {
  std::vector<std::size_t> sketched_scalars;  // scalars whose quantiles are wanted
  bool sketch_kept = true;                    // quantiles of every kept series at every week
  double relative_error = QuantileSketch::kDefaultRelativeError;
};

struct StreamOutput {
  OutputShape shape;
  StreamSpec spec;
  std::size_t paths = 0;
  std::uint64_t first_path = 0;
  std::vector<Moments> scalars;                 // [scalar]
  std::vector<QuantileSketch> scalar_sketches;  // [i]: of scalar spec.sketched_scalars[i]
  std::vector<Moments> kept;                    // [series][week]
  std::vector<QuantileSketch> kept_sketches;    // [series][week]; empty without sketch_kept
  std::vector<double> sums;                     // [series][week], as RunOutput::sums
  // Bytes of the per-chunk partials held at once; set by the shape and the thread count only.
  std::size_t working_bytes = 0;
  // With RunOptions::keep_chunk_partials: every chunk's partial moments ([chunk][scalars, then
  // kept]) and sums ([chunk][series][week]), so that blocks of paths run apart (by MPI ranks)
  // fold into the same bits with fold_chunk (sim/distributed_runner).
  std::vector<Moments> chunk_moments;
  std::vector<double> chunk_sums;

  const Moments& kept_moments(std::size_t series, std::size_t week) const {
    return kept[series * shape.weeks + week];
  }
  const QuantileSketch& kept_sketch(std::size_t series, std::size_t week) const {
    return kept_sketches.at(series * shape.weeks + week);
  }
  const QuantileSketch& scalar_sketch(std::size_t scalar) const;  // must be in sketched_scalars
  double sum(std::size_t series, std::size_t week) const {
    return sums[series * shape.weeks + week];
  }
};

// An output with no path folded in yet: zero moments and sums, empty sketches, shaped for
// `shape`, `spec` and options.paths. stream_paths and the MPI gather fold chunks into it.
StreamOutput empty_stream_output(const OutputShape& shape, const StreamSpec& spec,
                                 const RunOptions& options);

// Folds one chunk's partials into `out`: the one step that stream_paths repeats in chunk order.
void fold_chunk(StreamOutput& out, const Moments* moments, const double* sums);

// The kept series of a chunk of consecutive paths: rows [first_row, first_row + rows) of the
// run (path options.first_path + row), each row one path's PathSlots::kept.
struct KeptChunk {
  std::size_t first_row = 0, rows = 0;
  std::span<const double> values;  // [row][kept series][week]
};
// Where the kept series go when they are wanted whole but not in memory (a file written as the
// run goes). Called once per chunk on the thread that called stream_paths, in chunk order: the
// chunks of a block run in parallel, are held until the block is done (a reorder buffer of
// the block's size, like the partials) and are then handed over in order.
using KeptSink = std::function<void(const KeptChunk&)>;

// With `sink`, every path's kept series also go to it (working_bytes counts the buffer).
StreamOutput stream_paths(const OutputShape& shape, const StreamSpec& spec,
                          const RunOptions& options, const PathFunction& fn,
                          const ScratchFactory& make_scratch, const KeptSink& sink = {});

}  // namespace sim
