#include "runner.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <memory>

#include "sim/distributed.hpp"

namespace sim {

int resolve_threads(int threads) {
  if (threads > 0) return threads;
  // Ranks of an MPI job on the same machine share its cores instead of each taking them all.
  return std::max(1, tbb::info::default_concurrency() / sim::dist::local_size());
}

ThreadAllowance::ThreadAllowance(int threads) {
  const int n = resolve_threads(threads);
  if (n > tbb::info::default_concurrency())
    control_ = std::make_shared<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                     std::size_t(n));
}

ThreadAllowance::~ThreadAllowance() = default;

namespace {
struct ThreadBuffers {
  std::unique_ptr<Scratch> scratch;
  std::vector<double> scalars, kept, summed;
};
}  // namespace

RunOutput run_paths(const OutputShape& shape, const RunOptions& options, const PathFunction& fn,
                    const ScratchFactory& make_scratch) {
  RunOutput out;
  out.shape = shape;
  out.paths = options.paths;
  out.first_path = options.first_path;
  const std::size_t n = options.paths, W = shape.weeks;
  out.scalars.assign(n * shape.scalars, 0.0);
  out.kept.assign(shape.kept_series * W * n, 0.0);
  out.sums.assign(shape.summed_series * W, 0.0);
  if (n == 0) return out;

  const std::size_t chunk = std::max<std::size_t>(1, options.chunk);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  std::vector<double> chunk_sums(chunks * shape.summed_series * W, 0.0);

  tbb::enumerable_thread_specific<ThreadBuffers> tls([&] {
    ThreadBuffers b;
    b.scratch = make_scratch();
    b.scalars.resize(shape.scalars);
    b.kept.resize(shape.kept_series * W);
    b.summed.resize(shape.summed_series * W);
    return b;
  });

  std::atomic<std::size_t> done{0};
  auto body = [&](const tbb::blocked_range<std::size_t>& r) {
    ThreadBuffers& b = tls.local();
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      double* csum = chunk_sums.data() + c * shape.summed_series * W;
      const std::size_t lo = c * chunk, hi = std::min(n, lo + chunk);
      for (std::size_t i = lo; i < hi; ++i) {
        std::fill(b.summed.begin(), b.summed.end(), 0.0);
        PathSlots slots{b.scalars, b.kept, b.summed};
        fn(options.first_path + i, *b.scratch, slots);
        std::copy(b.scalars.begin(), b.scalars.end(), out.scalars.begin() + i * shape.scalars);
        for (std::size_t s = 0; s < shape.kept_series; ++s)
          for (std::size_t w = 0; w < W; ++w) out.kept[(s * W + w) * n + i] = b.kept[s * W + w];
        for (std::size_t k = 0; k < b.summed.size(); ++k) csum[k] += b.summed[k];
      }
      if (options.progress) options.progress(done.fetch_add(hi - lo) + (hi - lo));
    }
  };

  const ThreadAllowance allowance(options.threads);
  tbb::task_arena arena(resolve_threads(options.threads));
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), body,
                      tbb::simple_partitioner());
  });

  for (std::size_t c = 0; c < chunks; ++c)  // fixed order: chunk 0, 1, 2, ...
    for (std::size_t k = 0; k < out.sums.size(); ++k)
      out.sums[k] += chunk_sums[c * out.sums.size() + k];
  if (options.keep_chunk_partials) out.chunk_sums = std::move(chunk_sums);
  return out;
}

}  // namespace sim
