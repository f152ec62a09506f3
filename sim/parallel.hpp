#pragma once
// Parallel loops where each index writes only its own results, so the outcome is the same for
// any thread count: the path runners' chunks and a run's summaries.
#include <cstddef>
#include <functional>

namespace sim {

// fn(i) for every i in [0, n), in parallel in the calling thread's arena (inside with_threads,
// its thread count; elsewhere oneTBB's default). Exceptions reach the caller.
void parallel_each(std::size_t n, const std::function<void(std::size_t)>& fn);

// Runs fn with at most `threads` threads (resolve_threads: 0 is all cores) for the parallel
// loops inside it (a ThreadAllowance and an arena of that many threads).
void with_threads(int threads, const std::function<void()>& fn);

}  // namespace sim
