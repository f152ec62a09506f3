#!/usr/bin/env bash
# Peak memory (maximum resident set size, from /usr/bin/time -v) of `salesim run` against the
# path count, streamed (--streaming) and stored, on the example scenario. Prints a Markdown table
# for docs/performance.md ("Memory and path count").
#   [PLANS=a,b] scripts/memory_vs_paths.sh [SALESIM] [STREAMED_PATHS] [STORED_PATHS]
# Defaults: build/tools/salesim, "1000 10000 100000 1000000", "1000 10000 100000" (an empty
# list skips that mode), PLANS=baseline. One plan keeps the 1M point to about seven minutes on
# an idle two-core machine (about 2500 paths/s per plan).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
salesim="${1:-$here/build/tools/salesim}"
streamed_paths="${2-1000 10000 100000 1000000}"
stored_paths="${3-1000 10000 100000}"
plans="${PLANS:-baseline}"
scenario="$here/scenarios/nexacorp.yaml"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

measure() {  # mode paths -> "| mode | paths | MiB | seconds |"
  local mode="$1" paths="$2" flag=""
  [[ "$mode" == streamed ]] && flag="--streaming"
  /usr/bin/time -v "$salesim" run "$scenario" --quiet --plans "$plans" --paths "$paths" \
    $flag 2>"$log" >/dev/null
  local kb secs
  kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
  secs="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")"
  printf '| %s | %s | %.0f | %s |\n' "$mode" "$paths" "$(echo "$kb / 1024" | bc -l)" "$secs"
}

echo "| mode | paths per plan | peak RSS (MiB) | wall time (m:ss) |"
echo "|---|---:|---:|---:|"
for n in $stored_paths; do measure stored "$n"; done
for n in $streamed_paths; do measure streamed "$n"; done
