#include "sim/parallel.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "sim/runner.hpp"

namespace sim {

void parallel_each(std::size_t n, const std::function<void(std::size_t)>& fn) {
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, n, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) fn(i);
      },
      tbb::simple_partitioner());
}

void with_threads(int threads, const std::function<void()>& fn) {
  const ThreadAllowance allowance(threads);
  tbb::task_arena arena(resolve_threads(threads));
  arena.execute(fn);
}

}  // namespace sim
