"""Read a salesim results.h5 file (layout: docs/results-format.md) into pandas data frames.

    import salesim_results as sr
    res = sr.load("results.h5")
    res.plans                 # plan names, the baseline first
    res.weekly("baseline")    # one row per week: means and quantiles
    res.paths("baseline")     # one row per path: final bookings, cost, leavers, ...
    res.checkpoints("baseline")
    res.summary               # the `salesim run --json` summary as a dict
    res.per_path              # False for a streamed run (--streaming): no paths(), no paired()
    res.vs_first("push-activity")   # paired figures from the summary (streamed runs too)
    res.goal_metric           # "bookings", or "arr" (goal.metric: arr, recurring revenue)
    res.arr_weekly("baseline")      # recurring revenue: ARR per week, mean and P5..P95
    res.from_week("push-activity")  # the week its set applies from, 1-based as in the file

    sw = sr.load_sweep("sweep.h5")  # `salesim sweep`: sw.table (a row per point), sw.keys
    b = sr.load_batch("out/")       # `salesim batch`: b.table (batch.csv), b.results(folder)

    exe = sr.find_salesim()         # $SALESIM, `salesim` on PATH, or the build beside this file

A file that is not a salesim results file (another file type, not HDF5, a missing attribute),
of another major format version, or whose writing never finished is refused with a clear message
(FormatError naming the file). Every name and label
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


def _open(path, what):
    """h5py.File(path), or a FormatError naming the file when it is not one HDF5 can read."""
    if os.path.isdir(path):
        raise FormatError(f"{path}: a folder, not a salesim {what} file"
                          + (" (a `salesim batch` folder: use load_batch)"
                             if os.path.exists(os.path.join(path, "batch.csv")) else ""))
    try:
        return h5py.File(path, "r")
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such file")
    except OSError as e:
        raise FormatError(f"{path}: not a salesim {what} file (not an HDF5 file HDF5 can read: "
                          f"{e})") from None


def _check(f, path, file_type, what):
    kind = _text(f.attrs.get("file_type", ""))
    if kind != file_type:
        raise FormatError(f"{path}: not a salesim {what} file (file_type {kind!r}, "
                          f"expected {file_type!r})")
    if "format_major" not in f.attrs:
        raise FormatError(f"{path}: a salesim {what} file without the attribute format_major; "
                          "it is damaged or was not written by salesim")
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
        with _open(path, "results") as f:
            self.attrs = _check(f, path, FILE_TYPE, "results")
            version = tuple(int(x) for x in self.attrs["format_version"].split("."))
            if version >= (1, 3) and "checksum" not in f.attrs:
                raise FormatError(f"{path}: incomplete (format {self.attrs['format_version']} "
                                  "without its checksum: its writing never finished); run "
                                  "salesim again")
            self.plans = _texts(f["plan_order"])
            self.summary = json.loads(_text(f["summary_json"][()]))
            self.scenario_text = _text(f["scenario_text"][()])
            self._weekly, self._paths, self._checkpoints = {}, {}, {}
            self._from_week = {}
            for name in self.plans:
                g = f["plans"][name]
                # the file's week number (1-based): from_file_week from format 1.5; before, only
                # from_week, which holds t = week - 1
                self._from_week[name] = int(g.attrs["from_file_week"]) \
                    if "from_file_week" in g.attrs else int(g.attrs.get("from_week", 0)) + 1
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

        # 1.0 files have no per_path attribute and always per-path data
        self.per_path = bool(self.attrs.get("per_path", 1))
        self._summary_plans = {p["name"]: p for p in self.summary["plans"]}
        # the summary's goal.metric; files written before it have it only in the scenario text
        self.goal_metric = (self.summary.get("goal") or {}).get("metric") or \
            _goal_metric(self.scenario_text)

    def _plan(self, plan):
        if plan not in self._summary_plans:
            raise KeyError(f"{self.path}: no plan {plan!r}; the plans are {self.plans}")
        return plan

    def from_week(self, plan):
        """The week from which the plan's `set` applies, 1-based as results.h5 numbers weeks (a
        format 2 scenario file's own numbering; 1 when the plan gives none), for results files
        of any format version."""
        return self._from_week[self._plan(plan)]

    def weekly(self, plan):
        return self._weekly[self._plan(plan)]

    def arr_weekly(self, plan):
        """Recurring revenue (revenue.model: recurring): ARR (annual value of live contracts) per
        week, mean and P5..P95, from the run's summary (results.h5 has no ARR datasets)."""
        arr = self._summary_plans[self._plan(plan)].get("arr")
        if arr is None:
            raise ValueError(f"{self.path}: the scenario has no recurring revenue "
                             "(revenue.model: recurring), so no ARR")
        w = arr["weekly"]
        cols = {"arr_mean": w["mean"]}
        for p in (5, 10, 25, 50, 75, 90, 95):
            cols[f"arr_p{p}"] = w[f"p{p}"]
        df = pd.DataFrame(cols, dtype=float)
        df.index = pd.RangeIndex(1, len(df) + 1, name="week")
        return df

    def vs_first(self, plan):
        """The plan paired with the first plan, as the summary has it (`vs_first`: the
        difference in final bookings and its `se`, `p_better`, `p_goal_diff`, cost, profit,
        `roi`, ...); works for streamed runs too. Figures that do not exist are None."""
        p = self._summary_plans[self._plan(plan)]
        if "vs_first" not in p:
            raise ValueError(f"{self.path}: {plan!r} is the first plan, the one the others are "
                             "paired with")
        return p["vs_first"]

    def paths(self, plan):
        self._plan(plan)
        if plan not in self._paths:
            raise ValueError(f"{self.path}: a streamed run (salesim run --streaming) keeps no "
                             "per-path data; run without --streaming to get it (or use "
                             "vs_first(plan) for the paired figures)")
        return self._paths[plan]

    def checkpoints(self, plan):
        return self._checkpoints[self._plan(plan)]

    def trajectories(self, plan, series="cum_bookings"):
        """Every path's week-by-week series, written by `salesim run -o FILE --trajectories`: a
        row per path (indexed by path_index, as paths(plan)) and a column per week (1..horizon).
        series: cum_bookings, weekly_bookings; with recurring revenue also arr and mrr.
        A streamed run (--streaming --trajectories) has no paths(plan): row i is path i."""
        self._plan(plan)
        with _open(self.path, "results") as f:
            g = f["plans"][plan]
            if "trajectories" not in g:
                raise ValueError(f"{self.path}: no trajectories; run salesim run SCENARIO -o "
                                 "FILE --trajectories to write them")
            t = g["trajectories"]
            if series not in t:
                raise KeyError(f"{self.path}: no trajectory {series!r}; there are {sorted(t)}")
            data = t[series][()]
        df = pd.DataFrame(data, columns=pd.RangeIndex(1, data.shape[1] + 1, name="week"))
        if self.per_path:
            df.index = self.paths(plan).index
        else:
            df.index = pd.Index(np.arange(len(df), dtype=np.int64), name="path_index")
        return df

    def paired(self, plan, baseline=None, column="final_bookings"):
        """Per-path difference plan - baseline of a per-path figure (same paths, same draws)."""
        baseline = baseline or self.plans[0]
        return self.paths(plan)[column] - self.paths(baseline)[column]


def load(path):
    return Results(path)


def _goal_metric(scenario_text):
    """`goal.metric` of the scenario as run: "bookings" (the default) or "arr"."""
    try:
        import yaml  # python3-yaml (scripts/setup.sh installs it)
    except ImportError:  # without PyYAML: `metric:` under `goal:`, block or inline (`{...}`)
        import re
        m = re.search(r"^goal:[ \t]*\n(?:[ \t]+.*\n|[ \t]*\n)*?[ \t]+metric:[ \t]*[\"']?(\w+)",
                      scenario_text, re.M)
        m = m or re.search(r"^goal:[ \t]*\{[^}]*?\bmetric:[ \t]*[\"']?(\w+)", scenario_text, re.M)
        return m.group(1) if m else "bookings"
    doc = yaml.safe_load(scenario_text)
    goal = doc.get("goal") if isinstance(doc, dict) else None
    return str(goal.get("metric") or "bookings") if isinstance(goal, dict) else "bookings"


class Sweep:
    """A `salesim sweep` table: one row per point, the varied keys first."""

    def __init__(self, path):
        self.path = path
        with _open(path, "sweep") as f:
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
        if not os.path.isdir(folder):
            raise FormatError(f"{folder}: not a folder (load_batch takes the OUTDIR of "
                              "`salesim batch FILES -o OUTDIR`)")
        csv = os.path.join(folder, "batch.csv")
        if not os.path.exists(csv):
            raise FormatError(f"{folder}: no batch.csv (was the batch interrupted? run it again)")
        self.table = pd.read_csv(csv, keep_default_na=False, na_values=[""])

    def results(self, name):
        """The results of one scenario file, by its folder name (the `folder` column)."""
        rows = self.table[self.table["folder"] == name]
        if not len(rows):
            raise KeyError(f"{self.folder}: no folder {name!r} in batch.csv; the folders are "
                           f"{list(dict.fromkeys(self.table['folder']))}")
        if (rows["status"] == "failed").all():
            raise ValueError(f"{self.folder}: {name} failed in the batch, so it has no results: "
                             f"{rows['error'].iloc[0]}")
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
    given = os.environ.get("SALESIM")
    # A SALESIM that names no binary is said, not passed over (a relative path is read from the
    # folder the notebook runs in).
    bad = (f"SALESIM={given} is not an executable file (from {os.getcwd()}); " if given else "")
    raise FileNotFoundError(
        f"salesim not found: {bad}set SALESIM to the binary, put `salesim` on PATH, or build it "
        f"in {os.path.join(REPO, 'build')} (README.md)")


def _cmake_source(folder):
    """The source folder of the CMake build in `folder` (its CMakeCache.txt), else None."""
    cache = os.path.join(folder, "CMakeCache.txt")
    if os.path.isfile(cache):
        with open(cache, errors="replace") as f:
            for line in f:
                if line.startswith("CMAKE_HOME_DIRECTORY:"):
                    return line.split("=", 1)[1].strip()
    return None


def example_scenario():
    """The repository's example scenario, nexacorp.yaml: in $SALESIM_SCENARIOS (a folder of
    scenario files) when set, else in scenarios/ of the repository this reader is in, else of
    the one the salesim binary was built in (a folder above it, such as ../../scenarios for
    build/tools/salesim, or the source folder of the CMake build it is in, for a build outside
    the repository)."""
    folders = []
    if os.environ.get("SALESIM_SCENARIOS"):
        folders.append(os.environ["SALESIM_SCENARIOS"])
    folders.append(os.path.join(REPO, "scenarios"))
    try:
        exe, where = find_salesim(), None
    except FileNotFoundError as e:
        exe, where = None, str(e)
    if exe:
        d = os.path.dirname(os.path.realpath(exe))
        while d != os.path.dirname(d):
            folders.append(os.path.join(d, "scenarios"))
            source = _cmake_source(d)
            if source:
                folders.append(os.path.join(source, "scenarios"))
            d = os.path.dirname(d)
    folders = list(dict.fromkeys(folders))
    for folder in folders:
        path = os.path.join(folder, "nexacorp.yaml")
        if os.path.isfile(path):
            return path
    # Every place looked in, so the fix is plain: a binary copied out of its repository has
    # no scenarios above it.
    where = f"the salesim binary is {exe}" if exe else where
    raise FileNotFoundError(
        f"nexacorp.yaml not found in {', '.join(folders)} ({where}); set SCENARIO to a scenario "
        "file, SALESIM_SCENARIOS to a folder that holds nexacorp.yaml, or SALESIM to a salesim "
        "built in its repository")


def ensure_file(path, args, salesim=None):
    """`path` when it exists and was made with these ARGS; else runs `salesim ARGS` (which must
    write `path`) and returns it. ARGS is a list, or a function returning one, called only when
    it is needed (so a file opens without a salesim binary or a scenario file: pass
    `lambda: ["run", SCENARIO or example_scenario(), ...]`); the binary is find_salesim() unless
    given. The arguments that made the file are kept beside it (PATH.args.json): a file made
    with other arguments (a parameter of the notebook changed) is made again, not opened with
    figures that no longer answer the notebook's question. A file without that record (made
    by hand) is opened as it is. A run that fails leaves no file for the next run to open."""
    record = path + ".args.json"
    if os.path.exists(path):
        if not os.path.exists(record):
            print(f"Opening {path} (delete it to run salesim again)")
            return path
        try:
            wanted = [str(a) for a in (args() if callable(args) else args)]
            with open(record) as f:
                made = json.load(f)
        except Exception:  # no scenario or binary to be found, or a damaged record: open it
            print(f"Opening {path} (delete it to run salesim again)")
            return path
        if made == wanted:
            print(f"Opening {path}, made by salesim {' '.join(made)} (delete it to run again)")
            return path
        print(f"{path} was made with other arguments ({' '.join(made)}): running salesim again")
    if callable(args):
        args = args()
    args = [str(a) for a in args]
    exe = salesim or find_salesim()
    print("Running", " ".join([os.path.basename(exe)] + args))
    for stale in (path, record):
        if os.path.exists(stale):
            os.remove(stale)
    try:
        subprocess.run([exe] + args, check=True)
    except subprocess.CalledProcessError:
        # Some commands write their JSON before failing (an optimisation with no feasible
        # point): opened on the next run it would read as an answer.
        if os.path.exists(path):
            os.remove(path)
        raise
    if not os.path.exists(path):
        raise FileNotFoundError(f"salesim ran but did not write {path}")
    with open(record, "w") as f:
        json.dump(args, f)
    return path
