#!/usr/bin/env bash
# The benchmark suite (docs/performance.md): Google Benchmark micro-benchmarks of the random
# streams, the samplers, the weekly step and whole paths scaled in reps and weeks; then the
# whole-run benchmark of the example scenario with 1 thread and all threads.
# Usage: scripts/bench.sh [--quick]     (--quick: shorter measurements, for a smoke test)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSALESIM_BUILD_BENCH=ON >/dev/null
cmake --build build --target salesim salesim_microbench
MIN_TIME=0.5; PATHS=4000; REPEATS=5
if [ "${1:-}" = "--quick" ]; then MIN_TIME=0.01; PATHS=256; REPEATS=1; fi
echo "== micro-benchmarks (1 thread; items/s = draws/s, or rep-weeks/s for the engine)"
build/bench/salesim_microbench --benchmark_min_time="$MIN_TIME"
echo "== whole run: scenarios/nexacorp.yaml, first plan, 52 weeks"
build/tools/salesim bench scenarios/nexacorp.yaml --paths "$PATHS" --repeats "$REPEATS"
echo "== whole process: every plan of scenarios/nexacorp.yaml (the issue-15 target)"
if [ "${1:-}" = "--quick" ]; then bench/whole_run.sh build/tools/salesim 256; else bench/whole_run.sh; fi
