"""Runs a salesim command in one process and under `mpirun -np N`, and checks that the outputs
are the same: JSON equal once the timing and rank-count fields are removed, CSV byte for byte,
HDF5 datasets equal bit for bit (and attributes, but for the creation time, the checksum over
them and threads/ranks).

usage: check_mpi.py SALESIM MPIRUN SOURCE_DIR WORKDIR NP CASE
CASE: run | run-streaming | sweep | batch | bad-input | rank-failure | different-files
"""
import json
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

SALESIM, MPIRUN, SRC, WORK, NP, CASE = sys.argv[1:7]
NP = int(NP)
SCENARIO = os.path.join(SRC, "scenarios", "nexacorp.yaml")
# Fields that say how the work ran, not what it found.
RUN_FIELDS = {"elapsed_seconds", "rep_weeks_per_second", "threads", "ranks"}
SKIP_ATTRS = {"created", "checksum", "threads", "ranks"}

env = dict(os.environ)
# CI machines run as root and may have no network but loopback: shared memory and self only.
env.update({"OMPI_MCA_btl": "self,vader", "OMPI_MCA_rmaps_base_oversubscribe": "1",
            "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
            "OMPI_MCA_btl_vader_single_copy_mechanism": "none"})


def salesim(args, out, mpi):
    cmd = [SALESIM] + [a.replace("OUT", out) for a in args]
    if mpi:
        cmd = [MPIRUN, "--allow-run-as-root", "--oversubscribe", "-np", str(NP)] + cmd
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    return p


def strip(j):
    if isinstance(j, dict):
        return {k: strip(v) for k, v in j.items() if k not in RUN_FIELDS}
    if isinstance(j, list):
        return [strip(v) for v in j]
    return j


failures = []


def fail(msg):
    failures.append(msg)
    print("DIFFERENT:", msg)


def same_json(a, b):
    with open(a) as fa, open(b) as fb:
        ja, jb = json.load(fa), json.load(fb)
    if strip(ja) != strip(jb):
        fail(f"{a} vs {b}")
    return ja, jb


def same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        if fa.read() != fb.read():
            fail(f"{a} vs {b} (bytes)")


def values_equal(x, y):
    if isinstance(x, np.ndarray) and x.dtype.kind == "O":  # strings
        return x.shape == y.shape and x.tolist() == y.tolist()
    if isinstance(x, np.ndarray):
        return x.shape == y.shape and x.dtype == y.dtype and x.tobytes() == y.tobytes()
    if isinstance(x, float):
        return np.float64(x).tobytes() == np.float64(y).tobytes()
    return x == y


def same_h5(a, b):
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        items = {}

        def visit(f, key):
            def v(name, obj):
                items.setdefault(name, [None, None])[key] = obj
            f.visititems(v)
        visit(fa, 0)
        visit(fb, 1)
        count = 0
        for name, (x, y) in sorted(items.items()):
            if x is None or y is None:
                fail(f"{a}: {name} in one file only")
                continue
            for k in set(x.attrs) | set(y.attrs):
                if k not in SKIP_ATTRS and not values_equal(x.attrs.get(k), y.attrs.get(k)):
                    fail(f"{a}:{name} attribute {k}")
            if not isinstance(x, h5py.Dataset):
                continue
            count += 1
            vx, vy = x[()], y[()]
            if name == "summary_json":
                if strip(json.loads(vx)) != strip(json.loads(vy)):
                    fail(f"{a}: summary_json")
            elif not values_equal(vx, vy):
                fail(f"{a}: dataset {name}")
        for k in set(fa.attrs) | set(fb.attrs):
            if k not in SKIP_ATTRS and not values_equal(fa.attrs.get(k), fb.attrs.get(k)):
                fail(f"{a}: root attribute {k}")
        if count == 0:
            fail(f"{a}: no datasets")


def both(args):
    """Runs args alone into WORK/one and under mpirun into WORK/np<N>; returns the two folders."""
    dirs = []
    for mpi in (False, True):
        d = os.path.join(WORK, f"np{NP}" if mpi else "one")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        p = salesim(args, d, mpi)
        if p.returncode != 0:
            print(p.stdout, p.stderr)
            sys.exit(f"{'mpirun' if mpi else 'one process'}: exit {p.returncode}")
        dirs.append(d)
    return dirs


os.makedirs(WORK, exist_ok=True)
if CASE in ("run", "run-streaming"):
    args = ["run", SCENARIO, "--paths", "300", "--quiet", "--json", "OUT/s.json",
            "-o", "OUT/r.h5", "--csv", "OUT"]
    if CASE == "run-streaming":
        args.append("--streaming")
    one, many = both(args)
    ja, jb = same_json(f"{one}/s.json", f"{many}/s.json")
    if jb["ranks"] != NP or ja["ranks"] != 1:
        fail(f"ranks: {ja['ranks']} and {jb['ranks']}, expected 1 and {NP}")
    same_bytes(f"{one}/summary.csv", f"{many}/summary.csv")
    same_h5(f"{one}/r.h5", f"{many}/r.h5")
elif CASE == "sweep":
    # 5 points: ranks get unequal shares (2, 2, 1 with three).
    one, many = both(["sweep", SCENARIO, "--plan", "push-activity", "--paths", "200",
                      "--vary", "prospecting.target_hours=8:16:2", "-o", "OUT/sweep.h5",
                      "--quiet"])
    same_bytes(f"{one}/sweep.csv", f"{many}/sweep.csv")
    same_h5(f"{one}/sweep.h5", f"{many}/sweep.h5")
elif CASE == "batch":
    files = [os.path.join(SRC, "scenarios", f) for f in
             ("nexacorp.yaml", "alignment.yaml", "sustainable-pace.yaml", "funnel-saas.yaml")]
    one, many = both(["batch"] + files + ["--paths", "100", "-o", "OUT/out", "--quiet"])
    same_bytes(f"{one}/out/batch.csv", f"{many}/out/batch.csv")
    folders = sorted(e for e in os.listdir(f"{one}/out") if os.path.isdir(f"{one}/out/{e}"))
    if folders != sorted(e for e in os.listdir(f"{many}/out") if os.path.isdir(f"{many}/out/{e}")):
        fail("batch folders differ")
    if len(folders) != len(files):
        fail(f"batch made {len(folders)} folders for {len(files)} files")
    for f in folders:
        same_json(f"{one}/out/{f}/summary.json", f"{many}/out/{f}/summary.json")
        same_h5(f"{one}/out/{f}/results.h5", f"{many}/out/{f}/results.h5")
    if NP >= 2:
        # Ranks that see the files in another order (as when a folder differs between machines)
        # take rank 0's list: each file's results were filed under another file's row.
        mixed = os.path.join(WORK, "mixed")
        shutil.rmtree(mixed, ignore_errors=True)
        tail = ["--paths", "100", "-o", mixed, "--quiet"]
        cmd = ([MPIRUN, "--allow-run-as-root", "--oversubscribe", "-np", "1", SALESIM, "batch"] +
               files + tail + [":", "-np", str(NP - 1), SALESIM, "batch"] + files[::-1] + tail)
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            fail(f"batch with the files in another order on other ranks: exit {p.returncode}\n"
                 f"{p.stderr}")
        else:
            same_bytes(f"{one}/out/batch.csv", f"{mixed}/batch.csv")
elif CASE == "bad-input":
    # Bad input: exit 2 and the message once (rank 0), not once per rank.
    p = salesim(["run", SCENARIO, "--plans", "no-such-plan", "--paths", "10"], WORK, True)
    if p.returncode != 2:
        fail(f"bad input under mpirun: exit {p.returncode}, expected 2")
    if p.stderr.count("no plan 'no-such-plan'") != 1:
        fail(f"bad input reported {p.stderr.count('no-such-plan')} times:\n{p.stderr}")
    # After saying its bad input, rank 0 adds no "stopped by a signal" when mpirun ends the job.
    if "stopped by a signal" in p.stderr:
        fail(f"bad input followed by a stop message:\n{p.stderr}")
    # serve under mpirun: every rank would listen on the port; refused once, exit 2.
    p = salesim(["serve", SCENARIO, "--port", "0"], WORK, True)
    if p.returncode != 2 or p.stderr.count("runs as one process") != 1:
        fail(f"serve under mpirun: exit {p.returncode}, expected 2 and one refusal:\n{p.stderr}")
elif CASE == "rank-failure":
    # Rank 1 alone cannot read its input (as when a file is missing on one machine) while
    # rank 0 is well and waits for its paths: the job must end, naming rank 1, with no output.
    out = os.path.join(WORK, "never.json")
    cmd = [MPIRUN, "--allow-run-as-root", "--oversubscribe",
           "-np", "1", SALESIM, "run", SCENARIO, "--paths", "200", "--quiet", "--json", out, ":",
           "-np", "1", SALESIM, "run", os.path.join(WORK, "missing.yaml"), "--paths", "200",
           "--quiet", "--json", out]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if p.returncode == 0:
        fail("a failing rank: exit 0")
    if "rank 1 of 2" not in p.stderr or "missing.yaml" not in p.stderr:
        fail(f"a failing rank is not named:\n{p.stderr}")
    if os.path.exists(out):
        fail("a failed job wrote its output")
elif CASE == "different-files":
    # Rank 1 reads another copy of the scenario (a machine with an older file): each rank's
    # paths would come from another model. Refused as bad input (exit 2), named once, no output.
    os.makedirs(WORK, exist_ok=True)
    other = os.path.join(WORK, "older-copy.yaml")
    with open(SCENARIO) as f:
        text = f.read()
    with open(other, "w") as f:
        f.write(text.replace("max_hours: 52", "max_hours: 53", 1) if "max_hours: 52" in text
                else text + "\n# an older copy\n")
    json_out, h5_out = os.path.join(WORK, "never.json"), os.path.join(WORK, "never.h5")
    cases = {"run": (["--json", json_out], json_out),
             "sweep": (["--plan", "push-activity", "--vary", "prospecting.target_hours=8,12",
                        "-o", h5_out], h5_out)}
    for command, (args, out) in cases.items():
        rank = lambda file: ["-np", "1", SALESIM, command, file, "--paths", "100", "--quiet"] + args
        cmd = [MPIRUN, "--allow-run-as-root", "--oversubscribe"] + rank(SCENARIO) + [":"] + \
            rank(other)
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        if p.returncode != 2:
            fail(f"{command}: ranks reading different files: exit {p.returncode}, expected 2\n"
                 f"{p.stderr}")
        if p.stderr.count("rank 1 read a file that differs from rank 0's") != 1:
            fail(f"{command}: the differing file is not named once:\n{p.stderr}")
        if os.path.exists(out):
            fail(f"{command}: a refused job wrote its output")
    # The same file with another --seed or --paths on rank 1: its paths were mixed into rank 0's
    # results (exit 0). Refused as bad input, named once, no output; --threads may differ.
    for extra, refused in ((["--seed", "5"], True), (["--paths", "300"], True),
                           (["--threads", "2"], False)):
        def rank(more):
            paths = [] if "--paths" in more else ["--paths", "100"]
            threads = [] if "--threads" in more else ["--threads", "1"]
            return ["-np", "1", SALESIM, "run", SCENARIO, "--quiet", "--json", json_out] + \
                paths + threads + more
        if os.path.exists(json_out):
            os.remove(json_out)
        cmd = [MPIRUN, "--allow-run-as-root", "--oversubscribe"] + rank([]) + [":"] + rank(extra)
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        said = p.stderr.count("every rank of the job must run `salesim run` with the same options")
        if refused and (p.returncode != 2 or said != 1 or os.path.exists(json_out)):
            fail(f"rank 1 with {' '.join(extra)}: exit {p.returncode}, said {said} times, "
                 f"output {'written' if os.path.exists(json_out) else 'not written'}\n{p.stderr}")
        if not refused and p.returncode != 0:
            fail(f"rank 1 with {' '.join(extra)}: exit {p.returncode}\n{p.stderr}")
        if os.path.exists(json_out):  # the case that runs leaves it; the next must not find it
            os.remove(json_out)
    # A command line only rank 1 cannot parse: rank 0 waited for it for ever (and it for rank 0
    # in MPI_Finalize). The job ends with exit 2, naming rank 1.
    cmd = [MPIRUN, "--allow-run-as-root", "--oversubscribe"] + \
        ["-np", "1", SALESIM, "run", SCENARIO, "--paths", "100", "--quiet", "--json", json_out] + \
        [":", "-np", "1", SALESIM, "run", SCENARIO, "--pathz", "100", "--quiet", "--json", json_out]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    if p.returncode != 2 or "rank 1 of 2" not in p.stderr or os.path.exists(json_out):
        fail(f"a command line only rank 1 cannot parse: exit {p.returncode}\n{p.stderr}")
else:
    sys.exit(f"unknown case {CASE}")

if failures:
    sys.exit(f"{len(failures)} difference(s) between one process and mpirun -np {NP}")
print(f"{CASE}: one process and mpirun -np {NP} agree")
