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

A file that is not a salesim results file (another file type, not HDF5, a missing attribute,
dataset or group), of another major format version, whose writing never finished, or whose file
checksum (format 1.3 on, in its first 512 bytes) does not match its bytes is refused with a clear
message (FormatError naming the file; a damaged file is said to be damaged, as `salesim report`
says it), before any figure is read from it. Every name and label
comes back as `str` (h5py gives string datasets as bytes), and `paths(plan)` is indexed by the
integer path index whether the file stores it as int64 (format 1.4) or float64 (1.0 to 1.3).
"""
import os
import hashlib
import json
import re
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


# ---- The file checksum (docs/results-format.md, "The checksums") ----------------------------
# From format 1.3 the first 512 bytes of a results file are HDF5's user block, which salesim
# fills once the file is complete: SEAL_MAGIC, "fnv1a64:<16 hex>\nbytes <N>\n" (FNV-1a 64 of the
# N bytes after the block, to the end), then NULs. It is checked with plain reads before HDF5
# parses anything, as salesim report does (tools/results_h5.cpp, results_file_damage).
USER_BLOCK = 512
SEAL_MAGIC = b"salesim-results file checksum\n"
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_FNV_OFFSET, _FNV_PRIME, _U64 = 14695981039346656037, 1099511628211, (1 << 64) - 1
_CHUNK = 1 << 20  # bytes hashed at a time: memory stays at a few tens of MB whatever the file
_powers = None    # _FNV_PRIME ** (_CHUNK - i) mod 2**64, i = 0.._CHUNK-1, made on first use


def _fnv1a64_update(h, data):
    """FNV-1a 64 continued from h over the bytes `data`, in numpy, _CHUNK bytes at a time.
    Byte by byte h' = (h ^ b) * prime (mod 2**64): the XOR changes only h's low byte, so
    h' = (h + d) * prime with d = (l ^ b) - l, l = h's low byte. The low bytes follow their own
    recurrence l' = ((l ^ b) * prime) mod 256, whose bit k depends only on bits 0..k of l and b:
    bit k of the next low byte is bit k of this one XOR a term known from the lower bits, a
    prefix XOR, computed bit by bit for the whole chunk at once. Then h after n bytes is
    prime**n * h + sum over i of prime**(n - i) * d_i, a dot product (mod 2**64)."""
    global _powers
    b = np.frombuffer(data, np.uint8)
    n = len(b)
    if n == 0:
        return h
    if n > _CHUNK:
        for i in range(0, n, _CHUNK):
            h = _fnv1a64_update(h, b[i:i + _CHUNK])
        return h
    if _powers is None:
        pw = np.full(_CHUNK, _FNV_PRIME, np.uint64)
        _powers = np.ascontiguousarray(np.cumprod(pw, dtype=np.uint64)[::-1])  # wraps: mod 2**64
    words = -(-n // 64)  # the prefix XOR is done on 64 bits a word
    low = np.zeros(n, np.uint8)  # the low byte of h before each byte
    l0 = h & 0xFF
    mult = np.uint8(_FNV_PRIME & 0xFF)
    ones = np.uint64(_U64)
    for k in range(8):
        bit = np.uint8(1 << k)
        # bit k of the next low byte = bit k of this one ^ c: c from the known bits 0..k-1
        c = (((low ^ b) & np.uint8((1 << k) - 1)) * mult ^ b) & bit
        packed = np.zeros(words * 8, np.uint8)
        packed[:-(-n // 8)] = np.packbits(c, bitorder="little")
        w = packed.view("<u8")
        for s in (1, 2, 4, 8, 16, 32):  # prefix XOR within each word
            w ^= w << np.uint64(s)
        carry = np.bitwise_xor.accumulate(w >> np.uint64(63))  # and across words
        w[1:] ^= np.uint64(0) - carry[:-1]
        if l0 & (1 << k):
            w ^= ones
        nxt = np.unpackbits(packed, bitorder="little")[:n]  # bit k of the low byte after byte i
        low[1:] |= nxt[:-1] << np.uint8(k)
        low[0] |= l0 & (1 << k)
    d = np.subtract(low ^ b, low, dtype=np.int64).view(np.uint64)
    acc = int(np.dot(_powers[_CHUNK - n:], d))
    return (pow(_FNV_PRIME, n, 1 << 64) * h + acc) & _U64


def _fnv1a64_file(path, start=USER_BLOCK):
    """(FNV-1a 64, number of bytes) of the file's bytes from `start` to its end, read in chunks."""
    h, total = _FNV_OFFSET, 0
    buf = bytearray(_CHUNK)
    with open(path, "rb") as f:
        f.seek(start)
        while True:
            got = f.readinto(buf)
            if not got:
                break
            h = _fnv1a64_update(h, memoryview(buf)[:got])
            total += got
    return h, total


def _seal_header(checksum, size):
    """The 512 bytes salesim writes at the start of a complete results file."""
    return (SEAL_MAGIC + f"fnv1a64:{checksum:016x}\nbytes {size}\n".encode()).ljust(USER_BLOCK,
                                                                                    b"\0")


def _file_damage(path):
    """Why the file checksum of the results file at `path` says it is damaged; "" when it
    matches; None when the file has none (a file before format 1.3, or not a salesim results
    file), or cannot be opened (the caller says why)."""
    try:
        with open(path, "rb") as f:
            head = f.read(USER_BLOCK + len(_HDF5_SIGNATURE))
    except OSError:
        return None
    ours = head.startswith(SEAL_MAGIC)
    hdf5_after_block = head[USER_BLOCK:] == _HDF5_SIGNATURE
    if not ours and not hdf5_after_block:
        return None
    m = re.match(rb"fnv1a64:([0-9a-f]{16})\nbytes ([0-9]{1,20})\n", head[len(SEAL_MAGIC):]) \
        if ours else None
    if not m or len(head) < USER_BLOCK or \
            head[:USER_BLOCK] != _seal_header(int(m.group(1), 16), int(m.group(2))):
        return "its header (the file checksum in its first 512 bytes) is damaged"
    recorded, recorded_size = int(m.group(1), 16), int(m.group(2))
    try:
        actual, size = _fnv1a64_file(path)
    except OSError as e:
        return f"it cannot be read ({e.strerror or e})"
    if size != recorded_size:
        return (f"it has {size + USER_BLOCK} bytes where salesim wrote "
                f"{recorded_size + USER_BLOCK} "
                f"({'truncated' if size < recorded_size else 'written to since, or overwritten'})")
    if actual != recorded:
        return (f"its file checksum does not match its bytes (recorded {recorded:016x}, computed "
                f"{actual:016x})")
    return ""


def _stat(path):
    """(size, modification time) of the file: whether it changed since it was checked."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def _damaged(path, why):
    return FormatError(f"{path} is damaged: {why} (an incomplete or damaged salesim results "
                       "file); run salesim again")


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
    try:
        major = int(f.attrs["format_major"])
    except (TypeError, ValueError):
        raise FormatError(f"{path}: a salesim {what} file whose attribute format_major is "
                          f"{f.attrs['format_major']!r}, not a whole number; it is damaged or "
                          "was not written by salesim") from None
    if major != FORMAT_MAJOR:
        raise FormatError(
            f"{path}: {what} format {_text(f.attrs.get('format_version', major))} is not "
            f"supported by this reader (major version {FORMAT_MAJOR}); use a matching salesim "
            "version")
    if "format_version" not in f.attrs:
        raise FormatError(f"{path}: a salesim {what} file without the attribute format_version; "
                          "it is damaged or was not written by salesim")
    attrs = {k: (_text(v) if isinstance(v, (bytes, str)) else v.item() if hasattr(v, "item")
                 else v) for k, v in f.attrs.items()}
    version = attrs["format_version"]
    if not isinstance(version, str) or not re.fullmatch(r"[0-9]+\.[0-9]+", version):
        raise FormatError(f"{path}: a salesim {what} file whose format_version is {version!r}, "
                          "not MAJOR.MINOR; it is damaged or was not written by salesim")
    return attrs


def _version(attrs):
    """format_version as (major, minor); _check made sure it reads so."""
    return tuple(int(x) for x in attrs["format_version"].split("."))


def _get(node, name, path, what):
    """node[name], or a FormatError naming the file and what it lacks."""
    try:
        return node[name]
    except (KeyError, ValueError, OSError, RuntimeError):
        where = node.name.rstrip("/") + "/" + name
        raise FormatError(f"{path}: a salesim {what} file without {where}; it is damaged or "
                          "was not written by salesim") from None


def _unreadable(path, what, e):
    return FormatError(f"{path}: a salesim {what} file that cannot be read ({type(e).__name__}: "
                       f"{e}); it is damaged or was not written by salesim")


# What h5py, json and pandas raise on a file that is not as docs/results-format.md has it.
_READ_ERRORS = (KeyError, ValueError, TypeError, IndexError, AttributeError, OSError,
                RuntimeError)


class Results:
    def __init__(self, path):
        self.path = path
        # The file checksum first, with plain reads: a damaged file never reaches HDF5.
        damage = _file_damage(path) if not os.path.isdir(path) else None
        if damage:
            raise _damaged(path, damage)
        with _open(path, "results") as f:
            self._stat = _stat(path)
            try:
                self._read(f, path, sealed=damage is not None)
            except FormatError:
                raise
            except _READ_ERRORS as e:
                raise _unreadable(path, "results", e) from None

    def _read(self, f, path, sealed):
        what = "results"
        self.attrs = _check(f, path, FILE_TYPE, what)
        version = _version(self.attrs)
        if version >= (1, 3) and "checksum" not in f.attrs:
            raise FormatError(f"{path}: incomplete (format {self.attrs['format_version']} "
                              "without its checksum: its writing never finished); run "
                              "salesim again")
        if version >= (1, 3) and not sealed:
            raise _damaged(path, "it has no file checksum (in its first 512 bytes)")
        self.plans = _texts(_get(f, "plan_order", path, what))
        text = _text(_get(f, "summary_json", path, what)[()])
        try:
            self.summary = json.loads(text)
        except ValueError as e:
            raise FormatError(f"{path}: its summary_json is not valid JSON ({e}); it is damaged "
                              "or was not written by salesim") from None
        try:
            self._summary_plans = {p["name"]: p for p in self.summary["plans"]}
        except (KeyError, TypeError) as e:
            raise FormatError(f"{path}: its summary_json has no list of plans with their names "
                              f"({type(e).__name__}: {e}); it is damaged or was not written by "
                              "salesim") from None
        if sorted(self._summary_plans) != sorted(self.plans):
            raise FormatError(f"{path}: its summary_json has the plans "
                              f"{list(self._summary_plans)} where plan_order has {self.plans}; "
                              "it is damaged or was not written by salesim")
        self.scenario_text = _text(_get(f, "scenario_text", path, what)[()])
        self._weekly, self._paths, self._checkpoints = {}, {}, {}
        self._from_week = {}
        plans = _get(f, "plans", path, what)
        for name in self.plans:
            g = _get(plans, name, path, what)
            # the file's week number (1-based): from_file_week from format 1.5; before, only
            # from_week, which holds t = week - 1
            self._from_week[name] = int(g.attrs["from_file_week"]) \
                if "from_file_week" in g.attrs else int(g.attrs.get("from_week", 0)) + 1
            w = _get(g, "weekly", path, what)
            if "quantile_probabilities" not in w.attrs:
                raise FormatError(f"{path}: a salesim results file without the attribute "
                                  f"quantile_probabilities of {w.name}; it is damaged or was "
                                  "not written by salesim")
            probs = [int(round(100 * p)) for p in w.attrs["quantile_probabilities"]]
            cols = {"week": _get(w, "week", path, what)[()]}
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
            c = _get(g, "checkpoints", path, what)
            labels = _texts(_get(c, "label", path, what))
            if "paths" in g:  # absent in a streamed run (root attribute per_path = 0)
                p = g["paths"]
                pcols = {k: p[k][()] for k in p if p[k].ndim == 1}
                # int64 from format 1.4; float64 before (whole numbers either way)
                pcols["path_index"] = _get(p, "path_index", path, what)[()].astype(np.int64)
                met = _get(p, "checkpoints_met", path, what)[()]
                for i, label in enumerate(labels):
                    pcols[f"met_{label}"] = met[:, i].astype(bool)
                self._paths[name] = pd.DataFrame(pcols).set_index("path_index")
            self._checkpoints[name] = pd.DataFrame({
                "label": labels,
                **{k: _get(c, k, path, what)[()] for k in (
                    "week", "target", "p_met", "p_met_se", "bookings_mean", "bookings_se")}})

        # 1.0 files have no per_path attribute and always per-path data
        self.per_path = bool(self.attrs.get("per_path", 1))
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
        if _stat(self.path) != self._stat:  # changed since load: its checksum again
            damage = _file_damage(self.path)
            if damage:
                raise _damaged(self.path, damage)
        with _open(self.path, "results") as f:
            g = f["plans"][plan]
            if "trajectories" not in g:
                raise ValueError(f"{self.path}: no trajectories; run salesim run SCENARIO -o "
                                 "FILE --trajectories to write them")
            t = g["trajectories"]
            if series not in t:
                raise KeyError(f"{self.path}: no trajectory {series!r}; there are {sorted(t)}")
            try:
                data = t[series][()]
            except _READ_ERRORS as e:
                raise _unreadable(self.path, "results", e) from None
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
            try:
                self.attrs = _check(f, path, SWEEP_FILE_TYPE, "sweep")
                self.keys = _texts(_get(f, "keys", path, "sweep"))
                t = _get(f, "table", path, "sweep")
                columns = _texts(_get(t, "columns", path, "sweep"))
                if "point" not in columns:
                    raise FormatError(f"{path}: a salesim sweep file without the column point; "
                                      "it is damaged or was not written by salesim")
                table = _frame_text(pd.DataFrame({c: _get(t, c, path, "sweep")[()]
                                                  for c in columns}))
                table["point"] = table["point"].astype(int)
                self.table = table.set_index("point")
                self.scenario_text = _text(_get(f, "scenario_text", path, "sweep")[()])
            except FormatError:
                raise
            except _READ_ERRORS as e:
                raise _unreadable(path, "sweep", e) from None


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


# The options whose value is a file salesim writes (docs/cli.md): not inputs of a run.
OUTPUT_OPTIONS = ("-o", "--output", "--json", "--csv", "--svg", "--xlsx", "--html", "--pdf",
                  "--report", "--charts")
_binary_digests = {}  # realpath -> ((size, mtime), sha256): a binary is read once while unchanged


def _sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def _input_digests(path, args):
    """{argument: digest} of every argument that names an existing file or folder, but `path`
    and the values of OUTPUT_OPTIONS: the scenario file and any other input salesim reads (a
    folder by the names and digests of the files in it, not those in its subfolders)."""
    inputs, output_next = {}, False
    target = os.path.abspath(path)
    for a in args:
        is_output, output_next = output_next, False
        if a in OUTPUT_OPTIONS:
            output_next = True
            continue
        if a.startswith("-") and "=" in a and a.split("=", 1)[0] in OUTPUT_OPTIONS:
            continue
        if is_output or os.path.abspath(a) == target:
            continue
        if os.path.isfile(a):
            inputs[a] = _sha256_file(a)
        elif os.path.isdir(a):
            h = hashlib.sha256()
            for name in sorted(os.listdir(a)):
                f = os.path.join(a, name)
                if not name.startswith(".") and os.path.isfile(f):
                    h.update(f"{name}\0{_sha256_file(f)}\0".encode())
            inputs[a] = "folder sha256:" + h.hexdigest()
    return inputs


def _binary_identity(exe):
    """What tells one salesim binary from another: its `--version` and the digest of its bytes
    (a rebuild from uncommitted changes keeps the version but not the bytes)."""
    real = os.path.realpath(exe)
    st = os.stat(real)
    key = (st.st_size, st.st_mtime_ns)
    if _binary_digests.get(real, (None,))[0] != key:
        _binary_digests[real] = (key, _sha256_file(real))
    try:
        r = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
        version = r.stdout.strip() if r.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        version = ""
    return {"version": version, "digest": _binary_digests[real][1], "binary": real}


def _made_record(path, args, exe):
    """What PATH.args.json keeps: the arguments, the digests of the input files they name, and
    the binary that ran."""
    return {"args": args, "inputs": _input_digests(path, args), "salesim": _binary_identity(exe)}


def _stale(path, made, wanted):
    """Why the file made as `made` (a record) does not answer `wanted`, or None."""
    if made["args"] != wanted["args"]:
        return f"{path} was made with other arguments ({' '.join(made['args'])})"
    for name, digest in made["inputs"].items():
        if name not in wanted["inputs"]:
            continue  # a missing input is said by the caller
        if wanted["inputs"][name] != digest:
            return f"{name} changed since it made {path}"
    for name in wanted["inputs"]:
        if name not in made["inputs"]:
            return f"{path} was made before {name} existed"
    old, new = made["salesim"], wanted["salesim"]
    if old.get("digest") != new["digest"] or old.get("version") != new["version"]:
        return (f"{path} was made by another salesim binary ({old.get('version') or '?'}, "
                f"{old.get('binary', '?')}; now {new['version'] or '?'}, {new['binary']})")
    return None


def ensure_file(path, args, salesim=None):
    """`path` when it exists and was made by this salesim with these ARGS from the input files as
    they are now; else runs `salesim ARGS` (which must write `path`) and returns it. ARGS is a
    list, or a function returning one, called only when it is needed (so a file opens without a
    salesim binary or a scenario file: pass `lambda: ["run", SCENARIO or example_scenario(),
    ...]`); the binary is find_salesim() unless given. Kept beside the file (PATH.args.json):
    the arguments that made it, a digest (SHA-256) of each input file they name (the scenario
    file, or any other argument naming an existing file or folder but PATH and the values of
    OUTPUT_OPTIONS) and the binary's `--version` and digest. A file made with other arguments (a
    parameter of the notebook changed), from a scenario file edited since, or by another salesim
    binary is made again, not opened with figures that no longer answer the notebook's
    question; so is one whose record an older version of this reader wrote (arguments only). A
    file without that record (made by hand) is opened as it is, and so is one with a record
    when its arguments or the binary cannot be found (nothing could run). A run that fails
    leaves no file for the next run to open."""
    record = path + ".args.json"
    if os.path.exists(path):
        if not os.path.exists(record):
            print(f"Opening {path} (delete it to run salesim again)")
            return path
        try:
            wanted_args = [str(a) for a in (args() if callable(args) else args)]
            exe = salesim or find_salesim()
            wanted = _made_record(path, wanted_args, exe)
        except Exception as e:  # no scenario or binary to be found: nothing could run, open it
            print(f"Opening {path} (delete it to run salesim again; it cannot be checked "
                  f"against its inputs: {e})")
            return path
        try:
            with open(record) as f:
                made = json.load(f)
            if not isinstance(made, dict):
                why = (f"{path} was made by an older version of the notebooks, whose record "
                       f"({record}) does not say from which input files and salesim binary")
            else:
                missing = [n for n in made["inputs"] if n not in wanted["inputs"]]
                if missing and made["args"] == wanted_args:
                    raise FileNotFoundError(
                        f"{', '.join(missing)}, from which {path} was made, no longer "
                        f"exist{'s' if len(missing) == 1 else ''}: restore it, or give the "
                        "notebook another input")
                why = _stale(path, made, wanted)
        except FileNotFoundError:
            raise
        except Exception as e:
            why = f"{path} has a damaged record {record} ({type(e).__name__}: {e})"
        if why is None:
            print(f"Opening {path}, made by salesim {' '.join(made['args'])} (delete it to run "
                  "again)")
            return path
        print(f"{why}: running salesim again")
        args = wanted_args
    if callable(args):
        args = args()
    args = [str(a) for a in args]
    exe = salesim or find_salesim()
    print("Running", " ".join([os.path.basename(exe)] + args))
    for stale in (path, record):
        if os.path.exists(stale):
            os.remove(stale)
    # What the run reads, as it is when it starts.
    made = _made_record(path, args, exe)
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
        json.dump(made, f, indent=1)
    return path
