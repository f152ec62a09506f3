#!/usr/bin/env bash
# Issue 15's side-by-side target: salesim runs the whole example (`salesim run
# scenarios/nexacorp.yaml`: 40 reps, 4 stages, 52 weeks, 4 plans) at >= 20 times the speed of
# the vectorised NumPy implementation of the same model (bench/numpy_reference.py).
#
# Both run the same case, every plan, the same paths per plan, and all cores: salesim with its
# threads (the default), NumPy with the plans in $(nproc) processes (--jobs), because NumPy's
# kernels (the binomial and Poisson draws, the array arithmetic) run on one core. Three runs of
# each, alternated; the medians of the whole-process wall time (start-up, YAML, simulation,
# summaries; /usr/bin/time), the rep-weeks simulated over that time, and the ratio. The
# in-process figures (salesim's JSON rep_weeks_per_second, simulation and summaries; NumPy's
# simulation only) are printed beside them. Figures mean something only on an idle machine.
# Usage: bench/vs_numpy.sh [SALESIM] [PATHS] [NUMPY_PATHS] [RUNS]
#   NUMPY_PATHS (default PATHS): fewer paths keep NumPy's run short; its rate is per rep-week,
#   so the ratio stays comparable (a run's fixed costs then weigh more on NumPy's side).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/tools/salesim}
PATHS=${2:-2000}
NP_PATHS=${3:-$PATHS}
RUNS=${4:-3}
SCENARIO=scenarios/nexacorp.yaml
PY=/usr/bin/python3
JOBS=$(nproc)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "salesim vs NumPy: $SCENARIO, every plan, $PATHS paths per plan (NumPy: $NP_PATHS), $JOBS cores"
echo "salesim: $($BIN --version 2>/dev/null | head -1)"
echo "NumPy:   $($PY -c 'import numpy, sys; print("numpy", numpy.__version__, "python", sys.version.split()[0])'), plans in $JOBS processes"
printf '%-8s %4s %8s %12s %14s %14s %8s %14s\n' side run wall_s rep-weeks "rep-weeks/s" \
  "in-process/s" cpu_s "per cpu-s"
for i in $(seq 1 "$RUNS"); do
  /usr/bin/time -f '%e %U %S' -o "$TMP/t" "$BIN" run "$SCENARIO" --paths "$PATHS" --quiet \
    --json "$TMP/s.json"
  $PY - salesim "$i" $(cat "$TMP/t") "$TMP/s.json" >>"$TMP/rows" <<'PYEOF'
import json, sys
side, run, path = sys.argv[1], sys.argv[2], sys.argv[6]
wall, cpu = float(sys.argv[3]), float(sys.argv[4]) + float(sys.argv[5])
d = json.load(open(path))
weeks = sum(p["people"]["rep_weeks"] for p in d["plans"])
print(side, run, wall, int(weeks), weeks / wall, d["rep_weeks_per_second"], cpu, weeks / cpu)
PYEOF
  /usr/bin/time -f '%e %U %S' -o "$TMP/t" $PY bench/numpy_reference.py "$SCENARIO" --paths "$NP_PATHS" \
    --jobs "$JOBS" --json "$TMP/n.json" >/dev/null
  $PY - numpy "$i" $(cat "$TMP/t") "$TMP/n.json" >>"$TMP/rows" <<'PYEOF'
import json, sys
side, run, path = sys.argv[1], sys.argv[2], sys.argv[6]
wall, cpu = float(sys.argv[3]), float(sys.argv[4]) + float(sys.argv[5])
d = json.load(open(path))
w = d["rep_weeks"]
print(side, run, wall, w, w / wall, d["rep_weeks_per_second"], cpu, w / cpu)
PYEOF
  tail -2 "$TMP/rows" | while read -r SIDE RUN WALL WEEKS RATE INPROC CPU PERCPU; do
    printf '%-8s %4s %8.2f %12d %14.3e %14.3e %8.2f %14.3e\n' "$SIDE" "$RUN" "$WALL" "$WEEKS" \
      "$RATE" "$INPROC" "$CPU" "$PERCPU"
  done
done
$PY - "$TMP/rows" <<'PYEOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for side in ("salesim", "numpy"):
    r = [x for x in rows if x[0] == side]
    med[side] = [statistics.median(float(x[k]) for x in r) for k in (2, 4, 5, 6, 7)]
    print(f"median {side:<8} wall {med[side][0]:8.2f} s   {med[side][1]:.3e} rep-weeks/s "
          f"(in-process {med[side][2]:.3e})   cpu {med[side][3]:.2f} s "
          f"({med[side][4]:.3e} rep-weeks per cpu-s)")
ratio = med["salesim"][1] / med["numpy"][1]
inproc = med["salesim"][2] / med["numpy"][2]
per_cpu = med["salesim"][4] / med["numpy"][4]
print(f"ratio salesim / NumPy, whole process: {ratio:.1f}x (in-process: {inproc:.1f}x, "
      f"per CPU-second: {per_cpu:.1f}x); issue 15's target 20x: {'met' if ratio >= 20 else 'not met'}")
PYEOF
