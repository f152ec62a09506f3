"""The Python reader (notebooks/salesim_results.py) refuses damaged results files as salesim report
does, and ensure_file makes a file again when what made it changed.
  - The file checksum (the first 512 bytes, docs/results-format.md) is checked with plain reads
    before HDF5 parses anything: every 4 KB block of a results file zeroed in turn, random bytes
    flipped, the file cut short or grown, each is a FormatError naming the file and saying it is
    damaged (never a figure read from it, never a raw h5py, json or KeyError); the hash is the
    writer's FNV-1a 64, also across its chunks.
  - A file edited through h5py and sealed again, so that only its layout is wrong (no
    format_version, format_version 1.6.1-rc, no plan_order, summary_json or plan group, a
    summary that is not JSON, ...) is a FormatError saying what is missing; a 1.3 or later file
    without the file checksum is damaged, a 1.2 file (which has none) loads as before.
  - ensure_file runs salesim again when the scenario file was edited in place, when another
    input file named by the arguments changed, when the binary is another one, and when the
    record beside the file was written by an older reader (the arguments only); not when
    nothing changed.
usage: test_reader_integrity.py SALESIM SCENARIO WORKDIR (PYTHONPATH: notebooks/)"""
import contextlib, io, json, os, random, shutil, subprocess, sys, time

import h5py
import numpy as np
import salesim_results as sr

salesim, scenario, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
d = work
failures = []


def run(*args):
    subprocess.run([salesim, *args, "--threads", "1", "--quiet"], check=True)


def outcome(load, path):
    """"ok", or the FormatError's message; any other exception is a failure of the reader."""
    try:
        load(path)
        return "ok"
    except sr.FormatError as e:
        return str(e)
    except Exception as e:  # a raw h5py, json or numpy error: what this test is about
        return f"RAW {type(e).__name__}: {e}"


def expect_refused(what, path, *words, load=sr.load):
    got = outcome(load, path)
    if got == "ok" or got.startswith("RAW") or not all(w in got for w in (path,) + words):
        failures.append(f"{what}: expected a FormatError naming {path} and saying {words}, "
                        f"got {got}")


def reseal(path):
    """The file checksum written again after an edit through h5py, as salesim writes it."""
    checksum, size = sr._fnv1a64_file(path)
    with open(path, "r+b") as f:
        f.write(sr._seal_header(checksum, size))


# ---- The hash is the writer's FNV-1a 64 ------------------------------------------------------
def fnv_reference(data, h=14695981039346656037):
    for c in data:
        h = ((h ^ c) * 1099511628211) & ((1 << 64) - 1)
    return h


rng = np.random.default_rng(7)
for n in (1, 2, 63, 64, 65, 1000, 4099):
    data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
    for start in (14695981039346656037, 0, 0xFF, 1 << 63):
        assert sr._fnv1a64_update(start, data) == fnv_reference(data, start), (n, start)
# Across chunks (sr._CHUNK bytes each) of a file, against the plain byte-by-byte loop.
span = os.path.join(d, "span.bin")
data = rng.integers(0, 256, 2 * sr._CHUNK + 77, dtype=np.uint8).tobytes()
with open(span, "wb") as f:
    f.write(bytes(sr.USER_BLOCK) + data)
assert sr._fnv1a64_file(span) == (fnv_reference(data), len(data))
os.remove(span)

# ---- Damage to a file salesim wrote ------------------------------------------------------------
good = os.path.join(d, "good.h5")
run("run", scenario, "--paths", "100", "-o", good)
res = sr.load(good)
assert sr._file_damage(good) == "", sr._file_damage(good)
original = open(good, "rb").read()
damaged = os.path.join(d, "damaged.h5")


def damage(what, content, *words):
    with open(damaged, "wb") as f:
        f.write(content)
    if content == original:
        return
    expect_refused(what, damaged, *words)


blocks = 0
for off in range(0, len(original), 4096):
    end = min(off + 4096, len(original))
    blocks += 1
    # the first block holds the checksum and HDF5's superblock: then not an HDF5 file at all
    damage(f"block {off} zeroed", original[:off] + bytes(end - off) + original[end:],
           *(() if off == 0 else ("is damaged",)))
random.seed(11)
for _ in range(40):
    at = random.randrange(sr.USER_BLOCK, len(original))
    damage(f"byte {at} flipped", original[:at] + bytes([original[at] ^ 0x40]) + original[at + 1:],
           "is damaged", "checksum does not match")
for cut in (sr.USER_BLOCK + 8, len(original) // 2, len(original) - 100):
    damage(f"cut at {cut}", original[:cut], "is damaged", "truncated")
damage("a byte added", original + b"\0", "is damaged")
damage("the checksum header damaged", original[:40] + b"X" + original[41:], "is damaged",
       "header")
# Edited through h5py and not sealed again: HDF5 reads it, the checksum says it changed.
edited = os.path.join(d, "edited.h5")
shutil.copy(good, edited)
with h5py.File(edited, "r+") as f:
    f["plans/baseline/weekly/cum_bookings_quantiles"][-3:, :] = 0
expect_refused("edited through h5py", edited, "is damaged")

# Trajectories are read from the file again later: a file changed since load is checked again.
traj = os.path.join(d, "traj.h5")
run("run", scenario, "--paths", "20", "--trajectories", "-o", traj)
t = sr.load(traj)
assert t.trajectories("baseline").shape == (20, res.attrs["horizon_weeks"])
content = bytearray(open(traj, "rb").read())
content[len(content) // 2] ^= 1
with open(traj, "wb") as f:
    f.write(content)
os.utime(traj, ns=(time.time_ns(), time.time_ns() + 10**9))
expect_refused("trajectories of a file damaged after load", traj, "is damaged",
               load=lambda p: t.trajectories("baseline"))

# ---- Layouts that are not a results file's, sealed so that only the layout is wrong -----------
def edited_copy(name, edit, seal=True):
    p = os.path.join(d, name)
    shutil.copy(good, p)
    with h5py.File(p, "r+") as f:
        edit(f)
    if seal:
        reseal(p)
    return p


def set_summary(text):
    def edit(f):
        del f["summary_json"]
        f.create_dataset("summary_json", data=text, dtype=h5py.string_dtype())
    return edit


cases = [
    ("no format_version", lambda f: f.attrs.__delitem__("format_version"), ["format_version"]),
    ("format_version 1.6.1-rc", lambda f: f.attrs.__setitem__("format_version", "1.6.1-rc"),
     ["format_version", "1.6.1-rc"]),
    ("format_major a string", lambda f: f.attrs.__setitem__("format_major", "one"),
     ["format_major"]),
    ("no plan_order", lambda f: f.__delitem__("plan_order"), ["plan_order"]),
    ("no summary_json", lambda f: f.__delitem__("summary_json"), ["summary_json"]),
    ("no scenario_text", lambda f: f.__delitem__("scenario_text"), ["scenario_text"]),
    ("no plan group", lambda f: f.__delitem__("plans/push-activity"), ["/plans/push-activity"]),
    ("no weekly group", lambda f: f.__delitem__("plans/baseline/weekly"),
     ["/plans/baseline/weekly"]),
    ("no quantile_probabilities", lambda f: f["plans/baseline/weekly"].attrs.__delitem__(
        "quantile_probabilities"), ["quantile_probabilities"]),
    ("no checkpoints group", lambda f: f.__delitem__("plans/baseline/checkpoints"),
     ["/plans/baseline/checkpoints"]),
    ("no checkpoint p_met", lambda f: f.__delitem__("plans/baseline/checkpoints/p_met"),
     ["p_met"]),
    ("no path_index", lambda f: f.__delitem__("plans/baseline/paths/path_index"),
     ["path_index"]),
    ("a summary that is not JSON", set_summary('{"plans": [{"name": '), ["summary_json", "JSON"]),
    ("a summary without plans", set_summary('{"goal": null}'), ["summary_json", "plans"]),
    ("a summary of other plans", set_summary('{"plans": [{"name": "x"}]}'), ["summary_json"]),
    ("no checksum attribute", lambda f: f.attrs.__delitem__("checksum"), ["incomplete"]),
]
for what, edit, words in cases:
    expect_refused(what, edited_copy("layout.h5", edit), *words)
    expect_refused(what + " (not sealed again)", edited_copy("layout.h5", edit, seal=False),
                   "is damaged")


# Without the file checksum: a copy of the objects into a plain HDF5 file (no user block).
def unsealed_copy(name, version):
    p = os.path.join(d, name)
    with h5py.File(good, "r") as src, h5py.File(p, "w") as dst:
        for k in src:
            src.copy(src[k], dst, name=k)
        for k, v in src.attrs.items():
            dst.attrs[k] = v
        dst.attrs["format_version"] = version
        if version <= "1.2":
            del dst.attrs["checksum"]
    return p


expect_refused("a 1.6 file without the file checksum", unsealed_copy("unsealed.h5", "1.6"),
               "is damaged", "no file checksum")
old = sr.load(unsealed_copy("v12.h5", "1.2"))  # format 1.2 had no checksums: read as before
assert old.plans == res.plans
for p in res.plans:
    assert old.weekly(p).equals(res.weekly(p)) and old.paths(p).equals(res.paths(p))

# A sweep has no checksum; a damaged layout is still a FormatError.
sweep = os.path.join(d, "sweep.h5")
run("sweep", scenario, "--plan", "push-activity", "--vary", "prospecting.target_hours=10,14",
    "--paths", "16", "-o", sweep)
sr.load_sweep(sweep)
for what, edit, words in [("no table/columns", lambda f: f.__delitem__("table/columns"),
                           ["/table/columns"]),
                          ("no keys", lambda f: f.__delitem__("keys"), ["keys"]),
                          ("no format_version", lambda f: f.attrs.__delitem__("format_version"),
                           ["format_version"])]:
    p = os.path.join(d, "sweep-edit.h5")
    shutil.copy(sweep, p)
    with h5py.File(p, "r+") as f:
        edit(f)
    expect_refused("a sweep with " + what, p, *words, load=sr.load_sweep)

# ---- ensure_file: made again when what made the file changed -----------------------------------
def ensure(path, args, exe=salesim):
    """ensure_file's printed lines, and whether salesim ran."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        sr.ensure_file(path, args, exe)
    text = out.getvalue()
    return text, "Running" in text


scen = os.path.join(d, "scenario.yaml")
shutil.copy(scenario, scen)
made = os.path.join(d, "made.h5")
args = ["run", scen, "--paths", "20", "--threads", "1", "--quiet", "-o", made]
assert ensure(made, args)[1]
record = json.load(open(made + ".args.json"))
assert record["args"] == args and list(record["inputs"]) == [scen], record
assert record["salesim"]["version"].startswith("salesim"), record["salesim"]
text, ran = ensure(made, lambda: args)
assert not ran and "Opening" in text, text
seed = sr.load(made).summary
# The scenario edited in place, the same arguments: run again, with the new figures.
text = open(scen).read()
assert "seed: 20250101" in text
open(scen, "w").write(text.replace("seed: 20250101", "seed: 20250102", 1))
text, ran = ensure(made, args)
assert ran and "changed" in text and scen in text, text
assert sr.load(made).summary != seed
assert not ensure(made, args)[1]
# Another binary (here a wrapper script of the same one): run again.
wrapper = os.path.join(d, "salesim-wrapper")
with open(wrapper, "w") as f:
    f.write(f"#!/bin/sh\nexec '{os.path.abspath(salesim)}' \"$@\"\n")
os.chmod(wrapper, 0o755)
text, ran = ensure(made, args, wrapper)
assert ran and "another salesim binary" in text, text
assert not ensure(made, args, wrapper)[1]
# A record written by an older reader (the arguments alone): run again.
json.dump(args, open(made + ".args.json", "w"))
text, ran = ensure(made, args)
assert ran and "older" in text, text
# A damaged record: run again.
open(made + ".args.json", "w").write("[\"run\", ")
text, ran = ensure(made, args)
assert ran and "damaged record" in text, text
# No binary to be found: nothing could run, the file is opened.
text, ran = ensure(made, args, os.path.join(d, "no-such-salesim"))
assert not ran and "Opening" in text, text
# A scenario file gone: said, the file left in place.
os.rename(scen, scen + ".away")
try:
    ensure(made, args)
    failures.append("ensure_file opened a file whose scenario file is gone")
except FileNotFoundError as e:
    assert scen in str(e) and os.path.exists(made), e
os.rename(scen + ".away", scen)
# Another input file named by the arguments (a report's results file and logo): both count;
# the outputs (-o, --json, ...) do not.
logo = os.path.join(d, "logo.svg")
open(logo, "w").write('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
report = os.path.join(d, "report.html")
rargs = ["report", made, "-o", report, "--logo", logo, "--no-sensitivity"]
assert ensure(report, rargs)[1]
assert set(json.load(open(report + ".args.json"))["inputs"]) == {made, logo}
assert not ensure(report, rargs)[1]
open(logo, "w").write('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>')
text, ran = ensure(report, rargs)
assert ran and logo in text, text
assert set(sr._input_digests("x.h5", ["run", scen, "--json", logo, f"--csv={logo}", "-o", made,
                                      "--paths", "20"])) == {scen}

if failures:
    sys.exit("the reader on damaged files and changed inputs:\n  " + "\n  ".join(failures))
print(f"reader integrity ok ({blocks} blocks zeroed, 40 bytes flipped, {len(cases)} layouts, "
      "ensure_file)")
