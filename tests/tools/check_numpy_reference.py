"""salesim against the independent NumPy implementation of MODEL.md (bench/numpy_reference.py),
statistically: for every plan of the scenario, each figure's mean over paths must agree within
4 combined standard errors (sqrt(se_salesim^2 + se_numpy^2); for a probability, the pooled
binomial standard error, so that two runs that both meet the goal on every path agree). The two
draw different random numbers, so only a difference of mechanism can fail this, and with fixed
seeds it cannot flake.

salesim's figures are read from results.h5's per-path datasets, so every figure has its standard
error: final bookings, P(goal), leavers, final burnout, cost, hires, final headcount, deals won,
opportunities created and lost, hours per rep-week.

Usage: check_numpy_reference.py SALESIM SCENARIO WORKDIR [PATHS]"""
import json, math, os, subprocess, sys

import h5py
import numpy as np

TOLERANCE = 4.0  # combined standard errors
PROBABILITIES = {"goal_met"}
SEED = "20251205"


def main():
    salesim, scenario, work = sys.argv[1:4]
    paths = sys.argv[4] if len(sys.argv) > 4 else "1000"
    os.makedirs(work, exist_ok=True)
    h5, ref = os.path.join(work, "results.h5"), os.path.join(work, "numpy.json")
    reference = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "numpy_reference.py")
    subprocess.run([salesim, "run", scenario, "--paths", paths, "--seed", SEED, "--quiet",
                    "-o", h5], check=True)
    subprocess.run([sys.executable, reference, scenario, "--paths", paths, "--seed", SEED,
                    "--jobs", str(os.cpu_count() or 1), "--json", ref], check=True)
    numpy_plans = {p["name"]: p for p in json.load(open(ref))["plans"]}
    failures, checked = [], 0
    with h5py.File(h5) as f:
        for name, group in f["plans"].items():
            figures = numpy_plans[name]["figures"]
            for key, theirs in figures.items():
                mine = np.asarray(group["paths"][key][...], dtype=float)
                mine = mine[~np.isnan(mine)]
                n1, n2 = len(mine), numpy_plans[name]["paths"]
                m1, m2 = float(mine.mean()), theirs["mean"]
                if key in PROBABILITIES:
                    pooled = (m1 * n1 + m2 * n2) / (n1 + n2)
                    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
                else:
                    se = math.hypot(float(mine.std(ddof=1)) / math.sqrt(n1), theirs["se"])
                z = abs(m1 - m2) / se if se > 0 else (0.0 if m1 == m2 else math.inf)
                line = f"{name:<24}{key:<24}{m1:>16.6g}{m2:>16.6g}{z:>8.2f}"
                print(line)
                checked += 1
                if not z <= TOLERANCE:
                    failures.append(line)
    print(f"{checked} figures compared ({paths} paths each side), "
          f"{len(failures)} beyond {TOLERANCE} combined standard errors")
    expected = len(numpy_plans) * len(next(iter(numpy_plans.values()))["figures"])
    if checked != expected or checked == 0:  # every plan of both sides, every figure
        failures.append(f"{checked} figures compared, {expected} expected")
    for line in failures:
        print("FAIL", line, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
