#include "sim/stream_runner.hpp"

#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <stdexcept>

#include "sim/parallel.hpp"

namespace sim {

const QuantileSketch& StreamOutput::scalar_sketch(std::size_t scalar) const {
  for (std::size_t i = 0; i < spec.sketched_scalars.size(); ++i)
    if (spec.sketched_scalars[i] == scalar) return scalar_sketches[i];
  throw std::out_of_range("StreamOutput: scalar has no sketch");
}

void fold_chunk(StreamOutput& out, const Moments* m, const double* csum) {
  const std::size_t S = out.scalars.size();
  for (std::size_t k = 0; k < S; ++k) out.scalars[k].merge(m[k]);
  for (std::size_t k = 0; k < out.kept.size(); ++k) out.kept[k].merge(m[S + k]);
  for (std::size_t k = 0; k < out.sums.size(); ++k) out.sums[k] += csum[k];
}

namespace {
struct ThreadState {
  std::unique_ptr<Scratch> scratch;
  std::vector<double> scalars, kept, summed;
  // Sketch merges are exact, so per-thread sketches may be merged in any order.
  std::vector<QuantileSketch> scalar_sketches, kept_sketches;
};
}  // namespace

StreamOutput empty_stream_output(const OutputShape& shape, const StreamSpec& spec,
                                 const RunOptions& options) {
  const std::size_t KW = shape.kept_series * shape.weeks;
  StreamOutput out;
  out.shape = shape;
  out.spec = spec;
  out.paths = options.paths;
  out.first_path = options.first_path;
  out.scalars.assign(shape.scalars, {});
  out.kept.assign(KW, {});
  out.sums.assign(shape.summed_series * shape.weeks, 0.0);
  const QuantileSketch empty(spec.relative_error);
  out.scalar_sketches.assign(spec.sketched_scalars.size(), empty);
  if (spec.sketch_kept) out.kept_sketches.assign(KW, empty);
  return out;
}

StreamOutput stream_paths(const OutputShape& shape, const StreamSpec& spec,
                          const RunOptions& options, const PathFunction& fn,
                          const ScratchFactory& make_scratch, const KeptSink& sink) {
  const std::size_t n = options.paths, W = shape.weeks;
  const std::size_t S = shape.scalars, KW = shape.kept_series * W, SW = shape.summed_series * W;
  StreamOutput out = empty_stream_output(shape, spec, options);

  // Chunks run in blocks; a block's per-chunk partials are folded in chunk order before the
  // next block starts. The block size changes only memory and barrier count, never the bits.
  const int threads = resolve_threads(options.threads);
  const std::size_t chunk = std::max<std::size_t>(1, options.chunk);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  const std::size_t block = std::max<std::size_t>(16, 8 * std::size_t(threads));
  const std::size_t per_chunk = S + KW;
  std::vector<Moments> part(block * per_chunk);
  std::vector<double> part_sums(block * SW);
  // With a sink, each chunk's rows of kept series wait here until their block is done.
  std::vector<double> part_kept(sink ? block * chunk * KW : 0);
  out.working_bytes =
      part.size() * sizeof(Moments) + (part_sums.size() + part_kept.size()) * sizeof(double);
  if (n == 0) return out;

  tbb::enumerable_thread_specific<ThreadState> tls([&] {
    ThreadState t;
    t.scratch = make_scratch();
    t.scalars.resize(S), t.kept.resize(KW), t.summed.resize(SW);
    t.scalar_sketches = out.scalar_sketches;
    t.kept_sketches = out.kept_sketches;
    return t;
  });

  std::atomic<std::size_t> done{0};
  auto run_chunk = [&](std::size_t c, std::size_t slot) {
    ThreadState& t = tls.local();
    Moments* m = part.data() + slot * per_chunk;
    double* csum = part_sums.data() + slot * SW;
    double* rows = sink ? part_kept.data() + slot * chunk * KW : nullptr;
    std::fill(m, m + per_chunk, Moments{});
    std::fill(csum, csum + SW, 0.0);
    const std::size_t lo = c * chunk, hi = std::min(n, lo + chunk);
    for (std::size_t i = lo; i < hi; ++i) {
      std::fill(t.summed.begin(), t.summed.end(), 0.0);
      PathSlots slots{t.scalars, t.kept, t.summed};
      fn(options.first_path + i, *t.scratch, slots);
      for (std::size_t k = 0; k < S; ++k) m[k].add(t.scalars[k]);
      for (std::size_t k = 0; k < KW; ++k) m[S + k].add(t.kept[k]);
      for (std::size_t k = 0; k < SW; ++k) csum[k] += t.summed[k];
      if (rows) std::copy(t.kept.begin(), t.kept.end(), rows + (i - lo) * KW);
      for (std::size_t j = 0; j < spec.sketched_scalars.size(); ++j)
        t.scalar_sketches[j].add(t.scalars[spec.sketched_scalars[j]]);
      for (std::size_t k = 0; k < t.kept_sketches.size(); ++k) t.kept_sketches[k].add(t.kept[k]);
    }
    if (options.progress) options.progress(done.fetch_add(hi - lo) + (hi - lo));
  };

  with_threads(threads, [&] {
    for (std::size_t c0 = 0; c0 < chunks; c0 += block) {
      const std::size_t c1 = std::min(chunks, c0 + block);
      parallel_each(c1 - c0, [&](std::size_t j) { run_chunk(c0 + j, j); });
      for (std::size_t c = c0; c < c1; ++c) {  // fixed order: chunk c0, c0 + 1, ...
        const Moments* m = part.data() + (c - c0) * per_chunk;
        const double* csum = part_sums.data() + (c - c0) * SW;
        fold_chunk(out, m, csum);
        if (sink) {
          const std::size_t lo = c * chunk, rows = std::min(n, lo + chunk) - lo;
          sink({lo, rows, {part_kept.data() + (c - c0) * chunk * KW, rows * KW}});
        }
        if (options.keep_chunk_partials) {
          out.chunk_moments.insert(out.chunk_moments.end(), m, m + per_chunk);
          out.chunk_sums.insert(out.chunk_sums.end(), csum, csum + SW);
        }
      }
    }
  });
  for (const ThreadState& t : tls) {
    for (std::size_t j = 0; j < t.scalar_sketches.size(); ++j)
      out.scalar_sketches[j].merge(t.scalar_sketches[j]);
    for (std::size_t k = 0; k < t.kept_sketches.size(); ++k)
      out.kept_sketches[k].merge(t.kept_sketches[k]);
  }
  return out;
}

}  // namespace sim
