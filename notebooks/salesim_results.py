"""Read a salesim results.h5 file (layout: docs/results-format.md) into pandas data frames.

    import salesim_results as sr
    res = sr.load("results.h5")
    res.plans                 # plan names, the baseline first
    res.weekly("baseline")    # one row per week: means and quantiles
    res.paths("baseline")     # one row per path: final bookings, cost, leavers, ...
    res.checkpoints("baseline")
    res.summary               # the `salesim run --json` summary as a dict

    sw = sr.load_sweep("sweep.h5")  # `salesim sweep`: sw.table (a row per point), sw.keys
    b = sr.load_batch("out/")       # `salesim batch`: b.table (batch.csv), b.results(folder)

    exe = sr.find_salesim()         # $SALESIM, `salesim` on PATH, or the build beside this file

A file of another major format version is refused with a clear message. Every name and label
comes back as `str` (h5py gives string datasets as bytes), and `paths(plan)` is indexed by the
integer path index whether the file stores it as int64 (format 1.4) or float64 (1.0 to 1.3).
"""
import os
import json
import shutil
import subprocess

import h5py
import numpy as np
import pandas as pd

FILE_TYPE = "salesim-results"
SWEEP_FILE_TYPE = "salesim-sweep"
FORMAT_MAJOR = 1


class FormatError(ValueError):
    pass


def _text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def _texts(dataset):
    """A 1-D string dataset as a list of str."""
    return [_text(x) for x in dataset[()]]


def _frame_text(df):
    """Byte-string columns of a data frame as str."""
    for c in df.columns:
        if df[c].dtype == object or df[c].dtype.kind == "S":
            df[c] = [_text(x) for x in df[c]]
    return df


def _check(f, path, file_type, what):
    kind = _text(f.attrs.get("file_type", ""))
    if kind != file_type:
        raise FormatError(f"{path}: not a salesim {what} file (file_type {kind!r}, "
                          f"expected {file_type!r})")
    major = int(f.attrs["format_major"])
    if major != FORMAT_MAJOR:
        raise FormatError(
            f"{path}: {what} format {_text(f.attrs['format_version'])} is not supported "
            f"by this reader (major version {FORMAT_MAJOR}); use a matching salesim version")
    return {k: (_text(v) if isinstance(v, (bytes, str)) else v.item() if hasattr(v, "item") else v)
            for k, v in f.attrs.items()}


class Results:
    def __init__(self, path):
        self.path = path
        with h5py.File(path, "r") as f:
            self.attrs = _check(f, path, FILE_TYPE, "results")
            self.plans = _texts(f["plan_order"])
            self.summary = json.loads(_text(f["summary_json"][()]))
            self.scenario_text = _text(f["scenario_text"][()])
            self._weekly, self._paths, self._checkpoints = {}, {}, {}
            for name in self.plans:
                g = f["plans"][name]
                w = g["weekly"]
                probs = [int(round(100 * p)) for p in w.attrs["quantile_probabilities"]]
                cols = {"week": w["week"][()]}
                for k in w:
                    if k == "week":
                        continue
                    data = w[k][()]
                    if data.ndim == 2:
                        for i, p in enumerate(probs):
                            cols[f"{k.replace('_quantiles', '')}_p{p}"] = data[:, i]
                    else:
                        cols[k] = data
                self._weekly[name] = pd.DataFrame(cols).set_index("week")
                c = g["checkpoints"]
                labels = _texts(c["label"])
                if "paths" in g:  # absent in a streamed run (root attribute per_path = 0)
                    p = g["paths"]
                    pcols = {k: p[k][()] for k in p if p[k].ndim == 1}
                    # int64 from format 1.4; float64 before (whole numbers either way)
                    pcols["path_index"] = pcols["path_index"].astype(np.int64)
                    met = p["checkpoints_met"][()]
                    for i, label in enumerate(labels):
                        pcols[f"met_{label}"] = met[:, i].astype(bool)
                    self._paths[name] = pd.DataFrame(pcols).set_index("path_index")
                self._checkpoints[name] = pd.DataFrame({
                    "label": labels, "week": c["week"][()], "target": c["target"][()],
                    "p_met": c["p_met"][()], "p_met_se": c["p_met_se"][()],
                    "bookings_mean": c["bookings_mean"][()], "bookings_se": c["bookings_se"][()]})

    def weekly(self, plan):
        return self._weekly[plan]

    def paths(self, plan):
        if plan not in self._paths:
            raise ValueError(f"{self.path}: a streamed run (salesim run --streaming) keeps no "
                             "per-path data; run without --streaming to get it")
        return self._paths[plan]

    def checkpoints(self, plan):
        return self._checkpoints[plan]

    def paired(self, plan, baseline=None, column="final_bookings"):
        """Per-path difference plan - baseline of a per-path figure (same paths, same draws)."""
        baseline = baseline or self.plans[0]
        return self.paths(plan)[column] - self.paths(baseline)[column]


def load(path):
    return Results(path)


class Sweep:
    """A `salesim sweep` table: one row per point, the varied keys first."""

    def __init__(self, path):
        self.path = path
        with h5py.File(path, "r") as f:
            self.attrs = _check(f, path, SWEEP_FILE_TYPE, "sweep")
            self.keys = _texts(f["keys"])
            t = f["table"]
            columns = _texts(t["columns"])
            table = _frame_text(pd.DataFrame({c: t[c][()] for c in columns}))
            table["point"] = table["point"].astype(int)
            self.table = table.set_index("point")
            self.scenario_text = _text(f["scenario_text"][()])


def load_sweep(path):
    return Sweep(path)


class Batch:
    """A `salesim batch` output folder: batch.csv and a results file per scenario file."""

    def __init__(self, folder):
        self.folder = folder
        csv = os.path.join(folder, "batch.csv")
        if not os.path.exists(csv):
            raise FormatError(f"{folder}: no batch.csv (was the batch interrupted? run it again)")
        self.table = pd.read_csv(csv)

    def results(self, name):
        """The results of one scenario file, by its folder name (the `folder` column)."""
        return load(os.path.join(self.folder, name, "results.h5"))


def load_batch(folder):
    return Batch(folder)


# Where the salesim binary is: for notebooks copied out of the repository as much as in it.
_HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(_HERE)


def find_salesim():
    """The salesim binary: $SALESIM, else `salesim` on PATH, else build/tools/salesim of the
    repository this reader sits in."""
    for exe in (os.environ.get("SALESIM"), shutil.which("salesim"),
                os.path.join(REPO, "build", "tools", "salesim")):
        if exe and os.path.isfile(exe) and os.access(exe, os.X_OK):
            return exe
    raise FileNotFoundError(
        "salesim not found: set SALESIM to the binary, put `salesim` on PATH, or build it in "
        f"{os.path.join(REPO, 'build')} (README.md)")


def example_scenario():
    """The repository's example scenario, scenarios/nexacorp.yaml: of the repository this
    reader is in, else of the one the salesim binary was built in."""
    tried = [REPO]
    try:
        d = os.path.dirname(os.path.realpath(find_salesim()))
        while d != os.path.dirname(d):
            tried.append(d)
            d = os.path.dirname(d)
    except FileNotFoundError:
        pass
    for repo in tried:
        path = os.path.join(repo, "scenarios", "nexacorp.yaml")
        if os.path.isfile(path):
            return path
    raise FileNotFoundError("scenarios/nexacorp.yaml not found beside this reader nor the salesim "
                            "binary; give the scenario file (SCENARIO)")


def ensure_file(path, args, salesim=None):
    """`path` when it exists; else runs `salesim ARGS` once (which must write `path`) and
    returns it. ARGS is a list; the binary is find_salesim() unless given."""
    if os.path.exists(path):
        print(f"Opening {path} (delete it to run salesim again)")
        return path
    exe = salesim or find_salesim()
    print("Running", " ".join([os.path.basename(exe)] + [str(a) for a in args]))
    subprocess.run([exe] + [str(a) for a in args], check=True)
    if not os.path.exists(path):
        raise FileNotFoundError(f"salesim ran but did not write {path}")
    return path
