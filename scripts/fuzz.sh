#!/usr/bin/env bash
# Fuzzes salesim's input readers with libFuzzer (docs/fuzzing.md): configures and builds a clang
# build with -DSALESIM_FUZZ=ON in build-fuzz, runs each target for a while, one after another
# (one process, one core), and prints per target the executions, the coverage, the corpus and
# the distinct crashes, hangs and out-of-memory inputs it found.
#
#   scripts/fuzz.sh [-t SECONDS] [TARGET...]     targets: scenario csv results (default: all)
#
#   -t SECONDS   time per target (default 60)
#   environment: FUZZ_BUILD   build folder (default build-fuzz)
#                FUZZ_FORK=0  one fuzzing process that stops at the first finding, instead of
#                             libFuzzer's -fork=1 mode, which goes on after crashes and hangs
#                FUZZ_ARGS    more libFuzzer options, e.g. FUZZ_ARGS='-max_len=4096'
#                CC, CXX      the compilers (default clang, clang++)
#
# Needs clang and libFuzzer (Debian: apt-get install clang libfuzzer-14-dev). The corpus grows in
# FUZZ_BUILD/fuzz-work/corpus/<target> (fuzz/corpus/<target> are the committed seeds, read-only);
# findings go to FUZZ_BUILD/fuzz-work/artifacts/<target>/. A finding worth keeping is minimised
# (`FUZZ_BUILD/fuzz/fuzz_<target> -minimize_crash=1 -runs=10000 FILE`) and committed under
# fuzz/crashes/<target>/, where tests/test_mutation.cpp replays it on every test run.
set -euo pipefail
cd "$(dirname "$0")/.."

per_target=60
while getopts "t:h" opt; do
  case $opt in
    t) per_target=$OPTARG ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario csv results)
for t in "${targets[@]}"; do
  [ -d "fuzz/corpus/$t" ] || { echo "fuzz.sh: unknown target '$t' (scenario, csv, results)" >&2; exit 2; }
done

build=${FUZZ_BUILD:-build-fuzz}
export CC=${CC:-clang} CXX=${CXX:-clang++}
command -v "$CXX" >/dev/null || { echo "fuzz.sh: $CXX not found; apt-get install clang libfuzzer-14-dev" >&2; exit 2; }
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DSALESIM_FUZZ=ON -DSALESIM_BUILD_TESTS=OFF \
    -DSALESIM_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" --target $(printf 'fuzz_%s ' "${targets[@]}")

work=$build/fuzz-work
mkdir -p "$work"
summary=$work/summary.txt
: >"$summary"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# The first line that says what went wrong when FILE is run again.
signature() {
  local bin=$1 file=$2 out s
  out=$(timeout 60 "$bin" -runs=1 -timeout=10 "$file" 2>&1 || true)
  s=$(grep -m1 -E 'runtime error:|terminate called|SUMMARY: |ERROR: libFuzzer: (timeout|out-of-memory)' <<<"$out" |
      sed -E 's/==[0-9]+==//; s/ ?\(BuildId: [0-9a-f]+\)//g; s/\+0x[0-9a-f]+//g; s/0x[0-9a-f]+/0x.../g; s/ +/ /g' || true)
  echo "${s:-(does not reproduce when run again)}"
}

for t in "${targets[@]}"; do
  bin=$build/fuzz/fuzz_$t
  corpus=$work/corpus/$t
  artifacts=$work/artifacts/$t
  log=$work/$t.log
  mkdir -p "$corpus" "$artifacts"
  opts=(-max_total_time="$per_target" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$artifacts/")
  [ -f "fuzz/$t.dict" ] && opts+=(-dict="fuzz/$t.dict")
  if [ "${FUZZ_FORK:-1}" != 0 ]; then
    opts+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  before=$(find "$artifacts" -type f | wc -l)
  echo "== fuzz_$t: ${per_target}s, log $log"
  set +e
  # shellcheck disable=SC2086
  "$bin" "${opts[@]}" ${FUZZ_ARGS:-} "$corpus" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  # The last status line: "#N: cov: C ft: F corp: K exec/s: E oom/timeout/crash: a/b/c time: Ts"
  # (fork mode) or "#N DONE cov: C ft: F corp: K/size ... exec/s: E" (one process).
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  stat_execs=$(sed -nE 's/^stat::number_of_executed_units: ([0-9]+)/\1/p' "$log" | tail -1)
  if [ "${FUZZ_FORK:-1}" = 0 ] && [ -n "$stat_execs" ]; then execs=$stat_execs; fi
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  rate=$(sed -nE 's/.* exec\/s:? ([0-9]+).*/\1/p' <<<"$last")  # the last interval's rate
  secs=$(sed -nE 's/.* time: ([0-9]+)s.*/\1/p' <<<"$last")
  [ -n "$secs" ] || secs=$per_target
  [ -n "$execs" ] && [ "$secs" -gt 0 ] && rate=$((execs / secs))
  units=$(find "$corpus" -type f | wc -l)
  seeds=$(find "fuzz/corpus/$t" -type f | wc -l)
  found=$(( $(find "$artifacts" -type f | wc -l) - before ))
  {
    echo "fuzz_$t: ${per_target}s, ${execs:-?} executions (${rate:-?}/s on average), coverage ${cov:-?} edges," \
      "${ft:-?} features, corpus $units units (+$seeds seeds), $found new findings, exit $rc"
    # Distinct findings among all artifacts of this target, by what they report.
    declare -A seen=()
    declare -A example=()
    while IFS= read -r -d '' f; do
      s=$(signature "$bin" "$f")
      seen[$s]=$(( ${seen[$s]:-0} + 1 ))
      example[$s]=$f
    done < <(find "$artifacts" -type f -print0 | sort -z)
    for s in "${!seen[@]}"; do
      echo "  ${seen[$s]}x  $s"
      echo "       e.g. ${example[$s]}"
    done
    unset seen example
  } | tee -a "$summary"
done
echo "summary: $summary"
