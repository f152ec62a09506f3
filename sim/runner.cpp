#include "runner.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>

#include "sim/distributed.hpp"
#include "sim/parallel.hpp"

namespace sim {

int resolve_threads(int threads) {
  if (threads > 0) return threads;
  // The cores this process may use (its affinity). A launcher that bound it to some of them
  // (mpirun binds each rank to a core or a socket by default) has already shared the machine
  // out; ranks left unbound on one machine share its cores instead of each taking them all.
  const int allowed = tbb::info::default_concurrency();
  const int machine = int(std::thread::hardware_concurrency());
  if (machine > 0 && allowed < machine) return std::max(1, allowed);
  return std::max(1, allowed / sim::dist::local_size());
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

OutputShape joined_shape(const std::vector<OutputShape>& groups) {
  OutputShape all;
  if (!groups.empty()) all.weeks = groups.front().weeks;
  for (const OutputShape& g : groups) {
    if (g.weeks != all.weeks)
      throw std::invalid_argument("run_path_groups: groups of different weeks");
    all.scalars += g.scalars, all.kept_series += g.kept_series,
        all.summed_series += g.summed_series;
  }
  return all;
}

RunOutput run_paths(const OutputShape& shape, const RunOptions& options, const PathFunction& fn,
                    const ScratchFactory& make_scratch) {
  return std::move(run_path_groups({shape}, options, fn, make_scratch).front());
}

std::vector<RunOutput> run_path_groups(const std::vector<OutputShape>& groups,
                                       const RunOptions& options, const PathFunction& fn,
                                       const ScratchFactory& make_scratch) {
  const OutputShape all = joined_shape(groups);
  const std::size_t n = options.paths, W = all.weeks, G = groups.size();
  std::vector<RunOutput> outs(G);
  // Where each group's slots start in the joined slots.
  std::vector<std::size_t> s0(G, 0), k0(G, 0), m0(G, 0);
  for (std::size_t g = 0; g < G; ++g) {
    RunOutput& out = outs[g];
    const OutputShape& shape = groups[g];
    out.shape = shape;
    out.paths = n;
    out.first_path = options.first_path;
    out.scalars.assign(n * shape.scalars, 0.0);
    out.kept.assign(shape.kept_series * W * n, 0.0);
    out.sums.assign(shape.summed_series * W, 0.0);
    if (g + 1 < G) {
      s0[g + 1] = s0[g] + shape.scalars;
      k0[g + 1] = k0[g] + shape.kept_series * W;
      m0[g + 1] = m0[g] + shape.summed_series * W;
    }
  }
  if (n == 0) return outs;

  const std::size_t chunk = std::max<std::size_t>(1, options.chunk);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  // [chunk][joined summed series][week]; group g's are the chunk's entries from m0[g] on.
  const std::size_t SW = all.summed_series * W;
  std::vector<double> chunk_sums(chunks * SW, 0.0);

  tbb::enumerable_thread_specific<ThreadBuffers> tls([&] {
    ThreadBuffers b;
    b.scratch = make_scratch();
    b.scalars.resize(all.scalars);
    b.kept.resize(all.kept_series * W);
    b.summed.resize(SW);
    return b;
  });

  std::atomic<std::size_t> done{0};
  auto run_chunk = [&](std::size_t c) {
    ThreadBuffers& b = tls.local();
    double* csum = chunk_sums.data() + c * SW;
    const std::size_t lo = c * chunk, hi = std::min(n, lo + chunk);
    for (std::size_t i = lo; i < hi; ++i) {
      std::fill(b.summed.begin(), b.summed.end(), 0.0);
      PathSlots slots{b.scalars, b.kept, b.summed};
      fn(options.first_path + i, *b.scratch, slots);
      for (std::size_t g = 0; g < G; ++g) {
        RunOutput& out = outs[g];
        const OutputShape& shape = groups[g];
        std::copy_n(b.scalars.begin() + std::ptrdiff_t(s0[g]), shape.scalars,
                    out.scalars.begin() + std::ptrdiff_t(i * shape.scalars));
        for (std::size_t sw = 0; sw < shape.kept_series * W; ++sw)
          out.kept[sw * n + i] = b.kept[k0[g] + sw];
      }
      for (std::size_t k = 0; k < SW; ++k) csum[k] += b.summed[k];
    }
    if (options.progress) options.progress(done.fetch_add(hi - lo) + (hi - lo));
  };
  with_threads(options.threads, [&] { parallel_each(chunks, run_chunk); });

  for (std::size_t g = 0; g < G; ++g) {
    RunOutput& out = outs[g];
    const std::size_t gw = groups[g].summed_series * W;
    for (std::size_t c = 0; c < chunks; ++c)  // fixed order: chunk 0, 1, 2, ...
      for (std::size_t k = 0; k < gw; ++k) out.sums[k] += chunk_sums[c * SW + m0[g] + k];
    if (options.keep_chunk_partials) {
      out.chunk_sums.resize(chunks * gw);
      for (std::size_t c = 0; c < chunks; ++c)
        std::copy_n(chunk_sums.begin() + std::ptrdiff_t(c * SW + m0[g]), gw,
                    out.chunk_sums.begin() + std::ptrdiff_t(c * gw));
    }
  }
  return outs;
}

}  // namespace sim
