"""The conditional figures of `salesim run --json` (plans[].conditional) recomputed from the
per-path datasets of results.h5: P(goal) given each checkpoint met or missed, the share that
missed and still reached the goal, the expected shortfall and each later checkpoint.

Usage: check_conditional.py SALESIM SCENARIO WORKDIR"""
import json, math, os, subprocess, sys

import h5py
import numpy as np

MIN_PATHS = 30  # models/conditional.hpp kMinConditionalPaths


def close(a, b, tol=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * (1 + abs(b))


def main():
    salesim, scenario, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    h5, js = os.path.join(work, "results.h5"), os.path.join(work, "summary.json")
    subprocess.run([salesim, "run", scenario, "--paths", "600", "--quiet", "-o", h5, "--json", js],
                   check=True)
    summary = json.load(open(js))
    goal = summary["goal"]["revenue"]
    failures, checked = [], 0
    with h5py.File(h5) as f:
        for plan in summary["plans"]:
            g = f["plans"][plan["name"]]["paths"]
            met = np.asarray(g["checkpoints_met"][...], dtype=bool)
            reached = np.asarray(g["goal_met"][...]) == 1
            shortfall = np.maximum(0.0, goal - np.asarray(g["final_bookings"][...]))
            n = len(reached)
            for fig in plan["conditional"]:
                c = [cp["label"] for cp in plan["checkpoints"]].index(fig["checkpoint"])
                side = met[:, c] if fig["met"] else ~met[:, c]
                m = int(side.sum())
                want = {"paths": m, "p_goal": float(reached[side].mean()) if m >= MIN_PATHS else None}
                if want["p_goal"] is not None:
                    p = want["p_goal"]
                    want["se"] = math.sqrt(p * (1 - p) / m)
                got = {"paths": fig["paths"], "p_goal": fig["p_goal"], "se": fig["se"]}
                if not fig["met"]:
                    want["reached"] = float((side & reached).sum() / n)
                    got["reached"] = fig["reached_goal_share"]["mean"]
                    want["shortfall"] = float(shortfall[side].mean()) if m >= MIN_PATHS else None
                    got["shortfall"] = fig["shortfall"]["mean"]
                    for later in fig["later"]:
                        c2 = [cp["label"] for cp in plan["checkpoints"]].index(later["checkpoint"])
                        key = "later " + later["checkpoint"]
                        want[key] = float(met[side, c2].mean()) if m >= MIN_PATHS else None
                        got[key] = later["p_met"]
                for k, v in want.items():
                    checked += 1
                    if k == "paths" and v != got[k] or k != "paths" and not close(got.get(k), v):
                        failures.append(f"{plan['name']} / {fig['given']} / {k}: JSON {got.get(k)}, "
                                        f"results.h5 {v}")
    print("\n".join(failures) if failures else f"{checked} conditional figures equal results.h5")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
