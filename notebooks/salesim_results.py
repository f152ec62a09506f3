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

A file of another major format version is refused with a clear message.
"""
import os
import json

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
            self.plans = [_text(x) for x in f["plan_order"][()]]
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
                labels = [_text(x) for x in c["label"][()]]
                if "paths" in g:  # absent in a streamed run (root attribute per_path = 0)
                    p = g["paths"]
                    pcols = {k: p[k][()] for k in p if p[k].ndim == 1}
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
            self.keys = [_text(x) for x in f["keys"][()]]
            t = f["table"]
            columns = [_text(x) for x in t["columns"][()]]
            table = pd.DataFrame({c: t[c][()] for c in columns})
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
