#pragma once
// Parallel loops for the work around a run (its summaries), where each index writes only its
// own results: the outcome is the same for any thread count.
#include <cstddef>
#include <functional>

namespace sim {

// fn(i) for every i in [0, n), in parallel in the calling thread's arena (inside with_threads,
// its thread count; elsewhere oneTBB's default). Exceptions reach the caller.
void parallel_each(std::size_t n, const std::function<void(std::size_t)>& fn);

// Runs fn with at most `threads` threads (resolve_threads: 0 is all cores) for the parallel
// loops inside it, as run_paths runs its paths.
void with_threads(int threads, const std::function<void()>& fn);

}  // namespace sim
