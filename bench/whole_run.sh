#!/usr/bin/env bash
# Issue 15's target measured as the user meets it: the whole `salesim run` of the example
# (every plan, simulation and summaries) at 20,000 paths, with 1 thread and with all threads.
# Prints the engine's own rep-weeks per second (summary JSON: rep_weeks_per_second), the
# whole-process wall and CPU times, the speed-up from 1 thread to all, and the distance to
# 50 M rep-weeks/s. Figures mean something only on an otherwise idle machine.
# Usage: bench/whole_run.sh [SALESIM] [PATHS] [SCENARIO]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/tools/salesim}
PATHS=${2:-20000}
SCENARIO=${3:-scenarios/nexacorp.yaml}
PY=/usr/bin/python3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ALL=$(nproc)
echo "whole run: $SCENARIO, $PATHS paths per plan, every plan"
printf '%8s %10s %10s %16s %10s\n' threads wall_s cpu_s rep-weeks/s "to 50M"
for T in 1 "$ALL"; do
  /usr/bin/time -f '%e %U %S' -o "$TMP/time" "$BIN" run "$SCENARIO" --paths "$PATHS" \
    --threads "$T" --quiet --json "$TMP/s.json"
  read -r WALL USER SYS <"$TMP/time"
  RATE=$($PY -c "import json,sys; print(json.load(open(sys.argv[1]))['rep_weeks_per_second'])" "$TMP/s.json")
  [ "$T" = 1 ] && BASE=$WALL
  $PY - "$T" "$WALL" "$USER" "$SYS" "$RATE" "$BASE" <<'PYEOF'
import sys
t, wall, user, sys_, rate, base = sys.argv[1], *map(float, sys.argv[2:])
extra = f"   speed-up {base / wall:.2f}x" if t != "1" else ""
print(f"{t:>8} {wall:10.2f} {user + sys_:10.2f} {rate:16.3e} {50e6 / rate:9.1f}x{extra}")
PYEOF
  if [ "$ALL" = 1 ]; then break; fi  # one core: the second run would repeat the first
done
