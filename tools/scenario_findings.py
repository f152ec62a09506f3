#!/usr/bin/python3
"""Findings tables and regression baselines for the example scenarios.

usage:
  tools/scenario_findings.py SALESIM --docs docs/scenarios.md
      run every scenarios/*.yaml at its own path count and rewrite the tables between the
      <!-- findings: FILE --> and <!-- /findings --> markers of the docs file
  tools/scenario_findings.py SALESIM --update-baselines
      store the key figures of every scenario (400 paths) in tests/baselines/NAME.json
  tools/scenario_findings.py SALESIM --check-baselines
      rerun and compare with the stored figures; a figure fails when it moved by more than
      4 combined standard errors (exit 1)
"""
import argparse, json, math, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE_PATHS = 400


def run(salesim, scenario, paths=None):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "s.json")
        cmd = [salesim, "run", scenario, "--quiet", "--json", out]
        if paths:
            cmd += ["--paths", str(paths)]
        subprocess.run(cmd, check=True)
        return json.load(open(out))


def scenarios():
    d = os.path.join(ROOT, "scenarios")
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".yaml"))


def money(v):
    if v is None:
        return "-"
    a = abs(v)
    return f"{v / 1e6:.2f}M" if a >= 1e6 else f"{v / 1e3:.0f}k"


def pct(p):
    return "-" if p is None or p.get("p_met") is None else f"{100 * p['p_met']:.1f}% ± {100 * p['se']:.1f}"


def table(summary):
    plans = summary["plans"]
    cps = [c["label"] for c in plans[0]["checkpoints"]]
    head = ["plan", "P(goal)"] + [f"P({c})" for c in cps] + [
        "median bookings", "P10-P90", "cost", "profit", "ROI vs first", "burnout", "burnt out", "leavers"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for p in plans:
        fb = p["final_bookings"]
        vs = p.get("vs_first")
        roi = "-" if not vs or vs["roi"] is None else f"{vs['roi']:.2f}"
        cells = [f"`{p['name']}`", pct(p["goal"])] + [pct(c) for c in p["checkpoints"]] + [
            money(fb["p50"]), f"{money(fb['p10'])}-{money(fb['p90'])}", money(p["cost"]["mean"]),
            money(p["profit"]["mean"]), roi, f"{p['people']['burnout_mean_final']:.2f}",
            f"{100 * p['people']['burnt_out_share_final']:.1f}%", f"{p['people']['leavers_mean']:.1f}"]
        rows.append("| " + " | ".join(cells) + " |")
    note = (f"\n{summary['paths']} paths per plan, seed {summary['seed']}; ± is one standard error. "
            f"ROI: incremental profit per unit of incremental cost against the first plan.\n")
    return "\n".join(rows) + "\n" + note


def update_docs(salesim, docs):
    text = open(docs).read()
    for path in scenarios():
        name = os.path.basename(path)
        pattern = re.compile(rf"(<!-- findings: {re.escape(name)} -->\n).*?(<!-- /findings -->)", re.S)
        if not pattern.search(text):
            print(f"{docs}: no findings markers for {name}; skipped", file=sys.stderr)
            continue
        body = table(run(salesim, path))
        text = pattern.sub(lambda m: m.group(1) + body + m.group(2), text)
    tmp = docs + ".tmp"
    open(tmp, "w").write(text)
    os.replace(tmp, docs)


def key_figures(summary):
    out = {}
    for p in summary["plans"]:
        f = {"final_bookings": [p["final_bookings"]["mean"], p["final_bookings"]["se"]],
             "cost": [p["cost"]["mean"], p["cost"]["se"]]}
        if p["goal"]["p_met"] is not None:
            f["p_goal"] = [p["goal"]["p_met"], p["goal"]["se"]]
        for c in p["checkpoints"]:
            f[f"p_{c['label']}"] = [c["p_met"], c["se"]]
        out[p["name"]] = f
    return out


def baseline_path(scenario):
    return os.path.join(ROOT, "tests", "baselines", os.path.basename(scenario).replace(".yaml", ".json"))


def update_baselines(salesim):
    for path in scenarios():
        data = {"paths": BASELINE_PATHS, "figures": key_figures(run(salesim, path, BASELINE_PATHS))}
        tmp = baseline_path(path) + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")
        os.replace(tmp, baseline_path(path))
        print("wrote", baseline_path(path))


def check_baselines(salesim):
    failures = []
    for path in scenarios():
        bp = baseline_path(path)
        if not os.path.exists(bp):
            failures.append(f"{bp}: missing (run with --update-baselines)")
            continue
        stored = json.load(open(bp))
        now = key_figures(run(salesim, path, stored["paths"]))
        for plan, figs in stored["figures"].items():
            if plan not in now:
                failures.append(f"{path}: plan {plan} is gone")
                continue
            for k, (m0, se0) in figs.items():
                m1, se1 = now[plan].get(k, [None, None])
                if m1 is None:
                    failures.append(f"{path}: {plan}.{k} is gone")
                    continue
                if k.startswith("p_"):  # a probability of 0 or 1 has se 0: floor it at 1/paths
                    se0, se1 = max(se0, 1 / stored["paths"]), max(se1, 1 / stored["paths"])
                tol = 4 * math.sqrt(se0 ** 2 + se1 ** 2) + 1e-9 * max(1.0, abs(m0))
                if abs(m1 - m0) > tol:
                    failures.append(f"{path}: {plan}.{k} moved from {m0:.6g} to {m1:.6g} "
                                    f"(tolerance {tol:.3g}, 4 combined standard errors)")
    print("\n".join(failures) if failures else "every scenario matches its baseline")
    return 1 if failures else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("salesim")
    ap.add_argument("--docs")
    ap.add_argument("--update-baselines", action="store_true")
    ap.add_argument("--check-baselines", action="store_true")
    a = ap.parse_args()
    if a.docs:
        update_docs(a.salesim, a.docs)
    if a.update_baselines:
        update_baselines(a.salesim)
    if a.check_baselines:
        sys.exit(check_baselines(a.salesim))
